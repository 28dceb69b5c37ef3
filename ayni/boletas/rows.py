"""The row reader: Python's csv, one row at a time, for the report that names every
problem of a file with its line and column (and for what the columnar reader does not vouch
for). The rules are those of ayni.boletas.planilla.
"""

import codecs
import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from ayni.boletas.planilla import (
    AMOUNT_RE,
    BOLETA_FIELDS,
    COLUMNS,
    CONCEPT_KINDS,
    KEY_COLUMNS,
    LINE_FIELDS,
    MAX_LENGTHS,
    NUL_MESSAGE,
    ParsedBoleta,
    ReadAgain,
    Reader,
    foreign_digits_message,
    has_foreign_digits,
    too_long,
)


class _Layout:
    """Where each column is in this file's rows (absent optional columns are padded)."""

    def __init__(self, index: dict[str, int]):
        self.width = len(index)
        absent = [name for name in COLUMNS if name not in index]
        index = {**index, **{name: self.width + n for n, name in enumerate(absent)}}
        self.padding = [""] * len(absent)
        self.index = index
        self.key_of = itemgetter(*(index[c] for c in KEY_COLUMNS))
        self.head_of = itemgetter(*(index[c] for c in BOLETA_FIELDS))
        self.line_of = itemgetter(*(index[c] for c in LINE_FIELDS))
        self.code_of, self.description_of, self.kind_of, self.amount_of = (
            itemgetter(index[c]) for c in LINE_FIELDS
        )


@dataclass
class RowReader(Reader):
    """Reads line by line, row by row, placing every problem (bytes that are not UTF-8,
    broken quoting included). A boleta whose rows are not consecutive raises `ReadAgain`;
    `regroup` reads everything first and then groups the rows by boleta (slower)."""

    regroup: bool = False

    def _read(self, binary) -> Iterator[ParsedBoleta]:
        reader = csv.reader(self._text_lines(binary), strict=True)
        rows = self._rows(reader)
        index = self._read_header(rows)
        if index is not None:
            self._header_read = True
            layout = _Layout(index)
            if self.regroup:
                rows = self._regrouped(rows, layout)
            yield from self._group(rows, layout)

    # -- physical lines and CSV rows -------------------------------------------------
    def _text_lines(self, binary: io.BufferedReader) -> Iterator[str]:
        header = binary.peek(1 << 16)[: 1 << 16].split(b"\n", 1)[0]
        # Lines end at LF or CRLF; in a file saved with a lone CR after each line (the old
        # "CSV (Macintosh)"), at CR.
        lines = _cr_lines(binary) if b"\r" in header.rstrip(b"\r") else binary
        for number, raw in enumerate(lines, 1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as error:
                self.problems.add(
                    number, "", f"el texto no está en UTF-8 (byte {error.start + 1} de la línea)."
                )
                yield raw.decode("utf-8", "replace")

    def _rows(self, reader) -> Iterator[tuple[int, list[str]]]:
        """(line where the row starts, row), one by one; blank rows are skipped."""
        # Lines end at LF (or CRLF): `_text_lines` splits there; a lone CR is no line break.
        consumed = last = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.problems.add(consumed + 1, "", f"la fila no es CSV válido ({error}).")
                consumed += reader.line_num - last
                last = reader.line_num
                continue
            start = consumed + 1
            if reader.line_num - last == 1:
                consumed += 1
            else:
                consumed += 1 + sum(value.count("\n") for value in row)
            last = reader.line_num
            if _has_data(row):
                yield start, row

    # -- the header --------------------------------------------------------------------
    def _read_header(self, rows) -> dict[str, int] | None:
        first = next(rows, None)
        if first is None:
            self.problems.add(1, "", "el archivo está vacío: falta la fila de encabezado.")
            return None
        return self.check_header(*first)

    def _group(self, rows, layout: _Layout) -> Iterator[ParsedBoleta]:
        """Rows -> boletas, one row at a time, naming every problem. While a row's boleta
        columns equal those of the boleta's first row, only its concept columns need
        checking."""
        key_of, head_of, line_of = layout.key_of, layout.head_of, layout.line_of
        header_width, padding = layout.width, layout.padding
        problems = self.problems
        code_length = MAX_LENGTHS["concepto_codigo"]
        description_length = MAX_LENGTHS["concepto_descripcion"]
        amount_format = AMOUNT_RE.fullmatch
        closed = self._closed
        current = None  # the boleta being read; None when its first row had problems
        current_key = current_head = None
        block_start = 0  # problems counted before the current boleta
        codes: set[str] = set()
        lines = boletas = 0
        for line, row in rows:
            lines += 1
            if len(row) != header_width:
                if len(row) > header_width or not self.other_separator(line, row, header_width):
                    problems.add(
                        line, "",
                        f"la fila tiene {len(row)} columnas y el encabezado {header_width}.",
                    )  # fmt: skip
                continue
            if padding:
                row.extend(padding)
            head = head_of(row)
            if head != current_head:
                key = _normalized_key(key_of(row))
                if key == current_key:
                    self._compare_heads(line, current_head, head)
                else:
                    if current_key is not None:
                        closed.add(current_key)
                        if problems.total == block_start and self.close(current):
                            yield current
                    if key in closed:
                        raise ReadAgain(line)
                    boletas += 1
                    block_start = problems.total
                    current_key, current_head = key, head
                    current = self.open(line, head)
                    codes = set()
            code, description, kind, amount = line_of(row)
            if "\x00" in code or "\x00" in description or "\x00" in kind or "\x00" in amount:
                for column, value in zip(
                    LINE_FIELDS, (code, description, kind, amount), strict=True
                ):
                    if "\x00" in value:
                        problems.add(line, column, NUL_MESSAGE)
                continue
            code = code.strip()
            description = description.strip()
            kind = kind.strip().upper()
            amount = amount.strip()
            if not code:
                problems.add(line, "concepto_codigo", "el código del concepto es obligatorio.")
            elif len(code) > code_length:
                problems.add(line, "concepto_codigo", too_long(code_length))
            elif code in codes:
                problems.add(
                    line, "concepto_codigo", f"el concepto «{code}» ya figura en esta boleta."
                )
            codes.add(code)
            if not description:
                problems.add(line, "concepto_descripcion", "la descripción es obligatoria.")
            elif len(description) > description_length:
                problems.add(line, "concepto_descripcion", too_long(description_length))
            if kind not in CONCEPT_KINDS:
                problems.add(line, "tipo_concepto", "debe ser INGRESO, DESCUENTO o APORTE.")
            if not amount_format(amount):
                if has_foreign_digits(amount):
                    problems.add(line, "monto", foreign_digits_message(amount))
                    continue
                problems.add(
                    line, "monto",
                    f"«{amount}» no es un monto válido: use cifras con punto decimal y a lo más "
                    "2 decimales, sin separador de miles ni signo (por ejemplo 2780.50).",
                )  # fmt: skip
                continue
            if current is None:
                continue
            value = Decimal(amount)
            conceptos = current.conceptos
            conceptos.append((len(conceptos) + 1, code, description, kind, value))
            if kind == "INGRESO":
                current.gross += value
            elif kind == "DESCUENTO":
                current.deductions += value
            else:
                current.contributions += value
        self.stats.lines += lines
        self.stats.boletas += boletas
        if current_key is not None:
            closed.add(current_key)
            if problems.total == block_start and self.close(current):
                yield current

    def _regrouped(self, rows, layout: _Layout) -> Iterator[tuple[int, list[str]]]:
        """All rows again, those of one boleta together: hashed into temporary files, each
        small enough to sort in memory."""
        parts = 64

        def key_of(row):
            return _normalized_key(layout.key_of(row)) if len(row) == layout.width else ()

        with tempfile.TemporaryDirectory(prefix="planilla-") as folder:
            paths = [Path(folder) / f"{n}.csv" for n in range(parts)]
            handles = [path.open("w", encoding="utf-8", newline="") for path in paths]
            writers = [csv.writer(handle) for handle in handles]
            for line, row in rows:
                writers[hash(key_of(row)) % parts].writerow([line, *row])
            for handle in handles:
                handle.close()
            for path in paths:
                with path.open(encoding="utf-8", newline="") as handle:
                    part = [(int(record[0]), record[1:]) for record in csv.reader(handle)]
                part.sort(key=lambda item: (key_of(item[1]), item[0]))
                yield from part

    def _compare_heads(self, line: int, first: tuple, this: tuple) -> None:
        for column, a, b in zip(BOLETA_FIELDS, first, this, strict=True):
            if a != b and a.strip() != b.strip():
                self.problems.add(
                    line, column,
                    f"«{b.strip()}» no coincide con «{a.strip()}» de la primera fila de esta "
                    "boleta: los datos de la boleta deben ser iguales en todas sus filas.",
                )  # fmt: skip


def _cr_lines(binary: io.BufferedReader) -> Iterator[bytes]:
    """The lines of a file whose lines end at a lone CR, each with its CR."""
    rest = b""
    while chunk := binary.read(1 << 20):
        *lines, rest = (rest + chunk).split(b"\r")
        for line in lines:
            yield line + b"\r"
    if rest:
        yield rest


def _has_data(row: list[str]) -> bool:
    return bool(row) and (len(row) > 1 or bool(row[0].strip()))


def _normalized_key(raw_key: tuple[str, ...]) -> tuple[str, ...]:
    period, entity, payroll_type, document_type, number = raw_key
    return (period.strip(), entity.strip(), payroll_type.strip(),
            document_type.strip().upper(), number.strip().upper())  # fmt: skip

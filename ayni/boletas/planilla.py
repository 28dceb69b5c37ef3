"""The planilla file (docs/formato-planilla.md): read it as a stream, check every line, and
hand over one validated boleta at a time.

Nothing here writes to the database. `read_planilla` yields `ParsedBoleta`s while it reads;
every problem found goes to `Problems` with its line and column, and the caller decides
(any problem: write nothing). Memory stays flat: only the boleta being read is held.

Two readers: the columnar one (ayni.boletas.columnar) reads valid files fast and hands
anything it does not vouch for to the row reader, which names every problem.
"""

import codecs
import csv
import hashlib
import heapq
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import compress, islice
from operator import eq, gt, itemgetter, ne
from pathlib import Path

from ayni.boletas import columnar
from ayni.boletas.columnar import NotColumnar
from ayni.boletas.models import Boleta, ConceptKind
from ayni.core.formats import money
from ayni.core.validators import document_number_error, ruc_error

FIRST_PERIOD = date(2020, 5, 1)
# column -> Boleta field, for the columns printed once per boleta (same on all its lines).
BOLETA_FIELDS = {
    "periodo": "period",
    "entidad_codigo": "entity",
    "entidad_nombre": "entity_name",
    "entidad_ruc": "entity_ruc",
    "tipo_planilla": "payroll_type",
    "tipo_documento": None,  # the servant's document: kept on the servant record
    "numero_documento": None,
    "apellido_paterno": "apellido_paterno",
    "apellido_materno": "apellido_materno",
    "nombres": "nombres",
    "codigo_modular": "codigo_modular",
    "tipo_servidor": "servant_type",
    "cargo": "position",
    "establecimiento": "workplace",
    "regimen_pensionario": "pension_system",
    "cuspp": "cuspp",
    "fecha_ingreso": "hire_date",
    "dias_laborados": "days_worked",
}
LINE_FIELDS = ("concepto_codigo", "concepto_descripcion", "tipo_concepto", "monto")
COLUMNS = (*BOLETA_FIELDS, *LINE_FIELDS)
KEY_COLUMNS = ("periodo", "entidad_codigo", "tipo_planilla", "tipo_documento", "numero_documento")
# Columns whose value may be empty; they may also be left out of the header.
OPTIONAL_COLUMNS = frozenset(
    {"apellido_materno", "codigo_modular", "establecimiento", "regimen_pensionario", "cuspp",
     "dias_laborados"}
)  # fmt: skip
PAYING_UNIT_KINDS = frozenset({"MINEDU", "DRE", "GRE", "UGEL"})
CONCEPT_KINDS = frozenset(ConceptKind.values)
MAX_REPORTED = 100

# Digits are 0-9 only (re.ASCII): Python's \d also takes Arabic-Indic or full-width digits.
_PERIOD_RE = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_AMOUNT_RE = re.compile(r"\d{1,10}(?:\.\d{1,2})?", re.ASCII)
_DIGITS_RE = re.compile(r"\d+", re.ASCII)
_ALNUM_RE = re.compile(r"[A-Za-z0-9]+")
# Columns that hold numbers, codes or dates: their digits must be 0-9.
NUMERIC_COLUMNS = frozenset(
    {"periodo", "entidad_codigo", "entidad_ruc", "numero_documento", "codigo_modular", "cuspp",
     "fecha_ingreso", "dias_laborados", "monto"}
)  # fmt: skip
NO_LINES = "el archivo no tiene líneas: solo el encabezado, sin ninguna boleta."
SEPARATORS = {";": "punto y coma («;»)", "\t": "tabulador"}
SEPARATOR_MESSAGE = (
    "el archivo está separado por {} y la planilla se separa con comas («,»): guárdelo de "
    "nuevo como «CSV delimitado por comas»."
)
NUL_MESSAGE = "el valor contiene el carácter NUL (byte 0), que no se admite en una planilla."
_LARGEST_TOTAL = Decimal("9999999999.99")


def _max_length(model, column_to_field: dict[str, str | None]) -> dict[str, int]:
    lengths = {}
    for column, name in column_to_field.items():
        if name and getattr(model._meta.get_field(name), "max_length", None):
            lengths[column] = model._meta.get_field(name).max_length
    return lengths


MAX_LENGTHS = {
    **_max_length(Boleta, BOLETA_FIELDS),
    "concepto_codigo": 20,
    "concepto_descripcion": 120,
}
_HEAD_LIMITS = tuple(MAX_LENGTHS.get(column, 1 << 30) for column in BOLETA_FIELDS)
_required_of = itemgetter(
    *(n for n, column in enumerate(BOLETA_FIELDS) if column not in OPTIONAL_COLUMNS)
)


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self):
        where = f"Línea {self.line}"
        if self.column:
            where += f", columna «{self.column}»"
        return f"{where}: {self.message}"


class Problems:
    """Every problem is counted; the `keep` with the lowest line numbers are kept."""

    def __init__(self, keep: int = MAX_REPORTED):
        self.keep = keep
        self.total = 0
        self._heap: list[tuple[int, int, str, str]] = []  # (-line, -order, column, message)

    def add(self, line: int, column: str, message: str) -> None:
        self.total += 1
        heapq.heappush(self._heap, (-line, -self.total, column, message))
        if len(self._heap) > self.keep:
            heapq.heappop(self._heap)

    def __bool__(self):
        return self.total > 0

    def first(self) -> list[Problem]:
        ordered = sorted(self._heap, key=lambda item: (-item[0], -item[1]))
        return [Problem(-line, column, message) for line, _, column, message in ordered]


@dataclass(frozen=True)
class PayingEntity:
    id: int
    code: str
    kind: str
    ruc: str
    allowed: bool = True


@dataclass(slots=True)
class ParsedBoleta:
    line: int  # where its first row is
    period: date
    entity_id: int
    document_type: str
    document_number: str
    fields: dict  # Boleta field -> value, as printed
    conceptos: list  # (position, code, description, kind, amount)
    head_text: str = ""  # the boleta columns as read, for the fingerprint
    conceptos_json: str = ""  # Boleta.conceptos
    key: tuple = ()  # as _normalized_key: which boleta of the file this is
    gross: Decimal = Decimal(0)
    deductions: Decimal = Decimal(0)
    contributions: Decimal = Decimal(0)
    fingerprint: str = ""

    @property
    def planilla_key(self) -> tuple:
        return (self.period, self.entity_id, self.fields["payroll_type"])

    @property
    def net(self) -> Decimal:
        return self.gross - self.deductions


class UngroupedFile(Exception):
    """The rows of one boleta are not consecutive: the file has to be regrouped first."""


class ReadCarefully(Exception):
    """The fast reader met what it cannot place on a line (bytes that are not UTF-8, broken
    quoting): the file has to be read again, row by row."""


def foreign_digits_message(value: str) -> str:
    return (
        f"«{value}» tiene cifras que no son 0-9 (por ejemplo dígitos arábigos o de ancho "
        "completo): escríbalas con las cifras 0-9."
    )


def has_foreign_digits(value: str) -> bool:
    return not value.isascii() and any(character.isdigit() for character in value)


class _CountingReader(io.RawIOBase):
    """Passes a binary stream through, hashing and counting what is read; notes whether a
    NUL byte went through (then the fast paths leave the file to the row-by-row checks)."""

    def __init__(self, stream, on_bytes):
        self.stream = stream
        self.on_bytes = on_bytes
        self.digest = hashlib.sha256()
        self.size = 0
        self.nul = False

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        self.digest.update(data)
        self.size += count
        if not self.nul and b"\x00" in data:
            self.nul = True
        if self.on_bytes and count:
            self.on_bytes(count)
        return count


@dataclass
class ReadStats:
    lines: int = 0
    boletas: int = 0
    size: int = 0
    sha256: str = ""


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


BATCH_ROWS = 1_000  # small batches stay in the CPU caches
_is_earning, _is_deduction, _is_contribution = (
    kind.__eq__ for kind in ("INGRESO", "DESCUENTO", "APORTE")
)


@dataclass
class PlanillaReader:
    """Reads one planilla; `boletas()` yields them as their last row is read.

    Rows are read in batches and checked column by column; a batch in which something is
    wrong is checked again row by row, which names every problem. `regroup` reads
    everything first and then groups the rows by boleta (for files whose boletas are not
    in consecutive rows); `careful` reads row by row, line by line, to place bytes that
    are not UTF-8 and broken quoting. Both are slower; the importer turns them on when
    needed.
    """

    stream: io.RawIOBase | io.BufferedIOBase
    entity_for: Callable[[str], PayingEntity | None]
    current_month: date
    problems: Problems = field(default_factory=Problems)
    on_bytes: Callable[[int], None] | None = None  # progress: bytes read
    columnar: bool = False
    regroup: bool = False
    careful: bool = False
    stats: ReadStats = field(default_factory=ReadStats)
    _periods: dict = field(default_factory=dict, init=False, repr=False)
    _entities: dict = field(default_factory=dict, init=False, repr=False)
    _hire_dates: dict = field(default_factory=dict, init=False, repr=False)
    _closed: set = field(default_factory=set, init=False, repr=False)  # boletas read
    _counted: _CountingReader | None = field(default=None, init=False, repr=False)
    _separator_told: bool = field(default=False, init=False, repr=False)
    _header_read: bool = field(default=False, init=False, repr=False)

    # -- physical lines and CSV rows -------------------------------------------------
    def _text_lines(self, binary: io.BufferedReader) -> Iterator[str]:
        for number, raw in enumerate(binary, 1):
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
        # Lines end at LF (or CRLF), as in `_start_lines`: csv also counts a lone CR.
        consumed = last = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                raise ReadCarefully from error
            except csv.Error as error:
                if not self.careful:
                    raise ReadCarefully from error
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
        return self._check_header(*first)

    def _check_header(self, line: int, header: list[str]) -> dict[str, int] | None:
        """Column name -> position in the row; None (and the problems) if it is wrong."""
        if self._other_separator(line, header):
            return None
        index: dict[str, int] = {}
        for position, raw_name in enumerate(header):
            name = raw_name.strip().lower()
            if name not in COLUMNS:
                self.problems.add(line, raw_name, "columna desconocida en el encabezado.")
            elif name in index:
                self.problems.add(line, name, "la columna está repetida en el encabezado.")
            else:
                index[name] = position
        for name in COLUMNS:
            if name not in index and name not in OPTIONAL_COLUMNS:
                self.problems.add(line, name, "falta esta columna obligatoria en el encabezado.")
        return None if self.problems else index

    def _other_separator(self, line: int, row: list[str], width: int = 0) -> bool:
        """A file separated by something else than commas (Excel saves ";" in some
        languages): one problem naming the separator, not one per column or line. `width`:
        the header's, for a data row (else `row` is the header)."""
        text = ",".join(row)
        for separator, name in SEPARATORS.items():
            if separator not in text:
                continue
            pieces = text.split(separator)
            if width:
                found = len(pieces) > width // 2
            else:
                found = any(piece.strip().lower() in COLUMNS for piece in pieces)
            if found:
                if not self._separator_told:
                    self.problems.add(line, "", SEPARATOR_MESSAGE.format(name))
                    self._separator_told = True
                return True
        return False

    # -- boletas ---------------------------------------------------------------------
    def boletas(self) -> Iterator[ParsedBoleta]:
        counted = self._counted = _CountingReader(self.stream, self.on_bytes)
        binary = io.BufferedReader(counted, 1 << 20)
        if self.columnar:
            yield from self._columnar(binary)
        else:
            if self.careful:
                text = self._text_lines(binary)
            else:  # lines end at LF or CRLF (or a lone CR); csv keeps them inside quotes
                text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
            yield from self._by_rows(text)
        if self._header_read and not self.stats.lines and not self.problems:
            self.problems.add(1, "", NO_LINES)
        while binary.read(1 << 20):  # the size and SHA-256 are of the whole file
            pass
        self.stats.size, self.stats.sha256 = counted.size, counted.digest.hexdigest()

    def _columnar(self, binary) -> Iterator[ParsedBoleta]:
        """The fast path (ayni.boletas.columnar) for files whose boletas are in consecutive
        rows; it raises NotColumnar for anything it does not vouch for."""
        first = binary.readline().removeprefix(codecs.BOM_UTF8)
        if b'"' in first or not first.strip():
            raise NotColumnar
        try:
            header = first.decode("utf-8").rstrip("\r\n").split(",")
        except UnicodeDecodeError as error:
            raise NotColumnar from error
        index = self._check_header(1, header)
        if index is None:
            raise NotColumnar
        self._header_read = True
        if not binary.peek(1):  # the header only
            return
        grouper = columnar.Grouper(
            head_positions=[index.get(column) for column in BOLETA_FIELDS],
            line_positions=[index[column] for column in LINE_FIELDS],
            limits=(MAX_LENGTHS["concepto_codigo"], MAX_LENGTHS["concepto_descripcion"]),
            kinds=CONCEPT_KINDS,
        )
        found_batches = grouper.grouped(
            columnar.record_batches(
                binary, len(header), repeated=[index[column] for column in LINE_FIELDS[:3]]
            )
        )
        closed, previous_key = self._closed, None
        for found in found_batches:
            self.stats.lines += found.lines
            self.stats.boletas += len(found.heads)
            for head, gross, deductions, contributions, stored, printed in zip(
                found.heads, found.gross, found.deductions, found.contributions,
                found.conceptos_json, found.concept_text, strict=True,
            ):  # fmt: skip
                boleta = self._open(0, head)
                if boleta is None:
                    raise NotColumnar
                key = boleta.key
                if key == previous_key:  # one boleta whose boleta columns differ
                    raise NotColumnar
                if key in closed:
                    raise UngroupedFile
                closed.add(key)
                previous_key = key
                boleta.gross = Decimal(gross).scaleb(-2)
                boleta.deductions = Decimal(deductions).scaleb(-2)
                boleta.contributions = Decimal(contributions).scaleb(-2)
                if not _totals_allowed(boleta):
                    raise NotColumnar
                boleta.conceptos_json = stored
                boleta.fingerprint = fingerprint(boleta, printed)
                yield boleta

    def _by_rows(self, text) -> Iterator[ParsedBoleta]:
        reader = csv.reader(text, strict=True)
        rows = self._rows(reader)
        index = self._read_header(rows)
        if index is not None:
            self._header_read = True
            layout = _Layout(index)
            if self.regroup:
                yield from self._group(self._regrouped(rows, layout), layout)
            elif self.careful:
                yield from self._group(rows, layout)
            else:
                yield from self._batches(reader, layout)

    def _batches(self, reader, layout: _Layout) -> Iterator[ParsedBoleta]:
        """The fast path: batches of whole boletas, checked column by column."""
        held_rows, held_lines = [], []  # the last boleta read, maybe not complete yet
        while True:
            consumed = reader.line_num
            try:
                fresh = list(islice(reader, BATCH_ROWS))
            except (csv.Error, UnicodeDecodeError) as error:
                raise ReadCarefully from error
            rows = held_rows + fresh
            lines = held_lines + _start_lines(fresh, consumed, reader.line_num)
            if not fresh:
                yield from self._batch(rows, lines, layout)
                return
            key_of = layout.key_of
            last_key = key_of(rows[-1]) if len(rows[-1]) == layout.width else None
            tail = len(rows)
            while (
                tail > 0
                and len(rows[tail - 1]) == layout.width
                and (key_of(rows[tail - 1]) == last_key)
            ):
                tail -= 1
            held_rows, held_lines = rows[tail:], lines[tail:]
            yield from self._batch(rows[:tail], lines[:tail], layout)

    def _batch(self, rows: list, lines: list[int], layout: _Layout) -> Iterator[ParsedBoleta]:
        if not rows:
            return
        width = layout.width
        if min(map(len, rows)) != width or max(map(len, rows)) != width:
            yield from self._row_by_row(rows, lines, layout)
            return
        padded = [row + layout.padding for row in rows] if layout.padding else rows
        codes = list(map(str.strip, map(layout.code_of, padded)))
        descriptions = list(map(str.strip, map(layout.description_of, padded)))
        kinds = list(map(str.upper, map(str.strip, map(layout.kind_of, padded))))
        amounts = list(map(str.strip, map(layout.amount_of, padded)))
        heads = list(map(layout.head_of, padded))
        starts = [0, *compress(range(1, len(heads)), map(ne, heads, islice(heads, 1, None)))]
        bounds = list(zip(starts, [*starts[1:], len(heads)], strict=True))
        keys = [_normalized_key(layout.key_of(padded[start])) for start, _ in bounds]
        if (
            min(map(len, codes)) == 0
            or max(map(len, codes)) > MAX_LENGTHS["concepto_codigo"]
            or min(map(len, descriptions)) == 0
            or max(map(len, descriptions)) > MAX_LENGTHS["concepto_descripcion"]
            or not set(kinds) <= CONCEPT_KINDS
            or not all(map(_AMOUNT_RE.fullmatch, amounts))
            or any(map(eq, keys, keys[1:]))  # one boleta whose boleta columns differ
            or any(len(set(codes[start:end])) != end - start for start, end in bounds)
            or self._counted.nul
        ):
            yield from self._row_by_row(rows, lines, layout)
            return
        values = list(map(Decimal, amounts))
        self.stats.lines += len(rows)
        self.stats.boletas += len(bounds)
        for key, (start, end) in zip(keys, bounds, strict=True):
            if key in self._closed:
                raise UngroupedFile(lines[start])
            self._closed.add(key)
            boleta = self._open(lines[start], heads[start])
            if boleta is None:
                continue
            group_kinds, group_values = kinds[start:end], values[start:end]
            boleta.conceptos = list(
                zip(range(1, end - start + 1), codes[start:end], descriptions[start:end],
                    group_kinds, group_values, strict=True)
            )  # fmt: skip
            zero = Decimal(0)
            boleta.gross = sum(compress(group_values, map(_is_earning, group_kinds)), zero)
            boleta.deductions = sum(compress(group_values, map(_is_deduction, group_kinds)), zero)
            boleta.contributions = sum(
                compress(group_values, map(_is_contribution, group_kinds)), zero
            )
            if self._close(boleta):
                yield boleta

    def _row_by_row(self, rows, lines, layout) -> Iterator[ParsedBoleta]:
        pairs = [(line, row) for line, row in zip(lines, rows, strict=True) if _has_data(row)]
        yield from self._group(pairs, layout)

    def _group(self, rows, layout: _Layout) -> Iterator[ParsedBoleta]:
        """Rows -> boletas, one row at a time, naming every problem. While a row's boleta
        columns equal those of the boleta's first row, only its concept columns need
        checking."""
        key_of, head_of, line_of = layout.key_of, layout.head_of, layout.line_of
        header_width, padding = layout.width, layout.padding
        problems = self.problems
        code_length = MAX_LENGTHS["concepto_codigo"]
        description_length = MAX_LENGTHS["concepto_descripcion"]
        amount_format = _AMOUNT_RE.fullmatch
        closed = self._closed
        current = None  # the boleta being read; None when its first row had problems
        current_key = current_head = None
        block_start = 0  # problems counted before the current boleta
        codes: set[str] = set()
        lines = boletas = 0
        for line, row in rows:
            lines += 1
            if len(row) != header_width:
                if len(row) > header_width or not self._other_separator(line, row, header_width):
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
                        if problems.total == block_start and self._close(current):
                            yield current
                    if key in closed:
                        raise UngroupedFile(line)
                    boletas += 1
                    block_start = problems.total
                    current_key, current_head = key, head
                    current = self._open(line, head)
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
                problems.add(line, "concepto_codigo", _too_long(code_length))
            elif code in codes:
                problems.add(
                    line, "concepto_codigo", f"el concepto «{code}» ya figura en esta boleta."
                )
            codes.add(code)
            if not description:
                problems.add(line, "concepto_descripcion", "la descripción es obligatoria.")
            elif len(description) > description_length:
                problems.add(line, "concepto_descripcion", _too_long(description_length))
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
            if problems.total == block_start and self._close(current):
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

    def _open(self, line: int, head: tuple[str, ...]) -> ParsedBoleta | None:
        """Check the boleta-level columns of a boleta's first row; None if they are wrong."""
        values = tuple(map(str.strip, head))
        problems_before = self.problems.total
        add = self.problems.add
        head_text = "\x1f".join(values)
        if (not head_text.isascii() or "\x00" in head_text) and self._odd_characters(line, values):
            return None
        if any(map(gt, map(len, values), _HEAD_LIMITS)):
            for column, value, limit in zip(BOLETA_FIELDS, values, _HEAD_LIMITS, strict=True):
                if len(value) > limit:
                    add(line, column, _too_long(limit))
        if not all(_required_of(values)):
            for column, value in zip(BOLETA_FIELDS, values, strict=True):
                if column not in OPTIONAL_COLUMNS and not value:
                    add(line, column, "el valor es obligatorio.")
        (period_text, entity_code, entity_name, entity_ruc, payroll_type, document_type,
         document_number, paterno, materno, nombres, modular, servant_type, position, workplace,
         pension, cuspp, hire_text, days_text) = values  # fmt: skip
        period = self._period(line, period_text)
        entity = self._entity(line, entity_code, entity_ruc)
        document_type, document_number = document_type.upper(), document_number.upper()
        if document_type and document_number:
            error = document_number_error(document_type, document_number)
            if error:
                column = "tipo_documento" if "DNI, CE o PAS" in error else "numero_documento"
                add(line, column, error[0].lower() + error[1:])
        if modular and not _DIGITS_RE.fullmatch(modular):
            add(line, "codigo_modular", "el código modular solo lleva dígitos.")
        if cuspp and not _ALNUM_RE.fullmatch(cuspp):
            add(line, "cuspp", "el CUSPP solo lleva letras y dígitos.")
        hire_date = self._hire_date(line, hire_text, period)
        days = None
        if days_text:
            if not _DIGITS_RE.fullmatch(days_text) or int(days_text) > 31:
                add(line, "dias_laborados", "debe ser un número entero de 0 a 31.")
            else:
                days = int(days_text)
        if self.problems.total > problems_before:
            return None
        fields = {
            "period": period, "entity": entity.id, "entity_name": entity_name,
            "entity_ruc": entity_ruc, "payroll_type": payroll_type, "apellido_paterno": paterno,
            "apellido_materno": materno, "nombres": nombres, "codigo_modular": modular,
            "servant_type": servant_type, "position": position, "workplace": workplace,
            "pension_system": pension, "cuspp": cuspp, "hire_date": hire_date,
            "days_worked": days,
        }  # fmt: skip
        return ParsedBoleta(
            line=line,
            period=period,
            entity_id=entity.id,
            document_type=document_type,
            document_number=document_number,
            fields=fields,
            conceptos=[],
            head_text=head_text,
            key=(period_text, entity_code, payroll_type, document_type, document_number),
        )

    def _odd_characters(self, line: int, values: tuple[str, ...]) -> bool:
        """NUL bytes anywhere, digits other than 0-9 in numbers: True if there were any (the
        line's other checks are then left for the corrected file)."""
        found = False
        for column, value in zip(BOLETA_FIELDS, values, strict=True):
            if "\x00" in value:
                self.problems.add(line, column, NUL_MESSAGE)
                found = True
            elif column in NUMERIC_COLUMNS and has_foreign_digits(value):
                self.problems.add(line, column, foreign_digits_message(value))
                found = True
        return found

    def _close(self, boleta: ParsedBoleta) -> bool:
        """Of a boleta whose rows were all right: totals, the never-negative rule and the
        fingerprint; True if the boleta is valid."""
        if boleta.deductions > boleta.gross:
            self.problems.add(
                boleta.line, "monto",
                f"en la boleta de {boleta.document_type} {boleta.document_number} los descuentos "
                f"({money(boleta.deductions)}) superan al monto bruto ({money(boleta.gross)}): "
                "el monto a pagar sería negativo.",
            )  # fmt: skip
            return False
        if not _totals_allowed(boleta):
            self.problems.add(boleta.line, "monto", "los totales de la boleta son demasiado altos.")
            return False
        boleta.conceptos_json = conceptos_json(boleta.conceptos)
        boleta.fingerprint = fingerprint(boleta, concept_text(boleta.conceptos))
        return True

    def _compare_heads(self, line: int, first: tuple, this: tuple) -> None:
        for column, a, b in zip(BOLETA_FIELDS, first, this, strict=True):
            if a != b and a.strip() != b.strip():
                self.problems.add(
                    line, column,
                    f"«{b.strip()}» no coincide con «{a.strip()}» de la primera fila de esta "
                    "boleta: los datos de la boleta deben ser iguales en todas sus filas.",
                )  # fmt: skip

    def _period(self, line: int, text: str) -> date | None:
        if text not in self._periods:
            self._periods[text] = _parse_period(text, self.current_month)
        period, error = self._periods[text]
        if error and text:
            self.problems.add(line, "periodo", error)
        return period

    def _entity(self, line: int, code: str, ruc: str) -> PayingEntity | None:
        if (code, ruc) not in self._entities:
            self._entities[(code, ruc)] = _check_entity(self.entity_for, code, ruc)
        entity, problems = self._entities[(code, ruc)]
        for column, message in problems:
            self.problems.add(line, column, message)
        return entity

    def _hire_date(self, line: int, text: str, period: date | None) -> date | None:
        if not text:
            return None
        if (text, period) not in self._hire_dates:
            self._hire_dates[(text, period)] = _parse_hire_date(text, period)
        parsed, error = self._hire_dates[(text, period)]
        if error:
            self.problems.add(line, "fecha_ingreso", error)
        return parsed


def _totals_allowed(boleta: ParsedBoleta) -> bool:
    """Never a negative monto a pagar, nor a total too large for the boleta's columns."""
    largest = max(boleta.gross, boleta.deductions, boleta.contributions)
    return boleta.deductions <= boleta.gross and largest <= _LARGEST_TOTAL


def _has_data(row: list[str]) -> bool:
    return bool(row) and (len(row) > 1 or bool(row[0].strip()))


def _start_lines(rows: list, consumed: int, consumed_after: int) -> list[int]:
    """The line where each row starts, given the lines consumed before and after them."""
    if consumed_after - consumed == len(rows):  # one line each: no line breaks in values
        return list(range(consumed + 1, consumed_after + 1))
    lines, line = [], consumed + 1
    for row in rows:
        lines.append(line)
        line += 1 + sum(value.count("\n") for value in row)
    return lines


def _normalized_key(raw_key: tuple[str, ...]) -> tuple[str, ...]:
    period, entity, payroll_type, document_type, number = raw_key
    return (period.strip(), entity.strip(), payroll_type.strip(),
            document_type.strip().upper(), number.strip().upper())  # fmt: skip


def _too_long(length: int) -> str:
    return f"el valor supera los {length} caracteres."


def _parse_period(text: str, current_month: date) -> tuple[date | None, str | None]:
    match = _PERIOD_RE.fullmatch(text)
    if not match or not 1 <= int(match[2]) <= 12:
        return None, f"«{text}» no es un periodo AAAA-MM."
    period = date(int(match[1]), int(match[2]), 1)
    if period < FIRST_PERIOD:
        return None, "el periodo es anterior a 2020-05: no hay boletas antes de mayo de 2020."
    if period > current_month:
        return None, "el periodo es posterior al mes actual."
    return period, None


def _check_entity(entity_for, code: str, ruc: str):
    problems = []
    entity = entity_for(code) if code else None
    if code and entity is None:
        problems.append(("entidad_codigo", f"la entidad {code} no está registrada."))
    elif entity is not None and entity.kind not in PAYING_UNIT_KINDS:
        problems.append(("entidad_codigo", f"la unidad {code} no es una entidad pagadora."))
        entity = None
    elif entity is not None and not entity.allowed:
        problems.append(("entidad_codigo", f"la entidad {code} no está entre sus unidades."))
        entity = None
    if ruc:
        error = ruc_error(ruc)
        if error:
            problems.append(("entidad_ruc", error[0].lower() + error[1:]))
        elif entity is not None and entity.ruc and entity.ruc != ruc:
            problems.append(
                ("entidad_ruc", f"no coincide con el RUC registrado de la entidad ({entity.ruc}).")
            )
    return entity, problems


def _parse_hire_date(text: str, period: date | None) -> tuple[date | None, str | None]:
    parsed = None
    if _DATE_RE.fullmatch(text):
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            parsed = None
    if parsed is None:
        return None, f"«{text}» no es una fecha AAAA-MM-DD."
    if period is not None and parsed > _month_end(period):
        return parsed, "es posterior al periodo de la boleta."
    return parsed, None


def _month_end(period: date) -> date:
    following = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def concept_text(conceptos: list) -> str:
    """The conceptos as the fingerprint reads them, in their order."""
    _, codes, descriptions, kinds, amounts = zip(*conceptos, strict=True)
    texts = zip(codes, descriptions, kinds, map(str, amounts), strict=True)
    return "\x1e".join(map("\x1f".join, texts))


def fingerprint(boleta: ParsedBoleta, printed_conceptos: str) -> str:
    """Digest of everything the boleta prints (`printed_conceptos`: `concept_text`)."""
    head = f"{boleta.document_type}\x1f{boleta.document_number}\x1d{boleta.head_text}"
    payload = f"{head}\x1d{printed_conceptos}"
    return hashlib.sha256(payload.encode()).hexdigest()


def conceptos_json(conceptos: list) -> str:
    """The stored form of a boleta's conceptos (Boleta.conceptos)."""
    lines = [
        [code, description, kind, str(amount)] for _, code, description, kind, amount in conceptos
    ]
    return json.dumps(lines, ensure_ascii=False, separators=(",", ":"))

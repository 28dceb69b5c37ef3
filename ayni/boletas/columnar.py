"""The columnar reader: pyarrow parses the CSV and the lines of a whole batch are checked
and grouped into boletas at once, in compiled code; each boleta's own columns go through the
rules of ayni.boletas.planilla.

It only vouches for what it checks exactly as the row reader (ayni.boletas.rows) would, and
its checks are stricter: a line it does not vouch for (a value with spaces around it, a code
repeated in a boleta, an amount written as 07.5, a broken row, boletas whose rows are not
consecutive...) raises `ReadAgain`, and the importer reads the file again with the row
reader, which names every problem with its line and column. So a valid file is read here, a
file with problems is reported there. It needs no database (it reads in a thread of its own).
"""

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ayni.boletas.planilla import (
    BOLETA_FIELDS,
    CONCEPT_KINDS,
    LINE_FIELDS,
    MAX_LENGTHS,
    ParsedBoleta,
    ReadAgain,
    Reader,
    fingerprint,
    totals_allowed,
)

# An amount written the way str(Decimal(...)) writes it back: no leading zeros.
_CANONICAL_AMOUNT = r"^(?:0|[1-9][0-9]{0,9})(?:\.[0-9]{1,2})?$"
BLOCK_BYTES = 2 << 20  # a batch of some 9,000 lines


@dataclass
class Boletas:
    """The boletas of one batch: per boleta, the raw boleta columns of its first line, the
    totals in cents, the stored conceptos (JSON) and the conceptos as fingerprinted."""

    heads: list[tuple[str, ...]]
    gross: list[int]
    deductions: list[int]
    contributions: list[int]
    conceptos_json: list[str]
    concept_text: list[str]
    lines: int


class ColumnarReader(Reader):
    """Reads files whose boletas are in consecutive rows, in batches of `BLOCK_BYTES`."""

    def _read(self, binary) -> Iterator[ParsedBoleta]:
        first = binary.readline().removeprefix(codecs.BOM_UTF8)
        if b'"' in first or not first.strip():
            raise ReadAgain
        try:
            header = first.decode("utf-8").rstrip("\r\n").split(",")
        except UnicodeDecodeError as error:
            raise ReadAgain from error
        index = self.check_header(1, header)
        if index is None:
            raise ReadAgain
        self._header_read = True
        if not binary.peek(1):  # the header only
            return
        grouper = Grouper(
            head_positions=[index.get(column) for column in BOLETA_FIELDS],
            line_positions=[index[column] for column in LINE_FIELDS],
            limits=(MAX_LENGTHS["concepto_codigo"], MAX_LENGTHS["concepto_descripcion"]),
            kinds=CONCEPT_KINDS,
        )
        found_batches = grouper.grouped(
            record_batches(
                binary, len(header), repeated=[index[column] for column in LINE_FIELDS[:3]]
            )
        )
        closed = self._closed
        for found in found_batches:
            self.stats.lines += found.lines
            self.stats.boletas += len(found.heads)
            for head, gross, deductions, contributions, stored, printed in zip(
                found.heads, found.gross, found.deductions, found.contributions,
                found.conceptos_json, found.concept_text, strict=True,
            ):  # fmt: skip
                boleta = self.open(0, head)
                if boleta is None:
                    raise ReadAgain
                # Met before: one boleta whose columns differ between its rows, or a boleta
                # whose rows are not consecutive.
                if boleta.key in closed:
                    raise ReadAgain
                closed.add(boleta.key)
                boleta.gross = Decimal(gross).scaleb(-2)
                boleta.deductions = Decimal(deductions).scaleb(-2)
                boleta.contributions = Decimal(contributions).scaleb(-2)
                if not totals_allowed(boleta):
                    raise ReadAgain
                boleta.conceptos_json = stored
                boleta.fingerprint = fingerprint(boleta, printed)
                yield boleta


def record_batches(binary, width: int, repeated: list[int]) -> Iterator[pa.RecordBatch]:
    """The rows after the header, as batches of `width` text columns; those at `repeated`
    positions (few distinct values) come dictionary-encoded, to be checked once per value."""
    names = [f"c{n}" for n in range(width)]
    types = dict.fromkeys(names, pa.string())
    types.update((names[n], pa.dictionary(pa.int32(), pa.string())) for n in repeated)
    try:
        reader = pa_csv.open_csv(
            _Unclosed(binary),
            read_options=pa_csv.ReadOptions(
                column_names=names, block_size=BLOCK_BYTES, use_threads=False
            ),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types=types, strings_can_be_null=False),
        )
        yield from reader
    except (pa.ArrowInvalid, StopIteration) as error:  # wrong column counts, not UTF-8
        raise ReadAgain from error


class _Unclosed(io.RawIOBase):
    """The stream for pyarrow, which closes what it reads: the caller still reads the rest
    (none, normally) to hash the whole file."""

    def __init__(self, stream):
        self.stream = stream

    def readable(self):
        return True

    def read(self, size=-1):
        return self.stream.read(size)


class Grouper:
    """Turns batches of rows into batches of whole boletas: the rows of a boleta run on
    while its boleta columns stay the same; a boleta that reaches the end of a batch is
    completed with the next one.

    `head_positions`: where the boleta columns are (None: absent from the file);
    `line_positions`: code, description, kind and amount; `limits`: the longest code and
    description.
    """

    def __init__(self, head_positions, line_positions, limits: tuple[int, int], kinds):
        self.head_positions = head_positions
        self.present = [p for p in head_positions if p is not None]
        self.line_positions = line_positions
        self.code_limit, self.description_limit = limits
        self.kinds = pa.array(sorted(kinds))
        self.clean_values: set[tuple[str, int]] = set()

    def grouped(self, batches: Iterator[pa.RecordBatch]) -> Iterator[Boletas]:
        pending = None
        for batch in batches:
            if pending is not None and pending.num_rows:
                batch = pa.Table.from_batches([pending, batch]).combine_chunks().to_batches()[0]
            starts = self._starts(batch)
            last = starts[-1]
            pending = batch.slice(last)
            if last:
                yield self._boletas(batch.slice(0, last), starts[:-1])
        if pending is not None and pending.num_rows:  # the end: the held boleta is complete
            yield self._boletas(pending, self._starts(pending))

    def _starts(self, batch: pa.RecordBatch) -> list[int]:
        """Indexes of the rows where a boleta starts (the boleta columns change)."""
        rows = batch.num_rows
        if rows < 2:
            return [0]
        changed = None
        for position in self.present:
            column = batch.column(position)
            differs = pc.not_equal(column.slice(1), column.slice(0, rows - 1))
            changed = differs if changed is None else pc.or_(changed, differs)
        return [0, *pc.add(pc.indices_nonzero(changed), 1).to_pylist()]

    def _boletas(self, batch: pa.RecordBatch, starts: list[int]) -> Boletas:
        rows = batch.num_rows
        code, description, kind, amount = (batch.column(p) for p in self.line_positions)
        vouched = (
            self._clean(code.dictionary, self.code_limit)
            and self._clean(description.dictionary, self.description_limit)
            and _all(pc.is_in(kind.dictionary, value_set=self.kinds))
            and _all(pc.match_substring_regex(amount, _CANONICAL_AMOUNT))
        )
        if not vouched:
            raise ReadAgain
        boundaries = pa.array([*starts, rows], pa.int32())
        first_row_flags = [0] * rows
        for start in starts:
            first_row_flags[start] = 1
        boleta_of_row = pc.cumulative_sum(pa.array(first_row_flags, pa.int32()))
        distinct_codes = pa.table({"b": boleta_of_row, "c": code.indices})
        distinct_codes = distinct_codes.group_by(["b", "c"]).aggregate([])
        if distinct_codes.num_rows != rows:  # a code repeated within a boleta
            raise ReadAgain

        cents = pc.cast(
            pc.multiply(pc.cast(amount, pa.decimal128(12, 2)), pa.scalar(100, pa.decimal128(3, 0))),
            pa.int64(),
        )
        ends = pa.array([end - 1 for end in [*starts[1:], rows]], pa.int32())
        totals = []
        kinds = kind.dictionary.to_pylist()
        for name in ("INGRESO", "DESCUENTO", "APORTE"):
            of_kind = pc.equal(kind.indices, kinds.index(name) if name in kinds else -1)
            running = pc.cumulative_sum(pc.if_else(of_kind, cents, 0)).take(ends)
            before = pa.concat_arrays([pa.array([0], pa.int64()), running.slice(0, len(ends) - 1)])
            totals.append(pc.subtract(running, before).to_pylist())

        escaped_code, escaped_description = (
            pc.replace_substring(
                pc.replace_substring(text.dictionary, "\\", "\\\\"), '"', '\\"'
            ).take(text.indices)
            for text in (code, description)
        )
        code, description, kind = (
            text.dictionary.take(text.indices) for text in (code, description, kind)
        )
        stored = pc.binary_join_element_wise(
            '["', escaped_code, '","', escaped_description, '","', kind, '","', amount, '"]', ""
        )
        printed = pc.binary_join_element_wise(code, description, kind, amount, "\x1f")
        conceptos_json = pc.binary_join_element_wise(
            "[", pc.binary_join(pa.ListArray.from_arrays(boundaries, stored), ","), "]", ""
        )
        concept_text = pc.binary_join(pa.ListArray.from_arrays(boundaries, printed), "\x1e")

        first_rows = pa.array(starts, pa.int32())
        columns = [
            batch.column(p).take(first_rows).to_pylist() if p is not None else None
            for p in self.head_positions
        ]
        blank = [""] * len(starts)
        heads = list(zip(*(c if c is not None else blank for c in columns), strict=True))
        return Boletas(heads, *totals, conceptos_json.to_pylist(), concept_text.to_pylist(), rows)

    def _clean(self, values: pa.Array, limit: int) -> bool:
        """The distinct values of a text column are as the row reader would store them: not
        empty, nothing for str.strip() to remove, within `limit` characters, and without
        control characters (which JSON would have to escape)."""
        for value in values.to_pylist():
            if (value, limit) in self.clean_values:
                continue
            if not value or value != value.strip() or len(value) > limit:
                return False
            if any(character < " " for character in value):
                return False
            self.clean_values.add((value, limit))
        return True


def _all(mask: pa.Array) -> bool:
    return pc.all(mask).as_py() is not False

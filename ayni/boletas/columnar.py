"""The fast reading of a planilla: pyarrow parses the CSV and the lines of a whole batch are
checked and grouped into boletas at once, in compiled code.

It only vouches for what it checks exactly as the row reader (ayni.boletas.planilla) would,
and its checks are stricter: a line it does not vouch for (a value with spaces around it, a
code repeated in a boleta, an amount written as 07.5, a broken row...) raises `NotColumnar`,
and the importer reads the file again with the row reader, which names every problem with
its line and column. So a valid file is read here, a file with problems is reported there.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

# A value that needs no trimming: it starts and ends with a letter, digit, punctuation or
# symbol (never whitespace, which str.strip() would remove) and holds no control character
# (which JSON would have to escape).
_CLEAN_TEXT = r"^[\pL\pN\pP\pS](?:[^\x00-\x1f]*[\pL\pN\pP\pS])?$"
# An amount written the way str(Decimal(...)) writes it back: no leading zeros.
_CANONICAL_AMOUNT = r"^(?:0|[1-9][0-9]{0,9})(?:\.[0-9]{1,2})?$"
BLOCK_BYTES = 4 << 20  # a batch of some 18,000 lines


class NotColumnar(Exception):
    """Something the columnar reader does not vouch for: read the file row by row."""


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


def record_batches(binary, width: int) -> Iterator[pa.RecordBatch]:
    """The rows after the header, as batches of `width` text columns."""
    names = [f"c{n}" for n in range(width)]
    try:
        reader = pa_csv.open_csv(
            _Unclosed(binary),
            read_options=pa_csv.ReadOptions(
                column_names=names, block_size=BLOCK_BYTES, use_threads=False
            ),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
        yield from reader
    except (pa.ArrowInvalid, StopIteration) as error:  # wrong column counts, not UTF-8
        raise NotColumnar from error


class _Unclosed(io.RawIOBase):
    """The stream for pyarrow, which closes what it reads: the caller still reads the rest
    (none, normally) to hash the whole file."""

    def __init__(self, stream):
        self.stream = stream

    def readable(self):
        return True

    def read(self, size=-1):
        return self.stream.read(size)


def grouped(
    batches: Iterator[pa.RecordBatch],
    head_positions: list[int | None],
    line_positions: list[int],
    limits: tuple[int, int],
    kinds: frozenset[str],
) -> Iterator[Boletas]:
    """Whole boletas, batch by batch: the rows of a boleta run on while the boleta columns
    (`head_positions`; None: a column absent from the file) stay the same; a boleta that
    reaches the end of a batch is completed with the next one."""
    present = [p for p in head_positions if p is not None]
    kinds_array = pa.array(sorted(kinds))
    pending = None
    for batch in _with_end(batches):
        if batch is None:  # the end: the held boleta is complete
            if pending is not None and pending.num_rows:
                yield _boletas(pending, None, head_positions, present, line_positions,
                               limits, kinds_array)  # fmt: skip
            return
        if pending is not None and pending.num_rows:
            batch = pa.Table.from_batches([pending, batch]).combine_chunks().to_batches()[0]
        starts = _starts(batch, present)
        last = starts[-1]
        pending = batch.slice(last)
        if last:
            yield _boletas(batch.slice(0, last), starts[:-1], head_positions, present,
                           line_positions, limits, kinds_array)  # fmt: skip


def _with_end(batches):
    yield from batches
    yield None


def _starts(batch: pa.RecordBatch, present: list[int]) -> list[int]:
    """Indexes of the rows where a boleta starts (the boleta columns change)."""
    rows = batch.num_rows
    if rows < 2:
        return [0]
    changed = None
    for position in present:
        column = batch.column(position)
        differs = pc.not_equal(column.slice(1), column.slice(0, rows - 1))
        changed = differs if changed is None else pc.or_(changed, differs)
    return [0, *pc.add(pc.indices_nonzero(changed), 1).to_pylist()]


def _boletas(batch, starts, head_positions, present, line_positions, limits, kinds_array):
    rows = batch.num_rows
    if starts is None:
        starts = _starts(batch, present)
    code, description, kind, amount = (batch.column(p) for p in line_positions)
    code_limit, description_limit = limits
    vouched = (
        _all(pc.match_substring_regex(code, _CLEAN_TEXT))
        and _all(pc.match_substring_regex(description, _CLEAN_TEXT))
        and pc.max(pc.utf8_length(code)).as_py() <= code_limit
        and pc.max(pc.utf8_length(description)).as_py() <= description_limit
        and _all(pc.is_in(kind, value_set=kinds_array))
        and _all(pc.match_substring_regex(amount, _CANONICAL_AMOUNT))
    )
    if not vouched:
        raise NotColumnar
    boundaries = pa.array([*starts, rows], pa.int32())
    first_row_flags = [0] * rows
    for start in starts:
        first_row_flags[start] = 1
    boleta_of_row = pc.cumulative_sum(pa.array(first_row_flags, pa.int32()))
    distinct_codes = pa.table({"b": boleta_of_row, "c": code}).group_by(["b", "c"]).aggregate([])
    if distinct_codes.num_rows != rows:  # a code repeated within a boleta
        raise NotColumnar

    cents = pc.cast(
        pc.multiply(pc.cast(amount, pa.decimal128(12, 2)), pa.scalar(100, pa.decimal128(3, 0))),
        pa.int64(),
    )
    ends = pa.array([end - 1 for end in [*starts[1:], rows]], pa.int32())
    totals = []
    for name in ("INGRESO", "DESCUENTO", "APORTE"):
        running = pc.cumulative_sum(pc.if_else(pc.equal(kind, name), cents, 0)).take(ends)
        before = pa.concat_arrays([pa.array([0], pa.int64()), running.slice(0, len(ends) - 1)])
        totals.append(pc.subtract(running, before).to_pylist())

    escaped_code, escaped_description = (
        pc.replace_substring(pc.replace_substring(text, "\\", "\\\\"), '"', '\\"')
        for text in (code, description)
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
        for p in head_positions
    ]
    blank = [""] * len(starts)
    heads = list(zip(*(c if c is not None else blank for c in columns), strict=True))
    return Boletas(heads, *totals, conceptos_json.to_pylist(), concept_text.to_pylist(), rows)


def _all(mask: pa.Array) -> bool:
    return pc.all(mask).as_py() is not False

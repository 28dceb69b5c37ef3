"""The columnar reader reads valid files exactly as the row reader would, and hands
everything else over to it."""

import io

import pytest

from ayni.boletas import columnar
from ayni.boletas.columnar import ColumnarReader
from ayni.boletas.imports import PayingEntities, current_month
from ayni.boletas.models import Boleta
from ayni.boletas.planilla import COLUMNS, OPTIONAL_COLUMNS, Problems, ReadAgain
from ayni.boletas.rows import RowReader
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import SAMPLE, boleta_rows, planilla_bytes, servant_rows


def read(data: bytes, *, columnar_reader: bool) -> list[tuple]:
    entities = PayingEntities()
    problems = Problems()
    if columnar_reader:
        reader = ColumnarReader(io.BytesIO(data), entities.paying_only, current_month(), problems)
    else:
        reader = RowReader(io.BytesIO(data), entities.lookup, current_month(), problems)
    boletas = [
        (b.planilla_key, b.document_type, b.document_number, b.fields, b.gross, b.deductions,
         b.contributions, b.conceptos_json, b.fingerprint)
        for b in reader.boletas()
    ]  # fmt: skip
    assert not problems, problems.first()
    return boletas, reader.stats


QUOTED_LINES = [
    ("+rim", 'REMUNERACION "INTEGRA", MENSUAL', "INGRESO", "2780.5"),
    ("+a\\b", "ASIGNACION \\ POR JORNADA", "INGRESO", "0.05"),
    ("-snp", "SNP ÑÁÉ €", "DESCUENTO", "380"),
    ("essalud", "ESSALUD 9%", "APORTE", "0"),
]
WITHOUT_OPTIONAL = [c for c in COLUMNS if c not in OPTIONAL_COLUMNS]
VALID_FILES = {
    "sample": SAMPLE.read_bytes(),
    "quotes, backslashes, few decimals": planilla_bytes(boleta_rows(lines=QUOTED_LINES)),
    "CRLF and a BOM": b"\xef\xbb\xbf" + planilla_bytes(boleta_rows(), newline="\r\n"),
    "optional columns left out": planilla_bytes(
        boleta_rows() + servant_rows(1), columns=WITHOUT_OPTIONAL
    ),
    "columns in another order": planilla_bytes(
        boleta_rows() + servant_rows(2), columns=list(reversed(COLUMNS))
    ),
    "many boletas": planilla_bytes([row for n in range(300) for row in servant_rows(n)]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", VALID_FILES)
def test_both_readers_give_the_same_boletas(name, monkeypatch):
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 1 << 12)  # boletas across batches
    data = VALID_FILES[name]
    by_columns, stats = read(data, columnar_reader=True)
    by_rows, row_stats = read(data, columnar_reader=False)
    assert by_columns == by_rows
    assert (stats.lines, stats.boletas, stats.sha256) == (
        row_stats.lines,
        row_stats.boletas,
        row_stats.sha256,
    )


@pytest.mark.django_db
def test_a_valid_file_is_read_by_columns_only(demo_servants, monkeypatch):
    def no_row_reader(self, binary):
        raise AssertionError("the row reader was used")

    monkeypatch.setattr(RowReader, "_read", no_row_reader)
    result = run_import(SAMPLE.read_bytes())
    assert result.ok and result.created == 2


DOUBTFUL = {
    "spaces around a value": boleta_rows(lines=[("+rim", " REM ", "INGRESO", "7.50")]),
    "a code twice in a boleta": boleta_rows(lines=[*QUOTED_LINES, QUOTED_LINES[0]]),
    "an amount with a leading zero": boleta_rows(lines=[("+rim", "REM", "INGRESO", "07.5")]),
    "a kind in lower case": boleta_rows(lines=[("+rim", "REM", "ingreso", "7.50")]),
    "a line break in a value": boleta_rows(lines=[("+rim", "REM\nX", "INGRESO", "7.50")]),
    "a unit that does not pay": boleta_rows(entidad_codigo="0000001"),
    "deductions above the gross": boleta_rows(lines=[("-snp", "SNP", "DESCUENTO", "1.00")]),
    "one boleta, two names": boleta_rows()[:2] + boleta_rows(nombres="ROSA E.")[2:],
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", DOUBTFUL)
def test_what_it_does_not_vouch_for_goes_to_the_row_reader(name):
    with pytest.raises(ReadAgain):
        read(planilla_bytes(DOUBTFUL[name]), columnar_reader=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        planilla_bytes(boleta_rows())[:-40] + b"\n1,2,3\n",  # a short row
        planilla_bytes(boleta_rows()).replace(b"QUISPE", b"QUISPE\xff"),  # not UTF-8
        b'"periodo",' + planilla_bytes(boleta_rows()),  # quotes in the header
    ],
)
def test_broken_files_go_to_the_row_reader(data):
    with pytest.raises(ReadAgain):
        read(data, columnar_reader=True)


@pytest.mark.django_db
def test_spaces_around_values_are_still_imported_trimmed(demo_servants):
    rows = boleta_rows(lines=[("+rim ", " REM", "INGRESO", " 7.50")], cargo=" PROFESOR ")
    result = run_import(rows)
    assert result.ok, result.problems
    rosa = Boleta.objects.get()
    assert rosa.position == "PROFESOR"
    assert rosa.conceptos == '[["+rim","REM","INGRESO","7.50"]]'


@pytest.mark.django_db
def test_quotes_backslashes_and_line_breaks_are_stored_as_written(demo_servants):
    lines = [*QUOTED_LINES, ("+tab", "CON\tTABULACION\nY SALTO", "INGRESO", "1.00")]
    result = run_import(boleta_rows(lines=lines, nombres='ROSA "LA\\ELENA"'))
    assert result.ok, result.problems
    rosa = Boleta.objects.get()
    assert rosa.nombres == 'ROSA "LA\\ELENA"'
    assert [(c.code, c.description, str(c.amount)) for c in rosa.concept_lines] == [
        (code, description, amount) for code, description, _, amount in lines
    ]

import gzip
import random
from decimal import Decimal

import pytest
import time_machine

from ayni.boletas import imports
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.planilla import COLUMNS, NO_LINES
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import (
    SAMPLE,
    boleta_rows,
    planilla_bytes,
    servant_rows,
)
from ayni.organizations.models import Servant
from ayni.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

ROSA_LINES_ONE = [("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO", "2780.00")]


def totals(document_number):
    boleta = Boleta.objects.get(servant__document_number=document_number, state="vigente")
    return boleta.gross, boleta.deductions, boleta.net


def test_the_sample_gives_the_expected_totals(sample_imported):
    assert totals("40000001") == (Decimal("2930.12"), Decimal("408.22"), Decimal("2521.90"))
    assert totals("40000002") == (Decimal("2420.22"), Decimal("249.40"), Decimal("2170.82"))
    assert (sample_imported.created, sample_imported.lines, sample_imported.boletas) == (2, 8, 2)
    rosa = Boleta.objects.get(servant__document_number="40000001")
    assert rosa.employer_contributions == Decimal("263.71")
    assert rosa.payroll_type == "Ley N° 29944"
    assert (rosa.entity.code, rosa.entity_ruc, rosa.days_worked) == ("150108", "20990000078", 30)
    assert str(rosa.period) == "2022-06-01" and str(rosa.hire_date) == "2009-03-01"
    assert [(c.position, c.code, c.kind, c.amount) for c in rosa.concept_lines] == [
        (1, "+rim", "INGRESO", Decimal("2780.00")),
        (2, "+asigjer", "INGRESO", Decimal("150.12")),
        (3, "-snp", "DESCUENTO", Decimal("380.42")),
        (4, "-derrama", "DESCUENTO", Decimal("27.80")),
        (5, "essalud", "APORTE", Decimal("263.71")),
    ]
    assert rosa.concept_lines[0].description == "REMUNERACION INTEGRA MENSUAL"
    jose = Boleta.objects.get(servant__document_number="40000002")
    assert (jose.apellido_paterno, jose.apellido_materno) == ("D'ANGELO", "ÑAUPARI")
    assert (jose.pension_system, jose.cuspp) == ("PRIMA AFP", "123456ABCDE7")


def test_the_history_keeps_file_hash_and_counts(sample_imported):
    record = PlanillaImport.objects.get()
    assert record.state == PlanillaImport.State.IMPORTED
    assert record.file_name == "planilla.csv"
    assert len(record.sha256) == 64 and record.size == len(SAMPLE.read_bytes())
    assert (record.lines, record.boletas_created, record.error_count) == (8, 2, 0)
    assert [u.code for u in record.entities.all()] == ["150108"]


def test_a_dry_run_counts_and_writes_nothing(demo_servants):
    result = run_import(SAMPLE.read_bytes(), dry_run=True)
    assert result.ok and result.created == 2 and result.lines == 8
    assert not Boleta.objects.exists() and not PlanillaImport.objects.exists()


def test_the_same_file_twice_changes_nothing(sample_imported):
    before = list(Boleta.objects.values_list("id", "state", "fingerprint"))
    again = run_import(SAMPLE.read_bytes())
    assert (again.created, again.replaced, again.unchanged, again.withdrawn) == (0, 0, 2, 0)
    assert list(Boleta.objects.values_list("id", "state", "fingerprint")) == before


def test_the_same_boletas_in_another_order_change_nothing(sample_imported):
    header, *rows = SAMPLE.read_bytes().splitlines(keepends=True)
    rosa, jose = rows[:5], rows[5:]
    again = run_import(b"".join([header, *jose, *rosa]))
    assert (again.created, again.unchanged) == (0, 2)


def test_conceptos_in_another_order_are_a_change(sample_imported):
    header, *rows = SAMPLE.read_bytes().splitlines(keepends=True)
    again = run_import(b"".join([header, *reversed(rows[:5]), *rows[5:]]))
    assert (again.replaced, again.unchanged) == (1, 1)  # the boleta prints them in order


def test_unknown_servants_are_created_without_account(ugel07):
    result = run_import(servant_rows(1) + servant_rows(2))
    assert result.servants_created == 2
    created = Servant.objects.get(document_number="45000001")
    assert (created.apellido_paterno, created.nombres, created.unit) == ("PRUEBA", "N1", ugel07)
    assert not hasattr(created, "account") or created.account is None


def test_a_servant_created_meanwhile_by_another_import_is_theirs(ugel07, monkeypatch):
    """Between the writer's look-up and its append, another import created a servant of this
    batch: the append fails on the unique document, and the batch is retried without it."""
    from ayni.boletas import writer

    theirs = Servant.objects.create(document_type="DNI", document_number="45000002",
                                    apellido_paterno="OTRO", nombres="N2", unit=ugel07)  # fmt: skip
    looked_up = writer.select_where_in
    calls = []

    def not_there_yet(model, *args):
        calls.append(model)
        found = looked_up(model, *args)
        return [row for row in found if theirs.pk not in row] if len(calls) == 1 else found

    monkeypatch.setattr(writer, "select_where_in", not_there_yet)
    result = run_import(servant_rows(1) + servant_rows(2))
    assert result.ok, result.problems
    assert (result.created, result.servants_created) == (2, 1)
    assert Boleta.objects.get(servant__document_number="45000002").servant == theirs
    assert Servant.objects.filter(document_number__in=["45000001", "45000002"]).count() == 2


def test_a_corrected_planilla_replaces_what_changed(sample_imported):
    rosa_old = Boleta.objects.get(servant__document_number="40000001")
    rows = boleta_rows(lines=[("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO", "2800.00")])
    jose = [r for r in _sample_rows() if r["numero_documento"] == "40000002"]
    result = run_import(rows + jose)
    assert (result.created, result.replaced, result.unchanged) == (0, 1, 1)
    rosa_old.refresh_from_db()
    assert rosa_old.state == Boleta.State.ANNULLED
    assert rosa_old.annulled_in == result.planilla_import
    assert totals("40000001") == (Decimal("2800.00"), Decimal("0.00"), Decimal("2800.00"))
    assert Boleta.objects.filter(servant__document_number="40000001").count() == 2


def test_a_reimported_planilla_withdraws_boletas_it_no_longer_has(sample_imported):
    rosa_only = [r for r in _sample_rows() if r["numero_documento"] == "40000001"]
    result = run_import(rosa_only)
    # José's boleta belongs to another planilla (D.Leg. N° 276): untouched.
    assert (result.unchanged, result.withdrawn) == (1, 0)
    extra = servant_rows(1)
    run_import(rosa_only + extra)
    result = run_import(rosa_only)
    assert (result.unchanged, result.withdrawn) == (1, 1)
    withdrawn = Boleta.objects.get(servant__document_number="45000001")
    assert withdrawn.state == Boleta.State.ANNULLED


def test_other_planillas_of_the_servant_are_left_alone(sample_imported):
    aguinaldo = boleta_rows(tipo_planilla="Aguinaldo",
                            lines=[("+aguin", "AGUINALDO", "INGRESO", "300.00")])  # fmt: skip
    july = boleta_rows(periodo="2022-07")
    result = run_import(aguinaldo + july)
    assert (result.created, result.replaced, result.withdrawn) == (2, 0, 0)
    assert Boleta.objects.filter(state="vigente").count() == 4


def _sample_rows():
    import csv
    import io

    return list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))


# --- accepted variations of the format -----------------------------------------------------
def test_bom_crlf_quotes_and_any_column_order(demo_servants):
    columns = list(reversed(COLUMNS))
    rows = boleta_rows(establecimiento='IE "JOSÉ, MARÍA"\nANEXO')
    data = b"\xef\xbb\xbf" + planilla_bytes(rows, columns=columns, newline="\r\n")
    result = run_import(data)
    assert result.ok, result.problems
    assert Boleta.objects.get().workplace == 'IE "JOSÉ, MARÍA"\nANEXO'


def test_gzip_files_are_read(demo_servants):
    result = run_import(gzip.compress(SAMPLE.read_bytes()))
    assert result.ok and result.created == 2


def test_optional_columns_may_be_left_out(demo_servants):
    optional = {"apellido_materno", "codigo_modular", "establecimiento", "regimen_pensionario",
                "cuspp", "dias_laborados"}  # fmt: skip
    columns = [c for c in COLUMNS if c not in optional]
    result = run_import(planilla_bytes(boleta_rows(), columns=columns))
    assert result.ok, result.problems
    assert Boleta.objects.get().days_worked is None


def test_rows_of_a_boleta_need_not_be_consecutive(ugel07):
    rows = [row for index in range(30) for row in servant_rows(index)]
    random.Random(7).shuffle(rows)
    result = run_import(rows)
    assert result.ok, result.problems
    assert (result.created, result.boletas, result.lines) == (30, 30, 60)
    assert all(b.net == Decimal("2400.00") for b in Boleta.objects.all())


# --- rejected files ------------------------------------------------------------------------
def test_a_bad_line_after_written_batches_leaves_nothing(ugel07, monkeypatch):
    from ayni.boletas import writer

    monkeypatch.setattr(writer, "BATCH_BOLETAS", 2)
    rows = [row for index in range(9) for row in servant_rows(index)]
    rows[-1]["monto"] = "12,50"
    servants = Servant.objects.count()
    result = run_import(rows)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        "Línea 19, columna «monto»: «12,50» no es un monto válido: use cifras con punto decimal "
        "y a lo más 2 decimales, sin separador de miles ni signo (por ejemplo 2780.50)."
    ]
    assert not Boleta.objects.exists()
    assert Servant.objects.count() == servants
    assert not PlanillaImport.objects.exists()


def test_a_rejected_reimport_keeps_the_current_boletas(sample_imported):
    before = list(Boleta.objects.values_list("id", "state"))
    rows = boleta_rows(lines=[("+rim", "REMUNERACION", "INGRESO", "-5")])
    assert not run_import(rows).ok
    assert list(Boleta.objects.values_list("id", "state")) == before


def _problems(rows_or_bytes):
    result = run_import(rows_or_bytes)
    assert not result.ok
    return [(p.line, p.column, p.message) for p in result.problems]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("periodo", "2022-6", "«2022-6» no es un periodo AAAA-MM."),
        ("periodo", "2022-13", "«2022-13» no es un periodo AAAA-MM."),
        ("periodo", "2020-04", "el periodo es anterior a 2020-05"),
        ("periodo", "2026-12", "el periodo es posterior al mes actual."),
        ("entidad_codigo", "999999", "la entidad 999999 no está registrada."),
        ("entidad_codigo", "0321901", "la unidad 0321901 no es una entidad pagadora."),
        ("entidad_codigo", "", "el valor es obligatorio."),
        ("entidad_nombre", "", "el valor es obligatorio."),
        ("entidad_nombre", "X" * 201, "el valor supera los 200 caracteres."),
        ("entidad_ruc", "2099000007", "el RUC debe tener exactamente 11 dígitos."),
        ("entidad_ruc", "20990000079", "el dígito verificador no corresponde."),
        ("tipo_planilla", "", "el valor es obligatorio."),
        ("tipo_documento", "LE", "el tipo de documento debe ser DNI, CE o PAS."),
        ("numero_documento", "4000001", "el DNI debe tener exactamente 8 dígitos."),
        ("numero_documento", "", "el valor es obligatorio."),
        ("apellido_paterno", "", "el valor es obligatorio."),
        ("nombres", " ", "el valor es obligatorio."),
        ("codigo_modular", "10400A", "el código modular solo lleva dígitos."),
        ("tipo_servidor", "", "el valor es obligatorio."),
        ("cargo", "", "el valor es obligatorio."),
        ("cuspp", "1234-56", "el CUSPP solo lleva letras y dígitos."),
        ("fecha_ingreso", "01/03/2009", "«01/03/2009» no es una fecha AAAA-MM-DD."),
        ("fecha_ingreso", "2009-02-30", "«2009-02-30» no es una fecha AAAA-MM-DD."),
        ("fecha_ingreso", "2022-07-01", "es posterior al periodo de la boleta."),
        ("fecha_ingreso", "", "el valor es obligatorio."),
        ("dias_laborados", "32", "debe ser un número entero de 0 a 31."),
        ("dias_laborados", "3.5", "debe ser un número entero de 0 a 31."),
        ("concepto_codigo", "", "el código del concepto es obligatorio."),
        ("concepto_descripcion", "", "la descripción es obligatoria."),
        ("tipo_concepto", "BONO", "debe ser INGRESO, DESCUENTO o APORTE."),
        ("monto", "1,280.00", "«1,280.00» no es un monto válido"),
        ("monto", "10.505", "«10.505» no es un monto válido"),
        ("monto", "-3.00", "«-3.00» no es un monto válido"),
        ("monto", "", "«» no es un monto válido"),
    ],
)
@time_machine.travel("2026-11-22 10:00:00-05:00", tick=False)
def test_every_rule_names_line_and_column(demo_servants, column, value, message):
    UnitFactory(code="0321901", name="IE 7041 SAN BORJA")
    rows = boleta_rows(lines=ROSA_LINES_ONE)
    rows[0][column] = value
    problems = _problems(rows)
    assert problems[0][:2] == (2, column)
    assert message in problems[0][2]
    assert not Boleta.objects.exists()


def test_the_paying_entity_ruc_must_match_the_registered_one(ugel07):
    ugel07.ruc = "20131370998"
    ugel07.save()
    assert _problems(boleta_rows()) [0][1:] == (
        "entidad_ruc", "no coincide con el RUC registrado de la entidad (20131370998).",
    )  # fmt: skip


def test_foreign_documents_accept_letters(ugel07):
    rows = boleta_rows(tipo_documento="CE", numero_documento="ab12345")
    assert run_import(rows).ok
    assert Servant.objects.filter(document_type="CE", document_number="AB12345").exists()


def test_boleta_columns_must_agree_on_every_row(demo_servants):
    rows = boleta_rows()
    rows[2]["cargo"] = "DIRECTOR"
    rows[3]["nombres"] = " ROSA ELENA "  # surrounding spaces do not count
    assert _problems(rows) == [
        (4, "cargo", "«DIRECTOR» no coincide con «PROFESOR» de la primera fila de esta boleta: "
                     "los datos de la boleta deben ser iguales en todas sus filas."),
    ]  # fmt: skip


def test_a_concept_appears_once_per_boleta(demo_servants):
    rows = boleta_rows()
    rows[3]["concepto_codigo"] = "-snp"
    assert _problems(rows) == [
        (5, "concepto_codigo", "el concepto «-snp» ya figura en esta boleta.")
    ]


def test_the_net_pay_is_never_negative(demo_servants):
    rows = boleta_rows(lines=[("+rim", "REM", "INGRESO", "100.00"), ("-x", "X", "DESCUENTO",
                                                                     "100.01")])  # fmt: skip
    assert _problems(rows) == [
        (2, "monto", "en la boleta de DNI 40000001 los descuentos (S/ 100.01) superan al monto "
                     "bruto (S/ 100.00): el monto a pagar sería negativo."),
    ]  # fmt: skip


def test_header_problems_are_named(demo_servants):
    columns = [c for c in COLUMNS if c != "monto"] + ["montto", "cargo"]
    data = planilla_bytes(boleta_rows(), columns=columns)
    assert _problems(data) == [
        (1, "montto", "columna desconocida en el encabezado."),
        (1, "cargo", "la columna está repetida en el encabezado."),
        (1, "monto", "falta esta columna obligatoria en el encabezado."),
    ]


def test_an_empty_file_is_rejected(demo_servants):
    assert _problems(b"") == [(1, "", "el archivo está vacío: falta la fila de encabezado.")]


def test_rows_with_the_wrong_number_of_columns(demo_servants):
    data = planilla_bytes(boleta_rows()) + b"2022-06,150108\n"
    assert _problems(data) == [(7, "", "la fila tiene 2 columnas y el encabezado 22.")]


def test_text_must_be_utf8(demo_servants):
    data = planilla_bytes(boleta_rows()).replace(b"ROSA ELENA", "ROSA ELEÑA".encode("latin-1"))
    problems = _problems(data)
    assert problems[0][:2] == (2, "")
    assert "no está en UTF-8" in problems[0][2]


def test_broken_quoting_is_reported_on_its_line(demo_servants):
    data = planilla_bytes(boleta_rows()) + b'2022-06,"150108\n'
    problems = _problems(data)
    assert problems[0][0] == 7 and "no es CSV válido" in problems[0][2]


def test_the_first_hundred_problems_are_listed_and_all_counted(ugel07):
    rows = [row for index in range(150) for row in servant_rows(index, amount="1.2.3")]
    result = run_import(rows)
    assert result.problem_count == 150
    assert len(result.problems) == 100
    assert [p.line for p in result.problems] == list(range(2, 302, 2))[:100]


def test_problems_are_reported_in_line_order_when_rows_are_regrouped(ugel07):
    rows = [row for index in range(4) for row in servant_rows(index)]
    rows = rows[0::2] + rows[1::2]  # every boleta split in two
    rows[6]["monto"] = "x"
    rows[1]["cargo"] = ""
    result = run_import(rows)
    assert [(p.line, p.column) for p in result.problems] == [
        (3, "cargo"),
        (7, "cargo"),
        (8, "monto"),
    ]


# --- long boletas, line numbers, problems found after valid boletas -----------------------
def test_boletas_longer_than_a_batch_are_read_whole(ugel07):
    lines = [(f"+c{n:02d}", f"CONCEPTO {n}", "INGRESO", "1.00") for n in range(20)]
    rows = boleta_rows(lines=lines) + servant_rows(1) + servant_rows(2)
    result = run_import(rows)
    assert result.ok, result.problems
    assert (result.boletas, result.lines) == (3, 24)
    assert len(Boleta.objects.get(servant__document_number="40000001").concept_lines) == 20


def test_line_numbers_count_line_breaks_inside_values(ugel07):
    rows = [row for index in range(6) for row in servant_rows(index)]
    rows[2]["establecimiento"] = "IE 7041\nANEXO"  # both rows of servant 1: 2 extra lines
    rows[3]["establecimiento"] = "IE 7041\nANEXO"
    rows[9]["monto"] = "1.001"  # line 2 + 9 + 2
    assert _problems(rows) == [
        (13, "monto", "«1.001» no es un monto válido: use cifras con punto decimal y a lo más "
                      "2 decimales, sin separador de miles ni signo (por ejemplo 2780.50)."),
    ]  # fmt: skip


def test_a_problem_in_a_later_batch_is_found_by_the_row_checks(ugel07):
    rows = [row for index in range(10) for row in servant_rows(index)]
    rows[15]["concepto_codigo"] = rows[14]["concepto_codigo"]
    rows[19]["cargo"] = "DIRECTOR"  # the second row of a boleta disagrees with its first
    assert [(line, column) for line, column, _ in _problems(rows)] == [
        (17, "concepto_codigo"),
        (21, "cargo"),
    ]


# --- what the file is made of: no lines, another separator, line numbers in every reader --
BOTH_READERS = pytest.mark.parametrize("columnar_reader", [True, False], ids=["columns", "rows"])


def _read(data: bytes, **modes):
    import io

    from ayni.boletas.columnar import ColumnarReader
    from ayni.boletas.planilla import Problems, ReadAgain
    from ayni.boletas.rows import RowReader

    entities = imports.PayingEntities()
    problems = Problems()
    if modes.pop("columnar", False):
        reader = ColumnarReader(io.BytesIO(data), entities.paying_only, imports.current_month(),
                                problems)  # fmt: skip
    else:
        reader = RowReader(io.BytesIO(data), entities.lookup, imports.current_month(), problems,
                           **modes)  # fmt: skip
    try:
        boletas = list(reader.boletas())
    except ReadAgain:  # what it found is told again by the row reader
        boletas = None
    return boletas, [(p.line, p.column, p.message) for p in problems.first()]


@BOTH_READERS
def test_a_header_only_file_has_no_lines(ugel07, columnar_reader):
    for data in (planilla_bytes([]), planilla_bytes([]) + b"\n\n"):
        assert _read(data, columnar=columnar_reader) == ([], [(1, "", NO_LINES)])


def test_a_header_only_file_is_not_recorded_as_imported(ugel07):
    result = run_import(planilla_bytes([]))
    assert not result.ok
    assert [(p.line, p.message) for p in result.problems] == [
        (1, "el archivo no tiene líneas: solo el encabezado, sin ninguna boleta.")
    ]
    assert not PlanillaImport.objects.filter(state=PlanillaImport.State.IMPORTED).exists()


@BOTH_READERS
def test_a_semicolon_separated_file_gets_one_problem(ugel07, columnar_reader):
    rows = [row for index in range(5) for row in servant_rows(index)]
    data = planilla_bytes(rows).replace(b",", b";")
    problems = _read(data, columnar=columnar_reader)[1]
    assert len(problems) == 1
    assert problems[0][:2] == (1, "") and "punto y coma («;»)" in problems[0][2]
    assert [p.message for p in run_import(data).problems] == [problems[0][2]]


def test_semicolon_rows_under_a_comma_header_get_one_problem(ugel07):
    rows = [row for index in range(5) for row in servant_rows(index)]
    header, *lines = planilla_bytes(rows).split(b"\n", 1)
    data = header + b"\n" + lines[0].replace(b",", b";")
    problems = run_import(data).problems
    assert [(p.line, p.column) for p in problems] == [(2, "")]
    assert "punto y coma" in problems[0].message


def test_a_file_whose_lines_end_at_a_lone_cr_is_read_by_rows(ugel07):
    rows = [row for index in range(3) for row in servant_rows(index)]
    data = planilla_bytes(rows, newline="\r")
    result = run_import(data)
    assert result.ok, result.problems
    assert (result.created, result.lines) == (3, 6)
    rows[3]["monto"] = "x"  # line 2 + 3
    problems = run_import(planilla_bytes(rows, newline="\r")).problems
    assert [(p.line, p.column) for p in problems] == [(5, "monto")]


@pytest.mark.parametrize("modes", [{}, {"regroup": True}], ids=["rows", "regroup"])
@pytest.mark.parametrize("line_break", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "lone-cr"])
def test_every_reader_names_the_same_lines(ugel07, modes, line_break):
    rows = [row for index in range(4) for row in servant_rows(index)]
    rows[2]["establecimiento"] = "IE 7041\nANEXO"  # line 4 runs on to line 5
    rows[5]["monto"] = "x"  # line 2 + 5 + 1
    data = planilla_bytes(rows).replace(b"IE 7041\nANEXO", b"IE 7041" + line_break + b"ANEXO")
    extra = 0 if line_break == b"\r" else 1  # lines end at LF; a lone CR is no line break
    problems = _read(data, **modes)[1]
    assert [(line, column) for line, column, _ in problems] == [
        (5 + extra, "establecimiento"),
        (7 + extra, "monto"),
    ]

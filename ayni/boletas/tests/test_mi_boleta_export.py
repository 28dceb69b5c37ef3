"""Mi boleta as Excel and CSV: the filtered boletas, amounts as numbers in soles."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas import events
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import boleta_rows
from ayni.core.exports import SOLES_FORMAT
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# Per period: (rim, snp, derrama or None). Different amounts each month.
PAY = {
    "2022-03": ("2700.00", "351.00", None),
    "2022-04": ("2750.50", "357.57", "27.80"),
    "2022-05": ("2780.00", "380.42", "27.80"),
    "2023-01": ("3000.00", "390.00", "30.00"),
}


def lines_of(period):
    rim, snp, derrama = PAY[period]
    lines = [
        ("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO", rim),
        ("+asigjer", "ASIGNACION POR JORNADA", "INGRESO", "150.12"),
        ("-snp", "SISTEMA NACIONAL DE PENSIONES", "DESCUENTO", snp),
        ("essalud", "ESSALUD 9%", "APORTE", "263.71"),
    ]
    if derrama:
        lines.append(("-derrama", "DERRAMA MAGISTERIAL", "DESCUENTO", derrama))
    return lines


def expected(periods):
    """Bruto, descuentos and neto per period, from the lines the planilla was written with."""
    totals = {}
    for period in periods:
        lines = lines_of(period)
        gross = sum(Decimal(a) for _, _, kind, a in lines if kind == "INGRESO")
        deductions = sum(Decimal(a) for _, _, kind, a in lines if kind == "DESCUENTO")
        totals[period] = (gross, deductions, gross - deductions)
    return totals


@pytest.fixture
def rosa(demo_servants):
    rows = [row for period in PAY for row in boleta_rows(periodo=period, lines=lines_of(period))]
    assert run_import(rows).ok
    return UserFactory(servant=demo_servants[0])


@pytest.fixture
def jose(demo_servants):
    lines = [
        ("+rim", "REM", "INGRESO", "9999.99"),
        ("-judicial", "RETENCION JUDICIAL", "DESCUENTO", "1111.11"),
    ]
    rows = boleta_rows(numero_documento="40000002", apellido_paterno="D'ANGELO",
                       apellido_materno="ÑAUPARI", nombres="JOSÉ LUIS", periodo="2021-01",
                       lines=lines)  # fmt: skip
    assert run_import(rows).ok
    return UserFactory(servant=demo_servants[1])


def export(client, fmt, **filters):
    response = client.get(reverse("boletas:mine"), {**filters, "exportar": fmt})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response


def workbook(client, **filters):
    return load_workbook(io.BytesIO(export(client, "xlsx", **filters).content))


MONTHS = {"2022-03": "MARZO 2022", "2022-04": "ABRIL 2022", "2022-05": "MAYO 2022",
          "2023-01": "ENERO 2023"}  # fmt: skip


def test_the_page_links_both_files_with_its_filters(client, rosa):
    client.force_login(rosa)
    page = client.get(reverse("boletas:mine"), {"anio": "2022"}).content.decode()
    assert "Descargar en Excel" in page and "Descargar CSV" in page
    assert "?anio=2022&amp;exportar=xlsx" in page and "?anio=2022&amp;exportar=csv" in page


def test_excel_rows_are_numbers_in_soles_and_add_up(client, rosa, jose):
    client.force_login(rosa)
    book = workbook(client)
    assert book.sheetnames == ["Boletas", "Conceptos"]
    sheet = book["Boletas"]
    header, *rows = list(sheet.iter_rows())
    assert [c.value for c in header] == [
        "Periodo", "Tipo de planilla", "Entidad", "Estado", "Bruto", "Descuentos", "Neto",
    ]  # fmt: skip
    totals = expected(PAY)
    assert [r[0].value for r in rows] == [MONTHS[p] for p in sorted(PAY, reverse=True)]
    for row in rows:
        period = next(p for p, label in MONTHS.items() if label == row[0].value)
        assert [row[1].value, row[2].value, row[3].value] == [
            "Ley N° 29944", "UGEL 07 SAN BORJA", "Vigente",
        ]  # fmt: skip
        for cell in row[4:]:
            assert cell.data_type == "n" and cell.number_format == SOLES_FORMAT
        assert tuple(Decimal(str(c.value)) for c in row[4:]) == totals[period]
    for column, index in ((4, 0), (5, 1), (6, 2)):
        found = sum(Decimal(str(row[column].value)) for row in rows)
        assert found == sum(t[index] for t in totals.values())
    # José's amounts never appear.
    values = [c.value for s in book for r in s.iter_rows() for c in r]
    assert 9999.99 not in values and 1111.11 not in values
    assert "-judicial RETENCION JUDICIAL" not in values


def test_the_concept_sheet_has_one_numeric_column_per_concept(client, rosa):
    client.force_login(rosa)
    sheet = workbook(client, anio="2022")["Conceptos"]
    header, *rows = list(sheet.iter_rows())
    names = [c.value for c in header]
    assert names[:4] == ["Periodo", "Tipo de planilla", "Entidad", "Estado"]
    assert sorted(names[4:]) == sorted([
        "+rim REMUNERACION INTEGRA MENSUAL", "+asigjer ASIGNACION POR JORNADA",
        "-snp SISTEMA NACIONAL DE PENSIONES", "essalud ESSALUD 9%", "-derrama DERRAMA MAGISTERIAL",
    ])  # fmt: skip
    assert [r[0].value for r in rows] == ["MAYO 2022", "ABRIL 2022", "MARZO 2022"]
    for name, code in [(n, n.split()[0]) for n in names[4:]]:
        column = names.index(name)
        cells = [r[column] for r in rows if r[column].value is not None]
        assert all(c.data_type == "n" and c.number_format == SOLES_FORMAT for c in cells)
        total = sum(Decimal(str(c.value)) for c in cells)
        expected_total = sum(
            Decimal(amount)
            for period in ("2022-03", "2022-04", "2022-05")
            for line_code, _, _, amount in lines_of(period)
            if line_code == code
        )
        assert total == expected_total, code
    march = next(r for r in rows if r[0].value == "MARZO 2022")
    assert march[names.index("-derrama DERRAMA MAGISTERIAL")].value is None


def test_csv_has_the_filtered_boletas_and_is_audited(client, rosa):
    client.force_login(rosa)
    response = export(client, "csv", anio="2022", mes="4")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    gross, deductions, net = expected(["2022-04"])["2022-04"]
    assert rows == [
        ["Periodo", "Tipo de planilla", "Entidad", "Estado", "Bruto", "Descuentos", "Neto"],
        ["ABRIL 2022", "Ley N° 29944", "UGEL 07 SAN BORJA", "Vigente",
         str(gross), str(deductions), str(net)],
    ]  # fmt: skip
    event = AuditEvent.objects.get(action=events.OWN_EXPORTED)
    assert event.actor == rosa and event.details["formato"] == "csv"
    assert event.details["filas"] == 1 and "mes=4" in event.details["filtros"]


def test_a_bad_filter_exports_nothing(client, rosa):
    client.force_login(rosa)
    sheet = workbook(client, anio="1999")["Boletas"]
    assert sheet.max_row == 1


def test_a_servant_without_boletas_gets_only_the_headers(client, jose, demo_servants):
    other = UserFactory(servant=demo_servants[0])  # Rosa, no boletas imported in this test
    client.force_login(other)
    book = workbook(client)
    assert book["Boletas"].max_row == 1 and book["Conceptos"].max_row == 1

"""The shared CSV/Excel export of the staff lists, and the audit log's export."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from ayni.core import events, exports
from ayni.core.models import AuditEvent
from ayni.core.tests import test_audit_log_page
from ayni.core.tests.test_audit_log_page import URL

COLUMNS = [
    exports.Column("Texto", lambda r: r[0]),
    exports.Column("Fecha", lambda r: r[1], exports.DATE),
    exports.Column("Monto", lambda r: r[2], exports.AMOUNT),
]
world = test_audit_log_page.world  # the same fixture
DANGEROUS = ['=HYPERLINK("http://x")', "+51 999", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_neutralises_formula_starts_and_writes_dates_dd_mm_aaaa():
    rows = [(text, date(2026, 3, 7), Decimal("-12.50")) for text in DANGEROUS]
    rows.append(("Ñaupari D'Angelo", datetime(2026, 1, 1, 3, tzinfo=UTC), Decimal("2760.12")))
    read = csv_rows(exports.csv_bytes(COLUMNS, rows))
    assert read[0] == ["Texto", "Fecha", "Monto"]
    assert [r[0] for r in read[1:-1]] == [f"'{text}" for text in DANGEROUS]
    assert read[1][1:] == ["07/03/2026", "-12.50"]  # amounts stay numbers
    assert read[-1] == ["Ñaupari D'Angelo", "31/12/2025", "2760.12"]  # Lima's day


def test_xlsx_writes_formula_starts_as_text_dates_as_dates_and_amounts_as_numbers():
    rows = [(text, date(2026, 3, 7), Decimal("2760.12")) for text in DANGEROUS]
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(COLUMNS, rows, "Prueba"))).active
    assert [c.value for c in sheet[1]] == ["Texto", "Fecha", "Monto"]
    for number, text in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(row=number, column=1)
        assert cell.value == text and cell.data_type == "s"
    assert sheet.cell(row=2, column=2).value == datetime(2026, 3, 7)
    assert sheet.cell(row=2, column=2).number_format == "DD/MM/YYYY"
    assert sheet.cell(row=2, column=3).value == pytest.approx(2760.12)
    assert sheet.cell(row=2, column=3).data_type == "n"


@pytest.mark.django_db
def test_the_file_is_capped_and_says_so(monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    request = RequestFactory().get("/x/", {"exportar": "csv", "q": "a"})
    request.user = None
    rows = [("a", None, None), ("b", None, None), ("c", None, None)]
    response = exports.response(request, rows, COLUMNS, name="x", title="X",
                                action=events.AUDIT_LOG_EXPORTED)  # fmt: skip
    assert len(csv_rows(response.content)) == 3
    assert response["X-Export-Truncated"] == "2"
    line = AuditEvent.objects.get(action=events.AUDIT_LOG_EXPORTED)
    assert line.details == {"formato": "csv", "filas": 2, "truncado": True, "filtros": "q=a"}


def test_list_query_drops_page_and_export_and_fills_defaults():
    request = RequestFactory().get("/x/", {"q": "a", "pagina": "3", "exportar": "csv"})
    assert exports.list_query(request) == "q=a"
    assert exports.list_query(request, estado="en_solicitud") == "q=a&estado=en_solicitud"


@pytest.mark.django_db
def test_audit_log_export_is_the_readers_scope_with_filters_and_recorded(client, world):
    people, lines = world
    client.force_login(people["admin07"])
    response = client.get(URL, {"exportar": "csv"})
    text = response.content.decode("utf-8-sig")
    read = csv_rows(response.content)
    assert read[0][:3] == ["Fecha y hora", "Usuario", "Evento"]
    assert people["esp07"].username in text
    assert people["esp03"].username not in text  # another UGEL's staff
    assert people["minedu"].username not in text
    assert AuditEvent.objects.filter(
        action=events.AUDIT_LOG_EXPORTED, actor=people["admin07"]
    ).exists()

    client.force_login(people["minedu"])
    book = client.get(URL, {"usuario": people["esp03"].username, "exportar": "xlsx"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [people["esp03"].username]
    assert sheet.cell(row=2, column=1).number_format == "DD/MM/YYYY HH:MM:SS"

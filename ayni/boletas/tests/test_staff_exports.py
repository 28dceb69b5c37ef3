"""The boleta staff search and the import history export to CSV and Excel, in scope."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ayni.boletas import events
from ayni.boletas.models import PlanillaImport
from ayni.boletas.tests import test_staff
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db
admin07, boletas = test_staff.admin07, test_staff.boletas  # the same fixtures


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_search_export_is_the_search_within_the_covered_units(client, admin07, boletas):
    client.force_login(admin07)
    url = reverse("boletas:staff_search")
    rows = rows_of(client.get(url, {"q": "4000000", "exportar": "csv"}))
    assert rows[0] == ["Tipo de documento", "Número de documento", "Apellido paterno",
                       "Apellido materno", "Nombres", "Unidad"]  # fmt: skip
    documents = {row[1] for row in rows[1:]}
    assert documents == {"40000001", "40000002"}
    assert rows_of(client.get(url, {"q": "45000009", "exportar": "csv"}))[1:] == []  # UGEL 03
    book = client.get(url, {"q": "4000000", "exportar": "xlsx"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert {r[1] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"40000001", "40000002"}
    assert AuditEvent.objects.filter(action=events.STAFF_EXPORTED, actor=admin07).count() == 3


def test_import_history_export_numbers_and_scope(client, admin07, boletas):
    client.force_login(admin07)
    url = reverse("boletas:import_history")
    assert "exportar=xlsx" in client.get(url).content.decode()
    response = client.get(url, {"exportar": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    visible = PlanillaImport.objects.filter(entities__code="150108").distinct()
    assert len(rows) == visible.count() >= 1
    assert all(row[5] != "150104" for row in rows)  # only UGEL 03's import is left out
    assert sheet.cell(row=1, column=7).value == "Líneas"
    assert isinstance(sheet.cell(row=2, column=7).value, int)  # a number, not text
    assert AuditEvent.objects.filter(action=events.IMPORTS_EXPORTED).count() == 1

"""The UGEL tray exports what its filters show, for the administrator's UGELs only."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ayni.access import events
from ayni.access.models import AccessRequest
from ayni.access.tests.factories import AccessRequestFactory, HelpRequestFactory
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TRAY_URL = reverse("access:tray")


def test_csv_has_the_filtered_requests_of_the_ugel_only_and_is_audited(client, admin07, ugel03):
    pending = AccessRequestFactory(apellido_paterno="=CMD()")
    AccessRequestFactory(state=AccessRequest.State.REJECTED)
    ticket = HelpRequestFactory()
    other = AccessRequestFactory(unit=ugel03)
    client.force_login(admin07)
    response = client.get(TRAY_URL, {"tipo": "alta", "exportar": "csv"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["Código", "Tipo", "Tipo de documento", "Número de documento",
                           "Solicitante"]  # fmt: skip
    assert [row[0] for row in rows[1:]] == [pending.code]  # pending, "alta" only
    assert rows[1][4].startswith("'=CMD()")
    assert ticket.code not in text and other.code not in text
    assert other.document_number not in text
    line = AuditEvent.objects.get(action=events.TRAY_EXPORTED)
    assert line.actor == admin07 and line.details["filas"] == 1


def test_xlsx_lists_every_page(client, admin07, ugel03, monkeypatch):
    made = [AccessRequestFactory() for _ in range(3)]
    AccessRequestFactory(unit=ugel03)
    client.force_login(admin07)
    response = client.get(TRAY_URL, {"pagina": "2", "exportar": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(r.code for r in made)
    assert sheet.cell(row=2, column=8).number_format == "DD/MM/YYYY"


def test_the_page_links_to_both_exports_with_its_filters(client, admin07):
    AccessRequestFactory()
    client.force_login(admin07)
    page = client.get(TRAY_URL, {"tipo": "alta"}).content.decode()
    assert "?tipo=alta&amp;exportar=csv" in page and "?tipo=alta&amp;exportar=xlsx" in page
    assert "hasta 50\u00a0000 filas" in page

"""The escalafón tray: filters kept on every page, "Siguiente solicitud", CSV/Excel export."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ayni.core.formats import date_dmy
from ayni.core.models import AuditEvent
from ayni.legajo import events, views
from ayni.legajo.models import ChangeRequest
from ayni.legajo.tests import test_staff
from ayni.legajo.tests.test_staff import codes_in

pytestmark = pytest.mark.django_db
tray_requests = test_staff.tray_requests  # the same fixture


def test_page_two_of_the_default_tray_still_shows_only_pending(
    client, specialist, tray_requests, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(specialist)
    first = client.get(reverse("legajo:bandeja")).content.decode()
    assert "estado=en_solicitud&amp;page=2" in first
    second = client.get(reverse("legajo:bandeja"), {"page": "2"}).content.decode()
    r = tray_requests
    assert codes_in(second, r.values()) == [r["newest"].code]  # never the decided one
    assert "Página 2 de 2 (3 registros)" in second


def test_page_links_keep_every_filter(client, specialist, tray_requests, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(specialist)
    page = client.get(reverse("legajo:bandeja"), {"estado": "", "seccion": "meritos"})
    assert "estado=&amp;seccion=meritos&amp;page=2" in page.content.decode()


def decide(client, request, query):
    url = reverse("legajo:decidir", args=[request.pk])
    return client.post(f"{url}?{query}", {"decision": "rechazar", "observacion": "No procede."})


def test_after_a_decision_the_next_pending_opens_in_the_filtered_order(
    client, specialist, tray_requests
):
    r = tray_requests
    client.force_login(specialist)
    response = decide(client, r["oldest"], "estado=en_solicitud&seccion=otros")
    assert response.status_code == 302
    assert response.url.endswith("?estado=en_solicitud&seccion=otros")
    page = client.get(response.url).content.decode()
    # "otros" only: the middle one (the oldest pending after it), not a "meritos" one
    next_url = reverse("legajo:revisar", args=[r["middle"].pk])
    assert f'href="{next_url}?estado=en_solicitud&amp;seccion=otros">Siguiente solicitud' in page

    response = decide(client, r["middle"], "estado=en_solicitud")
    page = client.get(response.url).content.decode()
    assert f'href="{reverse("legajo:revisar", args=[r["newest"].pk])}?' in page


def test_when_nothing_is_pending_it_says_so(client, specialist, tray_requests):
    r = tray_requests
    client.force_login(specialist)
    for key in ("oldest", "middle", "newest"):
        response = decide(client, r[key], "estado=en_solicitud")
    page = client.get(response.url).content.decode()
    assert "No quedan solicitudes pendientes con los filtros de la bandeja." in page
    assert ">Siguiente solicitud</a>" not in page


def test_csv_export_is_the_filtered_tray_of_the_unit_on_every_page_and_audited(
    client, specialist, tray_requests, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    r = tray_requests
    client.force_login(specialist)
    response = client.get(reverse("legajo:bandeja"), {"estado": "", "exportar": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Código", "Documento del servidor", "Servidor", "Sección", "Enviada",
                       "Estado", "Decidida"]  # fmt: skip
    codes = [row[0] for row in rows[1:]]
    assert codes == [r[k].code for k in ("decided", "oldest", "middle", "newest")]
    assert r["outside"].code not in response.content.decode("utf-8-sig")  # another UGEL's
    decided = rows[1]
    assert decided[5] == "Rechazado"
    sent = ChangeRequest.objects.get(pk=r["decided"].pk).submitted_at
    assert decided[4] == date_dmy(sent)  # dd/mm/aaaa, Lima
    line = AuditEvent.objects.get(action=events.TRAY_EXPORTED)
    assert line.actor == specialist
    assert line.details["formato"] == "csv" and line.details["filas"] == 4


def test_xlsx_export_reads_back_with_openpyxl(client, specialist, tray_requests):
    r = tray_requests
    client.force_login(specialist)
    response = client.get(reverse("legajo:bandeja"), {"exportar": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Código"
    assert [row[0] for row in values[1:]] == [r[k].code for k in ("oldest", "middle", "newest")]
    assert sheet.cell(row=2, column=5).number_format == "DD/MM/YYYY"
    assert AuditEvent.objects.filter(action=events.TRAY_EXPORTED).count() == 1
    assert ChangeRequest.objects.count() == 5

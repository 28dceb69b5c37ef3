"""The accounts list: pages beyond the first 50 keep the search; CSV/Excel export in scope."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ayni.accounts import events
from ayni.accounts.tests import test_manage_views
from ayni.accounts.tests.factories import UserFactory
from ayni.core.models import AuditEvent
from ayni.organizations.models import Unit
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db
admin, foreign_account = test_manage_views.admin, test_manage_views.foreign_account
URL = reverse("accounts:manage")


@pytest.fixture
def many(admin):
    unit = admin.staff_roles.get().unit
    return [
        ServantFactory(unit=unit, apellido_paterno="HUAMAN", nombres=f"N{n:03}") for n in range(55)
    ]


def test_the_search_pages_past_fifty_and_keeps_the_query(client, many):
    first = client.get(URL, {"q": "huaman"})
    text = first.content.decode()
    assert "los primeros" not in text
    assert "(55)" in text and "Página 1 de 2" in text
    assert "?q=huaman&amp;pagina=2" in text
    second = client.get(URL, {"q": "huaman", "pagina": "2"})
    assert len(second.context["page"].object_list) == 5
    shown = [*first.context["page"].object_list, *second.context["page"].object_list]
    assert {s.pk for s in shown} == {s.pk for s in many}


def test_export_has_every_result_and_only_the_administrators_units(
    client, admin, many, foreign_account
):
    foreign_account.servant.apellido_paterno = "HUAMAN"
    foreign_account.servant.save()
    UserFactory(servant=many[0], email="=1+1@example.pe")
    response = client.get(URL, {"q": "huaman", "exportar": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Tipo de documento", "Número de documento", "Apellido paterno",
                       "Apellido materno", "Nombres", "Unidad", "Cuenta", "Correo"]  # fmt: skip
    documents = {row[1] for row in rows[1:]}
    assert documents == {s.document_number for s in many}
    assert foreign_account.servant.document_number not in documents
    assert "'=1+1@example.pe" in {row[7] for row in rows}
    book = client.get(URL, {"q": "huaman", "exportar": "xlsx"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet.max_row == 56
    assert AuditEvent.objects.filter(action=events.ACCOUNTS_EXPORTED, actor=admin).count() == 2
    assert Unit.objects.filter(code="150107").exists()

"""Constancias de trabajo and de tiempo de servicios: from the servant's legajo."""

from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ayni.accounts.tests.factories import UserFactory
from ayni.constancias.models import Constancia
from ayni.constancias.selectors import NO_INGRESO, NO_LEGAJO
from ayni.documents.models import IssuedDocument
from ayni.legajo.models import Ingreso
from ayni.legajo.tests.factories import LegajoFactory, add_item, full_legajo

pytestmark = pytest.mark.django_db

TRABAJO = Constancia.Kind.TRABAJO.value
TIEMPO = Constancia.Kind.TIEMPO.value


@pytest.fixture
def servant_user(db):
    return UserFactory()


@pytest.fixture
def legajo(servant_user):
    """Ingreso 01/04/2002 (nombrada, Ley 29944, open), a reasignación 2008–2015 inside it,
    a licencia sin goce in February 2013 (factories.SAMPLES)."""
    return full_legajo(servant=servant_user.servant)


@pytest.fixture
def ceased(legajo):
    add_item(legajo, "retiro", tipo="cese", regimen_pensionario="", entidad="", cuspp="",
             motivo="Límite de edad", fecha=date(2024, 3, 1))  # fmt: skip
    legajo.vigente = False
    legajo.save()
    return legajo


def issue(client, kind):
    return client.post(reverse("constancias:issue", args=[kind]))


def public_page(client, document):
    client.logout()
    return client.get(reverse("documents:verify", args=[document.code])).content.decode()


def test_constancia_de_trabajo_of_a_working_servant(client, servant_user, legajo):
    client.force_login(servant_user)
    response = issue(client, TRABAJO)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = Constancia.objects.get(kind=TRABAJO).data
    assert {key: data[key] for key in ("cargo", "condicion", "regimen", "institucion",
                                        "fecha_ingreso", "situacion", "labora")} == {
        "cargo": "Profesora de aula",
        "condicion": "Nombrado",
        "regimen": "Ley 29944 — Carrera Pública Magisterial",
        "institucion": "IE 7041",
        "fecha_ingreso": "01/04/2002",
        "situacion": "Labora actualmente",
        "labora": True,
    }  # fmt: skip
    assert data["unit"] == {"code": "150108", "name": "UGEL 07 SAN BORJA"}
    document = IssuedDocument.objects.get()
    text = PdfReader(document.file.open("rb")).pages[0].extract_text()
    assert "labora actualmente" in text and "Profesora de aula" in text
    page = public_page(client, document)
    assert "Válido" in page and "Constancia de trabajo" in page and "***" in page
    assert servant_user.servant.document_number not in page


def test_constancia_de_trabajo_of_a_ceased_servant_states_the_cese(client, servant_user, ceased):
    add_item(ceased, "ingreso", tipo="reingreso", condicion="contratado", cargo="Auxiliar",
             fecha_inicio=date(2020, 3, 1), fecha_fin=None)  # fmt: skip
    client.force_login(servant_user)
    assert issue(client, TRABAJO).status_code == 200
    data = Constancia.objects.get().data
    assert data["situacion"] == "Cesó el 01/03/2024" and data["labora"] is False
    assert data["fecha_cese"] == "01/03/2024" and data["motivo_cese"] == "Límite de edad"
    # The latest ingreso says cargo and condición; the first, the fecha de ingreso.
    assert (data["cargo"], data["condicion"]) == ("Auxiliar", "Contratado")
    assert (data["fecha_ingreso"], data["fecha_reingreso"]) == ("01/04/2002", "01/03/2020")
    text = PdfReader(IssuedDocument.objects.get().file.open("rb")).pages[0].extract_text()
    assert "hasta su cese, el 01/03/2024" in text


def test_tiempo_de_servicios_counts_the_periods(client, servant_user, ceased):
    """Service from 01/04/2002 to the day before the cese (01/03/2024), without February
    2013 (unpaid leave): 01/04/2002–31/01/2013 is 10 years 10 months; 01/03/2013–29/02/2024
    is 11 years. Worked out by hand from the legajo's dates."""
    client.force_login(servant_user)
    assert issue(client, TIEMPO).status_code == 200
    data = Constancia.objects.get(kind=TIEMPO).data
    assert data["periods"] == [
        {"first": "01/04/2002", "last": "31/01/2013", "years": 10, "months": 10, "days": 0},
        {"first": "01/03/2013", "last": "29/02/2024", "years": 11, "months": 0, "days": 0},
    ]
    assert data["total"] == {"years": 21, "months": 10, "days": 0,
                             "text": "21 años, 10 meses y 0 días"}  # fmt: skip
    document = IssuedDocument.objects.get()
    text = PdfReader(document.file.open("rb")).pages[0].extract_text()
    assert "21 años, 10 meses y 0 días" in text and "31/01/2013" in text
    page = public_page(client, document)
    assert "Válido" in page and "Constancia de tiempo de servicios" in page
    assert "21 años" not in page


def test_without_a_legajo_only_haberes(client, servant_user):
    client.force_login(servant_user)
    page = client.get(reverse("constancias:mine")).content.decode()
    assert NO_LEGAJO in page and "Emitir constancia de trabajo" not in page
    for kind in (TRABAJO, TIEMPO):
        response = issue(client, kind)
        assert response.status_code == 400 and NO_LEGAJO in response.content.decode()
    assert not IssuedDocument.objects.exists() and not Constancia.objects.exists()


def test_a_legajo_without_ingreso_is_explained(client, servant_user):
    LegajoFactory(servant=servant_user.servant)
    client.force_login(servant_user)
    assert NO_INGRESO in client.get(reverse("constancias:mine")).content.decode()
    assert issue(client, TIEMPO).status_code == 400
    assert not IssuedDocument.objects.exists()


def test_a_legajo_closed_without_cese_gives_no_constancia(client, servant_user, legajo):
    legajo.vigente = False
    legajo.save()
    client.force_login(servant_user)
    assert issue(client, TRABAJO).status_code == 400
    assert not IssuedDocument.objects.exists()
    assert Ingreso.objects.filter(legajo=legajo).exists()


def test_another_servants_legajo_constancia_is_not_found(client, servant_user, legajo):
    client.force_login(servant_user)
    issue(client, TIEMPO)
    document = IssuedDocument.objects.get()
    other = UserFactory()
    full_legajo(servant=other.servant)
    client.force_login(other)
    assert client.get(reverse("constancias:download", args=[document.pk])).status_code == 404
    issue(client, TRABAJO)  # their own, from their own legajo
    assert Constancia.objects.get(kind=TRABAJO).servant == other.servant

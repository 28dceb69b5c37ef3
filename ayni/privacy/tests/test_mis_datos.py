"""«Mis datos personales»: the servant's data as a ZIP, «Quién vio mis datos», the notice."""

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import post_login
from ayni.boletas.models import Boleta
from ayni.core.models import AuditEvent
from ayni.delivery import services as delivery_services
from ayni.legajo import services as legajo_services
from ayni.legajo.sections import get_section
from ayni.legajo.tests.factories import SAMPLES, full_legajo
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory
from ayni.privacy import events, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosa(sample_imported, demo_servants):
    return UserFactory(servant=demo_servants[0])


@pytest.fixture
def jose(sample_imported, demo_servants):
    return UserFactory(servant=demo_servants[1])


@pytest.fixture
def specialist(ugel07):
    return StaffRoleFactory(role=StaffRole.Role.ESCALAFON, unit=ugel07).user


def give_data(user, specialist):
    """A legajo with a change in its history, an informe attended on request, an accepted
    delivery, a sign-in."""
    legajo = full_legajo(servant=user.servant)
    legajo_services.save_item(legajo, get_section("otros"), SAMPLES["otros"], specialist)
    informe = legajo_services.request_informe(legajo, f"Pedido de {user.username}", user)
    legajo_services.decide(informe, specialist, True)
    delivery_services.accept(user)
    post_login(Client(), user.username, PASSWORD, REMOTE_ADDR="190.12.34.56")
    return legajo


def download(client):
    response = client.get(reverse("privacy:descargar"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["mis-datos-resumen.pdf", "mis-datos.json"]
    pdf = PdfReader(io.BytesIO(archive.read("mis-datos-resumen.pdf")))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    return json.loads(archive.read("mis-datos.json")), text


def test_the_zip_holds_exactly_the_owners_data(client, rosa, jose, specialist):
    give_data(rosa, specialist)
    give_data(jose, specialist)
    client.force_login(rosa)
    data, text = download(client)

    servant = rosa.servant
    assert data["cuenta"]["usuario"] == rosa.username
    assert data["servidor"]["numero_documento"] == servant.document_number
    boletas = Boleta.objects.filter(servant=servant)
    assert len(data["boletas"]) == boletas.count() >= 1
    assert Decimal(data["totales_vigentes"]["neto"]) == sum(b.net for b in boletas)
    assert [r["sustento"] for r in data["solicitudes"]] == [f"Pedido de {rosa.username}"]
    informe = servant.legajo.requests.get().document
    assert [d["codigo"] for d in data["documentos_emitidos"]] == [informe.code]
    assert len(data["aceptaciones_entrega_electronica"]) == 1
    assert "190.12.34.56" in [e["ip"] for e in data["ingresos"]]
    assert data["legajo"]["secciones"]["formacion"]["registros"]
    assert [h["seccion"] for h in data["legajo"]["historial"]] == ["X. Otros"]

    # Nothing of José's anywhere, in the JSON nor in the PDF.
    raw = json.dumps(data, ensure_ascii=False)
    others = [jose.username, jose.servant.document_number, jose.servant.nombres]
    others += [b.net for b in Boleta.objects.filter(servant=jose.servant)]
    others.append(jose.servant.legajo.requests.get().document.code)
    for value in others:
        assert str(value) not in raw and str(value) not in text
    assert servant.document_number in text and informe.code in text
    assert "no es un documento oficial ni está firmado" in text

    exported = AuditEvent.objects.get(action=events.DATA_EXPORTED)
    assert (exported.actor, exported.subject) == (rosa, servant.document_number)


def test_who_saw_my_data_shows_a_specialists_view_by_role_and_unit_not_name(
    client, rosa, jose, specialist, ugel07
):
    legajo = give_data(rosa, specialist)
    give_data(jose, specialist)
    specialist.first_name, specialist.last_name = "Zoila", "Fisgona Pérez"
    specialist.save()
    client.force_login(specialist)
    assert client.get(reverse("legajo:legajo", args=[legajo.pk])).status_code == 200
    client.force_login(rosa)
    informe = legajo.requests.get().document
    assert client.get(reverse("legajo:mi_legajo")).status_code == 200  # her own views
    assert client.get(reverse("legajo:documento", args=[informe.pk])).status_code == 200

    page = client.get(reverse("privacy:quien_vio")).content.decode()
    assert "Abrió su legajo" in page
    assert "Emitió su informe escalafonario" in page
    assert "Especialista de escalafón" in page and ugel07.name in page
    for name in ("Zoila", "Fisgona", specialist.username):
        assert name not in page
    views = selectors.staff_views(rosa)
    assert set(views.values_list("actor", flat=True)) == {specialist.pk}
    assert views.count() == 2  # issued the informe, then opened the legajo (an item saved
    # by the specialist is a write, not a look)
    assert AuditEvent.objects.filter(actor=rosa, subject=rosa.servant.document_number).exists()


def test_another_servant_sees_only_their_own_page(client, rosa, jose, specialist):
    legajo = give_data(rosa, specialist)
    give_data(jose, specialist)
    client.force_login(specialist)
    client.get(reverse("legajo:legajo", args=[legajo.pk]))  # Rosa's legajo, not José's
    client.force_login(jose)
    page = client.get(reverse("privacy:quien_vio")).content.decode()
    assert "Emitió su informe escalafonario" in page
    assert "Abrió su legajo" not in page
    data, _ = download(client)
    assert data["servidor"]["numero_documento"] == jose.servant.document_number
    assert [v["que"] for v in data["consultas_del_personal"]] == ["Emitió su informe escalafonario"]


def test_pages_are_for_servants_only(client, specialist):
    client.force_login(specialist)  # no servant record of their own
    for name in ("privacy:mis_datos", "privacy:descargar", "privacy:quien_vio"):
        assert client.get(reverse(name)).status_code == 404
    assert not AuditEvent.objects.filter(action=events.DATA_EXPORTED).exists()


def test_who_saw_is_paged(client, rosa, specialist):
    legajo = full_legajo(servant=rosa.servant)
    client.force_login(specialist)
    for _ in range(27):
        client.get(reverse("legajo:legajo", args=[legajo.pk]))
    client.force_login(rosa)
    first = client.get(reverse("privacy:quien_vio")).content.decode()
    assert first.count("Abrió su legajo") == 25 and "Página 1 de 2 (27 registros)" in first
    second = client.get(reverse("privacy:quien_vio"), {"page": 2}).content.decode()
    assert second.count("Abrió su legajo") == 2


def test_the_page_shows_the_notice_documents_and_how_to_rectify_or_object(
    client, rosa, specialist, settings, tmp_path
):
    legajo = give_data(rosa, specialist)
    informe = legajo.requests.get().document
    client.force_login(rosa)
    page = client.get(reverse("privacy:mis_datos")).content.decode()
    assert "Ley N° 29733" in page
    assert reverse("legajo:actualizar") in page and settings.AYNI_SUPPORT_EMAIL in page
    assert informe.code in page
    assert reverse("legajo:documento", args=[informe.pk]) in page
    assert "Mis datos personales" in page  # the menu entry

    (tmp_path / "propio").mkdir()
    (tmp_path / "propio" / "aviso.txt").write_text("Aviso propio de la DRE {{ platform_name }}.")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    settings.AYNI_PRIVACY_NOTICE_TEMPLATE = "propio/aviso.txt"
    page = client.get(reverse("privacy:mis_datos")).content.decode()
    assert f"Aviso propio de la DRE {settings.AYNI_PLATFORM_NAME}." in page
    assert "Ley N° 29733" not in page


def test_a_servant_without_legajo_gets_their_boletas_and_a_clear_summary(client, jose):
    client.force_login(jose)
    data, text = download(client)
    assert data["legajo"] is None and data["solicitudes"] == []
    assert len(data["boletas"]) == Boleta.objects.filter(servant=jose.servant).count() >= 1
    assert "La plataforma no tiene un legajo suyo." in text

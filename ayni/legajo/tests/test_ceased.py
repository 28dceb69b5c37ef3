"""A servant who ceased keeps their legajo: they read it, download their hoja de vida (which
states the cese), follow and annul their requests; they no longer ask for changes."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from ayni.legajo import services
from ayni.legajo.models import ChangeRequest, DatosPersonales
from ayni.legajo.notice import TEXT
from ayni.legajo.sections import get_section
from ayni.legajo.tests.factories import add_item
from ayni.legajo.tests.test_pages import log_in, notice_shown

pytestmark = pytest.mark.django_db
CLOSED = "cerrado por cese desde el 16/06/2024"


@pytest.fixture
def ceased(legajo):
    add_item(legajo, "retiro", tipo="cese", regimen_pensionario="", entidad="", cuspp="",
             motivo="Límite de edad (65 años)", fecha=date(2024, 6, 16))  # fmt: skip
    legajo.vigente = False
    legajo.save()
    return legajo


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_the_ceased_servant_reads_the_legajo_and_is_told_what_changed(client, servant_user,
                                                                      ceased):  # fmt: skip
    client.force_login(servant_user)
    page = client.get(reverse("legajo:mi_legajo")).content.decode()
    assert CLOSED in page and "Límite de edad (65 años)" in page
    assert "Formación académica" in page and "Fecha de cese" in page
    assert TEXT not in page  # closed, not missing: nothing to ask the UGEL for
    assert reverse("legajo:hoja_de_vida") in page
    assert reverse("legajo:actualizar") + '"' not in page.split("<main", 1)[-1]
    assert "Ya no puede solicitar actualizaciones" in page


def test_the_ceased_servant_downloads_a_hoja_de_vida_that_states_the_cese(client, servant_user,
                                                                          ceased):  # fmt: skip
    client.force_login(servant_user)
    page = client.get(reverse("legajo:hoja_de_vida")).content.decode()
    assert "Descargar PDF" in page and CLOSED in page
    response = client.get(reverse("legajo:hoja_de_vida_pdf") + "?descargar=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.content)
    assert "No vigente (cerrado por cese el 16/06/2024)" in text
    assert "16/06/2024: Límite de edad (65 años)" in text


def test_a_legajo_not_vigente_without_a_cese_still_has_no_hoja_de_vida(client, servant_user,
                                                                       legajo):  # fmt: skip
    legajo.vigente = False
    legajo.save()
    client.force_login(servant_user)
    assert client.get(reverse("legajo:hoja_de_vida_pdf")).status_code == 404


def test_the_ceased_servant_no_longer_asks_for_changes(client, servant_user, ceased):
    client.force_login(servant_user)
    page = client.get(reverse("legajo:actualizar")).content.decode()
    assert "Ya no puede solicitar actualizaciones" in page and "Solicitar modificación" not in page
    section = get_section("formacion")
    for url in (
        reverse("legajo:editar_seccion", args=[section.key]),
        reverse("legajo:proponer_nuevo", args=[section.key]),
    ):
        response = client.post(url, {"nivel": "maestria", "especialidad": "X"})
        assert response.status_code == 302 and response["Location"] == reverse("legajo:actualizar")
    assert not ChangeRequest.objects.filter(legajo=ceased).exists()
    with pytest.raises(ValidationError, match="cerrado por su cese"):
        services.propose_update(ceased, get_section("datos_personales"),
                                DatosPersonales.objects.get(legajo=ceased).pk,
                                {"telefono": "900000000"})  # fmt: skip


def test_a_request_sent_before_the_cese_can_still_be_followed_and_annulled(client, servant_user,
                                                                           legajo):  # fmt: skip
    personal = DatosPersonales.objects.get(legajo=legajo)
    services.propose_update(legajo, get_section("datos_personales"), personal.pk,
                            {"telefono": "900000000"})  # fmt: skip
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    pending = services.submit(draft, "", servant_user)
    add_item(legajo, "retiro", tipo="cese", regimen_pensionario="", entidad="", cuspp="",
             motivo="Renuncia", fecha=date(2024, 6, 16))  # fmt: skip
    legajo.vigente = False
    legajo.save()
    client.force_login(servant_user)
    assert pending.code in client.get(reverse("legajo:seguimiento")).content.decode()
    client.post(reverse("legajo:anular", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.state == ChangeRequest.State.ANNULLED


def test_no_notice_after_login_for_a_ceased_servant(servant_user, ceased):
    assert not notice_shown(log_in(servant_user))

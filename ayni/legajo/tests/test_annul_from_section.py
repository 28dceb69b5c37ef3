"""A pending request is annulled from its section's page as well as from the tracking tray."""

import pytest
from django.urls import reverse

from ayni.legajo import services
from ayni.legajo.models import ChangeRequest, DatosPersonales, Legajo
from ayni.legajo.sections import get_section

pytestmark = pytest.mark.django_db
SECTION = "datos_personales"


def pending_of(user, legajo) -> ChangeRequest:
    personal = DatosPersonales.objects.get(legajo=legajo)
    services.propose_update(legajo, get_section(SECTION), personal.pk, {"telefono": "900000001"})
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    return services.submit(draft, "", user)


def annul_url(pk, section=SECTION):
    return reverse("legajo:anular_en_seccion", args=[section, pk])


def test_the_section_page_offers_anular_and_returns_there(client, servant_user, legajo):
    pending = pending_of(servant_user, legajo)
    client.force_login(servant_user)
    page = client.get(reverse("legajo:editar_seccion", args=[SECTION])).content.decode()
    assert "Acciones" in page and f'aria-label="Anular {pending.code}"' in page
    assert annul_url(pending.pk) in page
    confirm = client.get(annul_url(pending.pk)).content.decode()
    assert f"¿Anular la solicitud {pending.code}?" in confirm
    response = client.post(annul_url(pending.pk))
    assert response["Location"] == reverse("legajo:editar_seccion", args=[SECTION])
    pending.refresh_from_db()
    assert pending.state == ChangeRequest.State.ANNULLED and pending.decided_by == servant_user
    page = client.get(response["Location"]).content.decode()
    assert f"La solicitud {pending.code} fue anulada." in page
    assert "Solicitud en trámite" not in page  # and new changes may be asked again


def test_only_the_owner_and_only_this_sections_request(client, servant_user, legajo,
                                                       other_user):  # fmt: skip
    theirs = pending_of(other_user, Legajo.objects.get(servant=other_user.servant))
    mine = pending_of(servant_user, legajo)
    client.force_login(servant_user)
    assert client.get(annul_url(theirs.pk)).status_code == 404
    assert client.post(annul_url(theirs.pk)).status_code == 404
    assert client.post(annul_url(mine.pk, section="formacion")).status_code == 404
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.state == mine.state == ChangeRequest.State.PENDING


def test_a_decided_request_is_not_annulled(client, servant_user, legajo, specialist):
    pending = pending_of(servant_user, legajo)
    services.decide(pending, specialist, False, "Falta sustento.")
    client.force_login(servant_user)
    response = client.post(annul_url(pending.pk), follow=True)
    pending.refresh_from_db()
    assert pending.state == ChangeRequest.State.REJECTED
    assert "ya fue rechazada" in response.content.decode()

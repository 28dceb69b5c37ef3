"""The servant's side: drafting changes section by section, submitting, annulling."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ayni.accounts.tests.factories import PASSWORD
from ayni.legajo import services
from ayni.legajo.models import Action, ChangeRequest, Formacion, ProposedChange
from ayni.legajo.sections import SECTIONS, get_section
from ayni.legajo.tests.factories import SAMPLES, form_data

pytestmark = pytest.mark.django_db


def edit_url(key):
    return reverse("legajo:editar_seccion", args=[key])


def draft_of(legajo, key):
    return ChangeRequest.objects.get(legajo=legajo, section=key, state="borrador")


def submit_through_pages(client, key, comment=""):
    confirmation = client.get(reverse("legajo:enviar", args=[key]))
    assert confirmation.status_code == 200
    assert "Confirmar el envío de la solicitud" in confirmation.content.decode()
    return client.post(reverse("legajo:enviar", args=[key]), {"comentario": comment}, follow=True)


def test_update_lists_only_sections_the_servant_may_request(client, servant_user, legajo):
    client.force_login(servant_user)
    page = client.get(reverse("legajo:actualizar")).content.decode()
    for section in SECTIONS:
        assert (section.label in page) == section.servant_may_request
    assert page.count("Solicitar modificación") == sum(s.servant_may_request for s in SECTIONS)


def test_edit_mode_offers_pencil_new_and_trash_as_the_registry_allows(client, servant_user, legajo):
    client.force_login(servant_user)
    formacion = client.get(edit_url("formacion")).content.decode()
    assert "Nuevo" in formacion and "Solicitar eliminar registro 1" in formacion
    assert "Modificar registro 1" in formacion
    demeritos = client.get(edit_url("demeritos")).content.decode()
    assert "Modificar registro 1" in demeritos
    assert "Nuevo" not in demeritos and "Solicitar eliminar" not in demeritos
    # Datos personales: a single record, already there, so no "Nuevo".
    assert "Nuevo</a>" not in client.get(edit_url("datos_personales")).content.decode()


def test_new_item_is_saved_as_a_draft_and_changes_nothing_yet(client, servant_user, legajo):
    client.force_login(servant_user)
    values = {**SAMPLES["formacion"], "nivel": "maestria", "especialidad": "Gestión Educativa"}
    response = client.post(reverse("legajo:proponer_nuevo", args=["formacion"]), form_data(values))
    assert response.status_code == 302 and response["Location"] == edit_url("formacion")
    change = draft_of(legajo, "formacion").changes.get()
    assert change.action == Action.CREATE
    assert change.after["especialidad"] == "Gestión Educativa"
    assert change.after["fecha_expedicion"] == "2001-12-20"
    assert Formacion.objects.filter(legajo=legajo).count() == 1  # not applied
    page = client.get(edit_url("formacion")).content.decode()
    assert "Registros nuevos propuestos" in page and "Gestión Educativa" in page


def test_bad_input_is_refused_in_spanish_and_changes_nothing(client, servant_user, legajo):
    client.force_login(servant_user)
    values = form_data(SAMPLES["capacitaciones"])
    values["fecha_fin"] = "2015-01-01"  # before the start
    values["horas"] = "-3"
    response = client.post(reverse("legajo:proponer_nuevo", args=["capacitaciones"]), values)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Debe ser igual o posterior a la fecha de inicio." in page
    assert "Asegúrese de que este valor es mayor o igual a 0." in page
    assert not ChangeRequest.objects.filter(legajo=legajo).exists()


def test_editing_an_item_proposes_before_and_after(client, servant_user, legajo):
    client.force_login(servant_user)
    item = get_section("capacitaciones").items(legajo).get()
    url = reverse("legajo:proponer_modificacion", args=["capacitaciones", item.pk])
    form = client.get(url).content.decode()
    assert 'value="Estrategias de comprensión lectora"' in form  # prefilled
    client.post(url, form_data({**SAMPLES["capacitaciones"], "horas": 120}))
    change = draft_of(legajo, "capacitaciones").changes.get()
    assert (change.action, change.item_id) == (Action.UPDATE, item.pk)
    assert change.before["horas"] == 40 and change.after["horas"] == 120
    item.refresh_from_db()
    assert item.horas == 40
    # Editing again keeps one change for the item, with the latest values.
    assert "120" in client.get(url).content.decode()
    client.post(url, form_data({**SAMPLES["capacitaciones"], "horas": 80}))
    assert draft_of(legajo, "capacitaciones").changes.get().after["horas"] == 80


def test_saving_an_unchanged_item_is_refused(client, servant_user, legajo):
    client.force_login(servant_user)
    item = get_section("idiomas").items(legajo).get()
    url = reverse("legajo:proponer_modificacion", args=["idiomas", item.pk])
    response = client.post(url, form_data(SAMPLES["idiomas"]))
    assert "No cambió ningún dato del registro." in response.content.decode()


def test_asking_to_remove_needs_confirmation(client, servant_user, legajo):
    client.force_login(servant_user)
    item = get_section("meritos").items(legajo).get()
    url = reverse("legajo:proponer_eliminacion", args=["meritos", item.pk])
    confirm = client.get(url).content.decode()
    assert "Juegos Florales 2016" in confirm and "Aceptar" in confirm
    assert not ChangeRequest.objects.exists()
    client.post(url)
    change = draft_of(legajo, "meritos").changes.get()
    assert change.action == Action.DELETE and change.before["descripcion"] == "Juegos Florales 2016"


def test_what_a_section_does_not_allow_is_refused_by_the_service_too(legajo):
    demerito = get_section("demeritos")
    with pytest.raises(ValidationError, match="solo puede solicitar: modificación"):
        services.propose_delete(legajo, demerito, demerito.items(legajo).get())
    with pytest.raises(ValidationError, match="solo puede solicitar"):
        services.propose_new(legajo, demerito, SAMPLES["demeritos"])
    personal = get_section("datos_personales")
    with pytest.raises(ValidationError, match="admite un solo registro"):
        services.propose_new(legajo, personal, SAMPLES["datos_personales"])


def test_forbidden_actions_are_404_or_refused_through_the_pages(client, servant_user, legajo):
    client.force_login(servant_user)
    item = get_section("demeritos").items(legajo).get()
    response = client.post(reverse("legajo:proponer_eliminacion", args=["demeritos", item.pk]),
                           follow=True)  # fmt: skip
    assert "solo puede solicitar: modificación" in response.content.decode()
    assert not ProposedChange.objects.exists()
    assert client.get(edit_url("no-existe")).status_code == 404


def test_withdrawing_a_change_and_discarding_the_draft(client, servant_user, legajo):
    client.force_login(servant_user)
    client.post(reverse("legajo:proponer_nuevo", args=["otros"]), form_data(SAMPLES["otros"]))
    change = draft_of(legajo, "otros").changes.get()
    client.post(reverse("legajo:quitar_cambio", args=["otros", change.pk]))
    assert not draft_of(legajo, "otros").changes.exists()
    client.post(reverse("legajo:descartar", args=["otros"]))
    assert not ChangeRequest.objects.filter(legajo=legajo).exists()


def test_the_draft_survives_logging_out(servant_user, legajo):
    first = Client()
    first.login(username=servant_user.username, password=PASSWORD)
    first.post(reverse("legajo:proponer_nuevo", args=["otros"]), form_data(SAMPLES["otros"]))
    first.post(reverse("accounts:logout"))
    again = Client()
    again.login(username=servant_user.username, password=PASSWORD)
    page = again.get(edit_url("otros")).content.decode()
    assert "Declaración jurada de bienes y rentas" in page
    assert "Enviar solicitud" in page
    assert "Continuar borrador" in again.get(reverse("legajo:actualizar")).content.decode()


def test_submitting_shows_the_code_and_the_request_is_tracked(client, servant_user, legajo):
    with time_machine.travel("2026-03-10 15:00 -05:00"):
        client.force_login(servant_user)
        client.post(reverse("legajo:proponer_nuevo", args=["otros"]), form_data(SAMPLES["otros"]))
        response = submit_through_pages(client, "otros", "Adjunto la constancia.")
        tracking = client.get(reverse("legajo:seguimiento")).content.decode()
    page = response.content.decode()
    assert "Su solicitud fue enviada con el código SOL-2026-000001" in page
    submitted = ChangeRequest.objects.get(code="SOL-2026-000001")
    assert submitted.state == "en_solicitud" and submitted.comment == "Adjunto la constancia."
    assert "SOL-2026-000001" in tracking and "X. Otros" in tracking and "10/03/2026" in tracking
    assert "En solicitud" in tracking


def test_codes_are_sequential_and_restart_each_year(servant_user, legajo, other_user):
    other = other_user.servant.legajo
    codes = []
    for when, owner, key in [
        ("2026-12-31 23:00 -05:00", legajo, "otros"),
        ("2026-12-31 23:30 -05:00", other, "otros"),
        ("2027-01-01 00:10 -05:00", legajo, "meritos"),
        ("2027-01-02 09:00 -05:00", other, "meritos"),
    ]:
        section = get_section(key)
        services.propose_new(owner, section, SAMPLES[key])
        with time_machine.travel(when):
            codes.append(services.submit(draft_of(owner, key), "", None).code)
    # The year is Lima's: 31 Dec 23:30 in Lima is already 2027 in UTC.
    assert codes == ["SOL-2026-000001", "SOL-2026-000002", "SOL-2027-000001", "SOL-2027-000002"]


def test_an_empty_draft_cannot_be_sent(servant_user, legajo):
    section = get_section("otros")
    services.attach(legajo, section, _pdf())
    with pytest.raises(ValidationError, match="al menos un cambio"):
        services.submit(draft_of(legajo, "otros"), "", servant_user)


def test_a_pending_request_blocks_another_on_the_same_section(client, servant_user, legajo):
    section = get_section("otros")
    services.propose_new(legajo, section, SAMPLES["otros"])
    sent = services.submit(draft_of(legajo, "otros"), "", servant_user)
    with pytest.raises(ValidationError, match=f"Ya tiene la solicitud {sent.code} en trámite"):
        services.propose_new(legajo, section, SAMPLES["otros"])
    client.force_login(servant_user)
    page = client.get(edit_url("otros")).content.decode()
    assert f'Tiene la solicitud <a href="{reverse("legajo:solicitud", args=[sent.pk])}">' in page
    assert "Nuevo" not in page
    # Other sections are free.
    services.propose_new(legajo, get_section("meritos"), SAMPLES["meritos"])


def test_annulling_asks_for_confirmation_and_only_while_pending(client, servant_user, legajo):
    services.propose_new(legajo, get_section("otros"), SAMPLES["otros"])
    sent = services.submit(draft_of(legajo, "otros"), "", servant_user)
    client.force_login(servant_user)
    url = reverse("legajo:anular", args=[sent.pk])
    confirm = client.get(url).content.decode()
    assert f"¿Anular la solicitud {sent.code}?" in confirm and "Aceptar" in confirm
    sent.refresh_from_db()
    assert sent.state == "en_solicitud"
    page = client.post(url, follow=True).content.decode()
    assert f"La solicitud {sent.code} fue anulada." in page
    sent.refresh_from_db()
    assert sent.state == "anulado" and sent.decided_by == servant_user
    again = client.post(url, follow=True).content.decode()
    assert "ya fue anulada" in again


def test_request_detail_shows_before_after_attachments_and_decision(
    client, servant_user, legajo, specialist
):
    section = get_section("capacitaciones")
    item = section.items(legajo).get()
    services.propose_update(legajo, section, item.pk, {"horas": 120})
    services.attach(legajo, section, _pdf("certificado.pdf"))
    sent = services.submit(draft_of(legajo, "capacitaciones"), "", servant_user)
    services.decide(sent, specialist, False, "El certificado indica 40 horas.")
    client.force_login(servant_user)
    page = client.get(reverse("legajo:solicitud", args=[sent.pk])).content.decode()
    assert (
        '<tr class="changed"><th scope="row">Horas lectivas</th>'
        '<td data-label="Antes">40</td><td data-label="Después">120'
    ) in page
    assert "certificado.pdf" in page
    assert "El certificado indica 40 horas." in page
    assert "Rechazado" in page and "Anular solicitud" not in page


def _pdf(name="sustento.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

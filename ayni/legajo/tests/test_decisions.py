"""The specialist's side: Atender applies everything at once (with history), Rechazar needs
an observation, one decision wins, the servant is mailed."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ayni.legajo import services
from ayni.legajo.models import Action, ChangeRequest, Formacion, ItemHistory
from ayni.legajo.sections import get_section
from ayni.legajo.tests.factories import SAMPLES

pytestmark = pytest.mark.django_db


def pending_request(legajo, servant_user):
    """A request with one change of each kind on "Formación académica"."""
    section = get_section("formacion")
    kept = section.items(legajo).get()
    removed = Formacion.objects.create(
        legajo=legajo, **{**SAMPLES["formacion"], "nivel": "tecnico"}
    )
    services.propose_update(legajo, section, kept.pk, {"registro": "0999-2001"})
    services.propose_delete(legajo, section, removed)
    services.propose_new(legajo, section, {**SAMPLES["formacion"], "nivel": "maestria",
                                           "especialidad": "Gestión Educativa"})  # fmt: skip
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    return services.submit(draft, "", servant_user), kept, removed


def test_atender_through_the_page_really_changes_the_legajo(
    client, servant_user, legajo, specialist, django_capture_on_commit_callbacks
):
    change_request, kept, removed = pending_request(legajo, servant_user)
    client.force_login(specialist)
    review = client.get(reverse("legajo:revisar", args=[change_request.pk])).content.decode()
    assert "Actual en el legajo" in review and "Propuesto" in review
    assert "0123-2001" in review and "0999-2001" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("legajo:decidir", args=[change_request.pk]), {"decision": "atender"},
            follow=True,
        )  # fmt: skip
    assert "los cambios ya están en el legajo" in response.content.decode()

    # The legajo itself, read back from the database: every change is there.
    kept.refresh_from_db()
    assert kept.registro == "0999-2001"
    assert not Formacion.objects.filter(pk=removed.pk).exists()
    new = Formacion.objects.get(legajo=legajo, nivel="maestria")
    assert new.especialidad == "Gestión Educativa"
    change_request.refresh_from_db()
    assert change_request.state == "atendido" and change_request.decided_by == specialist
    assert change_request.changes.get(action=Action.CREATE).applied_item_id == new.pk

    # …and the servant sees it on "Mi legajo".
    client.force_login(servant_user)
    assert "Gestión Educativa" in client.get(reverse("legajo:mi_legajo")).content.decode()

    # History: before, after, who, when and the request, for each item.
    history = {h.item_id: h for h in ItemHistory.objects.filter(change_request=change_request)}
    assert history[kept.pk].action == Action.UPDATE
    assert history[kept.pk].before["registro"] == "0123-2001"
    assert history[kept.pk].after["registro"] == "0999-2001"
    assert history[removed.pk].action == Action.DELETE and history[removed.pk].after is None
    assert history[new.pk].action == Action.CREATE and history[new.pk].before is None
    assert {h.actor for h in history.values()} == {specialist}

    # The servant is told by mail.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [servant_user.email]
    assert mail.outbox[0].subject == f"Solicitud {change_request.code}: ATENDIDO"
    assert (
        f"{change_request.code} (II. Formación académica) fue atendida por la UGEL 07"
        in mail.outbox[0].body
    )


def test_rechazar_needs_an_observation(client, servant_user, legajo, specialist):
    change_request, kept, _ = pending_request(legajo, servant_user)
    client.force_login(specialist)
    url = reverse("legajo:decidir", args=[change_request.pk])
    page = client.post(url, {"decision": "rechazar", "observacion": "  "}, follow=True)
    assert "Escriba el motivo del rechazo" in page.content.decode()
    change_request.refresh_from_db()
    assert change_request.state == "en_solicitud"

    client.post(url, {"decision": "rechazar", "observacion": "Falta el diploma."})
    change_request.refresh_from_db()
    assert (change_request.state, change_request.observation) == ("rechazado", "Falta el diploma.")
    kept.refresh_from_db()
    assert kept.registro == "0123-2001"  # nothing applied
    assert not ItemHistory.objects.filter(change_request=change_request).exists()


def test_rejection_mail_carries_the_observation(
    servant_user, legajo, specialist, django_capture_on_commit_callbacks
):
    change_request, _, _ = pending_request(legajo, servant_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(change_request, specialist, False, "Falta el diploma.")
    assert mail.outbox[0].subject.endswith("RECHAZADO")
    assert "Observación del especialista: Falta el diploma." in mail.outbox[0].body
    assert reverse("legajo:solicitud", args=[change_request.pk]) in mail.outbox[0].body


def test_no_mail_for_a_servant_without_email(
    servant_user, legajo, specialist, django_capture_on_commit_callbacks
):
    servant_user.email = ""
    servant_user.save()
    change_request, _, _ = pending_request(legajo, servant_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(change_request, specialist, True)
    assert mail.outbox == []


def test_a_decided_request_cannot_be_decided_again(client, servant_user, legajo, specialist):
    change_request, kept, _ = pending_request(legajo, servant_user)
    services.decide(change_request, specialist, False, "No corresponde.")
    with pytest.raises(services.AlreadyDecided, match="ya fue rechazada"):
        services.decide(change_request, specialist, True)
    kept.refresh_from_db()
    assert kept.registro == "0123-2001"
    client.force_login(specialist)
    url = reverse("legajo:decidir", args=[change_request.pk])
    page = client.post(url, {"decision": "atender"}, follow=True).content.decode()
    assert "ya fue rechazada" in page and "no se hizo ningún cambio" in page


def test_an_annulled_request_cannot_be_attended(servant_user, legajo, specialist):
    change_request, _, _ = pending_request(legajo, servant_user)
    services.annul(change_request, servant_user)
    with pytest.raises(services.AlreadyDecided, match="ya fue anulada"):
        services.decide(change_request, specialist, True)


def test_one_failing_change_applies_nothing(servant_user, legajo, specialist):
    """All or nothing: if one item vanished meanwhile, the other changes are not applied."""
    change_request, kept, removed = pending_request(legajo, servant_user)
    Formacion.objects.filter(pk=removed.pk).delete()  # someone removed it directly
    with pytest.raises(ValidationError, match="ya no está en el legajo"):
        services.decide(change_request, specialist, True)
    kept.refresh_from_db()
    assert kept.registro == "0123-2001"
    assert not Formacion.objects.filter(legajo=legajo, nivel="maestria").exists()
    change_request.refresh_from_db()
    assert change_request.state == "en_solicitud"
    assert not ItemHistory.objects.filter(change_request=change_request).exists()


def test_only_the_changed_fields_are_applied(servant_user, legajo, specialist):
    """A specialist's direct edit made after the proposal is not overwritten by stale values."""
    section = get_section("capacitaciones")
    item = section.items(legajo).get()
    services.propose_update(legajo, section, item.pk, {"horas": 120})
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    change_request = services.submit(draft, "", servant_user)
    services.save_item(legajo, section, {"institucion": "DRE Lima Metropolitana"}, specialist,
                       item=item)  # fmt: skip
    services.decide(change_request, specialist, True)
    item.refresh_from_db()
    assert (item.horas, item.institucion) == (120, "DRE Lima Metropolitana")


def test_an_approved_datos_personales_update(servant_user, legajo, specialist):
    section = get_section("datos_personales")
    personal = section.items(legajo).get()
    services.propose_update(legajo, section, personal.pk, {"direccion": "Jr. Las Begonias 415"})
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    services.decide(services.submit(draft, "", servant_user), specialist, True)
    personal.refresh_from_db()
    assert personal.direccion == "Jr. Las Begonias 415"

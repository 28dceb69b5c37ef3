from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ayni.access.models import AccessRequest, RequestEvent
from ayni.access.tests.factories import AccessRequestFactory, HelpRequestFactory
from ayni.access.tests.helpers import PDF_BYTES
from ayni.accounts.tests.factories import UserFactory
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db
TRAY_URL = reverse("access:tray")


def detail_url(access_request):
    return reverse("access:detail", args=[access_request.code])


def decide_url(access_request, decision):
    return reverse("access:decide", args=[access_request.code, decision])


def attachment_url(access_request):
    return reverse("access:attachment", args=[access_request.code])


def codes(response):
    return [r.code for r in response.context["page"].object_list]


def test_the_tray_lists_only_the_administrators_ugels_oldest_first(client, admin07, ugel03):
    now = timezone.now()
    newer = AccessRequestFactory(created_at=now - timedelta(days=1))
    older = HelpRequestFactory(created_at=now - timedelta(days=3))
    AccessRequestFactory(unit=ugel03)  # another UGEL's
    school = Unit.objects.create(code="0321999", name="IE 9999", kind="IE", parent=older.unit)
    at_school = AccessRequestFactory(unit=school, created_at=now - timedelta(days=2))
    client.force_login(admin07)
    response = client.get(TRAY_URL)
    assert codes(response) == [older.code, at_school.code, newer.code]
    assert "Solicitudes de acceso" in response.content.decode()  # the menu entry


def test_a_dre_administrator_covers_its_ugels(client, ugel07, ugel03):
    dre_admin = StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL, unit=ugel07.parent).user
    requests = [AccessRequestFactory(unit=ugel07), AccessRequestFactory(unit=ugel03)]
    AccessRequestFactory(unit=Unit.objects.get(code="080006"))  # UGEL Canchis, DRE Cusco
    client.force_login(dre_admin)
    assert sorted(codes(client.get(TRAY_URL))) == sorted(r.code for r in requests)


def test_filters_by_state_and_kind(client, admin07):
    pending = AccessRequestFactory()
    observed = AccessRequestFactory(state=AccessRequest.State.OBSERVED)
    rejected = AccessRequestFactory(state=AccessRequest.State.REJECTED)
    ticket = HelpRequestFactory()
    client.force_login(admin07)
    assert set(codes(client.get(TRAY_URL))) == {pending.code, observed.code, ticket.code}
    assert codes(client.get(TRAY_URL, {"estado": "rechazada"})) == [rejected.code]
    assert codes(client.get(TRAY_URL, {"tipo": "ayuda"})) == [ticket.code]
    everything = codes(client.get(TRAY_URL, {"estado": "todas", "tipo": "alta"}))
    assert set(everything) == {pending.code, observed.code, rejected.code}
    assert client.get(TRAY_URL, {"estado": "inventado"}).status_code == 200


@pytest.mark.parametrize("role", [None, StaffRole.Role.ESCALAFON, StaffRole.Role.BOLETAS])
def test_the_tray_is_only_for_ugel_administrators(client, role):
    access_request = AccessRequestFactory()
    user = StaffRoleFactory(role=role).user if role else UserFactory()
    client.force_login(user)
    assert client.get(TRAY_URL).status_code == 403
    assert client.get(detail_url(access_request)).status_code == 404
    assert client.get(attachment_url(access_request)).status_code == 404
    refused = client.post(decide_url(access_request, "rechazar"), {"rechazar-text": "x"})
    assert refused.status_code == 404
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.IN_REVIEW


def test_the_tray_needs_a_login(client):
    access_request = AccessRequestFactory()
    for url in (TRAY_URL, detail_url(access_request), attachment_url(access_request)):
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))


def test_another_ugels_administrator_gets_404_for_every_request_url(client, admin03):
    access_request = AccessRequestFactory()
    ticket = HelpRequestFactory()
    client.force_login(admin03)
    assert codes(client.get(TRAY_URL)) == []
    for target in (access_request, ticket):
        assert client.get(detail_url(target)).status_code == 404
        assert client.get(attachment_url(target)).status_code == 404
        for decision in ("observar", "rechazar", "responder"):
            response = client.post(decide_url(target, decision), {f"{decision}-text": "No."})
            assert response.status_code == 404
        target.refresh_from_db()
        assert target.state == AccessRequest.State.IN_REVIEW
    assert mail.outbox == []


def test_the_detail_shows_the_request_and_is_audited(client, admin07):
    access_request = AccessRequestFactory(apellido_paterno="CONDORI", nombres="LUZ MARINA")
    client.force_login(admin07)
    page = client.get(detail_url(access_request)).content.decode()
    assert "CONDORI APAZA LUZ MARINA" in page
    assert access_request.email in page and "Nombrado" in page
    assert "No hay servidor ni cuenta con este documento." in page
    assert attachment_url(access_request) in page
    event = AuditEvent.objects.get(action="acceso.solicitud.ver")
    assert (event.actor, event.target_id) == (admin07, str(access_request.pk))


def test_the_detail_sets_the_existing_record_side_by_side(client, admin07):
    account = UserFactory(email="antiguo@example.pe")
    access_request = AccessRequestFactory(
        kind=AccessRequest.Kind.EMAIL_CHANGE, document_number=account.username
    )
    client.force_login(admin07)
    page = client.get(detail_url(access_request)).content.decode()
    assert account.servant.full_name in page
    assert "antiguo@example.pe" in page and access_request.email in page
    assert "Activa; nunca ingresó" in page


def test_records_kept_by_another_ugel_show_only_that_ugels_name(client, admin07, ugel03):
    servant = ServantFactory(unit=ugel03, nombres="PRIVADO")
    UserFactory(servant=servant, email="privado@example.pe")
    access_request = AccessRequestFactory(document_number=servant.document_number)
    client.force_login(admin07)
    page = client.get(detail_url(access_request)).content.decode()
    assert "Registrado en UGEL 03 BREÑA" in page
    assert "PRIVADO" not in page and "privado@example.pe" not in page


@pytest.mark.usefixtures("storage")
def test_the_attachment_is_served_to_the_covering_administrator_and_audited(client, admin07):
    access_request = AccessRequestFactory()
    client.force_login(admin07)
    response = client.get(attachment_url(access_request))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert access_request.code in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="acceso.adjunto.ver", actor=admin07).count() == 1


def test_the_stored_file_has_no_public_url(client, admin07, settings):
    access_request = AccessRequestFactory()
    assert access_request.code not in access_request.attachment.name
    assert access_request.document_number not in access_request.attachment.name
    client.force_login(admin07)
    public = client.get(settings.MEDIA_URL + access_request.attachment.name)
    assert public.status_code == 404


def test_observe_through_the_tray(client, admin07, committed):
    access_request = AccessRequestFactory()
    client.force_login(admin07)
    response = committed(
        client.post, decide_url(access_request, "observar"), {"observar-text": "Falta el reverso."}
    )
    assert response["Location"] == detail_url(access_request)
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.OBSERVED
    assert access_request.observation == "Falta el reverso."
    assert access_request.decided_at is None  # not a final decision
    assert AuditEvent.objects.filter(action="acceso.solicitud.observada", actor=admin07).exists()
    [message] = mail.outbox
    assert message.to == [access_request.email] and "Falta el reverso." in message.body


def test_reject_through_the_tray_is_final_mailed_and_audited(client, admin07, committed):
    access_request = AccessRequestFactory()
    client.force_login(admin07)
    committed(client.post, decide_url(access_request, "rechazar"), {"rechazar-text": "No labora."})
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.REJECTED
    assert (access_request.resolution, access_request.decided_by) == ("No labora.", admin07)
    assert access_request.decided_at is not None
    event = AuditEvent.objects.get(action="acceso.solicitud.rechazada")
    assert (event.actor, event.target_id) == (admin07, str(access_request.pk))
    assert "No labora." in mail.outbox[0].body
    assert access_request.events.filter(action=RequestEvent.Action.REJECTED).exists()

    again = client.post(decide_url(access_request, "observar"), {"observar-text": "Y ahora?"})
    assert again.status_code == 302
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.REJECTED
    page = client.get(again["Location"]).content.decode()
    assert "Esta solicitud ya fue decidida." in page


def test_a_decision_without_its_text_is_refused_with_the_field_named(client, admin07):
    access_request = AccessRequestFactory()
    client.force_login(admin07)
    response = client.post(decide_url(access_request, "rechazar"), {"rechazar-text": ""})
    assert response.status_code == 400
    assert response.context["forms"]["rechazar"].errors["text"] == ["Este campo es obligatorio."]
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.IN_REVIEW


def test_an_unknown_decision_is_404(client, admin07):
    access_request = AccessRequestFactory()
    client.force_login(admin07)
    assert client.post(decide_url(access_request, "borrar")).status_code == 404


def test_help_tickets_are_answered_by_mail_not_rejected(client, admin07, committed):
    ticket = HelpRequestFactory()
    client.force_login(admin07)
    page = client.get(detail_url(ticket)).content.decode()
    assert "No me llega el correo" in page and "Responder y cerrar" in page
    client.post(decide_url(ticket, "rechazar"), {"rechazar-text": "No."})
    ticket.refresh_from_db()
    assert ticket.state == AccessRequest.State.IN_REVIEW
    answer = {"responder-text": "Ya puede ingresar."}
    committed(client.post, decide_url(ticket, "responder"), answer)
    ticket.refresh_from_db()
    assert ticket.state == AccessRequest.State.ATTENDED
    assert "Ya puede ingresar." in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="acceso.ayuda.respondida", actor=admin07).exists()


def test_decisions_need_post(client, admin07):
    access_request = AccessRequestFactory()
    client.force_login(admin07)
    assert client.get(decide_url(access_request, "rechazar")).status_code == 405


def test_minedu_reads_requests_in_the_admin_without_changing_them(client):
    access_request = AccessRequestFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:access_accessrequest_changelist")).status_code == 200
    change = reverse("admin:access_accessrequest_change", args=[access_request.pk])
    page = client.get(change).content.decode()
    assert access_request.code in page and access_request.attachment.name not in page
    assert client.post(change, {"state": "aprobada"}).status_code == 403
    delete = reverse("admin:access_accessrequest_delete", args=[access_request.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.IN_REVIEW

"""Decisions that act on accounts through the accounts services: approve, resend, e-mail, unlock."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ayni.access.models import AccessRequest, RequestEvent
from ayni.access.tests.factories import AccessRequestFactory, HelpRequestFactory
from ayni.accounts.models import User
from ayni.accounts.tests.factories import UserFactory
from ayni.core.models import AuditEvent
from ayni.organizations.models import Servant, StaffRole
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db
GENERATE_SUBJECT = "Generar tu contraseña"


@pytest.fixture
def decide(client, admin07, committed):
    """POST a decision as UGEL 07's administrator; returns the message shown afterwards."""
    client.force_login(admin07)

    def post(access_request, decision, data=None):
        url = reverse("access:decide", args=[access_request.code, decision])
        response = committed(client.post, url, data or {})
        assert response.status_code == 302, response.status_code
        page = client.get(response["Location"])
        access_request.refresh_from_db()
        return [str(m) for m in page.context["messages"]]

    return post


def test_a_servant_created_on_approval_belongs_to_the_ugel_of_the_request(
    client, committed, ugel07
):
    """A DRE-level administrator approves: the servant goes to the UGEL the applicant
    named, not to the administrator's own DRE."""
    dre_lima = ugel07.parent
    admin = StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL, unit=dre_lima).user
    access_request = AccessRequestFactory(document_number="45678913", unit=ugel07)
    client.force_login(admin)
    url = reverse("access:decide", args=[access_request.code, "aprobar"])
    assert committed(client.post, url).status_code == 302
    access_request.refresh_from_db()
    assert access_request.state == AccessRequest.State.APPROVED
    servant = Servant.objects.get(document_number="45678913")
    assert servant.unit == ugel07 != dre_lima


def test_approving_a_new_account_creates_servant_and_account_and_mails_the_link(
    decide, admin07, ugel07
):
    access_request = AccessRequestFactory(document_number="45678912", email="Luz.C@example.pe")
    messages = decide(access_request, "aprobar")
    assert messages == ["Solicitud aprobada: se envió el correo «Generar tu contraseña»."]
    assert access_request.state == AccessRequest.State.APPROVED
    assert access_request.decided_by == admin07 and access_request.decided_at is not None
    account = User.objects.get(username="45678912")
    assert access_request.account == account
    assert account.email == "Luz.C@example.pe" and not account.has_usable_password()
    servant = Servant.objects.get(document_number="45678912")
    assert account.servant == servant
    assert (servant.apellido_paterno, servant.apellido_materno, servant.nombres) == (
        "CONDORI", "APAZA", "LUZ MARINA",
    )  # fmt: skip
    assert servant.unit == ugel07
    [message] = mail.outbox
    assert message.to == ["Luz.C@example.pe"] and GENERATE_SUBJECT in message.subject
    assert "/cuenta/contrasena/" in message.body
    event = AuditEvent.objects.get(action="acceso.solicitud.aprobada")
    assert (event.actor, event.target_id) == (admin07, str(access_request.pk))
    assert event.details["resultado"] == "creada"
    assert access_request.events.filter(action=RequestEvent.Action.APPROVED).exists()


def test_approving_an_email_change_updates_the_linked_account(decide):
    account = UserFactory(email="antiguo@example.pe")
    access_request = AccessRequestFactory(
        kind=AccessRequest.Kind.EMAIL_CHANGE, document_number=account.username,
        email="nuevo@example.pe",
    )  # fmt: skip
    decide(access_request, "aprobar")
    account.refresh_from_db()
    assert account.email == "nuevo@example.pe"
    assert access_request.account == account and access_request.state == "aprobada"
    assert [m.to for m in mail.outbox] == [["antiguo@example.pe"], ["nuevo@example.pe"]]
    assert AuditEvent.objects.filter(action="cuenta.correo_cambiado", target_id=str(account.pk))


def test_approving_for_an_account_that_already_has_that_email_still_sends_the_link(decide):
    account = UserFactory(email="mismo@example.pe")
    access_request = AccessRequestFactory(
        document_number=account.username, email="mismo@example.pe"
    )
    decide(access_request, "aprobar")
    assert access_request.state == AccessRequest.State.APPROVED
    [message] = mail.outbox
    assert message.to == ["mismo@example.pe"] and GENERATE_SUBJECT in message.subject


def test_an_email_of_another_active_account_is_refused_and_nothing_changes(decide):
    UserFactory(email="ocupado@example.pe")
    access_request = AccessRequestFactory(email="OCUPADO@example.pe")
    messages = decide(access_request, "aprobar")
    assert messages == ["Ese correo electrónico ya es de otra cuenta activa."]
    assert access_request.state == AccessRequest.State.IN_REVIEW
    assert not User.objects.filter(username=access_request.document_number).exists()
    assert not Servant.objects.filter(document_number=access_request.document_number).exists()
    assert mail.outbox == []


def test_a_servant_kept_by_another_ugel_cannot_be_approved_here(decide, ugel03):
    servant = ServantFactory(unit=ugel03)
    account = UserFactory(servant=servant, email="de.breña@example.pe")
    access_request = AccessRequestFactory(document_number=servant.document_number)
    messages = decide(access_request, "aprobar")
    assert messages == ["El servidor no pertenece a las unidades a su cargo."]
    account.refresh_from_db()
    assert account.email == "de.breña@example.pe"
    assert access_request.state == AccessRequest.State.IN_REVIEW and mail.outbox == []


def test_help_tickets_are_not_approved_and_access_requests_get_no_help_actions(decide):
    ticket = HelpRequestFactory()
    assert decide(ticket, "aprobar") == [
        "Una solicitud de ayuda se atiende respondiendo por correo."
    ]
    access_request = AccessRequestFactory()
    for decision in ("reenviar-correo", "desbloquear"):
        assert decide(access_request, decision) == ["Esta acción es para solicitudes de ayuda."]
    assert ticket.state == access_request.state == AccessRequest.State.IN_REVIEW


@pytest.fixture
def ticket_with_account():
    account = UserFactory(email="registrado@example.pe")
    ticket = HelpRequestFactory(document_number=account.username, email="otro@example.pe")
    return ticket, account


def test_resending_the_password_mail_goes_to_the_accounts_email(decide, ticket_with_account):
    ticket, account = ticket_with_account
    assert decide(ticket, "reenviar-correo") == ["Se reenvió el correo «Generar tu contraseña»."]
    [message] = mail.outbox
    assert message.to == ["registrado@example.pe"] and GENERATE_SUBJECT in message.subject
    assert ticket.state == AccessRequest.State.IN_REVIEW  # closed only by the answer
    assert ticket.events.filter(action=RequestEvent.Action.PASSWORD_MAIL).exists()
    assert AuditEvent.objects.filter(action="acceso.ayuda.correo_clave").exists()


def test_updating_the_email_from_a_ticket(decide, ticket_with_account):
    ticket, account = ticket_with_account
    decide(ticket, "cambiar-correo", {"cambiar-correo-email": "otro@example.pe"})
    account.refresh_from_db()
    assert account.email == "otro@example.pe"
    assert [m.to for m in mail.outbox] == [["registrado@example.pe"], ["otro@example.pe"]]
    assert "registrado@example.pe → otro@example.pe" in ticket.events.last().note


def test_a_bad_email_is_refused_with_the_field_named(client, admin07, ticket_with_account):
    ticket, account = ticket_with_account
    client.force_login(admin07)
    url = reverse("access:decide", args=[ticket.code, "cambiar-correo"])
    response = client.post(url, {"cambiar-correo-email": "no es correo"})
    assert response.status_code == 400
    assert "email" in response.context["forms"]["cambiar_correo"].errors
    account.refresh_from_db()
    assert account.email == "registrado@example.pe"


def test_unlocking_from_a_ticket_lifts_the_lockouts(decide, ticket_with_account):
    ticket, account = ticket_with_account
    for address in ("198.51.100.1", "198.51.100.2"):
        AccessAttempt.objects.create(
            username=account.username, ip_address=address, user_agent="x", http_accept="*/*",
            path_info="/cuenta/ingresar/", attempt_time=timezone.now(), get_data="",
            post_data="", failures_since_start=5,
        )  # fmt: skip
    assert decide(ticket, "desbloquear") == ["Cuenta desbloqueada."]
    assert not AccessAttempt.objects.filter(username=account.username).exists()
    assert "bloqueos levantados: 2" in ticket.events.last().note
    assert AuditEvent.objects.filter(action="cuenta.desbloqueada").exists()


def test_help_actions_need_an_account_the_administrator_covers(decide, ugel03):
    lonely = HelpRequestFactory()
    message = "No hay una cuenta con este documento en las unidades a su cargo."
    assert decide(lonely, "reenviar-correo") == [message]
    servant = ServantFactory(unit=ugel03)
    UserFactory(servant=servant)
    elsewhere = HelpRequestFactory(document_number=servant.document_number)
    assert decide(elsewhere, "desbloquear") == [
        f"{message} El documento está registrado en UGEL 03 BREÑA."
    ]
    assert mail.outbox == []


@pytest.mark.parametrize(
    "decision", ["aprobar", "reenviar-correo", "cambiar-correo", "desbloquear"]
)
def test_another_ugels_administrator_cannot_act(client, admin03, decision):
    account = UserFactory()
    ticket = HelpRequestFactory(document_number=account.username)
    access_request = AccessRequestFactory()
    client.force_login(admin03)
    for target in (ticket, access_request):
        url = reverse("access:decide", args=[target.code, decision])
        assert client.post(url, {"cambiar-correo-email": "x@example.pe"}).status_code == 404
    assert User.objects.count() == 2  # the account and admin03's own
    assert mail.outbox == []

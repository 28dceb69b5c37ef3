"""Who may manage whom: every role × every kind of target × every path that writes on an account.

The expected table is written out by hand; each path is then run for real (services, and
the access tray's decisions) and must agree with it: allowed paths go through, refused
ones change nothing and send no mail.
"""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ayni.access import services as access
from ayni.access.models import AccessRequest
from ayni.access.tests.factories import AccessRequestFactory, HelpRequestFactory
from ayni.accounts import services as accounts
from ayni.accounts.models import User
from ayni.accounts.tests.factories import UserFactory
from ayni.organizations import authority
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db

UGEL07, UGEL06, DRE_LIMA, UGEL_CHACHAPOYAS = "150108", "150107", "150101", "010001"
Role = StaffRole.Role

ACTORS = [
    "admin UGEL 07",
    "admin DRE Lima",
    "superusuario",
    "especialista UGEL 07",
    "admin de boletas UGEL 07",
    "servidor",
]
TARGETS = [
    "servidor UGEL 07",
    "servidor UGEL 06",
    "servidor otra DRE",
    "especialista UGEL 07",
    "admin UGEL 07 (par)",
    "admin DRE Lima (par)",
    "personal sin registro de servidor",
    "acceso al administrador",
    "superusuario",
    "superusuario sin registro de servidor",
    "sí mismo",
]
# Which targets each actor may manage (account management: create, e-mail, mails, unlock).
MAY_MANAGE = {
    "admin UGEL 07": {"servidor UGEL 07"},
    "admin DRE Lima": {
        "servidor UGEL 07",
        "servidor UGEL 06",
        "especialista UGEL 07",
        "admin UGEL 07 (par)",
        "personal sin registro de servidor",
    },
    "superusuario": set(TARGETS) - {"sí mismo"},
    "especialista UGEL 07": set(),
    "admin de boletas UGEL 07": set(),
    "servidor": set(),
}


def _unit(code):
    return Unit.objects.get(code=code)


def _account(unit_code=UGEL07, *, role=None, role_unit=UGEL07, servant=True, **fields):
    account = UserFactory(
        servant=ServantFactory(unit=_unit(unit_code)) if servant else None, **fields
    )
    if role:
        StaffRoleFactory(user=account, role=role, unit=_unit(role_unit))
    return account


@pytest.fixture
def people():
    actors = {
        "admin UGEL 07": _account(role=Role.ADMIN_UGEL),
        "admin DRE Lima": _account(DRE_LIMA, role=Role.ADMIN_UGEL, role_unit=DRE_LIMA),
        "superusuario": _account(is_staff=True, is_superuser=True),
        "especialista UGEL 07": _account(role=Role.ESCALAFON),
        "admin de boletas UGEL 07": _account(role=Role.BOLETAS),
        "servidor": _account(),
    }
    targets = {
        "servidor UGEL 07": _account(),
        "servidor UGEL 06": _account(UGEL06),
        "servidor otra DRE": _account(UGEL_CHACHAPOYAS),
        "especialista UGEL 07": _account(role=Role.ESCALAFON),
        "admin UGEL 07 (par)": _account(role=Role.ADMIN_UGEL),
        "admin DRE Lima (par)": _account(DRE_LIMA, role=Role.ADMIN_UGEL, role_unit=DRE_LIMA),
        "personal sin registro de servidor": _account(role=Role.BOLETAS, servant=False),
        "acceso al administrador": _account(is_staff=True),
        "superusuario": _account(is_staff=True, is_superuser=True),
        "superusuario sin registro de servidor": _account(
            servant=False, is_staff=True, is_superuser=True
        ),
    }
    return actors, targets


def _target(people, actor_name, target_name):
    actors, targets = people
    actor = actors[actor_name]
    return actor, actor if target_name == "sí mismo" else targets[target_name]


CASES = [(actor, target) for actor in ACTORS for target in TARGETS]


@pytest.mark.parametrize(("actor_name", "target_name"), CASES)
def test_the_rule(people, actor_name, target_name):
    actor, target = _target(people, actor_name, target_name)
    allowed = target_name in MAY_MANAGE[actor_name]
    assert authority.may_act_on(actor, target, Role.ADMIN_UGEL) is allowed
    if target.servant_id:
        assert authority.may_act_on(actor, target.servant, Role.ADMIN_UGEL) is allowed


def _provision(actor, target):
    done = accounts.provision(
        actor, document_type="DNI", document_number=target.username, email=target.email
    )
    return done.outcome != accounts.CONFLICT


def _change_email(actor, target):
    accounts.change_email(actor, target, f"nuevo.{target.username}@example.pe", "Perdió su correo")
    return True


def _resend(actor, target):
    accounts.resend_password_setup_mail(actor, target)
    return True


def _bulk(actor, target):
    row = accounts.BulkRow(2, "DNI", target.username, target.email, ("", "", ""))
    [result] = accounts.provision_rows(actor, [row])
    if result.outcome == accounts.REFUSED:
        raise PermissionDenied(result.detail)
    return result.outcome != accounts.ERROR


def _unlock(actor, target):
    accounts.unlock_account(actor, target)
    return True


def _approve_access(actor, target):
    request = AccessRequestFactory(
        kind=AccessRequest.Kind.EMAIL_CHANGE, document_number=target.username,
        email=f"nuevo.{target.username}@example.pe", unit=_unit(UGEL07),
    )  # fmt: skip
    access.approve(actor, request)
    return True


def _help(action):
    def run(actor, target):
        ticket = HelpRequestFactory(document_number=target.username, unit=_unit(UGEL07))
        action(actor, ticket)
        return True

    return run


PATHS = {
    "nueva cuenta": _provision,
    "cambiar correo": _change_email,
    "reenviar enlace": _resend,
    "carga masiva": _bulk,
    "desbloquear": _unlock,
    "aprobar solicitud de acceso": _approve_access,
    "ayuda: reenviar enlace": _help(access.resend_password_mail),
    "ayuda: cambiar correo": _help(
        lambda actor, ticket: access.change_account_email(
            actor, ticket, f"otro.{ticket.document_number}@example.pe"
        )
    ),
    "ayuda: desbloquear": _help(access.unlock),
}


# An account without a servant record is never linked to one by provisioning, whoever asks:
# the MINEDU reviews it in the Django admin.
NEEDS_SERVANT_RECORD = {"nueva cuenta", "carga masiva", "aprobar solicitud de acceso"}


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize(("actor_name", "target_name"), CASES)
def test_every_path_follows_the_rule(
    people, actor_name, target_name, path, django_capture_on_commit_callbacks
):
    actor, target = _target(people, actor_name, target_name)
    AccessAttempt.objects.create(
        username=target.username, ip_address="192.0.2.9", user_agent="x", http_accept="*/*",
        path_info="/cuenta/ingresar/", attempt_time=timezone.now(), get_data="", post_data="",
        failures_since_start=5,
    )  # fmt: skip
    before = User.objects.values().get(pk=target.pk)
    mail.outbox.clear()
    went_through = False
    with django_capture_on_commit_callbacks(execute=True):
        try:
            went_through = PATHS[path](actor, target)
        except (PermissionDenied, ValidationError, access.DecisionError):
            went_through = False
    allowed = target_name in MAY_MANAGE[actor_name] and not (
        path in NEEDS_SERVANT_RECORD and target.servant_id is None
    )
    assert went_through is allowed
    if not allowed:
        assert User.objects.values().get(pk=target.pk) == before
        assert AccessAttempt.objects.filter(username=target.username).exists()
        assert mail.outbox == []

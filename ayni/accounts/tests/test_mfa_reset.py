"""Losing the second factor: the level above resets it (`mfa.reset_second_factor`), through
the one rule of `authority`; from the UGEL administrator's account list and the Django admin."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ayni.accounts import events, mfa
from ayni.accounts.tests.factories import UserFactory
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db

UGEL07, DRE_LIMA = "150108", "150101"
Role = StaffRole.Role


def _with_role(role, code, **user_fields):
    user = UserFactory(servant=ServantFactory(unit=Unit.objects.get(code=code)), **user_fields)
    StaffRoleFactory(user=user, role=role, unit=Unit.objects.get(code=code))
    return user


@pytest.fixture
def people():
    return {
        "admin UGEL": _with_role(Role.ADMIN_UGEL, UGEL07),
        "otro admin UGEL": _with_role(Role.ADMIN_UGEL, UGEL07),
        "admin DRE": _with_role(Role.ADMIN_UGEL, DRE_LIMA),
        "especialista UGEL": _with_role(Role.ESCALAFON, UGEL07),
        "servidor": UserFactory(servant=ServantFactory(unit=Unit.objects.get(code=UGEL07))),
        "superusuario": UserFactory(is_staff=True, is_superuser=True),
        "otro superusuario": UserFactory(is_staff=True, is_superuser=True),
    }


# (actor, account, may reset)
RULES = [
    ("admin UGEL", "servidor", True),
    ("admin UGEL", "especialista UGEL", False),  # UGEL staff: the level above
    ("admin UGEL", "otro admin UGEL", False),  # a peer
    ("admin UGEL", "superusuario", False),
    ("admin DRE", "especialista UGEL", True),
    ("admin DRE", "admin UGEL", True),
    ("admin DRE", "servidor", True),
    ("admin DRE", "superusuario", False),
    ("especialista UGEL", "servidor", False),  # not an account administrator
    ("servidor", "servidor", False),
    ("superusuario", "admin DRE", True),
    ("superusuario", "otro superusuario", True),
    ("admin UGEL", "admin UGEL", False),  # nobody resets their own
    ("admin DRE", "admin DRE", False),
    ("superusuario", "superusuario", False),
]


def _devices(user):
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    StaticDevice.objects.create(user=user, name=mfa.RECOVERY_NAME, confirmed=True)
    WebAuthnCredential.objects.create(
        user=user, name="llave", credential_id_sha256="ab" * 32, credential_id=b"x",
        public_key=b"y", sign_count=0, confirmed=True,
    )  # fmt: skip


@pytest.mark.parametrize(("actor", "account", "allowed"), RULES)
def test_who_may_reset_whose_second_factor(people, actor, account, allowed, mailoutbox, rf):
    actor, account = people[actor], people[account]
    _devices(account)
    request = rf.post("/")
    request.user = actor
    if allowed:
        removed = mfa.reset_second_factor(actor, account, "Perdió su teléfono", request)
        assert removed == 3
        assert not mfa.has_second_factor(account)
        assert not WebAuthnCredential.objects.filter(user=account).exists()
        event = AuditEvent.objects.get(action=events.MFA_RESET)
        assert event.actor == actor and event.target_id == str(account.pk)
        assert event.details["motivo"] == "Perdió su teléfono"
    else:
        with pytest.raises(PermissionDenied):
            mfa.reset_second_factor(actor, account, "Perdió su teléfono", request)
        assert mfa.has_second_factor(account)
        assert AuditEvent.objects.filter(
            action=events.ACTION_REFUSED, outcome=AuditEvent.Outcome.DENIED
        ).exists()
        assert not AuditEvent.objects.filter(action=events.MFA_RESET).exists()


def test_the_account_is_told_by_mail(people, django_capture_on_commit_callbacks):
    account = people["servidor"]
    _devices(account)
    with django_capture_on_commit_callbacks(execute=True):
        mfa.reset_second_factor(people["admin UGEL"], account, "Perdió su teléfono")
    [message] = mail.outbox
    assert message.to == [account.email]
    assert "restablecida" in message.body and account.username in message.body


def test_a_reason_is_required(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        mfa.reset_second_factor(people["admin UGEL"], people["servidor"], "  ")


def test_the_account_list_offers_the_reset_and_it_works(
    people, client, django_capture_on_commit_callbacks
):
    admin, servant, specialist = (
        people["admin UGEL"],
        people["servidor"],
        people["especialista UGEL"],
    )
    _devices(servant)
    client.force_login(admin)
    page = client.get(reverse("accounts:manage"), {"q": servant.username}).content.decode()
    url = reverse("accounts:mfa-reset", args=[servant.pk])
    assert url in page
    page = client.get(reverse("accounts:manage"), {"q": specialist.username}).content.decode()
    assert reverse("accounts:mfa-reset", args=[specialist.pk]) not in page  # shows the refusal

    assert "Motivo" in client.get(url).content.decode()
    assert "Escriba el motivo" in client.post(url, {"reason": ""}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Perdió su teléfono"})
    assert response["Location"] == f"{reverse('accounts:manage')}?q={servant.username}"
    assert not mfa.has_second_factor(servant)
    assert len(mail.outbox) == 1

    _devices(specialist)
    response = client.post(
        reverse("accounts:mfa-reset", args=[specialist.pk]), {"reason": "Perdió su teléfono"}
    )
    assert "la gestiona el nivel superior" in response.content.decode()
    assert mfa.has_second_factor(specialist)


def test_superusers_reset_from_the_django_admin(people, client):
    superuser, other, specialist = (
        people["superusuario"],
        people["otro superusuario"],
        people["especialista UGEL"],
    )
    _devices(specialist)
    client.force_login(superuser)
    changelist = reverse("admin:accounts_user_changelist")
    data = {"action": "reset_second_factor", "_selected_action": [specialist.pk, superuser.pk]}
    asked = client.post(changelist, data)
    assert "Restablecer la verificación en dos pasos" in asked.content.decode()
    assert mfa.has_second_factor(specialist)

    done = client.post(changelist, {**data, "apply": "1", "reason": "Perdió su llave"}, follow=True)
    text = done.content.decode()
    assert "Verificaciones restablecidas: 1" in text
    assert "No puede atender su propio caso" in text  # the superuser's own account
    assert not mfa.has_second_factor(specialist)

    client.force_login(other)
    assert client.get(changelist).status_code == 200


def test_the_admin_action_is_for_superusers_only(people, client):
    staff_user = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(*Permission.objects.filter(codename__endswith="_user"))
    client.force_login(staff_user)
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "reset_second_factor" not in page

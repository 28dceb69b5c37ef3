"""The second sign-in step: who is asked, what is reachable before it, codes, throttling,
recovery codes, turning it on and off, the demo secrets and their deploy check."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ayni.accounts import checks, events, mfa
from ayni.accounts.demo import DEMO_TOTP_SECRETS
from ayni.accounts.models import User
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import post_login, totp_code
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.password_step_only]

VERIFY = reverse("accounts:mfa-verify")
SETUP = reverse("accounts:mfa-setup")
# A page of each kind: home, a servant's own page, a staff page, the Django admin.
PAGES = ["/", reverse("accounts:sign-ins"), reverse("accounts:manage"), "/admin/"]


def staff(role=StaffRole.Role.ADMIN_UGEL):
    return StaffRoleFactory(role=role).user


def with_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code_of(device) -> str:
    device.refresh_from_db()
    return totp_code(device.bin_key, device.last_t)


def signed_in(client, user):
    """Through the real login form: password and CAPTCHA, the first step only."""
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    return response


def actions(user):
    return list(
        AuditEvent.objects.filter(target_id=str(user.pk), action__startswith="verificacion.")
        .order_by("id")
        .values_list("action", "outcome")
    )


# --- Who is asked, and what is reachable before --------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: staff(StaffRole.Role.ESCALAFON), id="especialista"),
        pytest.param(lambda: staff(StaffRole.Role.BOLETAS), id="admin boletas"),
        pytest.param(lambda: staff(StaffRole.Role.ADMIN_UGEL), id="admin UGEL"),
        pytest.param(lambda: UserFactory(is_staff=True), id="is_staff"),
        pytest.param(lambda: UserFactory(is_staff=True, is_superuser=True), id="superusuario"),
    ],
)
def test_staff_without_a_device_reach_only_the_set_up(client, make):
    user = make()
    assert signed_in(client, user)["Location"] == "/"
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(f"{SETUP}?next="), page
    assert client.get(SETUP).status_code == 200
    assert client.get(reverse("accounts:mfa-setup-qr")).status_code == 200
    assert client.get(VERIFY)["Location"].startswith(SETUP)


def test_staff_with_a_device_reach_only_the_verification(client):
    user = staff()
    with_app(user)
    signed_in(client, user)
    for page in [*PAGES, SETUP, reverse("accounts:mfa-setup-qr"), reverse("accounts:mfa")]:
        response = client.get(page)
        assert response.status_code in (302, 403), page
        if response.status_code == 302:
            assert response["Location"].startswith(VERIFY), page
    verify = client.get(VERIFY)
    assert verify.status_code == 200
    assert 'aria-label="Menú principal"' not in verify.content.decode()  # no menu to nowhere
    # Posting forms of other pages is refused the same way (no next for a POST).
    response = client.post(reverse("accounts:mfa-codes"))
    assert response.status_code == 302 and response["Location"] == VERIFY


def test_next_is_kept_through_the_verification(client):
    user = staff()
    device = with_app(user)
    signed_in(client, user)
    response = client.get(reverse("accounts:manage"), {"q": "x"})
    assert response["Location"] == f"{VERIFY}?next=%2Fcuenta%2Fgestion%2F%3Fq%3Dx"
    response = client.post(
        VERIFY, {"code": code_of(device), "next": "/cuenta/gestion/?q=x"}, follow=False
    )
    assert response["Location"] == "/cuenta/gestion/?q=x"
    assert client.get(reverse("accounts:manage")).status_code == 200


def test_signing_out_works_before_the_second_step(client):
    user = staff()
    with_app(user)
    signed_in(client, user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith(reverse("accounts:login"))


def test_the_installable_apps_files_load_before_the_second_step(client):
    user = staff()
    with_app(user)
    signed_in(client, user)
    for path in ("/manifest.webmanifest", "/sw.js", "/sin-conexion/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/").status_code == 302  # the pages still wait for the second step


def test_the_admin_itself_asks_for_verification(rf):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    user = UserFactory(is_staff=True, is_superuser=True)
    request = rf.get("/admin/")
    request.session = SessionStore()
    request.user = user
    user.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_servants_are_not_asked_unless_they_turned_it_on(client):
    servant = UserFactory()
    signed_in(client, servant)
    for page in ["/", reverse("accounts:sign-ins"), reverse("accounts:mfa")]:
        assert client.get(page).status_code == 200, page
    client.post(reverse("accounts:logout"))

    with_app(servant)
    signed_in(client, servant)
    assert client.get("/")["Location"].startswith(VERIFY)


def test_servants_cost_no_query_per_request_for_it(client):
    servant = UserFactory()
    signed_in(client, servant)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:sign-ins"))
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "otp_totp" not in sql and "otp_static" not in sql and "webauthn" not in sql


def test_a_role_given_to_a_signed_in_servant_is_asked_at_the_next_sign_in(client):
    servant = UserFactory()
    signed_in(client, servant)
    StaffRoleFactory(user=servant, role=StaffRole.Role.ESCALAFON)
    client.post(reverse("accounts:logout"))
    signed_in(client, servant)
    assert client.get("/")["Location"].startswith(SETUP)


# --- Setting up an authenticator app --------------------------------------------------


def _secret(response) -> bytes:
    text = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', response.content.decode()).group(1)
    return b32decode(text.replace(" ", ""))


def test_set_up_an_app_then_see_ten_recovery_codes_once(client):
    user = staff()
    signed_in(client, user)
    page = client.get(SETUP)
    assert "Configurar verificación en dos pasos" in page.content.decode()
    key = _secret(page)
    qr = client.get(reverse("accounts:mfa-setup-qr"))
    assert qr["Content-Type"] == "image/svg+xml" and "no-store" in qr["Cache-Control"]
    assert b"<svg" in qr.content

    wrong = client.post(SETUP, {"code": f"{(totp(key) + 1) % 1_000_000:06d}"})
    assert "no es correcto" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    throttled = client.post(SETUP, {"code": f"{totp(key):06d}"})
    assert "Demasiados intentos" in throttled.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=True):
        done = client.post(SETUP, {"code": f"{totp(key):06d}", "next": "/"})
    assert done["Location"].startswith(reverse("accounts:mfa-codes"))
    shown = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4})</code>", shown)
    assert len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)
    )
    assert client.get(done["Location"])["Location"] == reverse("accounts:mfa")  # once only
    assert client.get(reverse("accounts:manage")).status_code == 200  # verified now
    assert (events.MFA_ENROLL_FAILED, AuditEvent.Outcome.FAILED) in actions(user)
    assert (events.MFA_ENROLLED, AuditEvent.Outcome.OK) in actions(user)


def test_the_set_up_page_does_not_let_a_device_holder_skip_the_verification(client):
    user = staff()
    with_app(user)
    signed_in(client, user)
    key_before = TOTPDevice.objects.get(user=user).key
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.get(reverse("accounts:mfa-setup-qr")).status_code in (302, 403)
    response = client.post(SETUP, {"code": "123456"})
    assert response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) == [key_before]


def test_a_passkey_cannot_be_registered_to_skip_the_verification(client):
    user = staff()
    with_app(user)
    signed_in(client, user)
    response = client.post(
        reverse("accounts:passkey-register-begin"), content_type="application/json"
    )
    assert response.status_code == 403


def test_passwordless_passkey_sign_in_is_off(client):
    response = client.post(reverse("accounts:passkey-auth-begin"), content_type="application/json")
    assert response.status_code in (302, 403)


# --- Verifying: codes, throttling, recovery codes --------------------------------------


def test_a_wrong_code_is_refused_and_the_right_one_accepted_once(client):
    user = staff()
    device = with_app(user)
    signed_in(client, user)
    response = client.post(VERIFY, {"code": "000000" if totp(device.bin_key) else "111111"})
    assert response.status_code == 200
    assert "no es correcto" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)

    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=True):
        code = code_of(device)
        assert client.post(VERIFY, {"code": code})["Location"] == "/"
        assert client.get("/").status_code == 200
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        # The same code does not open a second session.
        other = type(client)()
        signed_in(other, user)
        assert "no es correcto" in other.post(VERIFY, {"code": code}).content.decode()
    assert [action for action, _ in actions(user)] == [
        events.MFA_FAILED,
        events.MFA_OK,
        events.MFA_FAILED,
    ]


def test_failures_are_throttled_even_for_the_right_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    user = staff()
    device = with_app(user)
    signed_in(client, user)
    client.post(VERIFY, {"code": "999999" if totp(device.bin_key) != 999999 else "888888"})
    refused = client.post(VERIFY, {"code": code_of(device)})
    assert "Demasiados intentos" in refused.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a throttled try is not even checked
    last = AuditEvent.objects.filter(action=events.MFA_FAILED).latest("id")
    assert last.details["limitado"] is True
    # 10 × 2^(1-1) = 10 seconds later the right code works again.
    with time_machine.travel(timezone.now() + timedelta(seconds=11), tick=True):
        assert client.post(VERIFY, {"code": code_of(device)})["Location"] == "/"


def test_throttling_is_on_in_the_settings(settings):
    assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1
    assert settings.OTP_STATIC_THROTTLE_FACTOR >= 1


def test_a_recovery_code_works_once(client):
    user = staff()
    with_app(user)
    signed_in(client, user)
    device = StaticDevice.objects.create(user=user, name=mfa.RECOVERY_NAME, confirmed=True)
    device.token_set.create(token="abcd-efgh")
    device.token_set.create(token="jkmn-pqrs")

    response = client.post(VERIFY, {"code": " ABCD EFGH "}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "le quedan 1" in response.content.decode()
    client.post(reverse("accounts:logout"))

    signed_in(client, user)
    assert "no es correcto" in client.post(VERIFY, {"code": "abcd-efgh"}).content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=True):  # throttled 1 s
        assert client.post(VERIFY, {"code": "jkmnpqrs"})["Location"] == "/"


def test_the_page_after_the_set_up_keeps_a_next_with_a_query(client):
    user = staff()
    signed_in(client, user)
    key = _secret(client.get(SETUP))
    done = client.post(SETUP, {"code": f"{totp(key):06d}", "next": "/cuenta/gestion/?q=a&x=b"})
    assert done["Location"] == (
        f"{reverse('accounts:mfa-codes')}?next=%2Fcuenta%2Fgestion%2F%3Fq%3Da%26x%3Db"
    )
    assert 'href="/cuenta/gestion/?q=a&amp;x=b"' in client.get(done["Location"]).content.decode()


def test_a_passkey_added_later_keeps_the_recovery_codes(client):
    user = staff()
    device = with_app(user)
    signed_in(client, user)
    client.post(VERIFY, {"code": code_of(device)})
    first = client.get(SETUP).content.decode()
    assert f'method="post" action="{reverse("accounts:mfa-codes")}" id="passkey-done"' in first
    client.post(reverse("accounts:mfa-codes"))
    again = client.get(SETUP).content.decode()
    assert f'method="get" action="{reverse("accounts:mfa")}" id="passkey-done"' in again


def test_new_recovery_codes_replace_the_old_ones(client):
    user = staff()
    device = with_app(user)
    signed_in(client, user)
    client.post(VERIFY, {"code": code_of(device)})
    client.post(reverse("accounts:mfa-codes"))
    first = list(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
    response = client.post(reverse("accounts:mfa-codes"))
    shown = client.get(response["Location"]).content.decode()
    second = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4})</code>", shown)
    assert len(second) == 10 and not set(first) & set(second)
    assert StaticDevice.objects.filter(user=user).count() == 1


# --- Servants turn it on and off --------------------------------------------------------


def test_a_servant_turns_it_on_and_off(client):
    servant = UserFactory()
    signed_in(client, servant)
    page = client.get(reverse("accounts:mfa")).content.decode()
    assert "Desactivada" in page and "Activar" in page
    key = _secret(client.get(SETUP))
    client.post(SETUP, {"code": f"{totp(key):06d}"})
    assert "Activada" in client.get(reverse("accounts:mfa")).content.decode()
    device = TOTPDevice.objects.get(user=servant, confirmed=True)

    off = reverse("accounts:mfa-turn-off")
    response = client.post(off, {"password": "otra", "code": "123456"}, follow=True)
    assert "no son correctos" in response.content.decode()
    assert mfa.has_second_factor(servant)
    response = client.post(off, {"password": PASSWORD, "code": "12"}, follow=True)
    assert "no son correctos" in response.content.decode()
    assert mfa.has_second_factor(servant)
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=True):
        response = client.post(off, {"password": PASSWORD, "code": code_of(device)}, follow=True)
        assert "Se desactivó" in response.content.decode()
    assert not mfa.has_second_factor(servant)
    assert (events.MFA_TURNED_OFF, AuditEvent.Outcome.OK) in actions(servant)
    client.post(reverse("accounts:logout"))
    signed_in(client, servant)
    assert client.get("/").status_code == 200


def test_staff_cannot_turn_it_off(client):
    user = staff()
    device = with_app(user)
    signed_in(client, user)
    client.post(VERIFY, {"code": code_of(device)})
    assert "Desactivar" not in client.get(reverse("accounts:mfa")).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=True):
        response = client.post(
            reverse("accounts:mfa-turn-off"),
            {"password": PASSWORD, "code": code_of(device)},
            follow=True,
        )
    assert "no puede desactivar" in response.content.decode()
    assert mfa.has_second_factor(user)


# --- Demo secrets ------------------------------------------------------------------------


def test_seed_gives_the_staff_demo_accounts_the_readme_secrets():
    call_command("seed_demo", "--servidores", "0", verbosity=0)
    for username, secret in DEMO_TOTP_SECRETS.items():
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.bin_key == b32decode(secret)
    assert not TOTPDevice.objects.filter(user__username="40000001").exists()
    call_command("seed_demo", "--servidores", "0", verbosity=0)  # idempotent
    assert TOTPDevice.objects.count() == len(DEMO_TOTP_SECRETS)
    assert checks.no_demo_totp_secret(None)[0].id == "ayni.accounts.E002"


def test_the_deploy_check_errs_only_while_a_demo_secret_exists():
    assert checks.no_demo_totp_secret(None) == []
    user = UserFactory()
    device = TOTPDevice.objects.create(
        user=user, key=b32decode(DEMO_TOTP_SECRETS["40000102"]).hex(), confirmed=True
    )
    [error] = checks.no_demo_totp_secret(None)
    assert error.level >= 40 and user.username in error.msg
    device.delete()
    assert checks.no_demo_totp_secret(None) == []


def test_a_verified_session_survives_nothing_of_a_reset_device(client):
    user = staff()
    device = with_app(user)
    signed_in(client, user)
    client.post(VERIFY, {"code": code_of(device)})
    assert client.get("/").status_code == 200
    User.objects.get(pk=user.pk)  # same account
    TOTPDevice.objects.filter(user=user).delete()
    assert client.get("/")["Location"].startswith(SETUP)


def test_an_expired_session_ends_before_the_second_step_is_asked(client, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 600  # ends before the 30-minute idle timeout
    user = staff()
    with_app(user)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        signed_in(client, user)
        assert client.get("/")["Location"].startswith(VERIFY)
        traveller.move_to(start + timedelta(minutes=11))
        response = client.get("/")
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_redirect_to_the_second_step_carries_the_security_headers(client):
    user = staff()
    signed_in(client, user)
    response = client.get("/")
    assert response["Location"].startswith(SETUP)
    assert "Content-Security-Policy" in response
    assert "no-store" in response["Cache-Control"]

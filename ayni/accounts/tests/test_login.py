from datetime import timedelta

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from ayni.accounts import events
from ayni.accounts.checks import captcha_test_mode_is_off
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import captcha_answer, post_login
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
HOME = reverse("core:home")


def _signed_in_user(client):
    return client.get(HOME).wsgi_request.user


def test_login_page_has_the_fields_captcha_and_links(client):
    page = client.get(LOGIN).content.decode()
    assert "Ingrese sus credenciales" in page
    for label in (
        'for="id_username">Usuario',
        'for="id_password">Contraseña',
        'for="id_captcha_1">CAPTCHA',
    ):
        assert label in page
    assert 'type="password" name="password"' in page  # masked (ASVS 6.2.6)
    assert ">Iniciar sesión</button>" in page
    assert reverse("accounts:password-generate") in page and ">Generar contraseña<" in page
    assert reverse("accounts:password-forgot") in page and "¿Olvidaste la contraseña?" in page
    assert '<button type="button" class="captcha-refresh' in page and "Otra imagen" in page


def test_right_credentials_and_captcha_sign_in(client):
    user = UserFactory()
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == HOME
    assert _signed_in_user(client) == user


def test_a_wrong_captcha_tries_no_password(client):
    user = UserFactory()
    data = {"username": user.username, "password": "Equivocada1", **captcha_answer()}
    data["captcha_1"] = "nope"
    response = client.post(LOGIN, data)
    assert response.status_code == 200
    assert "El CAPTCHA no es correcto" in response.content.decode()
    assert "Usuario o contraseña incorrectos" not in response.content.decode()
    assert not _signed_in_user(client).is_authenticated
    assert not AuditEvent.objects.filter(action__startswith="ingreso.").exists()


def test_the_captcha_cannot_be_omitted(client):
    user = UserFactory()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert "Escriba los números de la imagen (CAPTCHA)." in response.content.decode()
    assert not _signed_in_user(client).is_authenticated


def test_a_solved_captcha_cannot_be_replayed(client):
    user = UserFactory()
    solved = captcha_answer()
    first = client.post(LOGIN, {"username": user.username, "password": "mal", **solved})
    assert "Usuario o contraseña incorrectos" in first.content.decode()
    replay = client.post(LOGIN, {"username": user.username, "password": PASSWORD, **solved})
    assert "El CAPTCHA no es correcto" in replay.content.decode()
    assert not _signed_in_user(client).is_authenticated


def test_an_expired_captcha_is_refused(client):
    user = UserFactory()
    solved = captcha_answer()
    CaptchaStore.objects.update(expiration=timezone.now() - timedelta(seconds=1))
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD, **solved})
    assert "El CAPTCHA no es correcto" in response.content.decode()


@pytest.mark.parametrize("test_mode", [False, True])
def test_the_test_mode_answer_passed_works_only_in_test_mode(client, settings, test_mode):
    settings.AYNI_CAPTCHA_TEST_MODE = test_mode
    user = UserFactory()
    key = CaptchaStore.generate_key()
    data = {"username": user.username, "password": PASSWORD, "captcha_0": key}
    client.post(LOGIN, {**data, "captcha_1": "PASSED"})
    assert _signed_in_user(client).is_authenticated is test_mode


def test_the_test_mode_still_needs_an_issued_challenge_once(client, settings):
    settings.AYNI_CAPTCHA_TEST_MODE = True
    user = UserFactory()
    data = {"username": user.username, "password": PASSWORD, "captcha_1": "passed"}
    client.post(LOGIN, {**data, "captcha_0": "0" * 40})
    assert not _signed_in_user(client).is_authenticated
    key = CaptchaStore.generate_key()
    client.post(LOGIN, {**data, "captcha_0": key})
    assert _signed_in_user(client).is_authenticated
    client.logout()
    client.post(LOGIN, {**data, "captcha_0": key})
    assert not _signed_in_user(client).is_authenticated


def test_deploy_check_warns_when_the_test_mode_is_on_without_debug(settings):
    settings.AYNI_CAPTCHA_TEST_MODE, settings.DEBUG = True, False
    assert [w.id for w in captcha_test_mode_is_off(None)] == ["ayni.accounts.W001"]
    settings.DEBUG = True
    assert captcha_test_mode_is_off(None) == []
    settings.AYNI_CAPTCHA_TEST_MODE, settings.DEBUG = False, False
    assert captcha_test_mode_is_off(None) == []


def test_one_generic_error_for_wrong_user_wrong_password_and_inactive_account(client):
    user = UserFactory()
    inactive = UserFactory(is_active=False)
    errors = []
    for username, password in [
        ("49999999", PASSWORD),
        (user.username, "Otra2026clave"),
        (inactive.username, PASSWORD),
    ]:
        response = post_login(client, username, password)
        assert response.status_code == 200
        errors.append(response.context["form"].errors)
    assert errors[0] == errors[1] == errors[2] == {"__all__": ["Usuario o contraseña incorrectos."]}


def test_the_session_id_rotates_at_login(client):
    user = UserFactory()
    before = client.session
    before["visto"] = True
    before.save()
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    post_login(client, user.username, PASSWORD)
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()


def test_the_session_cookie_is_httponly_lax_and_secure_outside_debug(client):
    assert settings.SESSION_COOKIE_SECURE  # the suite runs with DEBUG off, like production
    response = post_login(client, UserFactory().username, PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True


def test_the_session_ends_after_30_idle_minutes_and_activity_keeps_it(client):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    user = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_login(client, user.username, PASSWORD)
        traveller.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200  # this request restarts the 30 minutes
        traveller.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_logout_ends_the_session_for_good(client):
    post_login(client, UserFactory().username, PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # replaying the old cookie
    assert client.get(HOME).status_code == 302


def test_deactivating_an_account_ends_its_open_sessions(client):
    user = UserFactory()
    post_login(client, user.username, PASSWORD)
    assert _signed_in_user(client) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not _signed_in_user(client).is_authenticated
    assert client.get(HOME).status_code == 302


def test_header_shows_the_previous_successful_login(client):
    user = UserFactory()
    post_login(client, user.username, PASSWORD)
    assert "Último acceso: primer ingreso" in client.get(HOME).content.decode()
    first = type(user).objects.get(pk=user.pk).last_login
    client.post(reverse("accounts:logout"))
    post_login(client, user.username, "equivocada")  # a failure is not an access
    post_login(client, user.username, PASSWORD)
    page = client.get(HOME).content.decode()
    local = timezone.localtime(first)
    assert f"Último acceso: {local:%d/%m/%Y %I:%M:%S}" in page


def test_sign_ins_and_failures_are_audited_with_ip_and_browser(client):
    user = UserFactory()
    browser = {"HTTP_USER_AGENT": "Navegador/1.0", "REMOTE_ADDR": "198.51.100.7"}
    client.post(LOGIN, {"username": user.username, "password": "x", **captcha_answer()}, **browser)
    client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, **captcha_answer()}, **browser
    )
    client.post(reverse("accounts:logout"), **browser)
    trail = list(
        AuditEvent.objects.order_by("id").values_list(
            "action", "outcome", "ip", "user_agent", "target_id"
        )
    )
    assert trail == [
        (events.LOGIN_FAILED, "failed", "198.51.100.7", "Navegador/1.0", str(user.pk)),
        (events.LOGIN_OK, "ok", "198.51.100.7", "Navegador/1.0", str(user.pk)),
        (events.LOGOUT, "ok", "198.51.100.7", "Navegador/1.0", str(user.pk)),
    ]
    failure = AuditEvent.objects.filter(action=events.LOGIN_FAILED).first()
    assert failure.actor is None and failure.actor_label == user.username


def test_a_failure_for_an_unknown_user_is_audited_with_what_was_typed(client):
    post_login(client, "48888888", "x")
    event = AuditEvent.objects.get(action=events.LOGIN_FAILED)
    assert (event.target_type, event.target_id, event.actor_label) == (
        "texto",
        "48888888",
        "48888888",
    )


def test_the_admin_site_signs_in_through_the_platform_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    client.force_login(UserFactory())
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/login/?next=/admin/core/auditevent/")
    assert response["Location"] == "/admin/core/auditevent/"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/admin/"

"""Helpers for tests that sign in through the real login form (CAPTCHA included)."""

import re
import time
from base64 import b32decode

from captcha.models import CaptchaStore
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def captcha_answer() -> dict:
    """A freshly issued CAPTCHA challenge and its right answer, as the form posts them."""
    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def post_login(client, username, password, **meta):
    """POST the login form as a person would: user, password and a solved CAPTCHA.

    Keyword arguments go to the request (REMOTE_ADDR, HTTP_USER_AGENT, ...).
    """
    data = {"username": username, "password": password, **captcha_answer()}
    return client.post(reverse("accounts:login"), data, **meta)


def browser_login(page, live_server, username, password, second_step=True):
    """Sign in through the login page; needs the CAPTCHA test mode (the `page` fixture sets it).
    Staff pass the second step too (`browser_second_step`) unless `second_step=False`."""
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_label("CAPTCHA").fill("PASSED")
    page.get_by_role("button", name="Iniciar sesión").click()
    if second_step:
        from ayni.accounts.models import User

        page.wait_for_load_state("load")
        user = User.objects.filter(username=username).first()
        if user is not None:
            browser_second_step(page, user)


def totp_code(key: bytes, after_t: int = -1) -> str:
    """The authenticator app's current code for `key`; waits for the next 30-second step if
    the current one was already used (django-otp accepts each step once)."""
    while int(time.time()) // 30 <= after_t:
        time.sleep(0.5)
    return f"{totp(key):06d}"


def device_code(user) -> str:
    """A fresh code of the user's authenticator app (its device, read from the database)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return totp_code(device.bin_key, device.last_t)


def mark_verified(client, user) -> None:
    """Leave the client's session verified by a second factor, as `django_otp.login` does.
    Staff without a device get one (an empty recovery-code list) to be verified with."""
    from ayni.accounts import mfa

    state = mfa.required_state(user)
    if state == mfa.NONE:
        return
    device = next(iter(devices_for_user(user, confirmed=True)), None)
    if device is None:
        device = StaticDevice.objects.create(user=user, name="pruebas", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[mfa.STATE_KEY] = mfa.VERIFY
    session.save()


def browser_second_step(page, user) -> None:
    """Pass the second step in the browser if the page asks for it: set up an authenticator
    app from the secret the page shows (then continue past the recovery codes), or type the
    code of the user's app."""
    page.wait_for_load_state("load")
    if "/dos-pasos/configurar/" in page.url:
        secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
        page.get_by_label("Código de 6 dígitos").fill(totp_code(b32decode(secret)))
        page.get_by_role("button", name="Confirmar").click()
        page.get_by_role("link", name="Ya los guardé, continuar").click()
    elif "/dos-pasos/verificar/" in page.url:
        page.get_by_label(re.compile(r"^Código:?$")).fill(device_code(user))
        page.get_by_role("button", name="Verificar").click()
    page.wait_for_load_state("load")

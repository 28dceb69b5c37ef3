"""Helpers for tests that sign in through the real login form (CAPTCHA included)."""

from captcha.models import CaptchaStore
from django.urls import reverse


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


def browser_login(page, live_server, username, password):
    """Sign in through the login page; needs the CAPTCHA test mode (the `page` fixture sets it)."""
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_label("CAPTCHA").fill("PASSED")
    page.get_by_role("button", name="Iniciar sesión").click()

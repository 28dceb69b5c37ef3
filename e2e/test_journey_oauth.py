"""A mobile app signs a servant in with AYNI Passport (authorization code + PKCE) in
Chromium, as docs/api/cliente_movil.py does it, and reads only that servant's boletas."""

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from ayni.passport.demo import DEMO_CLIENT_ID
from ayni.passport.tests.conftest import mobile_script
from e2e.conftest import (
    DESKTOP,
    check_accessible,
    check_fits_phone,
    screenshot,
    submit_login,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"
ROSA, JOSE = "40000001", "40000002"
CLIENT_ID = DEMO_CLIENT_ID  # registered by the demo data
LOOPBACK = "http://127.0.0.1:"  # the app's listener, on a port of its own


script = mobile_script()


def consents(page, username: str | None):
    """The servant in the browser: signs in on AYNI's page if asked, reads the consent
    screen in Spanish and accepts it."""

    def open_browser(url):
        page.goto(url)
        if username:
            expect(page.get_by_role("heading", name="Ingrese sus credenciales")).to_be_visible()
            submit_login(page, username, DEMO_PASSWORD)
        expect(
            page.get_by_role("heading", name="Autorizar a AYNI móvil (demostración)")
        ).to_be_visible()
        expect(page.get_by_text("Ver y descargar sus boletas de pago.")).to_be_visible()
        check_accessible(page)
        check_fits_phone(page)
        screenshot(page, "passport-autorizar")
        page.get_by_role("button", name="Autorizar").click()
        expect(page.get_by_text("Listo: puede volver a la aplicación.")).to_be_visible()

    return open_browser


def api_status(platform, token: str, path: str) -> int:
    url = f"{platform.url}/api/v1/{path}"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_mobile_app_signs_in_with_pkce_and_reads_only_the_servants_boletas(
    browser_context, platform, tmp_path
):
    browser_context.allowed.append(LOOPBACK)
    page = browser_context.new_page()
    tokens = script.sign_in(platform.url, CLIENT_ID, consents(page, ROSA))
    assert tokens["token_type"] == "Bearer"
    assert set(tokens["scope"].split()) == {"openid", "profile", "boletas"}

    boletas = script.list_boletas(platform.url, tokens["access_token"])
    assert boletas, "Rosa has boletas in the demo data"
    pdf = script.download_boleta(platform.url, tokens["access_token"], boletas[0]["id"], tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    # The token opens the boletas and nothing else: her legajo needs another scope.
    assert api_status(platform, tokens["access_token"], "legajo/") == 403

    # José, on another phone, gets a token of his own; Rosa's boletas are not found for it.
    jose_page = browser_context.browser.new_context(viewport=DESKTOP, locale="es-PE").new_page()
    jose = script.sign_in(platform.url, CLIENT_ID, consents(jose_page, JOSE))
    for boleta in boletas[:3]:
        assert api_status(platform, jose["access_token"], f"boletas/{boleta['id']}/") == 404
        assert api_status(platform, jose["access_token"], f"boletas/{boleta['id']}/pdf/") == 404
    jose_page.context.close()

    # Rosa signed in with her password only: a request for the staff scope is refused.
    def asks_for_staff(url):
        page.goto(url)
        expect(
            page.get_by_role("heading", name="Se necesita la verificación en dos pasos")
        ).to_be_visible()
        check_accessible(page)
        screenshot(page, "passport-segundo-paso")
        page.get_by_role("link", name=re.compile("^Volver a AYNI móvil")).click()
        expect(page.get_by_text("Listo: puede volver a la aplicación.")).to_be_visible()

    with pytest.raises(script.SignInError, match="access_denied"):
        script.sign_in(platform.url, CLIENT_ID, asks_for_staff, scope="openid staff")

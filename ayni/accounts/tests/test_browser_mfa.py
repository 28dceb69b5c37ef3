"""The second step in a real browser: an authenticator app set up from the page's secret,
and a passkey through Chromium's virtual WebAuthn authenticator (DevTools protocol)."""

import re
from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from ayni.accounts import events
from ayni.accounts.tests.factories import PASSWORD
from ayni.accounts.tests.helpers import browser_login, device_code, totp_code
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def staff_user():
    return StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user


def _sign_out(page):
    page.get_by_role("button", name="Cerrar sesión").first.click()
    page.wait_for_url(re.compile(r"/cuenta/ingresar/"))


def test_staff_sets_up_an_authenticator_app_and_signs_in_with_it(live_server, page, staff_user):
    browser_login(page, live_server, staff_user.username, PASSWORD, second_step=False)
    page.wait_for_url(re.compile(r"/cuenta/dos-pasos/configurar/"))
    expect(page.get_by_role("heading", name="Configurar verificación en dos pasos")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Código QR"))).to_be_visible()
    # Nothing else opens before the second step.
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/cuenta/dos-pasos/configurar/"))

    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    page.get_by_label("Código de 6 dígitos").fill(totp_code(b32decode(secret)))
    page.get_by_role("button", name="Confirmar").click()
    expect(page.get_by_role("heading", name="Códigos de recuperación")).to_be_visible()
    expect(page.locator(".mfa-codes li")).to_have_count(10)
    page.get_by_role("link", name="Ya los guardé, continuar").click()
    page.wait_for_url(f"{live_server.url}/")
    _sign_out(page)

    browser_login(page, live_server, staff_user.username, PASSWORD, second_step=False)
    page.wait_for_url(re.compile(r"/cuenta/dos-pasos/verificar/"))
    page.get_by_label(re.compile(r"^Código:?$")).fill("000000")
    page.get_by_role("button", name="Verificar").click()
    expect(page.get_by_text(re.compile("no es correcto|Demasiados intentos"))).to_be_visible()
    page.wait_for_timeout(1100)  # one failure: the next try waits a second
    page.get_by_label(re.compile(r"^Código:?$")).fill(device_code(staff_user))
    page.get_by_role("button", name="Verificar").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Verificación en dos pasos")).to_be_visible()
    assert TOTPDevice.objects.filter(user=staff_user, confirmed=True).count() == 1


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


def test_staff_registers_a_passkey_and_signs_in_with_it(live_server, page, staff_user, settings):
    assert live_server.url.startswith("http://localhost:")  # WebAuthn: a secure context
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    _virtual_authenticator(page)

    browser_login(page, live_server, staff_user.username, PASSWORD, second_step=False)
    page.wait_for_url(re.compile(r"/cuenta/dos-pasos/configurar/"))
    page.get_by_role("button", name="Registrar llave de acceso").click()
    expect(page.get_by_role("heading", name="Códigos de recuperación")).to_be_visible()
    page.get_by_role("link", name="Ya los guardé, continuar").click()
    page.wait_for_url(f"{live_server.url}/")
    assert WebAuthnCredential.objects.filter(user=staff_user, confirmed=True).count() == 1
    _sign_out(page)

    browser_login(page, live_server, staff_user.username, PASSWORD, second_step=False)
    page.wait_for_url(re.compile(r"/cuenta/dos-pasos/verificar/"))
    page.get_by_role("button", name="Usar llave de acceso").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text(staff_user.get_full_name()).first).to_be_visible()
    assert AuditEvent.objects.filter(
        action=events.MFA_OK, actor=staff_user, details__dispositivo="passkey"
    ).exists()

"""Ingresar con ID GOB.PE in Chromium. The identity provider is the platform `make run`
serves (AYNI Passport, demo data), with this AYNI registered there as a client system; the
AYNI people sign in to is a second server (this test's live server, its own database), which
knows Rosa's DNI but not José's."""

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from ayni.accounts.tests.factories import UserFactory
from ayni.organizations.tests.factories import ServantFactory
from e2e.conftest import DESKTOP, ROOT, check_accessible, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DEMO_PASSWORD = "Ayni2026demo"
ROSA, JOSE = "40000001", "40000002"
CLIENT_ID = "ayni-idgob-e2e"
SECRET = "secreto-de-la-prueba-e2e"  # noqa: S105
REGISTER = """
from oauth2_provider.models import Application
from ayni.passport.models import ClientSystem
application, _ = Application.objects.update_or_create(
    client_id={client_id!r},
    defaults=dict(name="AYNI (pruebas)", client_type="confidential",
                  authorization_grant_type="authorization-code", redirect_uris={redirect!r},
                  client_secret={secret!r}, algorithm="RS256"),
)
ClientSystem.objects.update_or_create(application=application,
                                      defaults=dict(scopes="openid profile"))
"""


@pytest.fixture
def ayni(platform, live_server, settings):
    """The live server, signing in with the platform as ID GOB.PE."""
    code = REGISTER.format(client_id=CLIENT_ID, secret=SECRET,
                           redirect=f"{live_server.url}/cuenta/idgob/retorno/")  # fmt: skip
    env = {**os.environ, "AYNI_VAR_DIR": str(platform.var_dir)}
    env.pop("DATABASE_URL", None)  # the platform's SQLite file
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    settings.AYNI_IDGOB_ISSUER = platform.url
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, SECRET
    return live_server


@pytest.fixture
def browser(chromium, platform, ayni):
    """A context that reaches the two servers and nothing else."""
    context = chromium.new_context(viewport=DESKTOP, locale="es-PE")
    context.set_default_timeout(15_000)
    outside = []

    def only_local(route):
        if route.request.url.startswith((platform.url, ayni.url)):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    yield context.new_page()
    assert outside == [], "requests left the two servers"
    context.close()


def sign_in_at_the_provider(page, username: str) -> None:
    """The provider's own login page (CAPTCHA in test mode), then its consent screen."""
    expect(page.get_by_role("heading", name="Ingrese sus credenciales")).to_be_visible()
    page.get_by_label(re.compile(r"^Usuario")).fill(username)
    page.get_by_label(re.compile(r"^Contraseña")).fill(DEMO_PASSWORD)
    page.get_by_label(re.compile(r"CAPTCHA", re.IGNORECASE)).first.fill("PASSED")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", name="Autorizar a AYNI (pruebas)")).to_be_visible()
    page.get_by_role("button", name="Autorizar").click()


def test_a_servant_signs_in_with_id_gob_pe(browser, ayni, platform):
    rosa = UserFactory(servant=ServantFactory(document_number=ROSA, nombres="ROSA ELENA"))
    browser.goto(f"{ayni.url}/cuenta/ingresar/")
    check_accessible(browser)
    screenshot(browser, "login-idgob")
    browser.get_by_role("link", name="Ingresar con ID GOB.PE", exact=True).click()
    assert browser.url.startswith(platform.url)
    sign_in_at_the_provider(browser, ROSA)
    expect(browser).to_have_url(f"{ayni.url}/")
    expect(browser.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    browser.goto(f"{ayni.url}/cuenta/accesos/")
    expect(browser.get_by_text("Ingreso correcto con ID GOB.PE")).to_be_visible()
    assert rosa.open_sessions.count() == 1


def test_an_unknown_dni_is_offered_the_access_request(browser, ayni):
    browser.goto(f"{ayni.url}/cuenta/ingresar/")
    browser.get_by_role("link", name="Ingresar con ID GOB.PE", exact=True).click()
    sign_in_at_the_provider(browser, JOSE)
    expect(browser).to_have_url(f"{ayni.url}/acceso/solicitar/")
    expect(browser.get_by_text(f"Su documento {JOSE} no tiene una cuenta en AYNI")).to_be_visible()
    expect(browser.get_by_label(re.compile(r"^Número de documento"))).to_have_value(JOSE)
    check_accessible(browser)
    screenshot(browser, "solicitar-acceso-idgob")

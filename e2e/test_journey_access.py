import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"


@pytest.mark.parametrize(
    ("path", "name", "heading"),
    [
        ("/acceso/solicitar/", "solicitar-acceso", "Solicitar acceso"),
        ("/acceso/no-puedo-ingresar/", "no-puedo-ingresar", "¿No puedes ingresar?"),
        ("/acceso/consultar/", "consultar-solicitud", "Consultar una solicitud"),
        ("/acceso/preguntas-frecuentes/", "preguntas-frecuentes", "Preguntas frecuentes"),
    ],
)
def test_the_public_access_pages_are_light_accessible_and_fit_a_phone(
    web, platform, path, name, heading
):
    visit(web, platform, path, name)
    expect(web.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(web.get_by_role("link", name=re.compile("Preguntas frecuentes")).first).to_be_visible()


def test_the_demo_ugel_administrator_attends_the_tray(web, platform):
    log_in(web, platform, "40000102", DEMO_PASSWORD)
    visit(web, platform, "/acceso/bandeja/", "bandeja-accesos")
    expect(web.get_by_role("heading", name="Solicitudes de acceso y ayuda")).to_be_visible()
    web.get_by_role("link", name=re.compile(r"^ACC-")).first.click()
    web.wait_for_load_state("load")
    expect(web.get_by_role("heading", name="Historial")).to_be_visible()
    visit(web, platform, web.url.removeprefix(platform.url), "solicitud-acceso")

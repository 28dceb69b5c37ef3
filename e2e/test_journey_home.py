import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessible, check_fits_phone, log_in, screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"


def test_the_login_page_is_light_accessible_and_fits_a_phone(web, platform):
    visit(web, platform, "/cuenta/ingresar/", "login")
    expect(web.get_by_role("heading", name="Ingrese sus credenciales")).to_be_visible()


def test_a_demo_servant_reaches_home(web, platform):
    log_in(web, platform, "40000001", DEMO_PASSWORD)
    assert web.url == f"{platform.url}/"
    expect(web.get_by_text("ROSA ELENA QUISPE MAMANI")).to_be_visible()
    expect(web.get_by_text("Último acceso:")).to_be_visible()
    check_accessible(web)
    check_fits_phone(web)
    screenshot(web, "inicio")
    visit(web, platform, "/", "inicio")


def test_an_unknown_address_is_a_spanish_page_under_make_run(web, platform):
    # `make run` serves with DEBUG=true: still no technical page listing the URL patterns.
    response = web.goto(f"{platform.url}/no-existe/")
    assert response.status == 404
    expect(web.get_by_role("heading", name="Página no encontrada")).to_be_visible()
    expect(web.get_by_role("link", name="Volver al inicio")).to_be_visible()
    assert "URLconf" not in web.content()
    check_accessible(web)

import pytest
from playwright.sync_api import expect

from ayni.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_login_reaches_home_with_menu_and_fits_a_phone(live_server, page):
    user = UserFactory()
    page.goto(f"{live_server.url}/cuenta/ingresar/")
    page.get_by_label("Usuario").fill(user.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_label("CAPTCHA").fill("PASSED")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Opciones de legajo")).to_be_visible()
    expect(page.get_by_text("Último acceso:")).to_be_visible()
    expect(page.get_by_role("link", name="Inicio")).to_be_visible()

    page.set_viewport_size({"width": 360, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

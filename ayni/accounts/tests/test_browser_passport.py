import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import browser_login
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_administrator_creates_an_account_and_the_servant_signs_in(live_server, page, settings):
    settings.AYNI_PUBLIC_BASE_URL = live_server.url
    admin = StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL, user=UserFactory(servant=None)).user
    servant = ServantFactory(nombres="MARÍA LUZ", apellido_paterno="TICONA")

    browser_login(page, live_server, admin.username, PASSWORD)
    page.get_by_role("link", name="Cuentas de servidores").click()
    page.get_by_role("link", name="Crear cuenta").first.click()
    page.get_by_label("Número de documento").fill(servant.document_number)
    page.get_by_label("Correo electrónico").fill("maria.ticona@example.pe")
    page.get_by_role("button", name="Crear cuenta y enviar correo").click()
    expect(page.get_by_text(f"Usuario {servant.document_number}: Cuenta creada")).to_be_visible()
    page.get_by_role("button", name="Cerrar sesión").click()

    [message] = mail.outbox
    assert message.to == ["maria.ticona@example.pe"]
    link = re.search(r"http://\S+/cuenta/contrasena/\S+/", message.body).group(0)
    page.goto(link)
    password = page.get_by_label(re.compile(r"^Contraseña"))
    password.fill("huancayo")
    upper_rule = page.locator("#password-rules li", has_text="letra en mayúscula")
    expect(upper_rule).to_have_class("rule rule-fail")  # the live checklist
    password.fill("Huancayo2026")
    expect(upper_rule).to_have_class("rule rule-ok")
    page.get_by_label("Confirmar contraseña").fill("Huancayo2026")
    expect(page.locator("#password-rules li.rule-fail")).to_have_count(0)
    page.get_by_role("button", name="Grabar").click()
    expect(page.get_by_text("Su contraseña fue grabada")).to_be_visible()

    browser_login(page, live_server, servant.document_number, "Huancayo2026")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("MARÍA LUZ TICONA").first).to_be_visible()
    expect(page.get_by_text("Último acceso: primer ingreso")).to_be_visible()

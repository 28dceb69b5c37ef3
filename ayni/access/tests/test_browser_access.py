import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ayni.access.models import AccessRequest
from ayni.access.tests.helpers import PDF_BYTES, PNG_BYTES
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import browser_login
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_applicant_finds_the_ugel_by_name_and_sends_the_request(live_server, page, tmp_path):
    copy = tmp_path / "dni.pdf"
    copy.write_bytes(PDF_BYTES)
    page.goto(f"{live_server.url}/acceso/solicitar/")
    page.get_by_label("No tengo cuenta: necesito una").check()
    page.get_by_label("Número de documento").fill("45678912")
    page.get_by_label("Apellido paterno").fill("Quispe")
    page.get_by_label("Apellido materno").fill("Huamán")
    page.get_by_label("Nombres").fill("María Elena")
    page.get_by_role("textbox", name="Correo electrónico").fill("maria.quispe@example.pe")
    page.get_by_label("Teléfono").fill("987654321")
    page.get_by_label("Buscar UGEL por nombre").fill("san borja")
    # One match left: the list selects it.
    assert page.get_by_label("UGEL donde trabaja").input_value() == str(
        Unit.objects.get(code="150108").pk
    )
    page.get_by_label("Condición").select_option("contratado")
    page.get_by_label("Copia de su documento de identidad").set_input_files(str(copy))
    page.get_by_label(re.compile("Autorizo el tratamiento")).check()
    page.get_by_label("CAPTCHA").fill("PASSED")  # the test mode's answer
    page.get_by_role("button", name="Enviar solicitud").click()

    page.wait_for_url(f"{live_server.url}/acceso/solicitar/enviada/")
    request = AccessRequest.objects.get()
    expect(page.get_by_text(request.code)).to_be_visible()
    assert request.unit.code == "150108" and request.attachment_type == "application/pdf"

    page.set_viewport_size({"width": 360, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_request_approval_mail_password_and_login(live_server, page, chromium, settings, tmp_path):
    settings.AYNI_PUBLIC_BASE_URL = live_server.url
    admin = StaffRoleFactory(
        role=StaffRole.Role.ADMIN_UGEL, user=UserFactory(servant=None, first_name="LUCÍA")
    ).user
    copy = tmp_path / "dni.png"
    copy.write_bytes(PNG_BYTES)

    # The servant asks for access from the login page.
    page.goto(f"{live_server.url}/cuenta/ingresar/")
    page.get_by_role("link", name="Solicitar acceso").click()
    page.get_by_label("No tengo cuenta: necesito una").check()
    page.get_by_label("Número de documento").fill("45678912")
    page.get_by_label("Apellido paterno").fill("Ticona")
    page.get_by_label("Nombres").fill("Wilber")
    page.get_by_role("textbox", name="Correo electrónico").fill("wilber.ticona@example.pe")
    page.get_by_label("Teléfono").fill("987654321")
    page.get_by_label("Buscar UGEL por nombre").fill("07 san borja")
    page.get_by_label("Condición").select_option("nombrado")
    page.get_by_label("Copia de su documento de identidad").set_input_files(str(copy))
    page.get_by_label(re.compile("Autorizo el tratamiento")).check()
    page.get_by_label("CAPTCHA").fill("PASSED")
    page.get_by_role("button", name="Enviar solicitud").click()
    code = AccessRequest.objects.get().code
    expect(page.get_by_text(code)).to_be_visible()

    # The UGEL administrator looks at the copy and approves, in another browser.
    office = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="es-PE")
    desk = office.new_page()
    browser_login(desk, live_server, admin.username, PASSWORD)
    desk.get_by_role("link", name="Solicitudes de acceso").click()
    desk.get_by_role("link", name=code).click()
    expect(desk.get_by_text("TICONA WILBER")).to_be_visible()
    expect(desk.get_by_text("No hay servidor ni cuenta con este documento.")).to_be_visible()
    with desk.expect_navigation():
        desk.get_by_role("link", name="Ver la copia adjunta").click()
    assert desk.evaluate("document.contentType") == "image/png"
    desk.go_back()
    desk.get_by_role("button", name="Aprobar").click()
    expect(desk.get_by_text("Solicitud aprobada")).to_be_visible()
    office.close()

    # The mail arrives; the link leads to the password, then to the login.
    message = next(m for m in mail.outbox if "Generar tu contraseña" in m.subject)
    assert message.to == ["wilber.ticona@example.pe"]
    link = re.search(r"http://\S+/cuenta/contrasena/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_label(re.compile(r"^Contraseña")).fill("Huancayo2026")
    page.get_by_label("Confirmar contraseña").fill("Huancayo2026")
    page.get_by_role("button", name="Grabar").click()
    expect(page.get_by_text("Su contraseña fue grabada")).to_be_visible()
    browser_login(page, live_server, "45678912", "Huancayo2026")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("WILBER TICONA").first).to_be_visible()

    # The applicant's status page says so too.
    page.goto(f"{live_server.url}/acceso/consultar/")
    page.get_by_label("Código de la solicitud").fill(code)
    page.get_by_label("Número de documento").fill("45678912")
    page.get_by_role("button", name="Consultar").click()
    expect(page.get_by_text("Aprobada", exact=True)).to_be_visible()

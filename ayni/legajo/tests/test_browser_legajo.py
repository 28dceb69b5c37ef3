"""The legajo journeys in a real browser: request a change with a document, attend it."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from ayni.accounts.tests.factories import UserFactory
from ayni.legajo.models import Capacitacion, ChangeRequest
from ayni.legajo.tests.factories import full_legajo
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in(page, live_server, user):
    """Log in as the login view would (same signals), then hand the session to the browser."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.goto(live_server.url + "/")


def fits_a_phone(page) -> bool:
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size(size)
    return overflow <= 0


def test_request_a_correction_with_a_document_and_see_it_attended(live_server, page, tmp_path):
    servant = UserFactory()
    legajo = full_legajo(servant=servant.servant)
    specialist = StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user

    sign_in(page, live_server, servant)
    page.get_by_role("link", name="Actualizar mi legajo").first.click()
    row = page.get_by_role("row", name=re.compile("II. Capacitaciones"))
    row.get_by_role("link", name="Solicitar modificación").click()
    page.get_by_role("link", name="Modificar registro 1").click()
    page.get_by_label("Horas lectivas").fill("120")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Modificación guardada en el borrador")).to_be_visible()
    expect(page.get_by_text("Modificación propuesta")).to_be_visible()
    certificate = tmp_path / "certificado.pdf"
    certificate.write_bytes(PDF)
    page.get_by_label("Documento sustentatorio").set_input_files(str(certificate))
    page.get_by_role("button", name="Adjuntar").click()
    expect(page.get_by_role("link", name=re.compile("certificado.pdf")).first).to_be_visible()
    assert fits_a_phone(page)
    page.get_by_role("link", name="Enviar solicitud").click()
    expect(page.get_by_role("heading", name="Confirmar el envío de la solicitud")).to_be_visible()
    page.get_by_role("button", name="Enviar", exact=True).click()
    code = ChangeRequest.objects.get(legajo=legajo).code
    expect(page.get_by_text(f"Su solicitud fue enviada con el código {code}")).to_be_visible()

    sign_in(page, live_server, specialist)
    page.get_by_role("link", name="Bandeja de solicitudes").click()
    page.get_by_role("row", name=re.compile(code)).get_by_role("link", name="Revisar").click()
    expect(page.get_by_role("columnheader", name="Actual en el legajo")).to_be_visible()
    page.get_by_role("button", name="Atender").click()
    expect(page.get_by_text("los cambios ya están en el legajo")).to_be_visible()
    assert Capacitacion.objects.get(legajo=legajo).horas == 120

    sign_in(page, live_server, servant)
    page.get_by_role("link", name="Seguimiento de atención de solicitud").first.click()
    row = page.get_by_role("row", name=re.compile(code))
    expect(row.get_by_text("Atendido")).to_be_visible()
    row.get_by_role("link", name=f"Ver detalle de {code}").click()
    expect(page.get_by_role("cell", name="120")).to_be_visible()
    assert fits_a_phone(page)


def test_the_notice_for_a_servant_without_legajo_is_accepted_once(live_server, page):
    servant = UserFactory()
    sign_in(page, live_server, servant)
    notice = page.get_by_text("USTED NO TIENE LEGAJO CREADO O VIGENTE", exact=False).first
    expect(notice).to_be_visible()
    page.get_by_role("button", name="Aceptar").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="Aceptar")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("button", name="Aceptar")).to_have_count(0)

"""In a real browser: a servant asks for their informe escalafonario, the especialista of the
unit looks at the legajo and attends it; the servant gets the informe in their tracking,
downloads their data and sees the specialist's look in «Quién vio mis datos»."""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from ayni.accounts.tests.factories import UserFactory
from ayni.legajo.models import ChangeRequest
from ayni.legajo.tests.factories import full_legajo
from ayni.legajo.tests.test_browser_legajo import sign_in
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_informe_on_request_then_my_data_and_who_saw_it(live_server, page):
    servant = UserFactory()
    legajo = full_legajo(servant=servant.servant)
    role = StaffRoleFactory(role=StaffRole.Role.ESCALAFON)
    specialist = role.user
    specialist.first_name, specialist.last_name = "Zoila", "Fisgona"
    specialist.save()

    sign_in(page, live_server, servant)
    page.get_by_role("link", name="Seguimiento de atención de solicitud").first.click()
    page.get_by_role("link", name="Solicitar informe escalafonario").click()
    page.get_by_label("Sustento de la solicitud (opcional)").fill("Para un concurso.")
    page.get_by_role("button", name="Enviar solicitud").click()
    code = ChangeRequest.objects.get(legajo=legajo).code
    expect(page.get_by_text(f"enviada con el código {code}")).to_be_visible()

    sign_in(page, live_server, specialist)
    page.get_by_role("link", name="Bandeja de solicitudes").click()
    page.get_by_role("row", name=re.compile(code)).get_by_role("link", name="Revisar").click()
    page.get_by_role("link", name=servant.servant.full_name).click()  # the legajo: a look
    expect(page.get_by_role("heading", name=re.compile("Legajo"))).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Atender").click()
    expect(page.get_by_text("se emitió el informe escalafonario")).to_be_visible()
    document = ChangeRequest.objects.get(legajo=legajo).document

    sign_in(page, live_server, servant)
    page.get_by_role("link", name="Seguimiento de atención de solicitud").first.click()
    page.get_by_role("row", name=re.compile(code)).get_by_role("link", name="Ver detalle").click()
    expect(page.get_by_role("link", name=f"Informe escalafonario {document.code}")).to_be_visible()

    page.get_by_role("link", name="Mis datos personales").first.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar mis datos").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    data = json.loads(archive.read("mis-datos.json"))
    assert data["servidor"]["numero_documento"] == servant.servant.document_number
    assert [d["codigo"] for d in data["documentos_emitidos"]] == [document.code]

    page.get_by_role("link", name="Ver quién vio mis datos").click()
    row = page.get_by_role("row", name=re.compile("Abrió su legajo"))
    expect(row).to_contain_text("Especialista de escalafón")
    expect(row).to_contain_text(role.unit.name)
    expect(page.get_by_text("Fisgona")).to_have_count(0)

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import browser_login
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import SAMPLE, boleta_rows
from ayni.documents.models import IssuedDocument
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, username):
    browser_login(page, live_server, username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")


def test_a_servant_finds_opens_and_verifies_a_boleta(live_server, page, demo_servants, tmp_path):
    assert run_import(SAMPLE.read_bytes()).ok
    assert run_import(boleta_rows(periodo="2022-05")).ok
    rosa = UserFactory(servant=demo_servants[0])
    log_in(page, live_server, rosa.username)
    page.get_by_role("link", name="Mi boleta").first.click()
    page.get_by_role("combobox", name="Año").select_option("2022")
    page.get_by_role("combobox", name="Mes").select_option(label="Junio")
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_url(re.compile(r"anio=2022"))
    rows = page.locator("section[aria-labelledby=resultados] tbody tr")
    expect(rows).to_have_count(1)
    assert "JUNIO 2022" in rows.first.inner_text()
    assert "S/ 2,521.90" in rows.first.inner_text()

    load = page.get_by_role("link", name=re.compile("^Cargar boleta"))
    assert load.get_attribute("target") is None
    with page.expect_response(re.compile(r"/pdf/$")) as answer:
        load.click()
    page.wait_for_url(re.compile(r"/boletas/mi-boleta/\d+/pdf/$"))  # this same tab
    assert len(page.context.pages) == 1  # no pop-up
    assert answer.value.headers["content-type"] == "application/pdf"
    saved = tmp_path / "boleta.pdf"  # the viewer keeps the body: ask again, same session
    saved.write_bytes(page.context.request.get(answer.value.url).body())
    text = PdfReader(saved).pages[0].extract_text()
    assert "QUISPE MAMANI ROSA ELENA" in text and "S/ 2,521.90" in text

    page.go_back()
    page.reload()
    expect(page.get_by_role("link", name=re.compile("^Ver mi boleta"))).to_have_count(1)
    code = IssuedDocument.objects.get().code
    assert code in text
    page.goto(f"{live_server.url}/verificar/{code}/")
    expect(page.get_by_role("heading", name="Válido")).to_be_visible()
    expect(page.get_by_text("R*** E*** Q*** M***")).to_be_visible()

    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"{live_server.url}/boletas/mi-boleta/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    chart_heading = page.get_by_role("heading", name="Evolución de sus pagos (últimos meses)")
    expect(chart_heading).to_be_visible()


def test_the_verification_form_and_the_pdf_check(live_server, page, sample_imported, tmp_path):
    from ayni.boletas.issuing import boleta_document

    document, _ = boleta_document(Boleta.objects.get(servant__document_number="40000002"), None)
    page.goto(f"{live_server.url}/verificar/")
    page.get_by_label("Código de verificación").fill(document.code)
    page.get_by_role("button", name="Verificar").click()
    page.wait_for_url(f"{live_server.url}/verificar/{document.code}/")
    expect(page.get_by_role("heading", name="Válido")).to_be_visible()
    original = tmp_path / "recibida.pdf"
    original.write_bytes(document.file.read())
    page.get_by_label("Archivo PDF recibido").set_input_files(str(original))
    page.get_by_role("button", name="Comparar archivo").click()
    expect(page.get_by_text("El archivo es idéntico, byte a byte")).to_be_visible()


def test_an_administrator_uploads_checks_and_confirms(
    live_server, page, ugel07, demo_servants, tmp_path
):
    admin = StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=ugel07).user
    log_in(page, live_server, admin.username)
    page.get_by_role("link", name="Cargar planilla").first.click()
    bad = tmp_path / "mala.csv"
    bad.write_bytes(SAMPLE.read_bytes().replace(b"2780.00", b"2780.005"))
    page.get_by_label("Archivo de planilla").set_input_files(str(bad))
    page.get_by_role("button", name="Validar archivo").click()
    expect(page.get_by_text("El archivo tiene errores y no se importó nada")).to_be_visible()
    expect(page.get_by_text("«2780.005» no es un monto válido")).to_be_visible()

    page.get_by_role("link", name="Cargar otra planilla").click()
    page.get_by_label("Archivo de planilla").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Validar archivo").click()
    expect(page.get_by_text("El archivo no tiene errores")).to_be_visible()
    page.get_by_role("button", name="Confirmar importación").click()
    page.wait_for_load_state()
    assert Boleta.objects.count() == 2
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("Resultado: Importado"))).to_be_visible()
    page.get_by_role("link", name="Historial de planillas").first.click()
    expect(page.get_by_role("cell", name=re.compile("Importado"))).to_have_count(1)
    expect(page.get_by_role("cell", name=re.compile("Rechazado"))).to_have_count(1)
    assert PlanillaImport.objects.filter(uploaded_by=admin).count() == 2

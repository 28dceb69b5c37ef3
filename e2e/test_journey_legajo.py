import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessible, check_fits_phone, log_in, screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"


def test_a_servant_reads_updates_and_follows_her_legajo(web, platform):
    log_in(web, platform, "40000001", DEMO_PASSWORD)
    visit(web, platform, "/legajo/mi-legajo/", "mi-legajo")
    expect(web.get_by_role("heading", name="Mi legajo", exact=True)).to_be_visible()
    expect(web.get_by_role("heading", name="Formación académica")).to_be_visible()
    visit(web, platform, "/legajo/actualizar/", "actualizar-legajo")
    row = web.get_by_role("row", name=re.compile("II. Capacitaciones"))
    row.get_by_role("link", name="Solicitar modificación").click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "solicitar-modificacion")
    web.get_by_role("link", name="Modificar registro 1").click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "modificar-registro")
    visit(web, platform, "/legajo/solicitudes/", "seguimiento")
    web.get_by_role("link", name=re.compile("Ver detalle de SOL-")).first.click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "detalle-solicitud")
    expect(web.get_by_role("heading", name="Cambios solicitados")).to_be_visible()
    visit(web, platform, "/legajo/hoja-de-vida/", "hoja-de-vida")
    pdf = web.context.request.get(platform.url + "/legajo/hoja-de-vida/pdf/?descargar=1")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment")
    assert pdf.body().startswith(b"%PDF")


def test_a_servant_without_legajo_is_told_once(web, platform):
    log_in(web, platform, "40000002", DEMO_PASSWORD)
    expect(web.get_by_text("USTED NO TIENE LEGAJO CREADO O VIGENTE").first).to_be_visible()
    check_accessible(web)
    check_fits_phone(web)
    screenshot(web, "aviso-sin-legajo")
    web.get_by_role("button", name="Aceptar").click()
    web.wait_for_load_state("load")
    expect(web.get_by_role("button", name="Aceptar")).to_have_count(0)


def test_the_specialist_reviews_requests_and_legajos(web, platform):
    log_in(web, platform, "40000100", DEMO_PASSWORD)
    visit(web, platform, "/legajo/escalafon/solicitudes/", "bandeja")
    web.get_by_role("link", name="Revisar").first.click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "revisar-solicitud")
    expect(web.get_by_role("button", name="Atender")).to_be_visible()
    visit(web, platform, "/legajo/escalafon/legajos/?q=40000001", "legajos-unidad")
    web.get_by_role("link", name="Ver legajo").first.click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "legajo-especialista")
    web.get_by_role("link", name=re.compile("Historial del legajo")).click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "historial-legajo")

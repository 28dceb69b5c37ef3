import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.conftest import log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"
CODE = re.compile(r"Código de verificación: (\S+)")


def test_a_servant_finds_opens_and_verifies_her_boleta(web, browser_context, platform):
    log_in(web, platform, "40000001", DEMO_PASSWORD)
    web.get_by_role("link", name="Mi boleta").first.click()
    web.wait_for_load_state("load")
    visit(web, platform, "/boletas/mi-boleta/", "mi-boleta")
    web.get_by_role("combobox", name="Año").select_option("2022")
    web.get_by_role("combobox", name="Mes").select_option(label="Junio")
    web.get_by_role("button", name="Buscar").click()
    web.wait_for_url(re.compile(r"anio=2022"))
    visit(web, platform, web.url.removeprefix(platform.url), "mi-boleta-filtrada")
    rows = web.locator("section[aria-labelledby=resultados] tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    assert "JUNIO 2022" in row.inner_text()
    net = row.locator("td[data-label='Monto a pagar']").inner_text().strip()
    assert net == "S/ 2,521.90"  # the documented sample planilla: 2,930.12 − 408.22

    load = row.get_by_role("link", name=re.compile("^Cargar boleta"))
    assert load.get_attribute("target") is None
    with web.expect_response(re.compile(r"/pdf/$")) as answer:
        load.click()
    web.wait_for_url(re.compile(r"/boletas/mi-boleta/\d+/pdf/$"))  # in this same tab
    assert len(browser_context.pages) == 1  # no pop-up, no new tab
    assert answer.value.headers["content-type"] == "application/pdf"
    assert answer.value.headers["content-disposition"].startswith("inline")
    pdf = web.request.get(answer.value.url).body()  # the viewer keeps the body: ask again
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "QUISPE MAMANI ROSA ELENA" in text
    assert net in text

    web.goto(f"{platform.url}/boletas/mi-boleta/?anio=2022&mes=6")
    row = web.locator("section[aria-labelledby=resultados] tbody tr").first
    expect(row.get_by_role("link", name=re.compile("^Ver mi boleta"))).to_have_count(1)
    expect(row.get_by_role("link", name=re.compile("^Cargar boleta"))).to_have_count(0)

    code = CODE.search(text).group(1)
    assert f"/verificar/{code}/" in text  # the URL beside the QR
    visit(web, platform, f"/verificar/{code}/", "verificar-valida")
    expect(web.get_by_role("heading", name="Válido")).to_be_visible()
    expect(web.get_by_text("R*** E*** Q*** M***")).to_be_visible()
    assert "QUISPE" not in web.locator("main").inner_text()  # the public verdict masks it


def test_a_servant_sees_what_changed_in_a_boleta(web, platform):
    log_in(web, platform, "40000001", DEMO_PASSWORD)
    web.goto(f"{platform.url}/boletas/mi-boleta/?anio=2023&mes=3")
    row = web.locator("section[aria-labelledby=resultados] tbody tr").first
    row.get_by_role("link", name=re.compile("^¿Qué cambió?")).click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "que-cambio")


def test_the_boletas_administrator_pages(web, platform):
    log_in(web, platform, "40000101", DEMO_PASSWORD)
    visit(web, platform, "/boletas/personal/?q=40000001", "boletas-personal")
    web.get_by_role("link", name=re.compile("^Ver boletas")).first.click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "boletas-servidor")
    expect(web.get_by_text("QUISPE MAMANI").first).to_be_visible()
    visit(web, platform, "/boletas/planillas/", "planillas")
    web.locator("tbody a[href*='/boletas/planillas/']").first.click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "planilla-detalle")
    visit(web, platform, "/boletas/cargar-planilla/", "cargar-planilla")

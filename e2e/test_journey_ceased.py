"""A servant who ceased (40000003, cese on 16/06/2024) keeps what was produced while he
served: his boletas up to June 2024, his legajo and his hoja de vida. He no longer asks
for changes to the legajo; a request sent before the cese can still be annulled."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.conftest import log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"
CEASED = "40000003"


def test_a_ceased_servant_keeps_his_legajo_boletas_and_hoja_de_vida(web, platform):
    log_in(web, platform, CEASED, DEMO_PASSWORD)
    expect(web.get_by_text("USTED NO TIENE LEGAJO CREADO O VIGENTE")).to_have_count(0)

    visit(web, platform, "/legajo/mi-legajo/", "legajo-cesante")
    main = web.locator("main")
    expect(main.get_by_text("Su legajo está cerrado por cese desde el 16/06/2024")).to_be_visible()
    expect(main.get_by_role("heading", name="Formación académica")).to_be_visible()
    expect(main.get_by_role("link", name="Actualizar mi legajo")).to_have_count(0)

    visit(web, platform, "/boletas/mi-boleta/", "mi-boleta-cesante")
    first = web.get_by_role("row").nth(1)
    expect(first).to_contain_text("JUNIO 2024")  # the month of the cese, the last one paid
    expect(web.get_by_text("JULIO 2024")).to_have_count(0)

    visit(web, platform, "/legajo/hoja-de-vida/", "hoja-de-vida-cesante")
    expect(web.get_by_role("link", name=re.compile("Descargar PDF"))).to_be_visible()
    pdf = web.context.request.get(platform.url + "/legajo/hoja-de-vida/pdf/?descargar=1")
    assert pdf.status == 200 and pdf.headers["content-disposition"].startswith("attachment")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "No vigente (cerrado por cese el 16/06/2024)" in text


def test_a_ceased_servant_no_longer_asks_for_changes_but_annuls_a_pending_one(web, platform):
    log_in(web, platform, CEASED, DEMO_PASSWORD)
    visit(web, platform, "/legajo/actualizar/", "actualizar-cesante")
    expect(web.get_by_text(re.compile("Ya no puede solicitar actualizaciones"))).to_be_visible()
    expect(web.get_by_role("link", name="Solicitar modificación")).to_have_count(0)
    web.goto(f"{platform.url}/legajo/actualizar/datos_personales/")  # an old bookmark
    web.wait_for_load_state("load")
    assert web.url.endswith("/legajo/actualizar/")
    expect(web.get_by_text(re.compile("cerrado por su cese")).first).to_be_visible()

    visit(web, platform, "/legajo/solicitudes/", "seguimiento-cesante")
    pending = web.get_by_role("link", name=re.compile(r"^Anular SOL-"))
    expect(pending).to_have_count(1)
    code = pending.get_attribute("aria-label").removeprefix("Anular ")
    pending.click()
    web.wait_for_load_state("load")
    web.get_by_role("button", name="Aceptar").click()
    web.wait_for_load_state("load")
    expect(web.get_by_text(f"La solicitud {code} fue anulada.")).to_be_visible()

"""Electronic delivery, against the real server: the servant accepts it and opens a boleta;
the UGEL's administrador de boletas downloads the signed constancia de entrega, which lists
that view; the public verification page names the signer."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.conftest import log_in, log_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"
SERVANT = "40000001"
BOLETAS_ADMIN = "40000101"
CODE = re.compile(r"Código de verificación: (\S+)")
DATE_TIME = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d [ap]\. m\.")


def test_a_boleta_seen_by_its_servant_shows_in_the_signed_constancia(web, platform):
    log_in(web, platform, SERVANT, DEMO_PASSWORD)
    notice = web.get_by_role("link", name="Leer y aceptar")
    expect(notice).to_be_visible()
    notice.click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "entrega-electronica")
    web.get_by_role("button", name="Acepto la entrega electrónica").click()
    web.wait_for_load_state("load")
    expect(web.get_by_role("link", name="Leer y aceptar")).to_have_count(0)

    web.goto(f"{platform.url}/boletas/mi-boleta/?anio=2022&mes=6")
    row = web.locator("section[aria-labelledby=resultados] tbody tr").first
    delivery = row.locator("td[data-label='Entrega']")
    expect(delivery).to_contain_text("Publicada:")
    link = row.get_by_role("link", name=re.compile("^(Ver mi|Cargar) boleta"))
    with web.expect_response(re.compile(r"/pdf/$")) as answer:
        link.click()
    assert answer.value.headers["content-type"] == "application/pdf"
    web.goto(f"{platform.url}/boletas/mi-boleta/?anio=2022&mes=6")
    delivery = web.locator("section[aria-labelledby=resultados] tbody tr").first.locator(
        "td[data-label='Entrega']"
    )
    expect(delivery).to_contain_text("Vista por primera vez:")
    first_view = DATE_TIME.findall(delivery.inner_text())[-1]
    log_out(web)

    log_in(web, platform, BOLETAS_ADMIN, DEMO_PASSWORD)
    web.goto(f"{platform.url}/boletas/personal/?q={SERVANT}")
    web.get_by_role("link", name=re.compile("QUISPE")).first.click()
    web.wait_for_load_state("load")
    web.get_by_role("link", name="Constancia de entrega electrónica de sus boletas").click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "constancia-entrega")
    web.get_by_label("Desde (mes)").fill("2022-06")
    web.get_by_label("Hasta (mes)").fill("2022-06")
    with web.expect_download() as download:
        web.get_by_role("button", name="Descargar PDF firmado").click()
    pdf = download.value.path().read_bytes()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert "Constancia de entrega electrónica de boletas de pago" in flat
    assert "Accesos del servidor a sus boletas" in flat
    day, time = first_view.split()[:2]
    assert day in flat and time in flat  # the servant's first view, in the access list
    assert "versión 2026-11" in flat  # the acceptance

    code = CODE.search(text).group(1)
    visit(web, platform, f"/verificar/{code}/", "verificar-constancia")
    expect(web.get_by_role("heading", name="Válido")).to_be_visible()
    main = web.locator("main")
    expect(main).to_contain_text("Constancia de entrega electrónica de boletas de pago")
    expect(main).to_contain_text("Firma digital válida")
    expect(main).to_contain_text("Firmante")
    expect(main).to_contain_text("AYNI - Firma de demostración")
    assert SERVANT not in main.inner_text()

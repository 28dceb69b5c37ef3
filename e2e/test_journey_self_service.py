"""The servant serves themself, against the real server with the demo data: issues each
constancia and exports Mi boleta to Excel, asks for an informe escalafonario that the
UGEL's especialista attends after opening the legajo, then downloads their data and sees
that look in «Quién vio mis datos» (role and unit, never the name)."""

import io
import json
import re
import zipfile

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.conftest import log_in, log_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"
SERVANT = "40000001"
SPECIALIST = "40000100"  # Carmen, especialista de escalafón of UGEL 07
CODE = re.compile(r"SOL-\d{4}-\d+")


def test_a_servant_issues_constancias_asks_an_informe_and_sees_who_saw_their_data(web, platform):
    log_in(web, platform, SERVANT, DEMO_PASSWORD)
    web.get_by_role("link", name="Mis constancias").first.click()
    web.wait_for_load_state("load")
    visit(web, platform, "/constancias/", "mis-constancias")
    web.get_by_label("Desde (mes)").fill("2022-01")
    web.get_by_label("Hasta (mes)").fill("2022-06")
    titles = {}
    for button in ("haberes", "trabajo", "tiempo de servicios"):
        with web.expect_download() as download:
            web.get_by_role("button", name=f"Emitir constancia de {button}").click()
        text = PdfReader(download.value.path()).pages[0].extract_text()
        titles[button] = " ".join(text.split())
    assert "JUNIO 2022" in titles["haberes"]
    assert "labora actualmente" in titles["trabajo"].lower()
    assert "Periodos computados" in titles["tiempo de servicios"]
    web.reload()
    expect(web.locator("section[aria-labelledby=emitidas] tbody tr")).to_have_count(3)

    web.goto(f"{platform.url}/boletas/mi-boleta/?anio=2022")
    with web.expect_download() as download:
        web.get_by_role("link", name="Descargar en Excel").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(book["Boletas"].iter_rows(min_row=2))
    assert rows and all(isinstance(row[6].value, float | int) for row in rows)
    assert "S/" in rows[0][6].number_format

    web.goto(f"{platform.url}/legajo/solicitudes/informe/")
    web.get_by_label(re.compile("Sustento")).fill("Para un concurso de ascenso.")
    web.get_by_role("button", name="Enviar solicitud").click()
    web.wait_for_load_state("load")
    code = CODE.search(web.locator("main").inner_text()).group(0)
    log_out(web)

    log_in(web, platform, SPECIALIST, DEMO_PASSWORD)
    web.goto(f"{platform.url}/legajo/escalafon/solicitudes/?documento={SERVANT}"
             "&seccion=informe_escalafonario")  # fmt: skip
    web.get_by_role("row", name=re.compile(code)).get_by_role("link", name="Revisar").click()
    web.wait_for_load_state("load")
    web.get_by_role("link", name=re.compile("QUISPE")).first.click()  # opens the legajo
    web.wait_for_load_state("load")
    web.go_back()
    web.get_by_role("button", name="Atender").click()
    expect(web.get_by_text("se emitió el informe escalafonario")).to_be_visible()
    log_out(web)

    log_in(web, platform, SERVANT, DEMO_PASSWORD)
    web.goto(f"{platform.url}/constancias/")
    expect(web.locator("section[aria-labelledby=informes] li")).to_have_count(1)
    web.get_by_role("link", name="Mis datos personales").first.click()
    web.wait_for_load_state("load")
    visit(web, platform, "/mis-datos/", "mis-datos-personales")
    with web.expect_download() as download:
        web.get_by_role("link", name="Descargar mis datos").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    data = json.loads(archive.read("mis-datos.json"))
    assert data["servidor"]["numero_documento"] == SERVANT
    kinds = {d["tipo"] for d in data["documentos_emitidos"]}
    assert {"constancia_haberes", "constancia_trabajo", "constancia_tiempo_servicios",
            "informe_escalafonario"} <= kinds  # fmt: skip
    web.get_by_role("link", name="Ver quién vio mis datos").click()
    web.wait_for_load_state("load")
    row = web.get_by_role("row", name=re.compile("Abrió su legajo")).first
    expect(row).to_contain_text("Especialista de escalafón")
    expect(row).to_contain_text("UGEL 07")
    assert "CARMEN" not in web.locator("main").inner_text().upper()

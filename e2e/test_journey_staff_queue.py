"""UGEL staff on a busy Monday, against the real server: the especialista clears the queue of
one servant's requests with «Siguiente solicitud» and exports the tray; the boletas
administrator checks a planilla's preview before confirming it."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"
SPECIALIST = "40000100"
BOLETAS_ADMIN = "40000101"
SERVANT = "40000001"
CODE = re.compile(r"SOL-\d{4}-\d+")


def test_the_especialista_clears_a_servants_queue_and_exports_the_tray(web, platform):
    log_in(web, platform, SPECIALIST, DEMO_PASSWORD)
    visit(web, platform, f"/legajo/escalafon/solicitudes/?documento={SERVANT}", "bandeja-escalafon")
    first = web.get_by_role("link", name="Revisar").first
    expect(first).to_be_visible()
    first.click()
    web.wait_for_load_state("load")
    decided = []
    for _ in range(10):  # the demo queue of one servant is short; never loop for ever
        heading = web.get_by_role("heading", name=CODE).first
        code = CODE.search(heading.inner_text()).group(0)
        assert code not in decided, "«Siguiente solicitud» came back to a decided request"
        web.get_by_label("Observación").fill("Falta el documento de sustento.")
        web.get_by_role("button", name="Rechazar", exact=True).click()
        web.wait_for_load_state("load")
        expect(web.get_by_text(f"Solicitud {code} rechazada")).to_be_visible()
        decided.append(code)
        following = web.get_by_role("link", name="Siguiente solicitud")
        if not following.count():
            break
        following.click()
        web.wait_for_load_state("load")
    expect(web.get_by_text("No quedan solicitudes pendientes con los filtros")).to_be_visible()
    assert decided

    web.goto(f"{platform.url}/legajo/escalafon/solicitudes/?documento={SERVANT}&estado=rechazado")
    with web.expect_download() as download:
        web.get_by_role("link", name="Exportar CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    exported = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert set(decided) <= exported


def test_the_boletas_administrator_checks_the_preview_before_confirming(web, platform, tmp_path):
    planilla = tmp_path / "planilla.csv"
    sample = (platform_root() / "docs" / "planilla-ejemplo.csv").read_text(encoding="utf-8")
    planilla.write_text(sample, encoding="utf-8")
    log_in(web, platform, BOLETAS_ADMIN, DEMO_PASSWORD)
    web.goto(f"{platform.url}/boletas/cargar-planilla/")
    web.set_input_files("input[type=file]", str(planilla))
    web.get_by_role("button", name="Validar archivo").click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "planilla-vista-previa")
    for label in ("Periodo", "Entidad pagadora", "Total bruto", "Total descuentos", "Total neto"):
        expect(web.get_by_text(label, exact=True)).to_be_visible()
    # The demo already holds this sample: nothing new, every boleta unchanged.
    expect(web.get_by_text("Boletas sin cambios", exact=True)).to_be_visible()
    web.get_by_role("button", name="Confirmar importación").click()
    web.wait_for_load_state("load")
    expect(web.get_by_text(re.compile("Importado|En cola|importación")).first).to_be_visible()


def platform_root():
    from e2e.conftest import ROOT

    return ROOT

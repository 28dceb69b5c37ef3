"""Mi legajo from request to decision, against the real server: attended, rejected, annulled."""

import re

import pytest
from playwright.sync_api import expect
from reportlab.pdfgen.canvas import Canvas

from e2e.conftest import check_accessible, log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"
SERVANT = "40000001"
SPECIALIST = "40000100"
SENT = re.compile(r"Su solicitud fue enviada con el código (SOL-[\w-]+?)\.")


def open_section(page, platform, label: str) -> None:
    page.goto(f"{platform.url}/legajo/actualizar/")
    row = page.get_by_role("row", name=re.compile(re.escape(label)))
    row.get_by_role("link", name="Solicitar modificación").click()
    page.wait_for_load_state("load")


def edit_item(page, containing: str, values: dict) -> None:
    row = page.get_by_role("row", name=re.compile(re.escape(containing)))
    row.get_by_role("link", name=re.compile("^Modificar registro")).click()
    page.wait_for_load_state("load")
    fill(page, values)


def fill(page, values: dict) -> None:
    for label, value in values.items():
        field = page.get_by_label(re.compile(f"^{re.escape(label)}"))
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_load_state("load")


def send(page, comment: str) -> str:
    """Send the section's draft; the code the servant is told to keep."""
    page.get_by_role("link", name="Enviar solicitud").click()
    page.wait_for_load_state("load")
    page.get_by_label(re.compile("^Sustento de la solicitud")).fill(comment)
    page.get_by_role("button", name="Enviar", exact=True).click()
    page.wait_for_load_state("load")
    message = page.get_by_text(SENT)
    expect(message).to_be_visible()
    return SENT.search(message.inner_text()).group(1)


def decide(page, platform, code: str, decision: str, observation: str = "") -> None:
    """The specialist finds the request in the tray and decides it."""
    log_in(page, platform, SPECIALIST, DEMO_PASSWORD)
    page.get_by_role("link", name="Bandeja de solicitudes").first.click()
    page.get_by_label("Documento del servidor").fill(SERVANT)
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_load_state("load")
    page.get_by_role("row", name=re.compile(code)).get_by_role("link", name="Revisar").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name=f"Solicitud {code}")).to_be_visible()
    if observation:
        page.get_by_label("Observación").fill(observation)
    page.get_by_role("button", name=decision, exact=True).click()
    page.wait_for_load_state("load")
    outcome = "atendida" if decision == "Atender" else "rechazada"
    expect(page.get_by_text(f"Solicitud {code} {outcome}")).to_be_visible()
    page.get_by_role("button", name="Cerrar sesión").click()


def tracking_row(page, platform, code: str):
    page.goto(f"{platform.url}/legajo/solicitudes/")
    return page.get_by_role("row", name=re.compile(code))


def a_small_pdf(path) -> None:
    canvas = Canvas(str(path))
    canvas.drawString(72, 760, "Certificado de idioma aimara - nivel básico")
    canvas.save()


def test_a_request_is_attended_and_the_legajo_shows_the_new_data(web, platform, tmp_path):
    log_in(web, platform, SERVANT, DEMO_PASSWORD)
    open_section(web, platform, "II. Idiomas")
    edit_item(web, "Inglés", {"Institución que certifica": "ICPNA Miraflores"})
    expect(web.get_by_text("Modificación guardada en el borrador")).to_be_visible()
    web.get_by_role("link", name=re.compile("Nuevo")).click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "nuevo-registro")
    fill(web, {"Idioma o lengua originaria": "Aimara", "Nivel": "Básico",
               "Institución que certifica": "Universidad Nacional del Altiplano"})  # fmt: skip
    certificate = tmp_path / "certificado-aimara.pdf"
    a_small_pdf(certificate)
    web.get_by_label("Documento sustentatorio").set_input_files(str(certificate))
    web.get_by_role("button", name="Adjuntar").click()
    web.wait_for_load_state("load")
    expect(web.get_by_role("link", name=re.compile("certificado-aimara.pdf")).first).to_be_visible()
    visit(web, platform, web.url.removeprefix(platform.url), "borrador-solicitud")
    code = send(web, "Adjunto el certificado de aimara.")
    web.get_by_role("button", name="Cerrar sesión").click()

    decide(web, platform, code, "Atender")

    log_in(web, platform, SERVANT, DEMO_PASSWORD)
    expect(tracking_row(web, platform, code).get_by_text("Atendido")).to_be_visible()
    web.goto(f"{platform.url}/legajo/mi-legajo/")  # weighed and pictured by the other journey
    check_accessible(web)
    expect(web.get_by_role("cell", name="Aimara", exact=True)).to_be_visible()
    expect(web.get_by_role("cell", name="ICPNA Miraflores", exact=True)).to_be_visible()


def test_a_request_is_rejected_with_an_observation(web, platform):
    log_in(web, platform, SERVANT, DEMO_PASSWORD)
    open_section(web, platform, "VII. Méritos")
    edit_item(web, "Juegos Florales", {"Otorgado por": "DRE Lima Metropolitana"})
    code = send(web, "La felicitación fue de la DRE.")
    web.get_by_role("button", name="Cerrar sesión").click()

    observation = "La resolución registrada fue emitida por la UGEL 07."
    decide(web, platform, code, "Rechazar", observation)

    log_in(web, platform, SERVANT, DEMO_PASSWORD)
    row = tracking_row(web, platform, code)
    expect(row.get_by_text("Rechazado")).to_be_visible()
    row.get_by_role("link", name=f"Ver detalle de {code}").click()
    web.wait_for_load_state("load")
    expect(web.get_by_text(observation)).to_be_visible()
    web.goto(f"{platform.url}/legajo/mi-legajo/")
    merit = web.get_by_role("row", name=re.compile("Juegos Florales"))
    expect(merit).to_contain_text("UGEL 07 San Borja")  # the legajo is unchanged


def test_the_servant_annuls_a_request_in_progress(web, platform):
    log_in(web, platform, SERVANT, DEMO_PASSWORD)
    open_section(web, platform, "IX. Licencias y vacaciones")
    edit_item(web, "Asuntos particulares", {"Motivo": "Asuntos familiares"})
    code = send(web, "Corrijo el motivo.")
    tracking_row(web, platform, code).get_by_role("link", name=f"Anular {code}").click()
    web.wait_for_load_state("load")
    visit(web, platform, web.url.removeprefix(platform.url), "anular-solicitud")
    web.get_by_role("button", name="Aceptar").click()
    web.wait_for_load_state("load")
    expect(web.get_by_text(f"La solicitud {code} fue anulada.")).to_be_visible()
    row = tracking_row(web, platform, code)
    expect(row.get_by_text("Anulado")).to_be_visible()
    expect(row.get_by_role("link", name=f"Anular {code}")).to_have_count(0)

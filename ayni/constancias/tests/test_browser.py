"""A servant issues each constancia from «Mis constancias», verifies one and exports Mi
boleta to Excel, in Debian's Chromium."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import browser_login
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import SAMPLE, boleta_rows
from ayni.constancias.models import Constancia
from ayni.documents.models import IssuedDocument
from ayni.legajo.tests.factories import full_legajo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_servant_issues_each_constancia_and_exports_excel(live_server, page, demo_servants):
    assert run_import(SAMPLE.read_bytes()).ok  # June 2022: net S/ 2,521.90
    assert run_import(boleta_rows(periodo="2022-05")).ok  # ROSA_LINES: net S/ 2,521.90
    rosa = UserFactory(servant=demo_servants[0])
    full_legajo(servant=demo_servants[0])
    browser_login(page, live_server, rosa.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("link", name="Mis constancias").first.click()
    expect(page.get_by_role("heading", name="Mis constancias", level=1)).to_be_visible()
    page.get_by_label("Desde (mes)").fill("2022-05")
    page.get_by_label("Hasta (mes)").fill("2022-06")
    issued = {}
    for button, kind in [
        ("Emitir constancia de haberes", Constancia.Kind.HABERES),
        ("Emitir constancia de trabajo", Constancia.Kind.TRABAJO),
        ("Emitir constancia de tiempo de servicios", Constancia.Kind.TIEMPO),
    ]:
        with page.expect_download() as download:
            page.get_by_role("button", name=button).click()
        pdf = PdfReader(download.value.path())
        issued[kind] = pdf.pages[0].extract_text()
    assert "S/ 5,043.80" in issued[Constancia.Kind.HABERES]  # two months of S/ 2,521.90
    assert "Profesora de aula" in issued[Constancia.Kind.TRABAJO]
    assert "Periodos computados" in issued[Constancia.Kind.TIEMPO]
    assert IssuedDocument.objects.filter(servant=demo_servants[0]).count() == 3

    page.reload()
    rows = page.locator("section[aria-labelledby=emitidas] tbody tr")
    expect(rows).to_have_count(3)
    code = IssuedDocument.objects.get(kind=Constancia.Kind.HABERES).code
    assert code in issued[Constancia.Kind.HABERES]
    page.get_by_role("link", name=code).click()
    page.wait_for_url(f"{live_server.url}/verificar/{code}/")
    expect(page.get_by_role("heading", name="Válido")).to_be_visible()
    expect(page.get_by_text("R*** E*** Q*** M***")).to_be_visible()

    page.goto(f"{live_server.url}/constancias/")
    page.get_by_label("Desde (mes)").fill("2021-01")
    page.get_by_label("Hasta (mes)").fill("2022-06")
    page.get_by_role("button", name="Emitir constancia de haberes").click()
    expect(page.get_by_text("Elija como máximo 12 meses")).to_be_visible()
    assert IssuedDocument.objects.count() == 3

    page.get_by_role("link", name="Mi boleta").first.click()
    page.get_by_role("combobox", name="Año").select_option("2022")
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_url(re.compile(r"anio=2022"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar en Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))  # the path has no suffix
    nets = [row[6] for row in book["Boletas"].iter_rows(min_row=2, values_only=True)]
    assert sum(Decimal(str(net)) for net in nets) == Decimal("5043.80")

"""A servant who types another servant's ids into the address bar gets nothing."""

import re

import pytest

from e2e.conftest import DESKTOP, check_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"


def rosas_addresses(chromium, platform) -> tuple[list[str], list[str]]:
    """Rosa (40000001) browses her own pages: the addresses of her records, and what of
    hers must never show to anyone else (her name, her net pay)."""
    context = chromium.new_context(viewport=DESKTOP, locale="es-PE")
    page = context.new_page()
    log_in(page, platform, "40000001", DEMO_PASSWORD)
    href = lambda locator: locator.first.get_attribute("href")  # noqa: E731

    page.goto(f"{platform.url}/boletas/mi-boleta/?anio=2022&mes=6")
    row = page.locator("section[aria-labelledby=resultados] tbody tr").first
    net = row.locator("td[data-label='Monto a pagar']").inner_text().strip()
    boleta_pdf = href(row.get_by_role("link", name=re.compile("boleta de JUNIO 2022")))
    boleta_changes = href(row.get_by_role("link", name=re.compile("^¿Qué cambió?")))

    page.goto(f"{platform.url}/legajo/actualizar/idiomas/")
    item_edit = href(page.get_by_role("link", name=re.compile("^Modificar registro")))

    page.goto(f"{platform.url}/legajo/solicitudes/")
    pending = page.get_by_role("row", name=re.compile("En solicitud")).filter(
        has=page.get_by_role("link", name=re.compile("^Anular"))
    )
    request_detail = href(pending.get_by_role("link", name=re.compile("^Ver detalle de")))
    request_annul = href(pending.get_by_role("link", name=re.compile("^Anular")))
    page.goto(platform.url + request_detail)
    attachment = href(page.locator("ul.attachments a[href*='/legajo/adjuntos/']"))
    context.close()

    addresses = [boleta_pdf, boleta_changes, boleta_pdf.replace("/mi-boleta/", "/personal/boleta/"),
                 item_edit, request_detail, request_annul, attachment]  # fmt: skip
    assert all(addresses), addresses
    return addresses, ["QUISPE MAMANI", "ROSA ELENA", net]


def test_a_servant_cannot_open_another_servants_records(web, chromium, platform):
    addresses, secrets = rosas_addresses(chromium, platform)
    log_in(web, platform, "40000002", DEMO_PASSWORD)
    for address in addresses:
        response = web.goto(platform.url + address)
        assert response.status in (403, 404), f"{address}: {response.status}"
        assert response.headers["content-type"].startswith("text/html"), address
        body = response.text()
        leaked = [secret for secret in secrets if secret in body]
        assert leaked == [], f"{address} shows {leaked}"
    check_accessible(web)  # the refusal page too
    csrf = next(c["value"] for c in web.context.cookies() if c["name"] == "csrftoken")
    for address in (a for a in addresses if "/anular/" in a):  # a valid POST is refused too
        answer = web.request.post(platform.url + address, headers={"X-CSRFToken": csrf},
                                  fail_on_status_code=False)  # fmt: skip
        assert answer.status == 404, address

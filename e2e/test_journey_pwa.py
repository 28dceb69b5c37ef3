"""The installable app in Chromium: its manifest and service worker, a boleta PDF read with the
network cut, gone after "Cerrar sesión" and out of reach of the next person who signs in; and
the notices on this device."""

import base64
import io
import json
import os
import re
import sqlite3
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.conftest import log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"
JUNE_2022 = "/boletas/mi-boleta/?anio=2022&mes=6"


def wait_for_worker(page) -> None:
    """The service worker is active and controls this page."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        # A page whose navigation was in flight while the worker activated is not always
        # claimed (clients.claim() skips it in Chromium): the next load is controlled, as a
        # person's next page would be.
        page.reload()
    # Not wait_for_function: once it has to poll, it evaluates its predicate with eval(),
    # which the platform's Content-Security-Policy refuses.
    eventually(page, "() => navigator.serviceWorker.controller !== null")


def eventually(page, script: str, seconds: float = 10):
    """The first truthy value of a script, async or not, polled from outside the page."""
    deadline = time.monotonic() + seconds
    while not (value := page.evaluate(script)):
        assert time.monotonic() < deadline, f"never true: {script}"
        time.sleep(0.2)
    return value


def boleta_caches(page) -> list[str]:
    return page.evaluate(
        "async () => (await caches.keys()).filter((name) => name.startsWith('ayni-boletas-'))"
    )


def saved_boletas(page) -> list[str]:
    """The PDFs kept for whoever the page says is signed in."""
    return page.evaluate(
        """async () => {
             const meta = document.querySelector('meta[name="ayni-usuario"]');
             const name = 'ayni-boletas-' + (meta ? meta.content : '');
             if (!(await caches.has(name))) { return []; }
             return (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
           }"""
    )


def wait_until_saved(page, pdf: str) -> None:
    eventually(
        page,
        f"""async () => {{
              const meta = document.querySelector('meta[name="ayni-usuario"]');
              const cache = await caches.open('ayni-boletas-' + meta.content);
              return Boolean(await cache.match('{pdf}'));
            }}""",
    )


def pdf_url_of_june(page, platform) -> str:
    page.goto(platform.url + JUNE_2022)
    link = page.locator("section[aria-labelledby=resultados] tbody tr").first.get_by_role(
        "link", name=re.compile("^(Cargar|Ver mi) boleta")
    )
    return link.get_attribute("href")


def test_manifest_and_service_worker(web, platform):
    web.goto(f"{platform.url}/cuenta/ingresar/")
    href = web.locator("link[rel=manifest]").get_attribute("href")
    manifest = web.request.get(platform.url + href)
    assert manifest.headers["content-type"] == "application/manifest+json"
    data = manifest.json()
    assert (data["short_name"], data["display"], data["start_url"]) == ("AYNI", "standalone", "/")
    assert data["theme_color"] == web.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()"
    )
    for icon in data["icons"]:
        image = web.request.get(platform.url + icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png"
    assert {"maskable", "any"} == {icon["purpose"] for icon in data["icons"]}
    wait_for_worker(web)
    scope = web.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == platform.url + "/"

    web.context.set_offline(True)
    try:  # a page that cannot be reached: the offline page, in Spanish
        web.goto(f"{platform.url}/acceso/preguntas-frecuentes/")
        expect(web.get_by_role("heading", name="Sin conexión")).to_be_visible()
        expect(web.locator("link[rel=stylesheet]")).to_have_count(1)  # styled from the cache
        assert web.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"
    finally:
        web.context.set_offline(False)


def test_a_boleta_stays_readable_offline_until_cerrar_sesion(web, browser_context, platform):
    log_in(web, platform, "40000001", DEMO_PASSWORD)
    wait_for_worker(web)
    pdf = pdf_url_of_june(web, platform)
    with web.expect_response(re.compile(r"/pdf/$")) as answer:
        web.goto(platform.url + pdf)
    assert answer.value.headers["content-type"] == "application/pdf"
    assert answer.value.headers["cache-control"] == "private, no-store"  # never the HTTP cache
    web.goto(platform.url + JUNE_2022)
    wait_until_saved(web, pdf)
    assert saved_boletas(web) == [pdf]
    # No page is ever stored, only the static files, the offline page and her PDF.
    stored = web.evaluate(
        """async () => {
             const urls = [];
             for (const name of await caches.keys()) {
               for (const request of await (await caches.open(name)).keys()) {
                 urls.push(new URL(request.url).pathname);
               }
             }
             return urls;
           }"""
    )
    assert {url for url in stored if not url.startswith("/static/")} == {
        "/sin-conexion/",
        pdf,
        "/__ayni/usuario",
    }

    browser_context.set_offline(True)
    web.goto(platform.url + JUNE_2022)  # Mi boleta itself is not kept: the offline page
    expect(web.get_by_role("heading", name="Sin conexión")).to_be_visible()
    saved = web.get_by_role("link", name="Boleta de junio 2022")
    expect(saved).to_be_visible()
    assert saved.get_attribute("href") == platform.url + pdf
    with web.expect_response(re.compile(r"/pdf/$")) as answer:
        saved.click()
    web.wait_for_url(re.compile(r"/pdf/$"))
    assert answer.value.from_service_worker
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    assert answer.value.headers["content-disposition"].startswith("inline")
    web.go_back()
    body = web.evaluate(
        f"""async () => Array.from(new Uint8Array(await (await fetch('{pdf}')).arrayBuffer()))"""
    )
    text = PdfReader(io.BytesIO(bytes(body))).pages[0].extract_text()
    assert "QUISPE MAMANI ROSA ELENA" in text

    browser_context.set_offline(False)
    web.goto(platform.url + JUNE_2022)
    web.get_by_role("button", name="Cerrar sesión").click()
    web.wait_for_url(re.compile(r"/cuenta/ingresar/"))
    wait_for_worker(web)
    assert boleta_caches(web) == []

    browser_context.set_offline(True)
    try:
        web.goto(platform.url + pdf)
        expect(web.get_by_role("heading", name="Sin conexión")).to_be_visible()
        expect(
            web.get_by_role("heading", name="Boletas guardadas en este dispositivo")
        ).to_be_hidden()
    finally:
        browser_context.set_offline(False)


def test_the_next_person_signed_in_cannot_read_the_saved_boleta(web, browser_context, platform):
    log_in(web, platform, "40000001", DEMO_PASSWORD)
    wait_for_worker(web)
    pdf = pdf_url_of_june(web, platform)
    web.goto(platform.url + pdf)
    web.goto(platform.url + JUNE_2022)
    eventually(web, "async () => (await caches.keys()).some((n) => n.startsWith('ayni-boletas-'))")
    rosas = boleta_caches(web)

    browser_context.clear_cookies()  # her session ended without "Cerrar sesión" (it expired)
    log_in(web, platform, "40000002", DEMO_PASSWORD)
    wait_for_worker(web)
    eventually(web, f"async () => !(await caches.keys()).includes({json.dumps(rosas[0])})")
    assert boleta_caches(web) == []
    assert web.request.get(platform.url + pdf).status == 404  # online: not his

    browser_context.set_offline(True)
    try:  # offline: nothing kept either
        web.goto(platform.url + pdf)
        expect(web.get_by_role("heading", name="Sin conexión")).to_be_visible()
        status = web.evaluate(f"async () => (await fetch('{pdf}').catch(() => null)) === null")
        assert status  # the worker has nothing to give
    finally:
        browser_context.set_offline(False)


def test_the_last_twelve_boletas_are_kept(web, platform):
    log_in(web, platform, "40000001", DEMO_PASSWORD)
    wait_for_worker(web)
    pdfs = []
    for page_number in (1, 2):
        web.goto(f"{platform.url}/boletas/mi-boleta/?pagina={page_number}")
        links = web.locator("section[aria-labelledby=resultados] tbody tr").get_by_role(
            "link", name=re.compile("^(Cargar|Ver mi) boleta")
        )
        pdfs += [links.nth(i).get_attribute("href") for i in range(links.count())]
    pdfs = pdfs[:13]
    assert len(set(pdfs)) == 13
    for pdf in pdfs:  # each opened in turn (through the worker, as the page's links are)
        assert web.evaluate(f"async () => (await fetch('{pdf}')).status") == 200
        wait_until_saved(web, pdf)
    kept = saved_boletas(web)
    assert sorted(kept) == sorted(pdfs[1:])  # the first one opened made room for the 13th
    assert web.evaluate(f"async () => (await fetch('{pdfs[0]}')).status") == 200
    wait_until_saved(web, pdfs[0])
    assert sorted(saved_boletas(web)) == sorted(pdfs[:1] + pdfs[2:])  # opened again: kept


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_notices_on_this_device(web, browser_context, platform):
    browser_context.grant_permissions(["notifications"], origin=platform.url)
    log_in(web, platform, "40000001", DEMO_PASSWORD)
    wait_for_worker(web)
    visit(web, platform, "/boletas/mi-boleta/", "mi-boleta-avisos")
    control = web.get_by_role("region", name="Avisos en este dispositivo")
    expect(control).to_be_visible()
    control.get_by_role("button", name="Recibir avisos en este dispositivo").click()
    status = control.get_by_role("status")
    expect(status).not_to_be_empty()
    database = sqlite3.connect(platform.var_dir / "ayni.sqlite3")

    def stored():
        return database.execute(
            "SELECT u.username, s.endpoint FROM notifications_pushsubscription s "
            "JOIN accounts_user u ON u.id = s.user_id"
        ).fetchall()

    if (
        status.inner_text() == "Recibirá avisos en este dispositivo."
    ):  # a browser with a push service
        assert [user for user, _ in stored()] == ["40000001"]
    else:  # headless Chromium has no push service: the control says so, in Spanish
        expect(status).to_have_text(
            "Este navegador no pudo activar los avisos. Inténtelo más tarde."
        )
        # What the control sends once the browser subscribed, with a key pair made here.
        key = (
            ec.generate_private_key(ec.SECP256R1())
            .public_key()
            .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        )
        subscription = {
            "endpoint": "https://fcm.googleapis.com/fcm/send/e2e-" + _b64url(os.urandom(8)),
            "keys": {"p256dh": _b64url(key), "auth": _b64url(os.urandom(16))},
        }
        call = """async ([url, body]) => {
            const box = document.querySelector('[data-avisos]');
            const token = box.querySelector('input[name=csrfmiddlewaretoken]').value;
            const answer = await fetch(url, {method: 'POST', body: JSON.stringify(body),
              headers: {'Content-Type': 'application/json', 'X-CSRFToken': token}});
            return [answer.status, await answer.json()];
        }"""
        created = web.evaluate(call, ["/avisos/dispositivo/", subscription])
        assert created == [201, {"mensaje": "Recibirá avisos en este dispositivo."}]
        assert stored() == [("40000001", subscription["endpoint"])]
        gone = web.evaluate(
            call, ["/avisos/dispositivo/quitar/", {"endpoint": subscription["endpoint"]}]
        )
        assert gone[0] == 200 and stored() == []

    # A notice as the push service would deliver it: the worker shows it.
    cdp = browser_context.new_cdp_session(web)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):  # the events arrive while the driver waits
        if any(r["scopeURL"] == platform.url + "/" for r in registrations):
            break
        web.wait_for_timeout(100)
    registration = next(r for r in registrations if r["scopeURL"] == platform.url + "/")
    notice = {"title": "Su boleta de Junio 2022 está disponible", "body": "Ábrala en «Mi boleta».",
              "url": "/boletas/mi-boleta/"}  # fmt: skip
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": platform.url, "registrationId": registration["registrationId"],
         "data": json.dumps(notice)},
    )  # fmt: skip
    shown = eventually(
        web,
        """async () => {
             const list = await (await navigator.serviceWorker.ready).getNotifications();
             return list.length ? [list[0].title, list[0].body] : null;
           }""",
    )
    assert shown == [notice["title"], notice["body"]]
    database.close()

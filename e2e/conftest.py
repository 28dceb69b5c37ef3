"""End-to-end journeys against the real server, started as the README starts it (`make run`).

The server runs on a free port with its own SQLite database and files in a temporary
folder, the CAPTCHA in test mode, and mails written as files that the journeys read.
"""

import gzip
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = os.environ.get("AYNI_SCREENSHOTS", "")
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
PAGE_BUDGET_BYTES = 150 * 1024
STARTUP_SECONDS = 240
WEIGHTS_FILE = ROOT / "var" / "e2e-page-weights.json"
# The browser's own pages (its PDF viewer) load from these schemes, never from the network.
BROWSER_INTERNAL = ("data:", "chrome://", "chrome-extension://")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Platform:
    url: str
    var_dir: Path
    weights: dict = field(default_factory=dict)

    def mails(self) -> list[str]:
        folder = self.var_dir / "mail"
        if not folder.exists():
            return []
        return [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("platform")
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "AYNI_VAR_DIR": str(var_dir),
        "AYNI_CAPTCHA_TEST_MODE": "true",
        "AYNI_LOCKOUT_SECONDS": "5",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)  # the README's embedded default: SQLite
    log = (var_dir / "server.log").open("w")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{url}/cuenta/ingresar/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            log.flush()
            raise RuntimeError((var_dir / "server.log").read_text()[-3000:])
        time.sleep(0.5)
    platform = Platform(url=url, var_dir=var_dir)
    yield platform
    # The figures for docs/benchmarks.md: page name → compressed bytes of HTML, CSS and JS.
    WEIGHTS_FILE.parent.mkdir(exist_ok=True)
    WEIGHTS_FILE.write_text(json.dumps(dict(sorted(platform.weights.items())), indent=1))
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)
    log.close()


@pytest.fixture
def browser_context(chromium, platform):
    """A desktop-sized context that refuses (and records) every request off the platform
    (a journey may add an address of its own to `context.allowed`)."""
    context = chromium.new_context(viewport=DESKTOP, locale="es-PE")
    context.set_default_timeout(15_000)
    context.external_requests = []
    context.allowed = [platform.url, *BROWSER_INTERNAL]

    def only_local(route):
        if route.request.url.startswith(tuple(context.allowed)):
            route.continue_()
        else:
            context.external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    yield context
    assert context.external_requests == [], "external requests were made"
    context.close()


@pytest.fixture
def web(browser_context):
    return browser_context.new_page()


def check_accessible(page) -> None:
    """axe-core on the current page: no serious or critical violation of WCAG 2.1 A/AA."""
    # Evaluated by the test driver, not added as an inline <script> (the pages' CSP blocks those).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{page.url}: " + "; ".join(bad)


def check_fits_phone(page) -> None:
    """At 360 px wide the page has no horizontal scrolling."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size(size)
    assert overflow <= 0, f"{page.url} scrolls {overflow}px sideways at 360px"


def compressed_weight(page, url: str) -> int:
    """Bytes of the HTML page and its CSS/JS, gzip-compressed as a server would send them."""
    bodies = []

    def keep(response):
        if response.request.resource_type in ("document", "stylesheet", "script"):
            bodies.append(response)

    page.on("response", keep)
    page.goto(url)
    page.wait_for_load_state("load")
    page.remove_listener("response", keep)
    return sum(len(gzip.compress(r.body(), 6)) for r in bodies)


def screenshot(page, name: str) -> None:
    """Save the page at 1280 and 360 wide under docs/screenshots/ when asked to."""
    if not SCREENSHOTS:
        return
    folder = ROOT / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(folder / f"{name}-{viewport['width']}.png"), full_page=True)
    page.set_viewport_size(size)


def visit(page, platform, path: str, name: str) -> None:
    """Open a page of a journey and check it as every page is checked."""
    weight = compressed_weight(page, platform.url + path)
    platform.weights[name] = weight
    assert weight < PAGE_BUDGET_BYTES, f"{path}: {weight} bytes compressed"
    check_accessible(page)
    check_fits_phone(page)
    screenshot(page, name)


def log_in(page, platform, username: str, password: str) -> None:
    page.goto(f"{platform.url}/cuenta/ingresar/")
    submit_login(page, username, password)


def log_out(page) -> None:
    """ "Cerrar sesión", as a person handing the browser to someone else would: the session
    ends on the server. (Clearing the browser's cookies instead races any response still in
    flight, such as the service worker's update check: the session is saved on every
    request, so that response sets its cookie again and the next sign-in page redirects.)"""
    page.get_by_role("button", name="Cerrar sesión").click()
    page.get_by_label(re.compile(r"^Usuario")).wait_for()


def submit_login(page, username: str, password: str) -> None:
    """Fill and send the login page the browser is on (the CAPTCHA in test mode), and the
    second step if the account asks for it."""
    page.get_by_label(re.compile(r"^Usuario")).fill(username)
    page.get_by_label(re.compile(r"^Contraseña")).fill(password)
    captcha = page.get_by_label(re.compile(r"CAPTCHA", re.IGNORECASE))
    if captcha.count():
        captcha.first.fill("PASSED")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state("load")
    if "/cuenta/dos-pasos/verificar/" in page.url:
        second_step(page, username)


# The last time step whose code each demo account used: django-otp accepts each step once.
_USED_STEPS: dict[str, int] = {}


def second_step(page, username: str) -> None:
    """The staff demo accounts' second step: the code of the README's published secret, as
    an authenticator app would show it (waiting for a new one if this one was used)."""
    from base64 import b32decode

    from django_otp.oath import totp

    from ayni.accounts.demo import DEMO_TOTP_SECRETS

    check_accessible(page)
    screenshot(page, "verificacion-dos-pasos")
    for _attempt in range(2):  # a code another journey (the attack replay) used: the next one
        while (step := int(time.time()) // 30) <= _USED_STEPS.get(username, -1):
            time.sleep(0.5)
        _USED_STEPS[username] = step
        code = totp(b32decode(DEMO_TOTP_SECRETS[username]))
        page.get_by_label(re.compile(r"^Código:?$")).fill(f"{code:06d}")
        page.get_by_role("button", name="Verificar").click()
        page.wait_for_load_state("load")
        if "/dos-pasos/" not in page.url:
            return
    raise AssertionError(f"the second step of {username} did not pass")


def pytest_collection_modifyitems(config, items):
    # One server for all journeys: under xdist they all go to the same worker.
    for item in items:
        if item.nodeid.startswith("e2e/"):
            item.add_marker(pytest.mark.xdist_group("e2e"))

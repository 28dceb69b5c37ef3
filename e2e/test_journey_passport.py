import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
DEMO_PASSWORD = "Ayni2026demo"
UGEL_ADMIN = "40000102"
NEW_SERVANT = "41000000"  # a generated demo servant of UGEL 07, without an account
LINK = re.compile(r"https?://\S+?(/cuenta/contrasena/\S+?/)\s")


def test_the_public_password_pages_are_accessible(web, platform):
    visit(web, platform, "/cuenta/generar-contrasena/", "generar-contrasena")
    expect(web.get_by_role("heading", name="Generar contraseña")).to_be_visible()
    visit(web, platform, "/cuenta/olvide-contrasena/", "olvide-contrasena")


def test_an_administrator_provisions_and_the_servant_sets_a_password(web, platform):
    log_in(web, platform, UGEL_ADMIN, DEMO_PASSWORD)
    visit(web, platform, "/cuenta/gestion/", "cuentas")
    visit(web, platform, "/cuenta/gestion/carga/", "carga-masiva")
    visit(web, platform, "/cuenta/gestion/bloqueos/", "bloqueos")
    visit(web, platform, "/cuenta/accesos/", "mis-accesos")
    visit(web, platform, "/cuenta/dos-pasos/", "verificacion-dos-pasos-cuenta")
    visit(web, platform, "/cuenta/gestion/nueva/", "crear-cuenta")
    web.get_by_label(re.compile(r"^Número de documento")).fill(NEW_SERVANT)
    web.get_by_label(re.compile(r"^Correo electrónico")).fill("e2e.docente@example.pe")
    web.get_by_role("button", name="Crear cuenta y enviar correo").click()
    expect(web.get_by_text(f"Usuario {NEW_SERVANT}: Cuenta creada")).to_be_visible()
    web.get_by_role("button", name="Cerrar sesión").click()

    [mail] = [text for text in platform.mails() if "e2e.docente@example.pe" in text]
    link = LINK.search(mail)
    assert link.group(0).startswith(platform.url + "/")  # the port `make run` serves
    web.goto(platform.url + link.group(1))  # the token moves into the session
    visit(web, platform, urlsplit(web.url).path, "generar-contrasena-enlace")
    rules = web.locator("#password-rules .rule")
    password = web.get_by_label(re.compile(r"^Contraseña"))
    password.press_sequentially("huancayo")  # no upper case, no digit: the checklist says so
    expect(rules.and_(web.locator("[data-rule*=upper]"))).to_have_class(re.compile("rule-fail"))
    expect(rules.and_(web.locator("[data-rule*=digit]"))).to_have_class(re.compile("rule-fail"))
    password.press_sequentially("2026X")
    expect(rules.and_(web.locator("[data-rule*=upper]"))).to_have_class(re.compile("rule-ok"))
    expect(rules.and_(web.locator("[data-rule*=digit]"))).to_have_class(re.compile("rule-ok"))

    password.fill("huancayo2026")  # a policy violation is refused by the server as well
    web.get_by_label(re.compile(r"^Confirmar contraseña")).fill("huancayo2026")
    web.get_by_role("button", name="Grabar").click()
    expect(web.get_by_text("mayúscula").first).to_be_visible()
    expect(web.get_by_role("heading", name="Generar contraseña")).to_be_visible()

    web.get_by_label(re.compile(r"^Contraseña")).fill("Huancayo2026")
    web.get_by_label(re.compile(r"^Confirmar contraseña")).fill("Huancayo2026")
    web.get_by_role("button", name="Grabar").click()
    expect(web.get_by_text("Su contraseña fue grabada")).to_be_visible()

    log_in(web, platform, NEW_SERVANT, "Huancayo2026")
    assert web.url == f"{platform.url}/"
    expect(web.get_by_text("Último acceso: primer ingreso")).to_be_visible()


def test_five_wrong_passwords_lock_the_account_here_until_the_lock_expires(web, platform):
    # The harness shortens the lock to AYNI_LOCKOUT_SECONDS=5.
    for _ in range(4):
        log_in(web, platform, "40000002", "NoEsLaClave1")
        expect(web.get_by_text("Usuario o contraseña incorrectos")).to_be_visible()
    log_in(web, platform, "40000002", "NoEsLaClave1")  # the fifth failure locks
    expect(web.get_by_text("Ingreso bloqueado por seguridad.")).to_be_visible()
    log_in(web, platform, "40000002", DEMO_PASSWORD)  # even the right password waits
    expect(web.get_by_text("Ingreso bloqueado por seguridad.")).to_be_visible()
    assert web.url.startswith(f"{platform.url}/cuenta/ingresar/")
    visit(web, platform, "/cuenta/ingresar/", "login-bloqueado")

    web.wait_for_timeout(6_000)
    log_in(web, platform, "40000002", DEMO_PASSWORD)
    assert web.url == f"{platform.url}/"
    expect(web.get_by_text("JOSÉ LUIS D'ANGELO ÑAUPARI")).to_be_visible()

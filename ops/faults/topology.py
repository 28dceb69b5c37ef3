"""Pieces of the production topology that the fault drills start, break and stop.

Everything runs on 127.0.0.1. A drill that stops PostgreSQL uses its own throwaway cluster
(`ThrowawayPostgres`, under /tmp on another port), never the machine's server.
"""

import json
import os
import select
import shutil
import signal
import socket
import string
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
OUR_VARIABLES = ("DATABASE", "CACHE", "SESSIONS", "CELERY", "STATIC", "AWS", "METRICS", "DB_",
                 "PROMETHEUS", "GUNICORN", "WEB_")  # fmt: skip
# The production web node is granian (config/granian.py); WEB_SERVER=gunicorn runs the
# previous one (config/gunicorn.py) instead, for comparison.
WEB_SERVERS = {
    "granian": [BIN / "python", "-m", "config.granian"],
    "gunicorn": [BIN / "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(var_dir: Path, **settings) -> dict:
    """Production-like variables (JSON logs, kept connections), plain HTTP on loopback."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(OUR_VARIABLES)}
    env.update(
        AYNI_VAR_DIR=str(var_dir),
        DEBUG="false",
        SECRET_KEY="drill-" + "k" * 50,
        SECURE_COOKIES="false",
        LOG_FORMAT="json",
        DB_CONN_MAX_AGE="60",
        PROMETHEUS_MULTIPROC_DIR=str(var_dir / "metrics"),
    )
    env.update({key: str(value) for key, value in settings.items()})
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [BIN / "python", "manage.py", *args], env=env, cwd=ROOT,
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    return result.stdout


def session_cookie_for(env: dict, username: str) -> str:
    """A logged-in session (stored where the web nodes keep them) for `username`."""
    script = (
        "from django.test import Client; from ayni.accounts.models import User; "
        f"c = Client(); c.force_login(User.objects.get(username='{username}')); "
        "print(c.cookies['sessionid'].value)"
    )
    return manage(env, "shell", "--no-imports", "-c", script).strip().splitlines()[-1]


def http(url: str, cookie: str = "", timeout: float = 10) -> tuple[int, str, float]:
    """(status, body, seconds); status 0 when no HTTP answer came (connection refused/reset)."""
    request = urllib.request.Request(
        url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.perf_counter() - started
    except OSError as error:
        return 0, type(error).__name__, time.perf_counter() - started


def in_threads(target, count: int) -> None:
    """target(0) … target(count - 1), each in a thread of its own; returns when all have."""
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


class WebNode:
    """A web node on a free port: `server` (default: WEB_SERVER, else granian) with `workers`
    worker processes."""

    def __init__(self, env: dict, workers: int, log_path: Path, server: str = ""):
        self.server = server or os.environ.get("WEB_SERVER", "granian")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**env, "WEB_CONCURRENCY": str(workers), "WEB_BIND": f"127.0.0.1:{self.port}"}
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            WEB_SERVERS[self.server], env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.wait_until_up()
        deadline = time.monotonic() + 30
        while len(self.workers()) < workers and time.monotonic() < deadline:
            time.sleep(0.2)

    def wait_until_up(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while http(self.url + "/healthz", timeout=5)[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.server} did not start; see {self.log.name}")
            time.sleep(0.2)

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


class Nginx:
    """nginx with ops/nginx/ayni.conf.template on a free port, in front of `upstream`
    (host:port), its files under `prefix`."""

    def __init__(self, upstream: str, prefix: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        prefix.mkdir(parents=True, exist_ok=True)
        template = (ROOT / "ops" / "nginx" / "ayni.conf.template").read_text()
        config = prefix / "nginx.conf"
        config.write_text(string.Template(template).safe_substitute(
            NGINX_PREFIX=prefix, NGINX_LISTEN=f"127.0.0.1:{self.port}", WEB_BIND=upstream,
        ))  # fmt: skip
        self.log = (prefix / "nginx.log").open("w")
        self.process = subprocess.Popen(
            ["nginx", "-p", str(prefix), "-c", str(config), "-g", "daemon off;"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while http(self.url + "/healthz", timeout=2)[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start; see " + self.log.name)
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)  # graceful: ends the requests in flight
        self.process.wait(timeout=30)
        self.log.close()


def start_worker(env, log: Path) -> subprocess.Popen:
    """A Celery worker as `make prod-local` starts it, on the queue CELERY_QUEUE names."""
    worker = subprocess.Popen(
        [BIN / "celery", "-A", "config", "worker", "--concurrency", "2", "-Q",
         env["CELERY_QUEUE"], "--hostname", f"{env['CELERY_QUEUE']}@%h", "--loglevel", "INFO",
         "--without-mingle", "--without-gossip"],
        env=env, cwd=ROOT, stdout=log.open("a"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    return worker


class ThrowawayRedis:
    """A Redis server of its own on a free port, keeping nothing on disk, as the machine's."""

    def __init__(self, log_path: Path):
        self.port = free_port()
        self.url = f"rediscache://127.0.0.1:{self.port}/0"
        self.log_path = log_path
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=self.log_path.open("a"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start; see " + str(self.log_path))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own under /tmp, owned by the postgres user, on `port`."""

    def __init__(self, port: int = 5440):
        self.port = port
        self.data = Path(f"/tmp/ayni-drill-pg-{port}")  # noqa: S108 (a throwaway cluster)
        self.url = f"postgres://postgres@127.0.0.1:{port}/ayni_drill"

    def _as_postgres(self, *command) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *map(str, command)], check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir(parents=True)
        shutil.chown(self.data, "postgres", "postgres")
        self._as_postgres(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust")
        self.start()
        self._as_postgres(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "ayni_drill")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data}"
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-w", "-l",
                          self.data / "server.log", "start")  # fmt: skip

    def stop(self) -> None:
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.data, ignore_errors=True)


@contextmanager
def throwaway_postgres(port: int = 5440):
    cluster = ThrowawayPostgres(port)
    cluster.create()
    try:
        yield cluster
    finally:
        cluster.destroy()


def report(title: str, results: dict) -> None:
    print(f"== {title}")
    print(json.dumps(results, indent=2, ensure_ascii=False))


# What each kind of idle connection sends, then holds.
IDLE_KINDS = (
    b"",
    b"GET /boletas/mi-bo",
    # With a CSRF cookie Django reads the body for the form's token (without, it refuses first).
    b"POST /cuenta/ingresar/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nusername=4",
)


class IdleConnections:
    """`count` connections to `port` held open until stop(); reopened when the server closes
    them (how long it let each one sit is recorded)."""

    def __init__(self, port: int, count: int):
        self.port = port
        self.opened = {}  # socket -> (monotonic time it was opened, what it sent)
        self.closed_after = []  # seconds the server held each connection it closed
        self.failed_to_open = 0
        self.done = threading.Event()
        for index in range(count):
            self.open(IDLE_KINDS[index % len(IDLE_KINDS)])
        self.thread = threading.Thread(target=self.hold)
        self.thread.start()

    def open(self, sends: bytes) -> None:
        try:
            connection = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            connection.sendall(sends)
        except OSError:
            self.failed_to_open += 1
            return
        self.opened[connection] = (time.monotonic(), sends)

    def hold(self) -> None:
        while not self.done.wait(0.2):
            readable, _, _ = select.select(list(self.opened), [], [], 0)
            # Readable means an answer (408, 400) or the end of the stream: the server let go.
            for connection in readable:
                opened_at, sends = self.opened.pop(connection)
                self.closed_after.append(time.monotonic() - opened_at)
                connection.close()
                self.open(sends)

    def stop(self) -> None:
        self.done.set()
        self.thread.join()
        for connection in self.opened:
            connection.close()

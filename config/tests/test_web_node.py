"""A web node as production runs it: granian with config/granian.py (and gunicorn with
config/gunicorn.py, kept for comparison), collected static files, JSON logs and the metrics
of all its worker processes."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    # A worker's first request imports the views: slow on a busy machine.
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        # The headers as received, looked up in any case (granian sends them in lower case).
        return response.status, response.headers, response.read()


COMMANDS = {
    "granian": [BIN / "python", "-m", "config.granian"],
    "gunicorn": [BIN / "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
}
# The messages each server logs of itself.
SERVER_LOGGERS = {"granian": "_granian", "gunicorn": "gunicorn.error"}


OUR_VARIABLES = ("DATABASE", "CACHE", "CELERY", "PROMETHEUS", "WEB_")


def node_environment(var: Path, **settings) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(OUR_VARIABLES)}
    env.update(AYNI_VAR_DIR=str(var), STATIC_MANIFEST="true", SECRET_KEY="x" * 50, **settings)
    return env


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Collected once for both servers (hashing and compressing takes a while)."""
    var = tmp_path_factory.mktemp("static")
    subprocess.run(  # noqa: S603 (our own commands)
        [BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"],
        env=node_environment(var, STATIC_ROOT=str(var / "static")), cwd=BASE_DIR, check=True,
        timeout=600,
    )  # fmt: skip
    return var / "static"


@pytest.fixture(scope="module", params=COMMANDS)
def node(request, static_root, tmp_path_factory):
    var = tmp_path_factory.mktemp("node")
    port = free_port()
    env = node_environment(
        var, STATIC_ROOT=str(static_root), LOG_FORMAT="json", WEB_CONCURRENCY="2",
        WEB_BIND=f"127.0.0.1:{port}", PROMETHEUS_MULTIPROC_DIR=str(var / "metrics"),
    )  # fmt: skip
    log = (var / "server.log").open("w+")
    server = subprocess.Popen(  # noqa: S603
        COMMANDS[request.param], env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            get(base + "/healthz")
            break
        except OSError:
            time.sleep(0.2)
    yield {"name": request.param, "base": base, "static_root": static_root, "log": log,
           "server": server}  # fmt: skip
    server.send_signal(signal.SIGTERM)
    # A worker still starting is killed after WEB_GRACEFUL_TIMEOUT (30 s).
    server.wait(timeout=90)
    log.close()


def test_probes_and_request_ids(node):
    status, headers, body = get(node["base"] + "/readyz")
    assert status == 200
    assert json.loads(body)["status"] == "ok"
    assert len(headers["X-Request-ID"]) == 32


def test_static_files_are_hashed_compressed_and_cached_for_long(node):
    manifest = json.loads((node["static_root"] / "staticfiles.json").read_text())
    hashed = manifest["paths"]["core/ayni.css"]
    assert hashed != "core/ayni.css"
    status, headers, _ = get(f"{node['base']}/static/{hashed}", **{"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["Content-Encoding"] in {"br", "gzip"}
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=315360000" in headers["Cache-Control"]


def test_metrics_add_up_every_worker(node):
    def served():
        _, _, body = get(node["base"] + "/metrics")
        for line in body.decode().splitlines():
            if line.startswith('django_http_requests_total_by_method_total{method="GET"}'):
                return float(line.split()[-1])
        return 0.0

    before = served()
    for _ in range(20):
        get(node["base"] + "/healthz")
    # 20 probes plus this scrape, whichever of the two workers served each of them.
    assert served() == before + 21


def test_log_lines_are_json_with_the_request_id(node):
    _, headers, _ = get(node["base"] + "/healthz", **{"X-Request-ID": "balanceador-0001"})
    time.sleep(0.3)
    node["log"].seek(0)
    lines = [json.loads(line) for line in node["log"].read().splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "ayni.request"]
    assert any(
        line["request_id"] == "balanceador-0001" and line["path"] == "/healthz" for line in access
    )
    assert any(line["logger"] == SERVER_LOGGERS[node["name"]] for line in lines)  # its own, as JSON


@pytest.mark.parametrize("level", ["warning", "Warning", "WARNING"])
def test_a_worker_loads_with_the_log_level_in_any_case(level, tmp_path):
    """`--check-config` loads the application as a worker does (Django's LOGGING included)."""
    env = node_environment(tmp_path, LOG_LEVEL=level, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    result = subprocess.run(  # noqa: S603 (our own command)
        [BIN / "gunicorn", "-c", "config/gunicorn.py", "--check-config", "config.wsgi"],
        env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


def worker_pids(server) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def test_a_killed_worker_is_replaced(node):
    before = worker_pids(node["server"])
    os.kill(before[0], signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        after = worker_pids(node["server"])
        if len(after) == len(before) and before[0] not in after:
            break
        time.sleep(0.2)
    assert before[0] not in after
    assert len(after) == len(before)
    assert node["server"].poll() is None  # the node itself goes on
    for _ in range(10):
        assert get(node["base"] + "/healthz")[0] == 200


def test_granian_hands_the_application_the_request_only():
    """granian copies the process environment into every request's environ."""
    from config.granian import without_process_environment

    seen = {}

    def application(environ, start_response):
        seen.update(environ)
        return []

    os.environ["AYNI_TEST_SECRET"] = "no debe verse"
    try:
        served = without_process_environment(application)
    finally:
        del os.environ["AYNI_TEST_SECRET"]
    served({**os.environ, "AYNI_TEST_SECRET": "no debe verse", "PATH_INFO": "/healthz",
            "HTTP_HOST": "ayni.example.pe", "wsgi.url_scheme": "https"}, None)  # fmt: skip
    assert "AYNI_TEST_SECRET" not in seen
    assert "PATH" not in seen
    assert seen["PATH_INFO"] == "/healthz"
    assert seen["HTTP_HOST"] == "ayni.example.pe"
    assert seen["wsgi.url_scheme"] == "https"

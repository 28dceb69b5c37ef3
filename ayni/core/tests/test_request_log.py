"""Every request has an id, returned to the client and written in each of its log lines."""

import io
import json
import logging
import re

import pytest

from ayni.core.logs import JsonFormatter, RequestIdFilter


@pytest.fixture
def json_log():
    """The lines the production log handler (JSON, request id filter) writes meanwhile."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_each_request_gets_a_new_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_the_proxy_request_id_is_kept_and_a_malformed_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21")["X-Request-ID"] == "lb-7f3a9c21"
    for forged in ["x\nlevel=ERROR", "corto", "a" * 65, "<script>alert(1)</script>"]:
        replaced = client.get("/healthz", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_access_line_is_json_with_the_request_id(client, json_log):
    response = client.get("/healthz?dni=40000001", REMOTE_ADDR="10.0.0.7")
    (line,) = [entry for entry in json_log() if entry["logger"] == "ayni.request"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"  # the query string (personal data) is not logged
    assert line["status"] == 200
    assert line["client_ip"] == "10.0.0.7"
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")


def test_lines_logged_while_serving_carry_that_request_id(client, settings, json_log):
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "ayni.core.tests.error_urls"
    response = client.get("/falla")
    request_id = response["X-Request-ID"]
    lines = json_log()
    error = next(entry for entry in lines if entry["logger"] == "django.request")
    assert error["request_id"] == request_id
    assert error["level"] == "ERROR"
    assert "RuntimeError: falla de prueba" in error["exception"]
    logging.getLogger("ayni.test").info("fuera de una solicitud")
    assert json_log()[-1]["request_id"] == "-"

"""Probes, and the 503 page while the database or the cache cannot be reached."""

import socket
from contextlib import contextmanager

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_unreachable():
    """Until the block ends, connecting to the database fails as when its server is down.

    PostgreSQL is pointed at a closed port; SQLite (an in-memory test database that must
    survive) at a path that cannot be opened, keeping the open connection aside.
    """
    saved = dict(connection.settings_dict)
    kept_connection = None
    if connection.vendor == "sqlite":
        kept_connection, connection.connection = connection.connection, None
        connection.settings_dict["NAME"] = "/nonexistent-ayni-dir/ayni.sqlite3"
    else:
        connection.close()
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = str(closed_port())
    try:
        yield
    finally:
        connection.settings_dict.update(saved)
        if kept_connection is not None:
            connection.connection = kept_connection
        else:
            connection.close()


def test_healthz_answers_without_touching_the_database(client):
    # Not marked django_db: any query would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database:default": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_does_not_answer(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/5",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database:default": "ok",
        "cache": "error: ConnectionError",
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_down_gives_the_503_page_and_recovers_by_itself(client):
    # What the visitor gets, even when the failure surfaces in a middleware (handler500).
    client.raise_request_exception = False
    client.force_login(UserFactory(servant=None))
    assert client.get(reverse("core:home")).status_code == 200

    balancer = Client()  # probes come without the visitor's session cookie
    with database_unreachable():
        page = client.get(reverse("core:home"))
        probe = balancer.get("/readyz")

    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert "Estamos restableciendo el servicio" in text
    assert "Vuelva a intentarlo en unos segundos" in text
    assert probe.status_code == 503
    assert probe.json()["checks"]["database:default"] == "error: OperationalError"
    # Back without restarting anything, and still logged in.
    assert client.get(reverse("core:home")).status_code == 200
    assert balancer.get("/readyz").status_code == 200


def test_cache_down_gives_the_503_page(client, settings):
    settings.ROOT_URLCONF = "ayni.core.tests.error_urls"
    assert client.get("/cache").status_code == 200
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/5",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    page = client.get("/cache")
    assert page.status_code == 503
    assert "Estamos restableciendo el servicio" in page.content.decode()


def test_other_errors_get_the_spanish_500_page_with_the_request_id(client, settings):
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "ayni.core.tests.error_urls"
    response = client.get("/falla")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Ocurrió un error inesperado" in text
    assert response["X-Request-ID"] in text


def _serve(path, session_cookie):
    """One request through Django's WSGI handler, as gunicorn calls it (connection upkeep
    included, which the test client leaves out)."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, HTTP_COOKIE=f"sessionid={session_cookie}"
    )
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    body = b"".join(response)
    response.close()
    return int(statuses[0].split()[0]), body.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_server_side_closed_connection_is_replaced_before_the_next_request(client):
    """A kept connection (DB_CONN_MAX_AGE) that the server dropped is checked and replaced."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    client.force_login(UserFactory(servant=None))
    cookie = client.cookies["sessionid"].value
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 600
    try:
        assert _serve("/", cookie)[0] == 200
        kept_pid = connection.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params()) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [kept_pid])

        status, body = _serve("/", cookie)
        assert status == 200, body
        assert connection.connection.info.backend_pid != kept_pid
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
        connection.close()

import os

import pytest


def pytest_collection_modifyitems(items):
    """A transactional test must restore the database as the migrations left it: emptied
    otherwise, it gets its content types made again under new ids, and the next test that
    restores them (the browser journeys) fails on the duplicates."""
    for item in items:
        options = getattr(item.get_closest_marker("django_db"), "kwargs", {})
        if options.get("transaction") and not options.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: django_db(transaction=True) needs serialized_rollback=True"
            )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that are about hashing opt back in."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Stored PDFs, attachments and mails go to a per-test folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _units_catalogue(request):
    """Transactional tests empty the database when they end, the units catalogue that
    the migrations loaded included: each one starts with it again."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from ayni.organizations.catalogue import load_catalogue
        from ayni.organizations.models import Unit

        load_catalogue(Unit)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached pages do not leak from one test into another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_both_steps(request, monkeypatch):
    """`client.force_login(user)` stands for a finished sign-in: password and, for staff, the
    second step (a verified session, as `django_otp.login` leaves it). Tests of the second step
    itself are marked `password_step_only` and get the plain force_login (password only)."""
    if request.node.get_closest_marker("password_step_only"):
        return
    from django.test import Client

    plain = Client.force_login

    def force_login(client, user, backend=None):
        plain(client, user, backend)
        from ayni.accounts.tests.helpers import mark_verified

        mark_verified(client, user)

    monkeypatch.setattr(Client, "force_login", force_login)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    """Debian's headless Chromium driven by Playwright; no browser is ever downloaded."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's ORM calls are
    # still synchronous, so Django's async-safety guard does not apply to them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With that loop running, Django hands this thread new connection objects. They must
    # keep the test database's initial data (the units catalogue) that
    # `django_db(transaction=True, serialized_rollback=True)` restores after a flush.
    initial_data = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in initial_data.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, settings):
    """A fresh browser context (cookies, storage) per test, at desktop size.

    The login CAPTCHA accepts the answer `PASSED` (AYNI_CAPTCHA_TEST_MODE): fill the field
    labelled "CAPTCHA" with it. Mark browser tests
    `django_db(transaction=True, serialized_rollback=True)` so the units catalogue is there.
    """
    settings.AYNI_CAPTCHA_TEST_MODE = True
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="es-PE")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3 API (moto in server mode) on loopback, one per test process, with a bucket."""
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per S3 request

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", **s3_client_options(endpoint)).create_bucket(Bucket=S3_BUCKET)
    yield endpoint
    server.stop()


S3_BUCKET = "ayni-tests"


def s3_client_options(endpoint: str) -> dict:
    return {
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }


def s3_storage(endpoint: str, location: str) -> dict:
    """The production S3 backend (config/settings.py) pointed at `endpoint`: path-style
    addressing and signature v4, as MinIO and Ceph RGW want; one folder per test. A dead
    endpoint fails at once (one attempt, short time-outs)."""
    from botocore.config import Config

    options = s3_client_options(endpoint)
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": endpoint,
            "region_name": options["region_name"],
            "access_key": options["aws_access_key_id"],
            "secret_key": options["aws_secret_access_key"],
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": "private",
            "file_overwrite": False,
            "location": location,
            # Given a client_config, django-storages takes addressing and signature from it.
            "client_config": Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                retries={"max_attempts": 1},
                connect_timeout=2,
                read_timeout=5,
            ),
        },
    }


@pytest.fixture(params=["local", "s3"])
def storage(request, settings, _isolated_files):
    """Runs a test twice: files on the local disk, then in S3 (moto on loopback). Mark the
    tests that store or read files with `@pytest.mark.usefixtures("storage")`."""
    if request.param == "s3":
        import uuid

        endpoint = request.getfixturevalue("s3_endpoint")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_storage(endpoint, f"test-{uuid.uuid4().hex}"),
        }
    return request.param


@pytest.fixture
def s3_down(settings, _isolated_files):
    """The default storage is an S3 server that is not running: nothing listens on its port,
    so every request to it fails."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(f"http://127.0.0.1:{port}", "caido"),
    }

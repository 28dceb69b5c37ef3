import os

import pytest


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

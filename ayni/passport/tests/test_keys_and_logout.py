"""The signing key (generated once in embedded mode, refused by the deploy check), and
RP-initiated logout."""

import stat

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from oauth2_provider.models import AccessToken

from ayni.passport.keys import EMBEDDED_KEY_NAME, embedded_key, read_key
from ayni.passport.tests.conftest import APP_REDIRECT, token_for

pytestmark = pytest.mark.django_db


def test_the_embedded_key_is_made_once_owner_only_and_reused(tmp_path):
    first = embedded_key(tmp_path)
    assert first.startswith("-----BEGIN PRIVATE KEY-----")
    path = tmp_path / EMBEDDED_KEY_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert embedded_key(tmp_path) == first
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no scratch file left


def test_a_given_key_wins_over_its_file(tmp_path):
    (tmp_path / "clave.pem").write_text("de archivo")
    assert read_key("", str(tmp_path / "clave.pem")) == "de archivo"
    assert read_key("en la variable", str(tmp_path / "clave.pem")) == "en la variable"
    assert read_key("", "") == ""


def test_the_deploy_check_refuses_the_generated_key(settings):
    settings.AYNI_OIDC_EMBEDDED_KEY = True
    with pytest.raises(SystemCheckError, match="ayni.passport.E001"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
    settings.AYNI_OIDC_EMBEDDED_KEY = False
    try:
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
    except SystemCheckError as error:
        assert "ayni.passport.E001" not in str(error)


def test_rp_initiated_logout_asks_then_ends_the_session_and_the_tokens(rosa, mobile_app):
    token = token_for(rosa.user, mobile_app, "openid boletas")
    browser = Client()
    browser.force_login(rosa.user)
    params = {"id_token_hint": token["id_token"], "post_logout_redirect_uri": APP_REDIRECT,
              "state": "salida"}  # fmt: skip
    page = browser.get("/oauth/logout/", params)
    assert page.status_code == 200
    assert "El sistema <strong>AYNI móvil</strong> pide cerrar" in page.content.decode()
    assert "form-action 'self' http://127.0.0.1:8765" in page["Content-Security-Policy"]
    fields = {k: v for k, v in page.context["form"].initial.items() if v}
    answer = browser.post("/oauth/logout/", {**fields, "allow": "on"})
    assert answer["Location"] == f"{APP_REDIRECT}?state=salida"
    assert not AccessToken.objects.exists()
    assert browser.get("/").status_code == 302  # signed out of AYNI too

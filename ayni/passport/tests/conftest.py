"""A registered mobile app (public client) and a ministry system (confidential), and the
authorization-code + PKCE steps as a client takes them."""

import base64
import hashlib
import importlib.util
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from oauth2_provider.models import Application

from ayni.api.tests.conftest import (  # noqa: F401
    boletas_admin,
    demo_servants,
    jose,
    rosa,
    sample_imported,
    specialist,
    ugel07,
)
from ayni.passport.models import ClientSystem

APP_REDIRECT = "http://127.0.0.1:8765/callback"
SYSTEM_REDIRECT = "https://planillas.example.gob.pe/oidc/callback/"
SYSTEM_SECRET = "secreto-del-sistema-de-planillas"  # noqa: S105


def register(name, client_type, redirect, scopes, secret=""):
    application = Application.objects.create(
        name=name, client_type=client_type, redirect_uris=redirect,
        post_logout_redirect_uris=redirect,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM, client_secret=secret or "sin-uso",
    )  # fmt: skip
    ClientSystem.objects.create(application=application, scopes=scopes)
    return application


@pytest.fixture
def mobile_app(db):
    return register("AYNI móvil", Application.CLIENT_PUBLIC, APP_REDIRECT,
                    "openid profile boletas legajo staff")  # fmt: skip


@pytest.fixture
def ministry_system(db):
    return register("Sistema de planillas", Application.CLIENT_CONFIDENTIAL, SYSTEM_REDIRECT,
                    "openid profile", SYSTEM_SECRET)  # fmt: skip


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_params(application, scope, challenge, redirect=None, **extra) -> dict:
    return {
        "response_type": "code", "client_id": application.client_id,
        "redirect_uri": redirect or application.redirect_uris.split()[0], "scope": scope,
        "state": "estado-1", "nonce": "nonce-1", "code_challenge": challenge,
        "code_challenge_method": "S256", **extra,
    }  # fmt: skip


def query_of(response) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def consent(client: Client, application, scope: str, challenge: str):
    """Open the consent screen and accept it: the redirect back to the client."""
    params = authorize_params(application, scope, challenge)
    page = client.get("/oauth/authorize/", params)
    assert page.status_code == 200, page.content
    return client.post("/oauth/authorize/", {**hidden_fields(page), "allow": "on"})


def hidden_fields(page) -> dict:
    """What the consent form posts besides the button (the fields the page holds)."""
    return {k: v for k, v in page.context["form"].initial.items() if v is not None}


def code_for(user, application, scope="openid profile boletas") -> tuple[str, str]:
    """A servant signs in, consents: (code, verifier)."""
    client = Client()
    client.force_login(user)
    verifier, challenge = pkce()
    answer = consent(client, application, scope, challenge)
    assert answer.status_code == 302, answer.content
    return query_of(answer)["code"], verifier


def exchange(application, code, verifier, secret=""):
    data = {
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
        "redirect_uri": application.redirect_uris.split()[0], "client_id": application.client_id,
    }  # fmt: skip
    if secret:
        data["client_secret"] = secret
    return Client().post("/oauth/token/", data)


def token_for(user, application, scope="openid profile boletas") -> dict:
    answer = exchange(application, *code_for(user, application, scope))
    assert answer.status_code == 200, answer.content
    return answer.json()


def bearer(token: dict) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token['access_token']}"}


def mobile_script():
    """docs/api/cliente_movil.py, loaded as a module (docs/ is no package)."""
    path = Path(settings.BASE_DIR) / "docs" / "api" / "cliente_movil.py"
    spec = importlib.util.spec_from_file_location("cliente_movil", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

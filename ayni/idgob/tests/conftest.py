"""AYNI's own provider (AYNI Passport) on loopback as the identity provider: the live server
answers discovery, the JWKS, the token and userinfo endpoints over HTTP, and AYNI is
registered there as a confidential client system. The person's browser at the provider (sign
in, consent) is a test client of the same database; AYNI's own browser is another one."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import Application

from ayni.accounts.tests.factories import UserFactory
from ayni.organizations.tests.factories import StaffRoleFactory
from ayni.passport.tests.conftest import hidden_fields, register

CALLBACK = "http://testserver/cuenta/idgob/retorno/"
SECRET = "secreto-de-ayni-ante-el-proveedor"  # noqa: S105


@pytest.fixture
def identity_provider(live_server, settings):
    application = register("AYNI (ingreso con ID GOB.PE)", Application.CLIENT_CONFIDENTIAL,
                           CALLBACK, "openid profile", SECRET)  # fmt: skip
    settings.AYNI_IDGOB_ISSUER = live_server.url
    settings.OIDC_RP_CLIENT_ID = application.client_id
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    return application


@pytest.fixture
def servant(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffRoleFactory().user


def to_provider(browser: Client, start: str = "/cuenta/idgob/"):
    """AYNI's "Ingresar con ID GOB.PE": the redirect to the provider's authorization page."""
    out = browser.get(start)
    assert out.status_code == 302, out.content
    return out["Location"]


def consent_at_provider(person, authorize_url: str, allow: bool = True) -> str:
    """The person signs in at the provider and accepts (or cancels): the address back."""
    at_provider = Client()
    at_provider.force_login(person)
    parts = urlsplit(authorize_url)
    page = at_provider.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200, page.content
    decision = {**hidden_fields(page), **({"allow": "on"} if allow else {})}
    back = at_provider.post("/oauth/authorize/", decision)
    assert back.status_code == 302, back.content
    assert back["Location"].startswith(CALLBACK)
    return back["Location"]


def back_to_ayni(browser: Client, location: str):
    parts = urlsplit(location)
    return browser.get(f"{parts.path}?{parts.query}")


def sign_in_with_idgob(browser: Client, person, start: str = "/cuenta/idgob/"):
    return back_to_ayni(browser, consent_at_provider(person, to_provider(browser, start)))

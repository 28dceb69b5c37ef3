"""The authorization code flow with PKCE, as the mobile app and a ministry system use it."""

import json

from django.test import Client
from jwcrypto import jwk, jwt

from ayni.passport.tests.conftest import (
    SYSTEM_SECRET,
    bearer,
    code_for,
    exchange,
    token_for,
)


def verified_claims(id_token: str) -> dict:
    """The ID token's claims, checked against the published key set (JWKS)."""
    keys = jwk.JWKSet.from_json(Client().get("/.well-known/jwks.json").content)
    return json.loads(jwt.JWT(jwt=id_token, key=keys).claims)


def test_discovery_names_the_endpoints_scopes_and_levels(client):
    found = client.get("/.well-known/openid-configuration").json()
    issuer = "http://testserver"
    assert found["issuer"] == issuer
    assert found["authorization_endpoint"] == f"{issuer}/oauth/authorize/"
    assert found["token_endpoint"] == f"{issuer}/oauth/token/"
    assert found["userinfo_endpoint"] == f"{issuer}/oauth/userinfo/"
    assert found["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert found["end_session_endpoint"] == f"{issuer}/oauth/logout/"
    assert set(found["scopes_supported"]) == {"openid", "profile", "boletas", "legajo", "staff"}
    assert found["code_challenge_methods_supported"] == ["S256"]
    assert found["response_types_supported"] == ["code"]
    assert found["acr_values_supported"] == ["one_factor", "two_factor"]
    assert {"document_type", "document_number", "amr", "acr"} <= set(found["claims_supported"])
    assert found["id_token_signing_alg_values_supported"][0] == "RS256"


def test_the_consent_screen_is_in_spanish_and_names_what_is_asked(client, rosa, mobile_app):
    from ayni.passport.tests.conftest import authorize_params, pkce

    client.force_login(rosa.user)
    page = client.get(
        "/oauth/authorize/", authorize_params(mobile_app, "openid boletas", pkce()[1])
    )
    text = page.content.decode()
    assert "Autorizar a AYNI móvil" in text
    assert "Ver y descargar sus boletas de pago." in text
    asked = text.split('class="scope-list"')[1].split("</ul>")[0]
    assert "legajo" not in asked  # not asked, not shown
    # Chromium checks form-action on the redirect too: the client's own origin, nothing else.
    policy = page["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:8765" in policy


def test_an_anonymous_visitor_is_sent_to_the_ayni_sign_in(client, mobile_app):
    from ayni.passport.tests.conftest import authorize_params, pkce

    page = client.get("/oauth/authorize/", authorize_params(mobile_app, "openid", pkce()[1]))
    assert page.status_code == 302
    assert page["Location"].startswith("/cuenta/ingresar/?next=/oauth/authorize/")


def test_the_mobile_app_gets_tokens_and_an_id_token_with_the_servants_document(rosa, mobile_app):
    token = token_for(rosa.user, mobile_app, "openid profile boletas")
    assert token["scope"] == "openid profile boletas"
    claims = verified_claims(token["id_token"])
    assert claims["iss"] == "http://testserver"
    assert claims["aud"] == mobile_app.client_id
    assert claims["nonce"] == "nonce-1"
    assert claims["document_type"] == "DNI"
    assert claims["document_number"] == rosa.user.username
    assert claims["amr"] == ["pwd"]
    assert claims["acr"] == "one_factor"

    info = Client().get("/oauth/userinfo/", **bearer(token)).json()
    assert info["sub"] == str(rosa.user.pk)
    assert info["document_type"] == "DNI"
    assert info["document_number"] == rosa.user.username
    assert info["name"] == rosa.user.get_full_name()


def test_without_profile_the_id_token_carries_no_personal_claim(rosa, mobile_app):
    claims = verified_claims(token_for(rosa.user, mobile_app, "openid boletas")["id_token"])
    assert "document_number" not in claims
    assert "name" not in claims


def test_a_confidential_system_authenticates_with_its_secret(rosa, ministry_system):
    code, verifier = code_for(rosa.user, ministry_system, "openid profile")
    assert exchange(ministry_system, code, verifier).status_code == 401  # no secret
    answer = exchange(ministry_system, code, verifier, SYSTEM_SECRET)
    assert answer.status_code == 200
    assert verified_claims(answer.json()["id_token"])["document_number"] == rosa.user.username

"""What an attacker (or a careless client) tries against AYNI Passport."""

import pytest
from django.forms import modelform_factory
from django.test import Client
from oauth2_provider.models import AccessToken, Application, Grant

from ayni.core.models import AuditEvent
from ayni.passport import events
from ayni.passport.admin import ApplicationForm
from ayni.passport.tests.conftest import (
    APP_REDIRECT,
    authorize_params,
    bearer,
    code_for,
    exchange,
    hidden_fields,
    pkce,
    query_of,
    token_for,
)
from ayni.passport.tests.test_flow import verified_claims

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_redirect_uri_not_registered_gets_no_redirect_and_no_code(rosa, mobile_app):
    for stolen in ("https://atacante.example/callback", "http://127.0.0.1:8765/otro"):
        params = authorize_params(mobile_app, "openid boletas", pkce()[1], redirect=stolen)
        page = signed_in(rosa.user).get("/oauth/authorize/", params)
        assert page.status_code == 400
        assert "No se puede continuar" in page.content.decode()
    assert not Grant.objects.exists()


def test_an_authorization_request_without_pkce_is_refused(rosa, mobile_app):
    params = authorize_params(mobile_app, "openid boletas", "")
    del params["code_challenge"], params["code_challenge_method"]
    answer = signed_in(rosa.user).get("/oauth/authorize/", params)
    assert answer.status_code == 302
    assert query_of(answer)["error"] == "invalid_request"
    assert "code" not in query_of(answer)


def test_the_plain_pkce_method_is_refused(rosa, mobile_app):
    verifier, _ = pkce()
    params = authorize_params(mobile_app, "openid", verifier, code_challenge_method="plain")
    client = signed_in(rosa.user)
    page = client.get("/oauth/authorize/", params)
    if page.status_code == 200:  # refused when the code would be made
        page = client.post("/oauth/authorize/", {**hidden_fields(page), "allow": "on"})
    assert query_of(page)["error"] == "invalid_request"
    assert not Grant.objects.exists()


def test_a_missing_or_wrong_code_verifier_gets_no_token(rosa, mobile_app):
    code, verifier = code_for(rosa.user, mobile_app)
    for wrong in ("", pkce()[0], verifier[:-1]):
        answer = exchange(mobile_app, code, wrong)
        assert answer.status_code in (400, 401), wrong
        assert answer.json()["error"] in ("invalid_request", "invalid_grant"), wrong
    assert not AccessToken.objects.exists()


def test_a_code_works_once(rosa, mobile_app):
    code, verifier = code_for(rosa.user, mobile_app)
    assert exchange(mobile_app, code, verifier).status_code == 200
    again = exchange(mobile_app, code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert AccessToken.objects.count() == 1


def test_a_code_is_only_good_for_the_client_it_was_issued_to(rosa, mobile_app, ministry_system):
    code, verifier = code_for(rosa.user, mobile_app)
    stolen = {
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
        "redirect_uri": APP_REDIRECT, "client_id": ministry_system.client_id,
        "client_secret": "secreto-del-sistema-de-planillas",
    }  # fmt: skip
    assert Client().post("/oauth/token/", stolen).status_code in (400, 401)
    assert not AccessToken.objects.exists()


def test_a_system_asking_for_scopes_it_was_not_registered_with_is_refused(rosa, ministry_system):
    params = authorize_params(ministry_system, "openid profile boletas", pkce()[1])
    answer = signed_in(rosa.user).get("/oauth/authorize/", params)
    assert answer.status_code == 302
    assert answer["Location"].startswith(ministry_system.redirect_uris)
    assert query_of(answer)["error"] == "invalid_scope"
    assert "code" not in query_of(answer)
    assert not Grant.objects.exists()


def test_a_forged_consent_for_another_scope_is_refused(rosa, ministry_system):
    client = signed_in(rosa.user)
    page = client.get("/oauth/authorize/", authorize_params(ministry_system, "openid", pkce()[1]))
    forged = {**hidden_fields(page), "scope": "openid legajo", "allow": "on"}
    answer = client.post("/oauth/authorize/", forged)
    assert query_of(answer)["error"] == "invalid_scope"
    assert not Grant.objects.exists()


def test_the_staff_scope_needs_the_second_step(rosa, mobile_app):
    """Rosa signed in with her password only: no page lets her grant `staff`, and a forged
    consent is answered `access_denied`."""
    client = signed_in(rosa.user)
    params = authorize_params(mobile_app, "openid staff", pkce()[1])
    page = client.get("/oauth/authorize/", params)
    assert page.status_code == 403
    text = page.content.decode()
    assert "Se necesita la verificación en dos pasos" in text
    assert page.context["return_url"].startswith(f"{APP_REDIRECT}?error=access_denied")
    answer = client.post("/oauth/authorize/", {**hidden_fields(page), "allow": "on"})
    assert query_of(answer)["error"] == "access_denied"
    assert query_of(answer)["state"] == "estado-1"
    assert not Grant.objects.exists()
    refused = AuditEvent.objects.filter(action=events.REFUSED, actor=rosa.user)
    assert refused.get().details["motivo"] == "one_factor"


def test_staff_after_the_second_step_get_the_staff_scope_and_two_factor(specialist, mobile_app):
    token = token_for(specialist, mobile_app, "openid staff")
    assert token["scope"] == "openid staff"
    claims = verified_claims(token["id_token"])
    assert claims["acr"] == "two_factor"
    assert claims["amr"] == ["pwd", "otp", "mfa"]
    tray = Client().get("/api/v1/escalafon/solicitudes/", **bearer(token))
    assert tray.status_code == 200


def test_a_staff_token_reaches_only_what_the_staff_members_role_does(specialist, mobile_app):
    token = token_for(specialist, mobile_app, "openid staff")
    # An especialista de escalafón is no administrador de boletas: 404 as on the web.
    assert Client().get("/api/v1/planillas/", **bearer(token)).status_code == 404


def test_the_token_endpoint_is_limited_per_address(settings, mobile_app):
    settings.AYNI_OAUTH_TOKENS_PER_MINUTE = 3
    data = {"grant_type": "authorization_code", "code": "x", "client_id": mobile_app.client_id}
    answers = [Client().post("/oauth/token/", data) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [400, 400, 400]
    assert answers[3].status_code == 429
    assert answers[3]["Retry-After"] == "60"
    assert answers[3].json()["error"] == "slow_down"
    assert AuditEvent.objects.filter(action=events.TOKEN_LIMITED).count() == 1


def test_tokens_are_stored_as_hashes_only(rosa, mobile_app):
    token = token_for(rosa.user, mobile_app, "openid boletas")
    stored = AccessToken.objects.get()
    assert stored.token != token["access_token"]


@pytest.mark.parametrize(
    ("uris", "accepted"),
    [
        ("https://planillas.example.gob.pe/cb/", True),
        ("http://127.0.0.1/callback", True),
        ("http://[::1]/callback", True),
        ("http://planillas.example.gob.pe/cb/", False),
        ("http://localhost/callback", False),
    ],
)
def test_the_admin_accepts_plain_http_for_loopback_only(uris, accepted):
    data = {
        "name": "Sistema", "client_id": "sistema", "client_secret": "s" * 40,
        "client_type": "confidential", "authorization_grant_type": "authorization-code",
        "redirect_uris": uris, "post_logout_redirect_uris": "", "allowed_origins": "",
        "algorithm": "RS256", "hash_client_secret": "on",
    }  # fmt: skip
    form = modelform_factory(Application, form=ApplicationForm, fields=list(data))(data=data)
    form.is_valid()
    assert ("redirect_uris" not in form.errors) is accepted, form.errors

"""Ingresar con ID GOB.PE, end to end against AYNI Passport on loopback."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from jwcrypto import jwk, jwt

from ayni.access.forms import PREFILL_SESSION_KEY
from ayni.accounts import events
from ayni.accounts.tests.factories import UserFactory
from ayni.core.models import AuditEvent
from ayni.idgob import services
from ayni.idgob.backends import IdGobBackend
from ayni.idgob.tests.conftest import (
    back_to_ayni,
    consent_at_provider,
    sign_in_with_idgob,
    to_provider,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def signed_in_as(browser: Client):
    return browser.session.get(SESSION_KEY)


def last_sign_in() -> AuditEvent:
    return AuditEvent.objects.filter(action__startswith="ingreso.").latest("id")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_the_request_carries_state_nonce_pkce_and_the_servants_level(identity_provider):
    query = parse_qs(urlsplit(to_provider(Client())).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [identity_provider.client_id]
    assert query["redirect_uri"] == ["http://testserver/cuenta/idgob/retorno/"]
    assert query["scope"] == ["openid profile"]
    assert query["acr_values"] == ["one_factor"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    staff_level = parse_qs(urlsplit(to_provider(Client(), "/cuenta/idgob/?nivel=dos-pasos")).query)
    assert staff_level["acr_values"] == ["two_factor"]


def test_a_known_dni_signs_in_and_the_sign_in_is_audited(identity_provider, servant):
    browser = Client()
    answer = sign_in_with_idgob(browser, servant)
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert signed_in_as(browser) == str(servant.pk)
    assert browser.get("/").status_code == 200
    line = last_sign_in()
    assert (line.action, line.target_id) == (events.LOGIN_OK, str(servant.pk))
    assert line.details == {"metodo": "idgob", "acr": "one_factor"}
    # "Mis accesos" tells it apart from a password sign-in.
    assert "Ingreso correcto</span> con ID GOB.PE" in browser.get("/cuenta/accesos/").text


def test_the_next_page_is_kept(identity_provider, servant):
    browser = Client()
    answer = sign_in_with_idgob(browser, servant, "/cuenta/idgob/?next=/boletas/")
    assert answer["Location"] == "/boletas/"
    outside = sign_in_with_idgob(Client(), servant, "/cuenta/idgob/?next=https://otro.example/")
    assert outside["Location"] == "/"


def test_an_unknown_dni_is_sent_to_the_access_request_and_no_account_is_made(
    identity_provider, settings, servant
):
    # The provider's account holds a carné de extranjería; this client is told to read the
    # document type from a claim the provider does not send, so to it the number is a DNI
    # nobody registered in AYNI.
    servant.document_type = "CE"
    servant.username = "40999999"
    servant.save()
    settings.AYNI_IDGOB_DOCUMENT_TYPE_CLAIM = "tipo_documento"
    accounts = type(servant).objects.count()
    browser = Client()
    answer = sign_in_with_idgob(browser, servant)
    assert answer["Location"] == "/acceso/solicitar/"
    assert "Su documento 40999999 no tiene una cuenta en AYNI" in messages_of(answer)[0]
    assert signed_in_as(browser) is None
    assert type(servant).objects.count() == accounts
    form = browser.get("/acceso/solicitar/")
    assert browser.session[PREFILL_SESSION_KEY] == {
        "document_type": "DNI",
        "document_number": "40999999",
    }
    assert 'value="40999999"' in form.text
    line = last_sign_in()
    assert (line.action, line.outcome, line.details["motivo"]) == (
        events.LOGIN_FAILED, AuditEvent.Outcome.FAILED, services.UNKNOWN,
    )  # fmt: skip
    assert line.target_type == "texto" and line.target_id == "40999999"


def test_an_account_deactivated_meanwhile_gets_no_session(identity_provider, servant):
    # AYNI Passport itself then issues no token; AYNI's own refusal of a deactivated account
    # that another provider still vouches for is in test_accounts.py.
    browser = Client()
    location = consent_at_provider(servant, to_provider(browser))
    servant.is_active = False  # deactivated (ceased) while the person was at the provider
    servant.save()
    answer = back_to_ayni(browser, location)
    assert answer["Location"] == "/cuenta/ingresar/"
    assert signed_in_as(browser) is None
    assert last_sign_in().outcome == AuditEvent.Outcome.FAILED


def tampered(token: str, **claims) -> str:
    """The ID token with its claims changed and its signature kept."""
    header, payload, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    changed = base64.urlsafe_b64encode(json.dumps({**decoded, **claims}).encode())
    return f"{header}.{changed.rstrip(b'=').decode()}.{signature}"


def test_a_tampered_id_token_is_refused(identity_provider, servant, monkeypatch):
    other = UserFactory()
    exchange = IdGobBackend.get_token

    def on_the_way(backend, payload):  # somebody between AYNI and the provider
        answer = exchange(backend, payload)
        return {**answer, "id_token": tampered(answer["id_token"],
                                               document_number=other.username)}  # fmt: skip

    monkeypatch.setattr(IdGobBackend, "get_token", on_the_way)
    browser = Client()
    answer = sign_in_with_idgob(browser, servant)
    assert answer["Location"] == "/cuenta/ingresar/"
    assert signed_in_as(browser) is None
    assert last_sign_in().details["detalle"] == "SuspiciousOperation"


def test_an_id_token_issued_to_another_client_is_refused(identity_provider, servant, monkeypatch):
    """Signed by the provider's own key, valid, but for another system: not for AYNI."""
    exchange = IdGobBackend.get_token
    key = jwk.JWK.from_pem(settings.AYNI_OIDC_RSA_PRIVATE_KEY.encode())

    def reissued(backend, payload):
        answer = exchange(backend, payload)
        header = json.loads(base64.urlsafe_b64decode(answer["id_token"].split(".")[0] + "=="))
        claims = json.loads(jwt.JWT(jwt=answer["id_token"], key=key).claims)
        token = jwt.JWT(header=header, claims={**claims, "aud": "sistema-de-planillas"})
        token.make_signed_token(key)
        return {**answer, "id_token": token.serialize()}

    monkeypatch.setattr(IdGobBackend, "get_token", reissued)
    browser = Client()
    answer = sign_in_with_idgob(browser, servant)
    assert answer["Location"] == "/cuenta/ingresar/"
    assert signed_in_as(browser) is None


def test_a_wrong_state_is_refused(identity_provider, servant):
    browser = Client()
    location = consent_at_provider(servant, to_provider(browser))
    forged = location.replace("state=", "state=otro")
    answer = back_to_ayni(browser, forged)
    assert answer["Location"] == "/cuenta/ingresar/"
    assert "No se pudo confirmar su identidad con ID GOB.PE" in messages_of(answer)[0]
    assert signed_in_as(browser) is None
    assert last_sign_in().details == {"metodo": "idgob", "motivo": services.NOT_CONFIRMED,
                                      "detalle": "state"}  # fmt: skip
    # The code came back to a browser that never started this sign-in.
    stranger = Client()
    assert back_to_ayni(stranger, location)["Location"] == "/cuenta/ingresar/"
    assert signed_in_as(stranger) is None


def test_a_state_is_used_once(identity_provider, servant):
    browser = Client()
    location = consent_at_provider(servant, to_provider(browser))
    assert back_to_ayni(browser, location)["Location"] == "/"
    browser.logout()
    again = back_to_ayni(browser, location)
    assert again["Location"] == "/cuenta/ingresar/"
    assert signed_in_as(browser) is None


def test_a_cancelled_consent_opens_no_session(identity_provider, servant):
    browser = Client()
    answer = back_to_ayni(browser, consent_at_provider(servant, to_provider(browser), allow=False))
    assert answer["Location"] == "/cuenta/ingresar/"
    assert messages_of(answer) == ["Se canceló el ingreso con ID GOB.PE."]
    assert signed_in_as(browser) is None


def test_staff_with_the_staff_level_still_pass_the_second_step_of_ayni(identity_provider, staff):
    browser = Client()
    answer = sign_in_with_idgob(browser, staff)
    assert signed_in_as(browser) == str(staff.pk)
    assert last_sign_in().details == {"metodo": "idgob", "acr": "two_factor"}
    home = browser.get(answer["Location"])
    assert home.status_code == 302
    assert home["Location"].startswith("/cuenta/dos-pasos/verificar/")


def test_staff_below_the_staff_level_get_no_session(identity_provider, settings, staff):
    # The provider vouches for two factors; this deployment asks staff for the DNIe.
    settings.AYNI_IDGOB_STAFF_ACR_VALUES = "certificate_dnie"
    browser = Client()
    answer = sign_in_with_idgob(browser, staff)
    assert answer["Location"] == "/cuenta/ingresar/"
    assert (
        "El personal de la institución ingresa con ID GOB.PE en dos pasos"
        in (messages_of(answer)[0])
    )
    assert signed_in_as(browser) is None
    line = last_sign_in()
    assert (line.outcome, line.target_id, line.details["motivo"]) == (
        AuditEvent.Outcome.DENIED, str(staff.pk), services.LOW_LEVEL,
    )  # fmt: skip


@pytest.mark.parametrize("kept", ["nonce", "code_verifier"])
def test_the_nonce_and_the_pkce_verifier_must_be_those_of_this_sign_in(
    identity_provider, servant, kept
):
    """The code comes back with its state, but what this browser kept for it was swapped: a
    nonce the ID token does not carry, or a verifier the provider did not see the challenge
    of (it then refuses the code)."""
    browser = Client()
    location = consent_at_provider(servant, to_provider(browser))
    session = browser.session
    [state] = session["oidc_states"]
    session["oidc_states"][state][kept] = "x" * 64
    session.save()
    answer = back_to_ayni(browser, location)
    assert answer["Location"] == "/cuenta/ingresar/"
    assert signed_in_as(browser) is None
    expected = {"nonce": "SuspiciousOperation", "code_verifier": "HTTPError"}[kept]
    assert last_sign_in().details["detalle"] == expected

"""Off until configured; discovery fetched once, and only from the configured issuer."""

import pytest
from django.core.cache import cache

from ayni.idgob import provider
from ayni.idgob.checks import provider_over_https

pytestmark = pytest.mark.django_db


def test_not_configured_there_is_no_button_and_no_addresses(client):
    assert not provider.enabled()
    assert "ID GOB.PE" not in client.get("/cuenta/ingresar/").text
    assert client.get("/cuenta/idgob/").status_code == 404
    assert client.get("/cuenta/idgob/retorno/?code=x&state=y").status_code == 404


def test_configured_the_login_page_offers_it(client, settings):
    settings.AYNI_IDGOB_ISSUER = "https://idgob.example.gob.pe"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "ayni", "secreto"
    page = client.get("/cuenta/ingresar/?next=/boletas/").text
    assert 'href="/cuenta/idgob/?next=/boletas/">Ingresar con ID GOB.PE</a>' in page
    assert "/cuenta/idgob/?nivel=dos-pasos&amp;next=/boletas/" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_discovery_is_fetched_once_and_must_name_the_issuer(live_server, settings, client):
    settings.AYNI_IDGOB_ISSUER = live_server.url
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "ayni", "secreto"
    assert provider.endpoint("token_endpoint") == f"{live_server.url}/oauth/token/"
    # The provider now states another issuer; the cached document is still the one used.
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": "https://otro.pe"}
    assert provider.discovery()["issuer"] == live_server.url
    settings.AYNI_IDGOB_ENDPOINTS = {**settings.AYNI_IDGOB_ENDPOINTS, "token_endpoint": "https://t"}
    assert provider.endpoint("token_endpoint") == "https://t"

    cache.clear()
    with pytest.raises(provider.Unavailable, match="otro emisor"):
        provider.discovery()
    answer = client.get("/cuenta/idgob/")
    assert answer["Location"] == "/cuenta/ingresar/"


def test_the_deploy_check_wants_https(settings):
    assert provider_over_https(None) == []
    settings.AYNI_IDGOB_ISSUER = "https://idgob.example.gob.pe"
    assert provider_over_https(None) == []
    settings.AYNI_IDGOB_ENDPOINTS = {**settings.AYNI_IDGOB_ENDPOINTS, "jwks_uri": "http://k"}
    [error] = provider_over_https(None)
    assert error.id == "ayni.idgob.E001" and "http://k" in error.msg

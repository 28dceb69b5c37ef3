"""Where ID GOB.PE is: the endpoints named in the settings, else those its discovery document
lists, fetched once and kept in the cache (AYNI_IDGOB_DISCOVERY_SECONDS).

mozilla-django-oidc reads its configuration through `get_settings`; `setting` answers the
endpoints from here and everything else from Django's settings.
"""

import requests
from django.conf import settings
from django.core.cache import cache
from mozilla_django_oidc.utils import import_from_settings

DISCOVERY_PATH = "/.well-known/openid-configuration"
# mozilla-django-oidc's setting → the discovery document's field (OpenID Connect Discovery 3).
ENDPOINT_SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class Unavailable(Exception):
    """The identity provider could not be reached, or its discovery document is not its own."""


def enabled() -> bool:
    return bool(
        settings.AYNI_IDGOB_ISSUER and settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET
    )


def issuer() -> str:
    return settings.AYNI_IDGOB_ISSUER.rstrip("/")


def endpoint(name: str) -> str:
    given = settings.AYNI_IDGOB_ENDPOINTS.get(name)
    if given:
        return given
    address = discovery().get(name)
    if not address:
        raise Unavailable(f"El documento de descubrimiento no indica «{name}».")
    return address


def discovery() -> dict:
    key = f"idgob:discovery:{issuer()}"
    found = cache.get(key)
    if found is not None:
        return found
    try:
        response = requests.get(issuer() + DISCOVERY_PATH, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        found = response.json()
    except (requests.RequestException, ValueError) as error:
        raise Unavailable(str(error)) from error
    # OpenID Connect Discovery 4.3: a document naming another issuer is not to be used.
    if str(found.get("issuer", "")).rstrip("/") != issuer():
        raise Unavailable(
            f"El documento de descubrimiento es de otro emisor: {found.get('issuer')}"
        )
    cache.set(key, found, settings.AYNI_IDGOB_DISCOVERY_SECONDS)
    return found


def setting(name: str, *default):
    if name in ENDPOINT_SETTINGS:
        return endpoint(ENDPOINT_SETTINGS[name])
    return import_from_settings(name, *default)

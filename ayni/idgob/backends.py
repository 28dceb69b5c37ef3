"""mozilla-django-oidc's backend (code exchange with the PKCE verifier, the ID token's
signature against the provider's JWKS, the nonce, userinfo) with what it leaves to us: the
ID token's issuer and audience, userinfo of the same person, and AYNI's own account rules.

It is not in AUTHENTICATION_BACKENDS: only the ID GOB.PE return view calls it, so a password
sign-in never reaches it (nor the provider)."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ayni.idgob import provider, services


def audiences(claims: dict) -> list[str]:
    audience = claims.get("aud")
    return [audience] if isinstance(audience, str) else list(audience or [])


class IdGobBackend(OIDCAuthenticationBackend):
    acr = ""
    get_settings = staticmethod(provider.setting)

    def verify_token(self, token, **kwargs):
        claims = super().verify_token(token, **kwargs)
        # OpenID Connect Core 3.1.3.7: a token issued by someone else, or to another client
        # (stolen from another ministry system), must not open a session here.
        issuer = str(claims.get("iss", "")).rstrip("/")
        client_id = settings.OIDC_RP_CLIENT_ID
        named = audiences(claims)
        if issuer != provider.issuer() or client_id not in named:
            raise SuspiciousOperation("ID token de otro emisor o para otro cliente.")
        if len(named) > 1 and claims.get("azp") != client_id:
            raise SuspiciousOperation("ID token con varios destinatarios y otro «azp».")
        if "exp" not in claims:
            raise SuspiciousOperation("ID token sin vencimiento.")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: userinfo about somebody else is not to be used.
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo de otra persona.")
        self.acr = payload.get("acr", "")  # the level the session was opened at, audited
        # The signed ID token wins over userinfo where both name a claim.
        return services.account_for({**userinfo, **payload})

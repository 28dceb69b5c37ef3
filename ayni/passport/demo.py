"""The demo mobile app: a public client (no secret) that returns to a loopback address on
any port (RFC 8252), as docs/api/cliente_movil.py does. Production registers its own."""

from oauth2_provider.models import Application

from ayni.passport.models import ClientSystem
from ayni.passport.scopes import SCOPES

DEMO_CLIENT_ID = "ayni-movil-demo"
DEMO_REDIRECT_URI = "http://127.0.0.1/callback"


def seed(ctx):
    application, created = Application.objects.get_or_create(
        client_id=DEMO_CLIENT_ID,
        defaults={
            "name": "AYNI móvil (demostración)",
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": DEMO_REDIRECT_URI,
            "post_logout_redirect_uris": DEMO_REDIRECT_URI,
            "algorithm": Application.RS256_ALGORITHM,
        },
    )
    ClientSystem.objects.get_or_create(
        application=application, defaults={"scopes": " ".join(SCOPES)}
    )
    ctx.say(f"Aplicación móvil de demostración: client_id {DEMO_CLIENT_ID}"
            f"{' (nueva)' if created else ''}")  # fmt: skip

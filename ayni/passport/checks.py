from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def signing_key_is_given(app_configs, **kwargs):
    if settings.AYNI_OIDC_EMBEDDED_KEY:
        return [
            Error(
                "AYNI Passport signs ID tokens with the key it generated under VAR_DIR.",
                hint="Set AYNI_OIDC_RSA_PRIVATE_KEY_FILE (or AYNI_OIDC_RSA_PRIVATE_KEY) to the "
                "RSA key kept for this platform, the same on every web node.",
                id="ayni.passport.E001",
            )
        ]
    return []

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def no_demo_totp_secret(app_configs, **kwargs):
    """The README publishes the demo staff accounts' authenticator secrets: a device with one
    of them is a second step anybody can pass."""
    from django.core.checks import Error
    from django.db import DatabaseError
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ayni.accounts.demo import DEMO_TOTP_SECRETS, totp_hex_key

    keys = [totp_hex_key(secret) for secret in DEMO_TOTP_SECRETS.values()]
    try:
        owners = sorted(
            TOTPDevice.objects.filter(key__in=keys).values_list("user__username", flat=True)
        )
    except DatabaseError as error:
        return [
            Warning(
                f"Could not look for authenticator devices with the demo secrets ({error}).",
                hint="Run the check against the migrated production database.",
                id="ayni.accounts.W003",
            )
        ]
    if not owners:
        return []
    return [
        Error(
            "Authenticator devices use the README's published demo secrets (accounts: "
            f"{', '.join(owners)}).",
            hint="This database holds the demo data (seed_demo). Delete those devices (or reset "
            "the accounts' second factor) before going live; never seed a production database.",
            id="ayni.accounts.E002",
        )
    ]


@register(Tags.security, deploy=True)
def captcha_test_mode_is_off(app_configs, **kwargs):
    if settings.AYNI_CAPTCHA_TEST_MODE and not settings.DEBUG:
        return [
            Warning(
                "AYNI_CAPTCHA_TEST_MODE is on: the CAPTCHA accepts the fixed answer PASSED.",
                hint="Unset AYNI_CAPTCHA_TEST_MODE; it is meant for automated tests only.",
                id="ayni.accounts.W001",
            )
        ]
    return []

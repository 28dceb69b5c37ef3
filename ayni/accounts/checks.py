from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.security, deploy=True)
def no_account_has_the_demo_password(app_configs, **kwargs):
    """An active demo account, or any staff or superuser account, still opens with the
    README's published password: anybody could sign in with it.

    Kept cheap (one Argon2 verification per account): only the seed's demo user names and
    the staff and superuser accounts are tried, never the whole table.
    """
    from django.contrib.auth.hashers import check_password
    from django.db import DatabaseError
    from django.db.models import Q

    from ayni.accounts.demo import DEMO_ACCOUNTS
    from ayni.accounts.models import User
    from ayni.core.demo import DEMO_PASSWORD

    demo_usernames = [document for document, *_ in DEMO_ACCOUNTS]
    candidates = User.objects.filter(is_active=True).filter(
        Q(username__in=demo_usernames) | Q(is_staff=True) | Q(is_superuser=True)
    )
    try:
        accounts = list(candidates.only("username", "password").order_by("username"))
    except DatabaseError as error:
        return [
            Warning(
                f"Could not look for accounts with the demo password ({error}).",
                hint="Run the check against the migrated production database.",
                id="ayni.accounts.W002",
            )
        ]
    # hashers.check_password, not User.check_password: a check must never rehash and save.
    exposed = [
        account.username
        for account in accounts
        if account.has_usable_password() and check_password(DEMO_PASSWORD, account.password)
    ]
    if not exposed:
        return []
    return [
        Error(
            f"Active accounts open with the README's demo password: {', '.join(exposed)}.",
            hint="This database holds the demo data (seed_demo) or an account kept the demo "
            "password. Deactivate those accounts or give them new passwords before going "
            "live; never run seed_demo on a production database.",
            id="ayni.accounts.E001",
        )
    ]


@register(Tags.security, deploy=True)
def passkeys_belong_to_the_served_host(app_configs, **kwargs):
    """Passkeys are bound to the relying-party id: left at the embedded `localhost`, no
    browser lets staff register or use one on the real address."""
    rp_id = settings.OTP_WEBAUTHN_RP_ID
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"]
    if any(host == rp_id or host.endswith("." + rp_id) for host in hosts) and all(
        origin.startswith("https://") for origin in settings.OTP_WEBAUTHN_ALLOWED_ORIGINS
    ):
        return []
    return [
        Warning(
            f"AYNI_WEBAUTHN_RP_ID ({rp_id}) is not the served host or a parent domain of it "
            f"({', '.join(hosts) or 'ALLOWED_HOSTS is empty'}), or AYNI_WEBAUTHN_ORIGINS "
            "has an address that is not https.",
            hint="Set AYNI_WEBAUTHN_RP_ID to the platform's domain (e.g. ayni.minedu.gob.pe) "
            "and AYNI_WEBAUTHN_ORIGINS to its https address.",
            id="ayni.accounts.W004",
        )
    ]

"""The second sign-in step ("verificación en dos pasos"): who needs it, devices, codes, resets.

django-otp keeps the devices (authenticator app: `TOTPDevice`; recovery codes: `StaticDevice`;
passkeys: django-otp-webauthn's `WebAuthnCredential`) and marks a session verified
(`django_otp.login`, `user.is_verified()`). This module decides the rest:

- staff (any `StaffRole`) and `is_staff`/superuser accounts must pass the second step; a
  servant passes it only after turning it on (having a confirmed device);
- what the session still needs is kept in the session (`STATE_KEY`), computed once per
  sign-in, so that servants without a second factor cost no query per request;
- every success, failure, enrolment and reset is in the audit log.
"""

import secrets
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ayni.accounts import events
from ayni.accounts.models import User
from ayni.core.audit import record
from ayni.core.mail import queue_email
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole

STATE_KEY = "_ayni_second_factor"
NONE = "none"  # no second step: a servant who did not turn it on
VERIFY = "verify"  # has a device: must verify with it
ENROLL = "enroll"  # staff without a device yet: must set one up
RECOVERY_CODES_SESSION_KEY = "_ayni_new_recovery_codes"  # shown once, then dropped

TOTP_NAME = "Aplicación autenticadora"
RECOVERY_NAME = "Códigos de recuperación"
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread

THROTTLED = (
    "Demasiados intentos fallidos. Espere unos segundos y vuelva a intentarlo con un código nuevo."
)
WRONG_CODE = "El código no es correcto o ya fue usado. Revise la hora de su teléfono y reintente."


def must_use_second_factor(user) -> bool:
    """Staff role holders and Django-admin accounts always sign in with a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return StaffRole.objects.filter(user=user).exists()


def has_second_factor(user) -> bool:
    """Whether the account has a confirmed device (app, passkey or recovery codes)."""
    return user_has_device(user, confirmed=True)


def required_state(user) -> str:
    if has_second_factor(user):
        return VERIFY
    return ENROLL if must_use_second_factor(user) else NONE


def remember_state(request, user=None) -> str:
    state = required_state(user or request.user)
    request.session[STATE_KEY] = state
    return state


@receiver(user_logged_in, dispatch_uid="ayni_second_factor_state")
def on_login(sender, request, user, **kwargs):
    """What a new session needs before it reaches any page (connected when the middleware
    that reads it is loaded, before any request)."""
    if request is not None and hasattr(request, "session"):
        remember_state(request, user)


@dataclass(frozen=True)
class Verification:
    ok: bool
    message: str = ""
    device: object = None


# --- Authenticator app (TOTP) --------------------------------------------------------


def pending_totp(user: User) -> TOTPDevice:
    """The unconfirmed authenticator-app device being set up (a new secret if none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


def grouped(secret: str) -> str:
    """The secret in groups of four, as people copy it into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    """The otpauth:// URI as a QR code (SVG), served as an image: no inline script or style."""
    import segno  # here: only the set-up page draws one, and every process imports this module

    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2).encode()


def confirm_totp(user: User, device: TOTPDevice, code: str, request) -> Verification:
    """Confirm a new authenticator app with its first code; the session counts as verified."""
    if device.user_id != user.pk or device.confirmed:
        return Verification(False, WRONG_CODE)
    allowed, _ = device.verify_is_allowed()
    if not allowed or not device.verify_token(_digits(code)):
        record(
            user, events.MFA_ENROLL_FAILED, user, request,
            outcome=AuditEvent.Outcome.FAILED, dispositivo="app", limitado=not allowed,
        )  # fmt: skip
        return Verification(False, WRONG_CODE if allowed else THROTTLED)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    record(user, events.MFA_ENROLLED, user, request, dispositivo="app")
    _verified(request, device)
    return Verification(True, device=device)


def _digits(code: str) -> str:
    return "".join((code or "").split())


# --- Recovery codes --------------------------------------------------------------


def new_recovery_codes(user: User, request) -> list[str]:
    """Ten fresh one-time codes; the previous ones stop working. Kept in the session to be
    shown once (`take_recovery_codes`)."""
    codes = [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4)) for _ in range(2))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record(user, events.MFA_RECOVERY_CODES, user, request, cantidad=len(codes))
    request.session[RECOVERY_CODES_SESSION_KEY] = codes
    return codes


def take_recovery_codes(request) -> list[str]:
    return request.session.pop(RECOVERY_CODES_SESSION_KEY, [])


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _normal_recovery_code(code: str) -> str:
    code = "".join((code or "").split()).lower().replace("-", "")
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


# --- Verification ----------------------------------------------------------------


def verify_code(user: User, code: str, request) -> Verification:
    """The second step with a typed code: an authenticator-app code (6 digits) or a
    recovery code (used up). Each device throttles its own failures (django-otp)."""
    raw = _digits(code)
    if raw.isdigit():
        kind, candidates, token = "app", TOTPDevice.objects.filter(user=user, confirmed=True), raw
    else:
        kind = "recuperacion"
        candidates = StaticDevice.objects.filter(user=user, confirmed=True)
        token = _normal_recovery_code(raw)
    throttled = False
    with transaction.atomic():
        for device in candidates.select_for_update():
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(token):
                record(user, events.MFA_OK, user, request, dispositivo=kind)
                _verified(request, device)
                return Verification(True, device=device)
    record(
        user, events.MFA_FAILED, user, request, outcome=AuditEvent.Outcome.FAILED,
        dispositivo=kind, limitado=throttled,
    )  # fmt: skip
    return Verification(False, THROTTLED if throttled else WRONG_CODE)


def passkey_verified(user: User, device, request) -> None:
    """A passkey answered the second step (django-otp-webauthn already marked the session)."""
    record(user, events.MFA_OK, user, request, dispositivo="passkey")
    request.session[STATE_KEY] = VERIFY


def passkey_failed(user, request, reason: str) -> None:
    record(
        user, events.MFA_FAILED, user, request, outcome=AuditEvent.Outcome.FAILED,
        dispositivo="passkey", motivo=reason[:200],
    )  # fmt: skip


def passkey_registered(user: User, device, request) -> None:
    record(user, events.MFA_ENROLLED, user, request, dispositivo="passkey")
    request.session[STATE_KEY] = VERIFY


def _verified(request, device) -> None:
    otp_login(request, device)
    request.session[STATE_KEY] = VERIFY


# --- Turning it off, and resets --------------------------------------------------


def _delete_devices(user: User) -> int:
    deleted = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        deleted += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return deleted


def turn_off(user: User, password: str, code: str, request) -> None:
    """A servant turns the second step off with the password and a current code.
    Staff cannot: for them it is not a choice."""
    if must_use_second_factor(user):
        raise ValidationError("El personal de la institución no puede desactivar este paso.")
    if not check_password(password or "", user.password):
        record(
            user, events.MFA_FAILED, user, request,
            outcome=AuditEvent.Outcome.FAILED, dispositivo="desactivar", motivo="contraseña",
        )  # fmt: skip
        raise ValidationError("La contraseña o el código no son correctos.")
    if not verify_code(user, code, request).ok:
        raise ValidationError("La contraseña o el código no son correctos.")
    _delete_devices(user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[STATE_KEY] = NONE
    record(user, events.MFA_TURNED_OFF, user, request)


def reset_second_factor(actor, account: User, reason: str, request=None) -> int:
    """The level above removes every device of an account that lost them (`authority`: a UGEL
    administrator for servants, a DRE administrator for UGEL staff, a superuser for anyone
    but themselves). The account sets up a new one at its next sign-in; it is told by mail."""
    from ayni.accounts.services import _require_authority

    _require_authority(actor, account, request)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Escriba el motivo del restablecimiento."})
    with transaction.atomic():
        removed = _delete_devices(account)
        record(actor, events.MFA_RESET, account, request, motivo=reason, dispositivos=removed)
    _mail_reset(account)
    return removed


def _mail_reset(account: User) -> None:
    if not account.email:
        return
    context = {
        "user": account,
        "platform_name": settings.AYNI_PLATFORM_NAME,
        "support_email": settings.AYNI_SUPPORT_EMAIL,
        "support_phone": settings.AYNI_SUPPORT_PHONE,
        "support_hours": settings.AYNI_SUPPORT_HOURS,
    }
    queue_email(
        f"Se restableció la verificación en dos pasos — {settings.AYNI_PLATFORM_NAME}",
        [account.email],
        render_to_string("accounts/mail/mfa_reset.txt", context),
    )


def devices(user: User) -> list:
    return list(devices_for_user(user, confirmed=True))


def passkeys(user: User):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")

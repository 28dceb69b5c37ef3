"""How a servant signed in, in the words of the ID token: RFC 8176 `amr` (methods) and the
levels ID GOB.PE and ID Perú use for `acr` (`one_factor`, `two_factor`)."""

from django_otp_webauthn.models import WebAuthnCredential

from ayni.passport.scopes import STAFF

ONE_FACTOR, TWO_FACTOR = "one_factor", "two_factor"
PASSWORD_ONLY = (["pwd"], ONE_FACTOR)
# Scopes granted only to a session that passed the second step.
SECOND_FACTOR_SCOPES = frozenset({STAFF})


def of_session(request) -> tuple[list[str], str]:
    """(amr, acr) of the signed-in session: the password, plus the second step if passed
    (an authenticator or recovery code: `otp`; a passkey: `hwk`)."""
    user = request.user
    device = getattr(user, "otp_device", None)
    if device is None or not user.is_verified():
        return PASSWORD_ONLY
    method = "hwk" if isinstance(device, WebAuthnCredential) else "otp"
    return ["pwd", method, "mfa"], TWO_FACTOR


def missing_second_factor(request, scopes) -> bool:
    return bool(SECOND_FACTOR_SCOPES & set(scopes)) and of_session(request)[1] != TWO_FACTOR

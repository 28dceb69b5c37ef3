"""Signing in with ID GOB.PE: the account the identity document in the token belongs to,
whether it may enter at the level ID GOB.PE vouches for (`acr`), and the audit line of every
outcome, the same lines as the password sign-in ("Mis accesos")."""

from django.conf import settings
from django.contrib import auth

from ayni.accounts import events, mfa
from ayni.accounts.models import User
from ayni.accounts.signals import SIGN_IN_DETAILS
from ayni.core.audit import record
from ayni.core.models import AuditEvent
from ayni.core.validators import (
    DOCUMENT_TYPE_CODES,
    document_number_error,
    normalize_document_number,
)

METHOD = "idgob"  # the audit lines' `metodo`
# The session belongs to the account, as after a password sign-in: Django's own backend
# reloads it on each request (and ends it once the account is deactivated).
SESSION_BACKEND = "ayni.accounts.backends.AccountBackend"

# Refusals (the audit lines' `motivo`).
NO_DOCUMENT = "sin_documento"
UNKNOWN = "sin_cuenta"
INACTIVE = "cuenta_desactivada"
LOW_LEVEL = "nivel_insuficiente"
NOT_CONFIRMED = "no_confirmado"  # state, signature, nonce, audience, issuer or transport
CANCELLED = "cancelado"

MESSAGES = {
    NO_DOCUMENT: "ID GOB.PE no nos envió su número de documento, así que no podemos saber "
    "cuál es su cuenta. Ingrese con su usuario y contraseña.",
    UNKNOWN: "Su documento {number} no tiene una cuenta en AYNI. Solicite el acceso con este "
    "formulario; su UGEL lo revisará y le enviará un correo para generar su contraseña.",
    INACTIVE: "Su cuenta de AYNI está desactivada. Si cree que es un error, comuníquese con "
    "su UGEL.",
    LOW_LEVEL: "El personal de la institución ingresa con ID GOB.PE en dos pasos: use «Ingresar "
    "con ID GOB.PE en dos pasos» y confirme allí su identidad en dos pasos, o ingrese con su "
    "usuario y contraseña.",
    NOT_CONFIRMED: "No se pudo confirmar su identidad con ID GOB.PE. Vuelva a intentarlo; si "
    "el problema continúa, ingrese con su usuario y contraseña.",
    CANCELLED: "Se canceló el ingreso con ID GOB.PE.",
}


class Refused(Exception):
    def __init__(self, reason: str, account: User | None = None, document=("", ""), detail=""):
        super().__init__(reason)
        self.reason, self.account, self.document = reason, account, document
        self.detail = detail  # for the audit line: what exactly failed

    @property
    def message(self) -> str:
        return MESSAGES[self.reason].format(number=self.document[1])


def document_of(claims: dict) -> tuple[str, str]:
    """(type, number) from the configured claims; the type is DNI when none is given."""
    number = normalize_document_number(str(claims.get(settings.AYNI_IDGOB_DOCUMENT_NUMBER_CLAIM)
                                           or ""))  # fmt: skip
    kind = str(claims.get(settings.AYNI_IDGOB_DOCUMENT_TYPE_CLAIM) or "DNI").strip().upper()
    if not number or kind not in DOCUMENT_TYPE_CODES or document_number_error(kind, number):
        raise Refused(NO_DOCUMENT, document=(kind, number))
    return kind, number


def level(acr) -> int:
    """The rank of an `acr` in AYNI_IDGOB_ACR_LEVELS; one not listed ranks below them all."""
    levels = settings.AYNI_IDGOB_ACR_LEVELS
    return levels.index(acr) if acr in levels else -1


def required_acr(account: User) -> str:
    if mfa.must_use_second_factor(account):
        return settings.AYNI_IDGOB_STAFF_ACR_VALUES
    return settings.AYNI_IDGOB_ACR_VALUES


def account_for(claims: dict) -> User:
    """The active account of the document in the claims, if it may sign in at their `acr`.
    Never matched by e-mail, never created: an unknown document is refused (UNKNOWN)."""
    kind, number = document_of(claims)
    account = User.objects.filter(username=number, document_type=kind).first()
    if account is None:
        raise Refused(UNKNOWN, document=(kind, number))
    if not account.is_active:
        raise Refused(INACTIVE, account, (kind, number))
    if level(claims.get("acr")) < level(required_acr(account)):
        raise Refused(LOW_LEVEL, account, (kind, number))
    return account


def sign_in(request, account: User, acr: str) -> None:
    """Open the session. Staff still pass AYNI's second step next, as after the password
    (ayni.accounts.middleware): ID GOB.PE vouches for the person, not for their post."""
    setattr(request, SIGN_IN_DETAILS, {"metodo": METHOD, "acr": acr})
    auth.login(request, account, backend=SESSION_BACKEND)


def record_refusal(request, refusal: Refused) -> None:
    """A failed sign-in line, on the account when one was found (its "Mis accesos")."""
    number = refusal.document[1]
    outcome = AuditEvent.Outcome.FAILED
    if refusal.reason in (INACTIVE, LOW_LEVEL):
        outcome = AuditEvent.Outcome.DENIED
    record(
        None, events.LOGIN_FAILED, refusal.account or number or None, request, outcome=outcome,
        actor_label=number[:64], metodo=METHOD, motivo=refusal.reason,
        **({"detalle": refusal.detail[:200]} if refusal.detail else {}),
    )  # fmt: skip

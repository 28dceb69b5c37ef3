"""Every write of accounts: provisioning, e-mail changes, password mails and passwords, unlocking.

A UGEL administrator acts only on servants of the units it covers as `admin_ugel`
(`actor=None` is the platform itself, e.g. an approved access request).
"""

import csv
import io
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ayni.access.ratelimit import allow
from ayni.accounts import events, sessions
from ayni.accounts.models import User
from ayni.core.audit import record
from ayni.core.http import client_ip
from ayni.core.mail import queue_email
from ayni.core.models import AuditEvent
from ayni.core.validators import (
    DOCUMENT_TYPE_CODES,
    document_number_error,
    normalize_document_number,
)
from ayni.organizations.authority import OUT_OF_SCOPE, require_authority
from ayni.organizations.models import Servant, StaffRole
from ayni.organizations.scoping import covers

MANAGING = StaffRole.Role.ADMIN_UGEL


def _require_authority(actor, target, request=None) -> None:
    """The one rule of `authority`, with every refusal kept in the audit log."""
    try:
        require_authority(actor, target, MANAGING)
    except PermissionDenied as refusal:
        record(
            actor, events.ACTION_REFUSED, target, request,
            outcome=AuditEvent.Outcome.DENIED, motivo=str(refusal),
        )  # fmt: skip
        raise


def _unit_for_new_servant(actor, unit=None):
    """The unit of a servant an administrator registers: the one asked for, which the
    administrator must cover, or else the unit of the administrator's role."""
    if unit is not None:
        if actor is not None and not covers(actor, unit, MANAGING):
            raise PermissionDenied(OUT_OF_SCOPE)
        return unit
    if actor is None or actor.is_superuser:
        return None
    role = (
        StaffRole.objects.filter(user=actor, role=MANAGING)
        .select_related("unit")
        .order_by("id")
        .first()
    )
    if role is None:
        raise PermissionDenied(OUT_OF_SCOPE)
    return role.unit


def _clean_email(email: str, account: User | None = None) -> str:
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": "Escriba el correo electrónico."})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": f"«{email}» no es un correo electrónico válido."}) from None
    others = User.objects.active_with_email(email)
    if account is not None:
        others = others.exclude(pk=account.pk)
    if others.exists():
        raise ValidationError({"email": "Ese correo electrónico ya es de otra cuenta activa."})
    return email


def _clean_document(document_type: str, document_number: str) -> tuple[str, str]:
    document_type = (document_type or "").strip().upper()
    document_number = normalize_document_number(document_number)
    if document_type not in DOCUMENT_TYPE_CODES:
        raise ValidationError({"document_type": document_number_error(document_type, "")})
    error = document_number_error(document_type, document_number)
    if error:
        raise ValidationError({"document_number": error})
    return document_type, document_number


CREATED = "creada"
UPDATED = "actualizada"
UNCHANGED = "sin cambios"
CONFLICT = "conflicto"
REFUSED = "rechazada"
ERROR = "error"
WRITING_OUTCOMES = (CREATED, UPDATED)


@dataclass(frozen=True)
class Provisioned:
    user: User
    outcome: str  # CREATED, UPDATED (e-mail changed or mail resent), UNCHANGED or CONFLICT
    detail: str
    mail_sent: bool

    @property
    def created(self) -> bool:
        return self.outcome == CREATED


def provision_account(
    actor,
    *,
    document_type: str,
    document_number: str,
    email: str,
    request=None,
    apellido_paterno: str = "",
    apellido_materno: str = "",
    nombres: str = "",
) -> tuple[User, bool]:
    """`provision` for callers that only need (account, created)."""
    result = provision(
        actor, document_type=document_type, document_number=document_number, email=email,
        request=request, names=(apellido_paterno, apellido_materno, nombres),
    )  # fmt: skip
    return result.user, result.created


def provision(
    actor, *, document_type, document_number, email, request=None, names=("", "", ""),
    unit=None, email_change_reason: str = "",
) -> Provisioned:  # fmt: skip
    """Create the account of a document and mail it the "Generar tu contraseña" link.

    A new servant is registered in `unit` when given (e.g. the UGEL an access request
    names), else in the unit of the administrator's role. A document that already has an
    account is never changed silently: a different e-mail is a CONFLICT, unless the caller
    gives the reason of an e-mail change (an approved access request), which then goes
    through `change_email`'s rules; an account still without password gets the mail again.
    The actor must be allowed to manage the account or servant (`authority`).
    """
    document_type, document_number = _clean_document(document_type, document_number)
    try:
        with transaction.atomic():
            servant = (
                Servant.objects.select_for_update()
                .filter(document_type=document_type, document_number=document_number)
                .first()
            )
            account = _existing_account(document_type, document_number, servant)
            if account is not None:
                _require_authority(actor, account, request)
                return _provision_existing(actor, account, email, email_change_reason, request)
            email = _clean_email(email)
            if servant is not None:
                _require_authority(actor, servant, request)
            else:
                servant = _register_servant(actor, document_type, document_number, names, unit)
            return _create_account(actor, servant, email, request)
    except IntegrityError:
        # Another request registered the same document or e-mail meanwhile.
        raise ValidationError(
            "Otra cuenta se registró con ese documento o correo al mismo tiempo; "
            "revise los datos y vuelva a intentar."
        ) from None


def _provision_existing(actor, account: User, email: str, reason: str, request) -> Provisioned:
    if not account.is_active:
        raise ValidationError(
            "La cuenta de este servidor está desactivada; solo el MINEDU puede reactivarla."
        )
    if account.servant_id is None:
        raise ValidationError(
            "Ese número de documento ya es el usuario de una cuenta sin registro de servidor; "
            "el MINEDU la revisa en el administrador."
        )
    if account.email.lower() != (email or "").strip().lower():
        if not reason:
            return Provisioned(
                account, CONFLICT,
                f"Ya existe una cuenta con este documento y otro correo ({account.email}); no "
                "se cambió nada. Para cambiar el correo use «Cambiar correo», con el motivo.",
                mail_sent=False,
            )  # fmt: skip
        _change_email(actor, account, email, reason, request)
        return Provisioned(
            account, UPDATED,
            "Correo actualizado (se avisó al correo anterior); se envió el correo para generar "
            "la contraseña.",
            mail_sent=True,
        )  # fmt: skip
    if not account.has_usable_password():
        send_password_setup_mail(account, request)
        return Provisioned(
            account, UPDATED, "La cuenta aún no tenía contraseña; se reenvió el correo.", True
        )
    return Provisioned(account, UNCHANGED, "La cuenta ya existía con ese correo.", False)


NAME_REQUIRED = {
    "apellido_paterno": "Para un servidor aún no registrado, escriba el apellido paterno.",
    "nombres": "Para un servidor aún no registrado, escriba los nombres.",
}


def _register_servant(actor, document_type, document_number, names, unit=None) -> Servant:
    """A servant not registered yet; never nameless (the mails greet them by name)."""
    paterno, materno, nombres = (" ".join((part or "").split()).upper() for part in names)
    unit = _unit_for_new_servant(actor, unit)
    given = {"apellido_paterno": paterno, "nombres": nombres}
    missing = {field: text for field, text in NAME_REQUIRED.items() if not given[field]}
    if missing:
        raise ValidationError(missing)
    return Servant.objects.create(
        document_type=document_type, document_number=document_number,
        apellido_paterno=paterno, apellido_materno=materno, nombres=nombres, unit=unit,
    )  # fmt: skip


def _existing_account(document_type, document_number, servant: Servant | None) -> User | None:
    """The account of the servant, or the one whose user name is the document's number."""
    if servant is not None:
        account = User.objects.select_for_update().filter(servant=servant).first()
        if account is not None:
            return account
    account = User.objects.select_for_update().filter(username=document_number).first()
    if account is not None and (
        account.document_type != document_type
        or (account.servant_id is not None and account.servant_id != getattr(servant, "pk", None))
    ):
        raise ValidationError(
            {"document_number": "Ese número de documento ya es el usuario de otra cuenta."}
        )
    return account


def _create_account(actor, servant: Servant, email: str, request) -> Provisioned:
    account = User(
        username=servant.document_number, document_type=servant.document_type, email=email,
        first_name=servant.nombres, last_name=servant.apellidos, servant=servant,
    )  # fmt: skip
    account.set_unusable_password()
    account.save()
    record(actor, events.ACCOUNT_CREATED, account, request, unidad=_unit_code(servant))
    send_password_setup_mail(account, request)
    return Provisioned(
        account, CREATED, "Cuenta creada; se envió el correo para generar la contraseña.", True
    )


def _unit_code(servant: Servant) -> str:
    return servant.unit.code if servant.unit_id else ""


def change_email(actor, user: User, email: str, reason: str, request=None) -> User:
    """Give an account a new e-mail, for a stated reason, and send the "Generar tu contraseña"
    mail to it; the old address is told, so that a takeover cannot go unnoticed."""
    _require_authority(actor, user, request)
    try:
        with transaction.atomic():
            account = User.objects.select_for_update().get(pk=user.pk)
            _change_email(actor, account, email, reason, request)
    except IntegrityError:
        raise ValidationError(
            {"email": "Ese correo electrónico ya es de otra cuenta activa."}
        ) from None
    user.email = account.email
    return user


def _change_email(actor, account: User, email: str, reason: str, request) -> None:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Escriba el motivo del cambio de correo."})
    new_email = _clean_email(email, account)
    old_email = account.email
    account.email = new_email
    account.save(update_fields=["email"])
    record(
        actor, events.EMAIL_CHANGED, account, request,
        anterior=old_email, nuevo=new_email, motivo=reason,
    )  # fmt: skip
    if old_email:
        _mail_email_changed(account, old_email, new_email)
    send_password_setup_mail(account, request)


def _mail_email_changed(account: User, old_email: str, new_email: str) -> None:
    """Tell the previous address; the new one is shown only in part."""
    local, _, domain = new_email.partition("@")
    context = {
        "user": account,
        "new_email_hint": f"{local[:2]}***@{domain}",
        **_support_context(),
    }
    queue_email(
        f"Se cambió el correo de tu cuenta — {settings.AYNI_PLATFORM_NAME}",
        [old_email],
        render_to_string("accounts/mail/email_changed.txt", context),
        render_to_string("accounts/mail/email_changed.html", context),
    )


def _support_context() -> dict:
    return {
        "platform_name": settings.AYNI_PLATFORM_NAME,
        "support_email": settings.AYNI_SUPPORT_EMAIL,
        "support_phone": settings.AYNI_SUPPORT_PHONE,
        "support_hours": settings.AYNI_SUPPORT_HOURS,
    }


def resend_password_setup_mail(actor, user: User, request=None) -> None:
    """A staff member sends the "Generar tu contraseña" mail again to the account's e-mail."""
    _require_authority(actor, user, request)
    send_password_setup_mail(user, request)


def send_password_setup_mail(user: User, request=None) -> None:
    """Mail the "Generar tu contraseña" link (the account was created or its e-mail changed)."""
    _send_password_mail(user, reset=False, request=request)


def send_password_reset_mail(user: User, request=None) -> None:
    """Mail the link to choose a new password ("¿Olvidaste la contraseña?")."""
    _send_password_mail(user, reset=True, request=request)


def password_link(user: User) -> str:
    path = reverse(
        "accounts:password-set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    # The configured address, never the request's Host header: a forged Host must not
    # put somebody else's server in a password link.
    return settings.AYNI_PUBLIC_BASE_URL.rstrip("/") + path


def _send_password_mail(user: User, *, reset: bool, request) -> None:
    if not user.email:
        raise ValidationError({"email": "La cuenta no tiene correo electrónico registrado."})
    base_url = settings.AYNI_PUBLIC_BASE_URL.rstrip("/")
    context = {
        "user": user,
        "reset": reset,
        "link": password_link(user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "login_url": base_url + reverse("accounts:login"),
        "request_url": base_url + reverse("accounts:password-generate"),
        **_support_context(),
    }
    subject = "Restablecer tu contraseña" if reset else "Generar tu contraseña"
    queue_email(
        f"{subject} — {settings.AYNI_PLATFORM_NAME}",
        [user.email],
        render_to_string("accounts/mail/password.txt", context),
        render_to_string("accounts/mail/password.html", context),
    )
    actor = getattr(request, "user", None)
    record(
        actor, events.PASSWORD_MAIL_SENT, user, request, tipo="restablecer" if reset else "generar"
    )


def request_password_mail(email: str, *, reset: bool, request=None) -> None:
    """The public "Enviar correo" forms: mail the active account with that e-mail, if any.

    Says nothing back either way, so nobody can learn which e-mails have accounts.
    Throttled per e-mail address and per client IP (over either limit no mail goes out,
    the refusal is audited and the caller still shows the same answer). The per-address
    limit cannot lock the owner out: the mails that used it up went to the owner's inbox,
    and each of their links works.
    """
    user = User.objects.active_with_email(email).first()
    window = settings.AYNI_PASSWORD_MAILS_WINDOW_SECONDS
    address = (client_ip(request) if request is not None else None) or "sin-ip"
    by_ip = allow("contrasena-ip", address, settings.AYNI_PASSWORD_MAILS_PER_IP, window)
    by_email = by_ip and allow(
        "contrasena-correo", email.strip().lower(), settings.AYNI_PASSWORD_MAILS_PER_EMAIL, window
    )
    if not by_email:
        record(
            None, events.PASSWORD_MAIL_LIMITED, user, request,
            outcome=AuditEvent.Outcome.DENIED, tipo="restablecer" if reset else "generar",
            limite="conexión" if not by_ip else "correo",
        )  # fmt: skip
        return
    if user is not None:
        _send_password_mail(user, reset=reset, request=request)


@transaction.atomic
def set_password(user: User, password: str, request=None) -> None:
    """Save the password chosen through a mailed link; it also lifts the account's lockouts."""
    first_time = not user.has_usable_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    AccessAttempt.objects.filter(username=user.username).delete()
    action = events.PASSWORD_GENERATED if first_time else events.PASSWORD_RESET
    record(user, action, user, request)
    sessions.end_other_sessions(user)  # the password already voids them; this clears the list
    send_password_changed_mail(user, first_time=first_time)


@transaction.atomic
def change_password(user: User, password: str, request) -> int:
    """ "Cambiar contraseña" of a signed-in user: this session goes on, every other one ends,
    and the account's e-mail is told. Returns how many other sessions were ended."""
    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)  # a new session key, still signed in
    sessions.follow_new_key(request)
    ended = sessions.end_other_sessions(user, request)
    record(user, events.PASSWORD_CHANGED, user, request, sesiones_cerradas=ended)
    send_password_changed_mail(user)
    return ended


def send_password_changed_mail(user: User, *, first_time: bool = False) -> None:
    """ "Se cambió tu contraseña": a notice with the help desk, and no link that sets one."""
    if not user.email:
        return
    context = {
        "user": user,
        "first_time": first_time,
        "moment": timezone.localtime(),
        "login_url": settings.AYNI_PUBLIC_BASE_URL.rstrip("/") + reverse("accounts:login"),
        "platform_name": settings.AYNI_PLATFORM_NAME,
        "support_email": settings.AYNI_SUPPORT_EMAIL,
        "support_phone": settings.AYNI_SUPPORT_PHONE,
        "support_hours": settings.AYNI_SUPPORT_HOURS,
    }
    queue_email(
        f"Se cambió tu contraseña — {settings.AYNI_PLATFORM_NAME}",
        [user.email],
        render_to_string("accounts/mail/password_changed.txt", context),
        render_to_string("accounts/mail/password_changed.html", context),
    )


def unlock_account(actor, user: User, request=None) -> int:
    """Lift every lockout of this account (all IPs); returns how many records were cleared."""
    _require_authority(actor, user, request)
    with transaction.atomic():
        cleared, _ = AccessAttempt.objects.filter(username=user.username).delete()
        record(actor, events.ACCOUNT_UNLOCKED, user, request, registros=cleared)
    return cleared


# --- Bulk provisioning from a CSV file ------------------------------------------------

BULK_COLUMNS = ("tipo_documento", "numero_documento", "correo")
BULK_NAME_COLUMNS = ("apellido_paterno", "apellido_materno", "nombres")
BULK_MAX_ROWS = 5000


@dataclass(frozen=True)
class BulkRow:
    line: int
    document_type: str
    document_number: str
    email: str
    names: tuple[str, str, str]


@dataclass(frozen=True)
class BulkResult:
    line: int
    document: str
    email: str
    outcome: str  # a `Provisioned` outcome, REFUSED (out of the actor's authority) or ERROR
    detail: str


def read_accounts_csv(raw: bytes) -> list[BulkRow]:
    """The rows of an accounts CSV; a file-level problem is a ValidationError (nothing runs)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # "CSV" saved by Excel in Spanish Windows
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in BULK_COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            "La primera línea debe tener las columnas tipo_documento, numero_documento y "
            f"correo (faltan: {', '.join(missing)})."
        )
    reader.fieldnames = header
    rows = []
    for record_number, values in enumerate(reader, start=1):
        if record_number > BULK_MAX_ROWS:
            raise ValidationError(
                f"El archivo tiene más de {BULK_MAX_ROWS} filas; divídalo en varios archivos."
            )
        cell = {key: (value or "").strip() for key, value in values.items() if key}
        if not any(cell.values()):
            continue
        rows.append(
            BulkRow(
                line=reader.line_num,
                document_type=cell["tipo_documento"],
                document_number=cell["numero_documento"],
                email=cell["correo"],
                names=tuple(cell.get(column, "") for column in BULK_NAME_COLUMNS),
            )
        )
    if not rows:
        raise ValidationError("El archivo no tiene filas de datos debajo de los títulos.")
    return rows


def provision_rows(actor, rows: list[BulkRow], request=None) -> list[BulkResult]:
    """Provision each row on its own: a row with an error changes nothing; the mails go out
    in the background once the whole file is done."""
    results = []
    seen = {}
    with transaction.atomic():
        for row in rows:
            document = f"{row.document_type} {row.document_number}".strip()
            key = (row.document_type.upper(), normalize_document_number(row.document_number))
            if key in seen:
                results.append(
                    BulkResult(row.line, document, row.email, ERROR,
                               f"El documento ya figura en la línea {seen[key]}.")
                )  # fmt: skip
                continue
            seen[key] = row.line
            try:
                with transaction.atomic():
                    done = provision(
                        actor, document_type=row.document_type,
                        document_number=row.document_number, email=row.email,
                        request=request, names=row.names,
                    )  # fmt: skip
            except ValidationError as error:
                results.append(
                    BulkResult(row.line, document, row.email, ERROR, " ".join(error.messages))
                )
                continue
            except PermissionDenied as error:
                results.append(BulkResult(row.line, document, row.email, REFUSED, str(error)))
                continue
            results.append(BulkResult(row.line, document, row.email, done.outcome, done.detail))
    return results


def preview_rows(actor, rows: list[BulkRow], request=None) -> list[BulkResult]:
    """What `provision_rows` would do with each row, keeping nothing: the same rules run in a
    transaction that is rolled back, so no account, audit line or mail survives it."""
    with transaction.atomic():
        results = provision_rows(actor, rows, request)
        transaction.set_rollback(True)
    return results

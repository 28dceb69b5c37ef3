"""Every write of the access app: public submissions, the UGEL's decisions, the retention purge."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ayni.access import events
from ayni.access.models import AccessRequest, RequestEvent
from ayni.access.selectors import anonymous_records_due, existing_records, identity_documents_due
from ayni.accounts import services as accounts
from ayni.core import audit
from ayni.core.files import SavedFiles, files_with_rows
from ayni.core.mail import queue_email
from ayni.core.sequences import next_code
from ayni.organizations.scoping import covers

ACCESS_PREFIX = "ACC"
HELP_PREFIX = "AYU"
ADMIN_ROLE = "admin_ugel"
State = AccessRequest.State
Action = RequestEvent.Action


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose type was read from its content; `extension` follows that type."""

    file: UploadedFile
    content_type: str
    extension: str


class DecisionError(Exception):
    """A step the administrator cannot take now (state, scope, account); the message says why."""


# --- Public submissions -----------------------------------------------------------------


def submit_access_request(
    fields: dict, attachment: CheckedFile, consent_text: str, request=None
) -> AccessRequest:
    """Record a "Solicitar acceso" form as a new request, whatever else is pending.

    The caller shows the same answer whatever happened: whether the document has an
    account, or a pending request, is never told to the public.
    """
    values = {**fields, "consent_text": consent_text, "consented_at": timezone.now()}
    with files_with_rows() as files:
        access_request = _create(ACCESS_PREFIX, values)
        _store_attachment(files, access_request, attachment)
        access_request.save()
        _notify_received(access_request, request)
    return access_request


@transaction.atomic
def submit_help_request(fields: dict, request=None) -> AccessRequest:
    """Record a "¿No puedes ingresar?" ticket as a new ticket, whatever else is pending."""
    access_request = _create(HELP_PREFIX, {**fields, "kind": AccessRequest.Kind.HELP})
    _notify_received(access_request, request)
    return access_request


def _create(prefix, values) -> AccessRequest:
    """A new request with its own code; a pending request of the same document is never
    touched (a document number is no proof of identity), only pointed to as a possible
    duplicate, for the UGEL to compare. Runs in the caller's transaction."""
    access_request = AccessRequest(code=next_code(prefix), **values)
    access_request.duplicate_of = (
        AccessRequest.objects.filter(
            document_type=access_request.document_type,
            document_number=access_request.document_number,
            kind__in=access_request.family,
            state__in=AccessRequest.PENDING_STATES,
        )
        .order_by("created_at", "id")
        .first()
    )
    access_request.save()
    earlier = access_request.duplicate_of
    _event(access_request, None, Action.SUBMITTED,
           note=f"Posible duplicado de {earlier.code}" if earlier else "")  # fmt: skip
    if earlier is not None:
        _event(earlier, None, Action.DUPLICATE, note=access_request.code)
    return access_request


def _store_attachment(
    files: SavedFiles, access_request: AccessRequest, attachment: CheckedFile
) -> None:
    """Save the new file under a random name; a replaced file is deleted once committed, the
    new one if the transaction fails."""
    replaced = access_request.attachment.name
    files.save(access_request.attachment, f"documento.{attachment.extension}", attachment.file)
    access_request.attachment_type = attachment.content_type
    if replaced:
        storage = access_request.attachment.storage
        transaction.on_commit(lambda: storage.delete(replaced))


def _notify_received(access_request, request) -> None:
    """The receipt goes to the address just typed and names only the new request. Whoever
    wrote the earlier pending requests hears that another one came, without its code or
    address: nothing about one request ever reaches the sender of another."""
    earlier = access_request.duplicate_of
    audit.record(
        None, events.REQUEST_RECEIVED, access_request, request,
        tipo=access_request.kind, posible_duplicado_de=earlier.code if earlier else "",
    )  # fmt: skip
    _mail(access_request.email, "recibida", access_request)
    if earlier is None:
        return
    pending = (
        AccessRequest.objects.filter(
            document_type=access_request.document_type,
            document_number=access_request.document_number,
            kind__in=access_request.family,
            state__in=AccessRequest.PENDING_STATES,
        )
        .exclude(pk=access_request.pk)
        .order_by("created_at", "id")
    )
    told = {access_request.email.lower()}
    for other in pending:
        if other.email.lower() not in told:
            told.add(other.email.lower())
            _mail(other.email, "otra_solicitud", other)


def answer_observation(
    access_request: AccessRequest, fields: dict, attachment: CheckedFile | None, request=None
) -> AccessRequest:
    """The applicant's one answer to an observation: corrected data, a message, maybe a file."""
    with files_with_rows() as files:
        locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if not locked.awaits_correction:
            raise DecisionError("Esta solicitud no espera una respuesta.")
        correction = fields.pop("correction")
        for name, value in fields.items():
            setattr(locked, name, value)
        if attachment is not None:
            _store_attachment(files, locked, attachment)
        locked.correction = correction
        locked.corrected_at = timezone.now()
        locked.state = State.IN_REVIEW
        locked.save()
        _trace(locked, None, Action.CORRECTED, events.REQUEST_CORRECTED, request, correction)
    return locked


# --- The UGEL's decisions ------------------------------------------------------------------


def observe(actor, access_request: AccessRequest, observation: str, request=None):
    with _deciding(actor, access_request) as locked:
        if not locked.may_be_observed:
            raise DecisionError(
                "Esta solicitud ya fue observada y respondida: apruébela o recházela."
            )
        locked.state = State.OBSERVED
        locked.observation = observation
        _trace(locked, actor, Action.OBSERVED, events.REQUEST_OBSERVED, request, observation)
        _mail(locked.email, "observada", locked)
    return locked


def approve(actor, access_request: AccessRequest, request=None):
    """Create the account, or give the existing one the requested e-mail, and mail the
    "Generar tu contraseña" link to that e-mail."""
    with _deciding(actor, access_request) as locked:
        if locked.is_help:
            raise DecisionError("Una solicitud de ayuda se atiende respondiendo por correo.")
        _refuse_while_another_is_pending(locked)
        with _accounts_errors():
            done = accounts.provision(
                actor, document_type=locked.document_type,
                document_number=locked.document_number, email=locked.email, request=request,
                names=(locked.apellido_paterno, locked.apellido_materno, locked.nombres),
                unit=locked.unit, email_change_reason=f"Solicitud de acceso {locked.code}",
            )  # fmt: skip
            if not done.mail_sent:  # the account already had this e-mail and a password
                accounts.send_password_setup_mail(done.user, request)
        locked.account = done.user
        _close(locked, actor, State.APPROVED, "")
        _trace(
            locked, actor, Action.APPROVED, events.REQUEST_APPROVED, request, done.detail,
            cuenta=done.user.username, resultado=done.outcome,
        )  # fmt: skip
    return locked


def reject(actor, access_request: AccessRequest, reason: str, request=None):
    with _deciding(actor, access_request) as locked:
        if locked.is_help:
            raise DecisionError("Una solicitud de ayuda se atiende respondiendo por correo.")
        _close(locked, actor, State.REJECTED, reason)
        _trace(locked, actor, Action.REJECTED, events.REQUEST_REJECTED, request, reason)
        _mail(locked.email, "rechazada", locked)
    return locked


def answer_help(actor, access_request: AccessRequest, answer: str, request=None):
    with _deciding(actor, access_request) as locked:
        if not locked.is_help:
            raise DecisionError("Solo las solicitudes de ayuda se responden por correo.")
        _close(locked, actor, State.ATTENDED, answer)
        _trace(locked, actor, Action.ANSWERED, events.HELP_ANSWERED, request, answer)
        _mail(locked.email, "respondida", locked)
    return locked


def resend_password_mail(actor, access_request: AccessRequest, request=None):
    """Help ticket: send the "Generar tu contraseña" mail again to the account's e-mail."""
    with _helping(actor, access_request) as (locked, account):
        with _accounts_errors():
            accounts.resend_password_setup_mail(actor, account, request)
        _trace(locked, actor, Action.PASSWORD_MAIL, events.HELP_PASSWORD_MAIL, request,
               account.email, cuenta=account.username)  # fmt: skip
    return locked


def change_account_email(actor, access_request: AccessRequest, email: str, request=None):
    """Help ticket: give the account a new e-mail (which also gets the password mail)."""
    with _helping(actor, access_request) as (locked, account):
        previous = account.email
        with _accounts_errors():
            accounts.change_email(
                actor, account, email, f"Solicitud de ayuda {locked.code}", request
            )
        _trace(locked, actor, Action.EMAIL_CHANGED, events.HELP_EMAIL_CHANGED, request,
               f"{previous} → {email}", cuenta=account.username)  # fmt: skip
    return locked


def unlock(actor, access_request: AccessRequest, request=None):
    """Help ticket: lift every login lockout of the account."""
    with _helping(actor, access_request) as (locked, account):
        with _accounts_errors():
            cleared = accounts.unlock_account(actor, account, request)
        _trace(locked, actor, Action.UNLOCKED, events.HELP_UNLOCKED, request,
               f"bloqueos levantados: {cleared}", cuenta=account.username)  # fmt: skip
    return locked


def _refuse_while_another_is_pending(access_request: AccessRequest) -> None:
    """A document number is no proof of identity: while two people ask for the same
    document, neither is approved until the administrator has rejected the other."""
    others = AccessRequest.objects.filter(
        document_type=access_request.document_type,
        document_number=access_request.document_number,
        kind__in=access_request.family,
        state__in=AccessRequest.PENDING_STATES,
    ).exclude(pk=access_request.pk)
    codes = ", ".join(others.order_by("created_at", "id").values_list("code", flat=True))
    if codes:
        raise DecisionError(
            f"Hay otra solicitud pendiente para este documento ({codes}). Compare ambas y "
            "rechace la que no corresponda antes de aprobar."
        )


@contextmanager
def _helping(actor, access_request: AccessRequest):
    """A pending help ticket and the account of its document, which the actor must cover."""
    with _deciding(actor, access_request) as locked:
        if not locked.is_help:
            raise DecisionError("Esta acción es para solicitudes de ayuda.")
        records = existing_records(actor, locked)
        if records.account is None:
            message = "No hay una cuenta con este documento en las unidades a su cargo."
            if records.kept_by is not None and not records.visible:
                message += f" El documento está registrado en {records.kept_by}."
            raise DecisionError(message)
        yield locked, records.account


@contextmanager
def _accounts_errors():
    """The accounts services' refusals, as the message the administrator reads."""
    try:
        yield
    except ValidationError as error:
        raise DecisionError(" ".join(error.messages)) from error
    except PermissionDenied as error:
        raise DecisionError(
            str(error) or "El servidor no pertenece a las unidades a su cargo."
        ) from error


@contextmanager
def _deciding(actor, access_request: AccessRequest):
    """Lock a pending request the actor covers, and save it when the block ends well."""
    if not covers(actor, access_request.unit, ADMIN_ROLE):
        raise PermissionDenied
    with transaction.atomic():
        locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if not locked.is_pending:
            raise DecisionError("Esta solicitud ya fue decidida.")
        yield locked
        locked.save()


def _trace(access_request, actor, action, audit_action, request, note="", **details) -> None:
    """Every step on a request after its submission: in its history and in the audit log."""
    _event(access_request, actor, action, note=note)
    audit.record(actor, audit_action, access_request, request, **details)


def _close(access_request, actor, state, resolution) -> None:
    access_request.state = state
    access_request.resolution = resolution
    access_request.decided_at = timezone.now()
    access_request.decided_by = actor


# --- Retention ---------------------------------------------------------------------------


def purge_identity_documents(now=None) -> int:
    """Delete the identity documents of requests decided more than the retention days ago,
    and of requests never decided that many days after their submission.

    The request and its history stay; only the file goes. Returns how many were deleted.
    """
    now = now or timezone.now()
    deleted = 0
    for access_request in identity_documents_due(now).iterator():
        with transaction.atomic():
            access_request.attachment.delete(save=False)
            access_request.attachment_deleted_at = now
            access_request.save(update_fields=["attachment", "attachment_deleted_at"])
            _trace(
                access_request, None, Action.ATTACHMENT_DELETED, events.ATTACHMENT_DELETED,
                None, actor_label="plazo de conservación",
                dias=settings.AYNI_ACCESS_RETENTION_DAYS,
                desde="decisión" if access_request.decided_at else "envío (sin decisión)",
            )  # fmt: skip
        deleted += 1
    return deleted


def purge_anonymous_records(now=None) -> dict[str, int]:
    """Delete what `anonymous_records_due` lists: how many of each kind were deleted."""
    due = anonymous_records_due(now or timezone.now())
    return {
        "captcha": due["captcha"].delete()[0],
        "verificaciones": due["verificaciones"].purge()[0],
        "limites": due["limites"].purge()[0],
    }


# --- History and mail --------------------------------------------------------------------


def _event(access_request, actor, action, note="") -> RequestEvent:
    return RequestEvent.objects.create(
        access_request=access_request,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        note=note,
    )


MAIL_SUBJECTS = {
    "recibida": "Recibimos su solicitud {code}",
    "otra_solicitud": "Recibimos otra solicitud para su documento (su solicitud {code} no cambió)",
    "observada": "Su solicitud {code} fue observada",
    "rechazada": "Su solicitud {code} no fue aprobada",
    "respondida": "Respuesta a su solicitud de ayuda {code}",
}


def _mail(to: str, template: str, access_request: AccessRequest) -> None:
    """A Spanish mail (text and HTML) to the applicant, sent once the transaction commits."""
    context = {
        "access_request": access_request,
        "status_url": settings.AYNI_PUBLIC_BASE_URL.rstrip("/") + reverse("access:status"),
        "support_email": settings.AYNI_SUPPORT_EMAIL,
        "support_phone": settings.AYNI_SUPPORT_PHONE,
        "support_hours": settings.AYNI_SUPPORT_HOURS,
        "platform_name": settings.AYNI_PLATFORM_NAME,
    }
    text = render_to_string(f"access/mail/{template}.txt", context)
    html = render_to_string("access/mail/layout.html", {**context, "text": text})
    subject = MAIL_SUBJECTS[template].format(code=access_request.code)
    _deliver(to, subject, text, html)


def _deliver(to: str, subject: str, text: str, html: str) -> None:
    queue_email(subject, [to], text, html)

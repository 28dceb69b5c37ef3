"""Reads of the access app. Staff reads start from the UGELs the actor administers."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ayni.access import events
from ayni.access.models import AccessRequest
from ayni.accounts import events as account_events
from ayni.accounts.captcha import expired_challenges
from ayni.core import audit
from ayni.core.models import AuditEvent
from ayni.documents.selectors import refused_verifications
from ayni.organizations.authority import may_act_on
from ayni.organizations.models import Servant, Unit
from ayni.organizations.scoping import covered_units

ADMIN_ROLE = "admin_ugel"
PENDING_FILTER = "pendientes"
ALL_FILTER = "todas"


def requests_for(actor) -> QuerySet[AccessRequest]:
    """Every request of the UGELs the actor administers; nothing for anybody else."""
    return AccessRequest.objects.filter(unit__in=covered_units(actor, ADMIN_ROLE))


def with_duplicate_flag(requests: QuerySet[AccessRequest]) -> QuerySet[AccessRequest]:
    """`has_duplicates`: a later request of the same document points to this one."""
    later = AccessRequest.objects.filter(duplicate_of=OuterRef("pk"))
    return requests.annotate(has_duplicates=Exists(later))


def tray(
    actor, state: str = PENDING_FILTER, kind: str = "", duplicates: bool = False, request=None
) -> QuerySet[AccessRequest]:
    """The administrator's tray, oldest first, filtered by state, kind and duplicate flag.

    Listing applicants' names and documents is a read of their data: recorded here."""
    audit.record(
        actor, events.TRAY_VIEWED, None, request,
        estado=state, tipo=kind, duplicados=duplicates,
    )  # fmt: skip
    requests = with_duplicate_flag(requests_for(actor).select_related("unit"))
    if duplicates:
        requests = requests.filter(Q(duplicate_of__isnull=False) | Q(has_duplicates=True))
    if state == PENDING_FILTER:
        requests = requests.filter(state__in=AccessRequest.PENDING_STATES)
    elif state in AccessRequest.State.values:
        requests = requests.filter(state=state)
    if kind in AccessRequest.Kind.values:
        requests = requests.filter(kind=kind)
    return requests.order_by("created_at", "id")


def request_for(actor, code: str) -> AccessRequest:
    """One request by code, only within the actor's UGELs (404 otherwise)."""
    return get_object_or_404(requests_for(actor).select_related("unit", "decided_by"), code=code)


@dataclass(frozen=True)
class SameDocument:
    """Another request of the same document; `visible` when the actor administers its UGEL."""

    access_request: AccessRequest
    visible: bool


def same_document(actor, access_request: AccessRequest) -> list[SameDocument]:
    """The other requests of this document, oldest first, for the duplicate warning.

    Requests of UGELs the actor does not administer are named (code, UGEL, state), not opened.
    """
    others = (
        AccessRequest.objects.filter(
            document_type=access_request.document_type,
            document_number=access_request.document_number,
        )
        .exclude(pk=access_request.pk)
        .select_related("unit")
        .order_by("created_at", "id")
    )
    mine = set(requests_for(actor).filter(pk__in=others).values_list("pk", flat=True))
    return [SameDocument(other, other.pk in mine) for other in others]


def public_lookup(code: str, document_type: str, document_number: str) -> AccessRequest | None:
    """The applicant's view: both the code and the document must match."""
    return (
        AccessRequest.objects.select_related("unit")
        .filter(
            code=code.strip().upper(),
            document_type=document_type,
            document_number=document_number,
        )
        .first()
    )


@dataclass
class ExistingRecords:
    """What the platform already holds for a request's document, as the actor may see it.

    `visible` is False when the record is kept by a unit the actor does not administer:
    then only `kept_by` (the unit's name, to route the request) is shown, never the data.
    """

    exists: bool = False
    visible: bool = False
    servant: Servant | None = None
    account: object | None = None
    kept_by: Unit | None = None


def existing_records(actor, access_request: AccessRequest) -> ExistingRecords:
    """The servant and account of the request's document, for the side-by-side view."""
    servant = (
        Servant.objects.select_related("unit")
        .filter(
            document_type=access_request.document_type,
            document_number=access_request.document_number,
        )
        .first()
    )
    account = (
        get_user_model()
        .objects.select_related("servant__unit")
        .filter(username=access_request.document_number)
        .first()
    )
    if servant is None and account is None:
        return ExistingRecords()
    servant = servant or account.servant
    kept_by = servant.unit if servant else None
    visible = actor.is_superuser or (
        kept_by is not None and covered_units(actor, ADMIN_ROLE).filter(pk=kept_by.pk).exists()
    )
    if kept_by is None and account is not None:  # staff without a servant record
        visible = may_act_on(actor, account, ADMIN_ROLE)
    if not visible:
        return ExistingRecords(exists=True, kept_by=kept_by)
    return ExistingRecords(
        exists=True, visible=True, servant=servant, account=account, kept_by=kept_by
    )


# --- Audited reads: an administrator opens someone's request -------------------------------


def read_request(actor, code: str, request=None) -> AccessRequest:
    """One request of the actor's UGELs, opened to be read: recorded with the applicant."""
    access_request = request_for(actor, code)
    audit.record(actor, events.REQUEST_VIEWED, access_request, request)
    return access_request


def read_attachment(actor, code: str, request=None) -> AccessRequest:
    """The request whose identity document the actor opens (404 without one): recorded."""
    access_request = request_for(actor, code)
    if not access_request.attachment:
        raise Http404
    audit.record(actor, events.ATTACHMENT_VIEWED, access_request, request)
    return access_request


# --- Retention (what the purge commands delete; their --dry-run lists it) ---------------


def identity_documents_due(now) -> QuerySet[AccessRequest]:
    """Requests whose identity document is past its retention at `now`: decided more than
    AYNI_ACCESS_RETENTION_DAYS ago, or submitted that long ago and never decided."""
    limit = now - timedelta(days=settings.AYNI_ACCESS_RETENTION_DAYS)
    return (
        AccessRequest.objects.filter(
            Q(decided_at__lt=limit) | Q(decided_at__isnull=True, created_at__lt=limit)
        )
        .filter(attachment_deleted_at__isnull=True)
        .exclude(attachment="")
    )


ANONYMOUS_REFUSALS = (events.RATE_LIMITED, account_events.PASSWORD_MAIL_LIMITED)


def anonymous_records_due(now) -> dict[str, QuerySet]:
    """What anonymous traffic leaves behind and nobody needs past a while: expired CAPTCHA
    challenges ("captcha"), and the audit lines, older than
    AYNI_ANONYMOUS_RECORDS_RETENTION_DAYS, of refused public requests: verifications that
    found nothing or were refused ("verificaciones"), limits of the public forms and of the
    password mails ("limites")."""
    before = now - timedelta(days=settings.AYNI_ANONYMOUS_RECORDS_RETENTION_DAYS)
    return {
        "captcha": expired_challenges(now),
        "verificaciones": refused_verifications(before),
        "limites": AuditEvent.objects.filter(
            action__in=ANONYMOUS_REFUSALS,
            actor__isnull=True,
            created_at__lt=before,
            outcome=AuditEvent.Outcome.DENIED,
        ),  # fmt: skip
    }

from django.db.models import Q

from ayni.core.models import AuditEvent
from ayni.documents import events
from ayni.documents.models import IssuedDocument

PUBLIC_FIELDS = ("kind", "code", "sha256", "issued_at", "state", "summary", "issued_annulled")


def document_by_code(code: str) -> IssuedDocument | None:
    """The public verification reads only the record: no source, no servant."""
    return IssuedDocument.objects.only(*PUBLIC_FIELDS).filter(code=code).first()


def document_by_sha256(digest: str) -> IssuedDocument | None:
    """The record whose stored (signed) PDF has this SHA-256, for an uploaded file."""
    return IssuedDocument.objects.only(*PUBLIC_FIELDS).filter(sha256=digest).first()


def refused_verifications(before):
    """The audit lines of public verifications that found nothing or were refused (over the
    limit), older than `before`: they prove no view of any document, and anybody can make
    them, so the retention purge deletes them. Verifications of an issued document stay
    (proof of each view)."""
    return AuditEvent.objects.filter(action=events.VERIFIED, created_at__lt=before).filter(
        Q(outcome=AuditEvent.Outcome.DENIED) | Q(details__resultado="no_encontrada")
    )

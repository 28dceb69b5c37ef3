import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ayni.core.models import AuditEvent
from ayni.documents import events
from ayni.documents.models import IssuedDocument
from ayni.documents.registry import renderer_for


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DocumentMismatch(Exception):
    """A stored document cannot be rebuilt with its recorded SHA-256."""


@transaction.atomic
def issue_document(kind: str, source, servant, actor=None, *, annulled=False) -> IssuedDocument:
    """Render, sign, store and record one official document; returns its record.

    The only signing path: the kind's renderer makes the unsigned PDF, `signed_pdf` adds the
    one PAdES signature, and the SHA-256 and the stored file are of the signed bytes.

    `annulled` issues a copy of a source that is already annulled: the record is born
    "Anulado" and the renderer prints the watermark.
    """
    renderer = renderer_for(kind)
    document = IssuedDocument(
        kind=kind,
        servant=servant,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        issued_at=timezone.now().replace(microsecond=0),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        summary=renderer.summary(source),
        issued_annulled=annulled,
        state=IssuedDocument.State.ANNULLED if annulled else IssuedDocument.State.VALID,
    )
    pdf = signed_pdf(renderer.render(source, document), document)
    document.sha256 = sha256_hex(pdf)
    document.file.save(renderer.filename(source, document), ContentFile(pdf), save=False)
    document.save()
    return document


def signed_pdf(pdf: bytes, document: IssuedDocument) -> bytes:
    """The rendered PDF signed by the platform's certificate at the document's issue time."""
    from ayni.documents.signing import sign_pdf  # pyhanko: where a document is signed

    return sign_pdf(pdf, document.issued_at)


def render_again(document: IssuedDocument) -> bytes:
    """The same bytes as issued (renderers and B-B signing are deterministic): a lost file
    can be rebuilt. With a time stamp (B-T) the bytes differ and the check below refuses."""
    pdf = renderer_for(document.kind).render(document.source, document)
    return signed_pdf(pdf, document)


def document_bytes(document: IssuedDocument) -> bytes:
    """The issued PDF from storage; a lost file is rendered again, checked and stored back."""
    try:
        with document.file.open("rb") as stored:
            return stored.read()
    except FileNotFoundError:
        pdf = render_again(document)
        if sha256_hex(pdf) != document.sha256:
            raise DocumentMismatch(document.code) from None
        stored_name = document.file.storage.save(document.file.name, ContentFile(pdf))
        if stored_name != document.file.name:
            IssuedDocument.objects.filter(pk=document.pk).update(file=stored_name)
            document.file.name = stored_name
        return pdf


def annul_documents(model, ids) -> int:
    """Mark "Anulado" every document issued from the given rows of `model`."""
    return IssuedDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(model), source_id__in=list(ids)
    ).update(state=IssuedDocument.State.ANNULLED)


def annul_documents_of(source) -> int:
    return annul_documents(type(source), [source.pk])


VERIFICATION_ACTION = events.VERIFIED


def purge_refused_verifications(before) -> int:
    """Delete the audit lines of public verifications that found nothing or were refused
    (over the limit), older than `before`: they prove no view of any document, and anybody
    can make them. Verifications of an issued document stay (proof of each view)."""
    deleted, _ = (
        AuditEvent.objects.filter(action=VERIFICATION_ACTION, created_at__lt=before)
        .filter(Q(outcome=AuditEvent.Outcome.DENIED) | Q(details__resultado="no_encontrada"))
        .purge()
    )
    return deleted

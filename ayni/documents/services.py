import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from ayni.core import audit
from ayni.core.files import files_with_rows
from ayni.documents import events
from ayni.documents.models import IssuedDocument
from ayni.documents.registry import renderer_for


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DocumentMismatch(Exception):
    """A stored document cannot be rebuilt with its recorded SHA-256."""


def issue_document(kind: str, source, servant, actor=None, *, annulled=False) -> IssuedDocument:
    """Render, sign, store and record one official document; returns its record.

    The only signing path: the kind's renderer makes the unsigned PDF, `signed_pdf` adds the
    one PAdES signature, and the SHA-256 and the stored file are of the signed bytes.

    `annulled` issues a copy of a source that is already annulled: the record is born
    "Anulado" and the renderer prints the watermark.

    The file is stored first, then its record: a failed store leaves no record, a failed
    record no file (`ayni.core.files.files_with_rows`).
    """
    renderer = renderer_for(kind)
    with files_with_rows() as files:
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
        files.save(document.file, renderer.filename(source, document), ContentFile(pdf))
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


class StoredCheck:
    """What storage holds for an issued document (`check_stored`)."""

    MATCHING = "coincide"
    MISSING = "falta"
    ALTERED = "alterado"
    SIGNATURE_INVALID = "firma_no_valida"


def check_stored(document: IssuedDocument) -> str:
    """Read the stored PDF again: is it there, with its recorded SHA-256 and a signature that
    validates? Never renders it again (`document_bytes` would). Anything but a match is
    written to the audit log."""
    from ayni.documents.signing import check_signature  # pyhanko: only where it validates

    try:
        with document.file.storage.open(document.file.name, "rb") as stored:
            pdf = stored.read()
    except FileNotFoundError:
        result = StoredCheck.MISSING
    else:
        if sha256_hex(pdf) != document.sha256:
            result = StoredCheck.ALTERED
        elif not check_signature(pdf).valid:
            result = StoredCheck.SIGNATURE_INVALID
        else:
            return StoredCheck.MATCHING
    audit.record(None, events.STORED_FILE_FAILED, document, resultado=result,
                 archivo=document.file.name, actor_label="verify_documents")  # fmt: skip
    return result


def annul_documents(model, ids) -> int:
    """Mark "Anulado" every document issued from the given rows of `model`."""
    return IssuedDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(model), source_id__in=list(ids)
    ).update(state=IssuedDocument.State.ANNULLED)


def annul_documents_of(source) -> int:
    return annul_documents(type(source), [source.pk])

from ayni.documents.models import IssuedDocument

PUBLIC_FIELDS = ("kind", "code", "sha256", "issued_at", "state", "summary", "issued_annulled")


def document_by_code(code: str) -> IssuedDocument | None:
    """The public verification reads only the record: no source, no servant."""
    return IssuedDocument.objects.only(*PUBLIC_FIELDS).filter(code=code).first()


def document_by_sha256(digest: str) -> IssuedDocument | None:
    """The record whose stored (signed) PDF has this SHA-256, for an uploaded file."""
    return IssuedDocument.objects.only(*PUBLIC_FIELDS).filter(sha256=digest).first()

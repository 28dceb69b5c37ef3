from ayni.documents.models import IssuedDocument


def document_by_code(code: str) -> IssuedDocument | None:
    """The public verification reads only the record: no source, no servant."""
    return (
        IssuedDocument.objects.only(
            "kind", "code", "sha256", "issued_at", "state", "summary", "issued_annulled"
        )
        .filter(code=code)
        .first()
    )

"""Issuing a boleta's official PDF (ayni.documents), once per boleta."""

from ayni.boletas.models import DOCUMENT_KIND, Boleta
from ayni.boletas.selectors import current_document
from ayni.core.files import files_with_rows
from ayni.documents.models import IssuedDocument
from ayni.documents.services import issue_document


def boleta_document(boleta: Boleta, actor) -> tuple[IssuedDocument, bool]:
    """The boleta's PDF record, issued now if it does not exist yet; (record, issued now).

    An annulled boleta gets its own copy with the ANULADO watermark.
    """
    with files_with_rows():
        locked = Boleta.objects.select_for_update().select_related("servant").get(pk=boleta.pk)
        document = current_document(locked)
        if document is not None:
            return document, False
        document = issue_document(
            DOCUMENT_KIND, locked, locked.servant, actor, annulled=locked.is_annulled
        )
        return document, True

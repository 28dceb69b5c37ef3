import io

import pytest
from reportlab.lib.pagesizes import A4

from ayni.documents import registry
from ayni.documents.pdfkit import deterministic_canvas, draw_verification_block
from ayni.documents.summary import mask_document, mask_name, public_summary


class ServantCard:
    """A minimal document kind for these tests: one page about a servant."""

    def render(self, servant, document):
        buffer = io.BytesIO()
        canvas = deterministic_canvas(buffer, "Ficha", A4)
        canvas.drawString(72, 760, f"FICHA DE {servant.full_name}")
        if document.issued_annulled:
            canvas.drawString(72, 740, "ANULADO")
        draw_verification_block(canvas, document, 72, 72)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def summary(self, servant):
        return public_summary(
            "Ficha de prueba",
            [
                ("Nombre", mask_name(servant.nombres, servant.apellidos)),
                ("Documento", mask_document(servant.document_number)),
            ],
        )

    def filename(self, servant, document):
        return f"ficha-{servant.document_number}.pdf"


@pytest.fixture(autouse=True)
def servant_card_kind():
    registry.register("ficha_prueba", f"{__name__}.ServantCard")
    yield "ficha_prueba"

"""The constancia de entrega electrónica: an A4 landscape PDF drawn from a frozen
`DeliveryReceipt`, signed like every official document (`ayni.documents.services`)."""

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from ayni.core.formats import datetime_dmy
from ayni.delivery.selectors import RECEIPT_FIELDS
from ayni.documents.layout import (
    BODY,
    EMPTY,
    VerificationBlock,
    banner,
    build_pdf,
    content_width,
    heading,
    pairs_table,
    table,
)
from ayni.documents.summary import public_summary

TITLE = "Constancia de entrega electrónica de boletas de pago"
PAGE = landscape(A4)
# The PDF leaves out the boletas' own verification codes: each verifies on its own.
ROW_FIELDS = [(header, key) for header, key in RECEIPT_FIELDS if key != "codigo"]
ROW_HEADERS = [header for header, _ in ROW_FIELDS]
ACCESS_HEADERS = ["Fecha", "Periodo", "Planilla", "Acción", "IP", "Navegador"]
ACCESS_KEYS = ["fecha", "periodo", "planilla", "accion", "ip", "navegador"]
INTRO = (
    "El Ministerio de Educación hace constar que las boletas de pago listadas se pusieron a "
    "disposición de cada servidor en la {platform}, firmadas digitalmente, en la fecha y hora "
    "indicadas como «Publicada», y registra cada vez que el servidor abrió («Vista») o guardó "
    "(«Descarga») su boleta (Decreto Legislativo N° 1310, artículo 3)."
)


def render_receipt(receipt, document) -> bytes:
    cutoff = datetime_dmy(receipt.cutoff)
    on_page = banner(TITLE, receipt.get_scope_display(), f"Información al {cutoff}",
                     f"{TITLE} · código de verificación {document.code}")  # fmt: skip
    width = content_width(PAGE)
    data = receipt.data
    rows = [[str(row[key]) for _, key in ROW_FIELDS] for row in data["filas"]]
    story = [
        Paragraph(INTRO.format(platform=settings.AYNI_PLATFORM_NAME), BODY),
        Spacer(0, 3 * mm),
        pairs_table([*data["alcance"], ("Boletas", str(len(rows)))], width),
        *heading("Boletas"),
        table(ROW_HEADERS, rows, width) if rows else Paragraph("Sin boletas.", EMPTY),
    ]
    if receipt.scope == receipt.Scope.SERVANT:
        accesses = [[str(a[key]) for key in ACCESS_KEYS] for a in data["accesos"]]
        story += [
            *heading("Accesos del servidor a sus boletas"),
            table(ACCESS_HEADERS, accesses, width)
            if accesses
            else Paragraph("El servidor aún no abrió ni descargó estas boletas.", EMPTY),
        ]
    story += [Spacer(0, 6 * mm), VerificationBlock(document)]
    return build_pdf(TITLE, PAGE, on_page, story)


class ReceiptRenderer:
    """The `ayni.documents.registry` renderer of the constancia de entrega."""

    def render(self, receipt, document) -> bytes:
        return render_receipt(receipt, document)

    def summary(self, receipt) -> dict:
        """Nothing personal: anybody holding the code sees what the constancia covers."""
        fields = [("Alcance", receipt.get_scope_display()), ("Periodos", receipt.data["periodos"])]
        fields += [
            ("Boletas", str(len(receipt.data["filas"]))),
            ("Información al", datetime_dmy(receipt.cutoff)),
        ]
        return public_summary(TITLE, fields)

    def filename(self, receipt, document) -> str:
        issued_on = timezone.localdate(document.issued_at)
        return f"constancia-entrega-{document.code[:8]}-{issued_on:%Y%m%d}.pdf"

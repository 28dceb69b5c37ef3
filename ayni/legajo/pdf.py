"""The hoja de vida and the informe escalafonario: A4 PDFs drawn from a frozen `LegajoReport`.

Same family as the boleta: the deterministic canvas and the QR verification block of
`ayni.documents.pdfkit`; platypus only lays out the tables across pages.
"""

import io

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

from ayni.documents.layout import (
    BODY,
    EMPTY,
    MARGIN,
    VerificationBlock,
    banner,
    escape,
    heading,
    pairs_table,
    table,
)
from ayni.documents.pdfkit import deterministic_canvas
from ayni.documents.summary import mask_document, mask_name, public_summary
from ayni.legajo.models import LegajoReport


def _page_decorations(data, document):
    servant = data["servant"]
    return banner(
        data["title"], data["unit"]["name"], f"Información al {data['as_of_text']}",
        f"{data['title'].capitalize()} de {servant['apellidos']} {servant['nombres']} "
        f"· código de verificación {document.code}",
    )  # fmt: skip


def render_report(data: dict, document) -> bytes:
    buffer = io.BytesIO()
    title = f"{data['title'].capitalize()} — {data['servant']['document_number']}"
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=30 * mm, bottomMargin=15 * mm, title=title,
        author=settings.AYNI_PLATFORM_NAME, creator="AYNI", producer="AYNI", invariant=1,
    )  # fmt: skip
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates(
        PageTemplate(id="page", frames=[frame], onPage=_page_decorations(data, document))
    )
    servant = data["servant"]
    identity = [
        ["Apellidos y nombres", f"{servant['apellidos']} {servant['nombres']}"],
        ["Documento", f"{servant['document_type']} {servant['document_number']}"],
        ["Unidad", f"{data['unit']['name']} ({data['unit']['code']})"],
        ["Legajo", "Vigente" if data["vigente"] else "No vigente"],
    ]
    if "cese" in data:  # a servant who left service: the legajo is kept, closed
        cese = data["cese"]
        identity[-1][1] = f"No vigente (cerrado por cese el {cese['fecha_text']})"
        identity.append(["Cese", f"{cese['fecha_text']}: {cese['motivo']}".rstrip(": ")])
    story = [
        *heading("I. Datos personales"),
        pairs_table(identity + data["personal"], doc.width),
    ]
    for section in data["sections"]:
        title = heading(section["title"])
        if section["rows"]:
            story += [*title, table(section["headers"], section["rows"], doc.width)]
        else:
            story += [*title, Paragraph("Sin registros.", EMPTY)]
    service = data["service_time"]
    story += [
        *heading("Tiempo de servicios"),
        Paragraph(
            f"<b>{escape(service['text'])}</b> al {data['as_of_text']} (ingreso, trayectoria "
            "laboral y licencias sin goce de remuneraciones registrados en el legajo).",
            BODY,
        ),
        Spacer(0, 6 * mm),
        VerificationBlock(document),
    ]

    def canvasmaker(_filename, pagesize, **_options):
        return deterministic_canvas(buffer, title, pagesize)

    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


class LegajoReportRenderer:
    """The `ayni.documents.registry` renderer of one kind of legajo report."""

    def __init__(self, kind: str):
        self.kind = kind
        self.label = LegajoReport.Kind(kind).label

    def render(self, report, document) -> bytes:
        return render_report(report.data, document)

    def summary(self, report) -> dict:
        """Title and ordered label/value pairs for the public verification page, masked."""
        servant = report.data["servant"]
        return public_summary(
            self.label,
            [
                ("Servidor", mask_name(servant["nombres"], servant["apellidos"])),
                ("Documento de identidad",
                 f"{servant['document_type']} {mask_document(servant['document_number'])}"),
                ("Unidad", report.data["unit"]["name"]),
                ("Información al", report.data["as_of_text"]),
            ],
        )  # fmt: skip

    def filename(self, report, document) -> str:
        number = report.data["servant"]["document_number"]
        issued_on = timezone.localdate(document.issued_at)  # the Lima day, not UTC's
        return f"{self.kind.replace('_', '-')}-{number}-{issued_on:%Y%m%d}.pdf"

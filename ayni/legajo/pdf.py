"""The hoja de vida and the informe escalafonario: A4 PDFs drawn from a frozen `LegajoReport`.

Same family as the boleta: the deterministic canvas and the QR verification block of
`ayni.documents.pdfkit`; platypus only lays out the tables across pages.
"""

import io

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import LongTable

from ayni.documents.pdfkit import deterministic_canvas, draw_verification_block
from ayni.documents.summary import mask_document, mask_name, public_summary
from ayni.legajo.models import LegajoReport

MARGIN = 15 * mm
BRAND = colors.HexColor("#9b1c1c")
LIGHT = colors.HexColor("#f0f1f3")
LINE = colors.HexColor("#c4c9d0")

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=8, leading=10)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7.5, leading=9)
HEAD = ParagraphStyle("head", parent=CELL, fontName="Helvetica-Bold")
SECTION = ParagraphStyle(
    "section", parent=BODY, fontName="Helvetica-Bold", fontSize=10, leading=13,
    textColor=BRAND, spaceBefore=6, spaceAfter=3, keepWithNext=1,
)  # fmt: skip
EMPTY = ParagraphStyle("empty", parent=BODY, textColor=colors.HexColor("#4b5563"))


def _text(value) -> str:
    """Cell text escaped for reportlab's paragraph markup."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class VerificationBlock(Flowable):
    """The QR and the verification code, kept whole on the last page."""

    def __init__(self, document):
        super().__init__()
        self.document = document
        self.height = 32 * mm

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.height

    def draw(self):
        self.canv.setStrokeColor(LINE)
        self.canv.line(0, self.height - 1 * mm, self.width, self.height - 1 * mm)
        draw_verification_block(self.canv, self.document, 0, 0)


def column_widths(headers, rows, width) -> list[float]:
    """Widths that never break a word or a date: every column gets its longest word, then
    the rest of the page is shared in proportion to how much more each column's text needs.
    """
    padding = 13  # the table cells' left and right padding, and a point to spare

    def text_width(text, font):
        return stringWidth(text, font, CELL.fontSize) + padding

    columns = list(zip(headers, *rows, strict=True))
    minimum = [
        max(text_width(word, "Helvetica-Bold" if i == 0 else "Helvetica")
            for i, cell in enumerate(column) for word in (cell.split() or [""]))
        for column in columns
    ]  # fmt: skip
    wanted = [
        max(min(text_width(cell, "Helvetica"), width / 2) for cell in column) for column in columns
    ]
    spare = width - sum(minimum)
    extra = [max(w - m, 0) for w, m in zip(wanted, minimum, strict=True)]
    if spare <= 0 or not sum(extra):
        return [width * m / sum(minimum) for m in minimum]
    return [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]


def _table(headers, rows, width):
    widths = column_widths(headers, rows, width)
    data = [[Paragraph(_text(h), HEAD) for h in headers]]
    data += [[Paragraph(_text(cell), CELL) for cell in row] for row in rows]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("GRID", (0, 0), (-1, -1), 0.4, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _pairs_table(pairs, width):
    """Label/value pairs in two columns of pairs."""
    cells = [
        [Paragraph(_text(label), HEAD), Paragraph(_text(value), CELL)] for label, value in pairs
    ]
    rows = []
    for index in range(0, len(cells), 2):
        right = cells[index + 1] if index + 1 < len(cells) else ["", ""]
        rows.append(cells[index] + right)
    label_width = width * 0.17
    table = Table(rows, colWidths=[label_width, width / 2 - label_width] * 2)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, LINE),
                ("BACKGROUND", (0, 0), (0, -1), LIGHT),
                ("BACKGROUND", (2, 0), (2, -1), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _page_decorations(data, document):
    def draw(canvas, doc):
        width, height = A4
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.rect(0, height - 24 * mm, width, 24 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, height - 8 * mm, settings.AYNI_PLATFORM_NAME.upper())
        canvas.drawRightString(width - MARGIN, height - 8 * mm, data["unit"]["name"])
        canvas.setFont("Helvetica-Bold", 15)
        canvas.drawString(MARGIN, height - 17 * mm, data["title"])
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(
            width - MARGIN, height - 17 * mm, f"Información al {data['as_of_text']}"
        )
        canvas.setFillColor(colors.HexColor("#4b5563"))
        canvas.setFont("Helvetica", 7)
        canvas.drawString(
            MARGIN, 8 * mm,
            f"{data['title'].capitalize()} de {data['servant']['apellidos']} "
            f"{data['servant']['nombres']} · código de verificación {document.code}",
        )  # fmt: skip
        canvas.drawRightString(width - MARGIN, 8 * mm, f"Página {doc.page}")
        canvas.restoreState()

    return draw


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
        Paragraph("I. Datos personales", SECTION),
        _pairs_table(identity + data["personal"], doc.width),
    ]
    for section in data["sections"]:
        heading = Paragraph(_text(section["title"]), SECTION)
        if section["rows"]:
            story += [heading, _table(section["headers"], section["rows"], doc.width)]
        else:
            story.append(KeepTogether([heading, Paragraph("Sin registros.", EMPTY)]))
    service = data["service_time"]
    story += [
        Paragraph("Tiempo de servicios", SECTION),
        Paragraph(
            f"<b>{_text(service['text'])}</b> al {data['as_of_text']} (ingreso, trayectoria "
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

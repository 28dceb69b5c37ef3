"""Platypus pieces shared by the official PDFs laid out as tables (hoja de vida, informe
escalafonario, constancias): styles, tables whose columns never break a word, the brand
banner of every page and the verification block kept whole on the last page."""

import io

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import LongTable

from ayni.documents.pdfkit import deterministic_canvas, draw_verification_block

MARGIN = 15 * mm
BRAND = colors.HexColor("#9b1c1c")
LIGHT = colors.HexColor("#f0f1f3")
LINE = colors.HexColor("#c4c9d0")

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=8, leading=10)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7.5, leading=9)
HEAD = ParagraphStyle("head", parent=CELL, fontName="Helvetica-Bold")
SECTION = ParagraphStyle(
    "section", parent=BODY, fontName="Helvetica-Bold", fontSize=10, leading=13,
    textColor=BRAND, spaceBefore=6, spaceAfter=3,
)  # fmt: skip
# Room a heading needs below it on the page to start its section there: a heading and the
# first rows of its table. (keepWithNext would push a table longer than a page whole onto
# the next one, leaving this one blank.)
SECTION_ROOM = 25 * mm
EMPTY = ParagraphStyle("empty", parent=BODY, textColor=colors.HexColor("#4b5563"))


def heading(text: str) -> list:
    """A section's title, on a new page if too little of this one is left for its start."""
    return [CondPageBreak(SECTION_ROOM), Paragraph(escape(text), SECTION)]


def escape(value) -> str:
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


CELL_PADDING = 12  # left and right, reportlab's default 6 points each


def _cell(text: str, width: float) -> str:
    """The cell's text broken into the lines its column holds (every word fits: see
    `column_widths`). Plain lines, not a Paragraph: a Paragraph's line breaking and markup
    are most of a table's cost, and a constancia of a planilla has thousands of rows."""
    return "\n".join(
        simpleSplit(str(text), CELL.fontName, CELL.fontSize, width - CELL_PADDING) or [""]
    )


def table(headers, rows, width):
    """A table over as many pages as it needs, its header row repeated on each."""
    widths = column_widths(headers, rows, width)
    data = [[Paragraph(escape(h), HEAD) for h in headers]]
    data += [[_cell(cell, w) for cell, w in zip(row, widths, strict=True)] for row in rows]
    long_table = LongTable(data, colWidths=widths, repeatRows=1)
    long_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), CELL.fontName, CELL.fontSize, CELL.leading),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("GRID", (0, 0), (-1, -1), 0.4, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return long_table


def pairs_table(pairs, width):
    """Label/value pairs in two columns of pairs."""
    cells = [
        [Paragraph(escape(label), HEAD), Paragraph(escape(value), CELL)] for label, value in pairs
    ]
    rows = []
    for index in range(0, len(cells), 2):
        right = cells[index + 1] if index + 1 < len(cells) else ["", ""]
        rows.append(cells[index] + right)
    label_width = width * 0.17
    pairs = Table(rows, colWidths=[label_width, width / 2 - label_width] * 2)
    pairs.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, LINE),
                ("BACKGROUND", (0, 0), (0, -1), LIGHT),
                ("BACKGROUND", (2, 0), (2, -1), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return pairs


def banner(title: str, top_right: str, subtitle_right: str, footer: str):
    """The `onPage` of every page: brand band with the title, and a footer with the page."""

    def draw(canvas, doc):
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.rect(0, height - 24 * mm, width, 24 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, height - 8 * mm, settings.AYNI_PLATFORM_NAME.upper())
        canvas.drawRightString(width - MARGIN, height - 8 * mm, top_right)
        canvas.setFont("Helvetica-Bold", 15)
        canvas.drawString(MARGIN, height - 17 * mm, title)
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(width - MARGIN, height - 17 * mm, subtitle_right)
        canvas.setFillColor(colors.HexColor("#4b5563"))
        canvas.setFont("Helvetica", 7)
        canvas.drawString(MARGIN, 8 * mm, footer)
        canvas.drawRightString(width - MARGIN, 8 * mm, f"Página {doc.page}")
        canvas.restoreState()

    return draw


def build_pdf(title: str, pagesize, on_page, story: list) -> bytes:
    """The PDF of `story` on pages of `pagesize` decorated by `on_page` (a `banner`), below
    the banner and above the footer; deterministic (same story, same bytes)."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=30 * mm, bottomMargin=15 * mm, title=title,
        author=settings.AYNI_PLATFORM_NAME, creator="AYNI", producer="AYNI", invariant=1,
    )  # fmt: skip
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates(PageTemplate(id="page", frames=[frame], onPage=on_page))

    def canvasmaker(_filename, pagesize, **_options):
        return deterministic_canvas(buffer, title, pagesize)

    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def content_width(pagesize) -> float:
    """The width `build_pdf` leaves between the margins, for tables."""
    return pagesize[0] - 2 * MARGIN

"""The boleta de pago as an A4 PDF, drawn with reportlab on the shared deterministic canvas.

One page for a normal boleta; long ones continue on more pages, with the totals and the
verification block (QR, code, issue date) on the last.
"""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ayni.boletas.models import Boleta, ConceptKind, Concepto
from ayni.core.formats import date_dmy, money, period_label
from ayni.documents.pdfkit import deterministic_canvas, draw_verification_block
from ayni.documents.summary import mask_document, mask_name, public_summary

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
ROW_HEIGHT = 5.2 * mm
FONT, BOLD = "Helvetica", "Helvetica-Bold"
KIND_ORDER = {ConceptKind.EARNING: 0, ConceptKind.DEDUCTION: 1, ConceptKind.CONTRIBUTION: 2}
# Table columns: (title, left edge, width); amounts are right-aligned in theirs.
COLUMNS = [
    ("Código", 0, 24 * mm),
    ("Concepto", 24 * mm, 72 * mm),
    ("Ingresos", 96 * mm, 24 * mm),
    ("Descuentos", 120 * mm, 24 * mm),
    ("Aportes del empleador", 144 * mm, CONTENT_WIDTH - 144 * mm),
]
FIRST_TABLE_TOP = PAGE_HEIGHT - MARGIN - 78 * mm
NEXT_TABLE_TOP = PAGE_HEIGHT - MARGIN - 22 * mm
FOOTER = MARGIN + 6 * mm
CLOSING_HEIGHT = 58 * mm  # column totals, the three totals and the verification block


def ordered_conceptos(boleta: Boleta) -> list[Concepto]:
    return sorted(boleta.concept_lines, key=lambda c: (KIND_ORDER[c.kind], c.position))


def split_pages(rows: list, first_top=FIRST_TABLE_TOP, next_top=NEXT_TABLE_TOP) -> list[list]:
    """Rows per page; the last page also leaves room for the totals and the QR."""
    pages, remaining = [], rows
    while True:
        top = next_top if pages else first_top
        full = int((top - FOOTER) // ROW_HEIGHT) - 1  # minus the header row
        closing = int((top - FOOTER - CLOSING_HEIGHT) // ROW_HEIGHT) - 1
        if len(remaining) <= closing:
            pages.append(remaining)
            return pages
        pages.append(remaining[:full])
        remaining = remaining[full:]


def fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis where it would be wider than `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class BoletaRenderer:
    def filename(self, boleta: Boleta, document=None) -> str:
        return f"boleta-{boleta.period:%Y-%m}-{boleta.servant.document_number}.pdf"

    def summary(self, boleta: Boleta) -> dict:
        servant = boleta.servant
        return public_summary(
            "Boleta de pago",
            [
                ("Periodo", period_label(boleta.period)),
                ("Entidad", f"{boleta.entity_name} (RUC {boleta.entity_ruc})"),
                ("Tipo de planilla", boleta.payroll_type),
                ("Servidor", mask_name(boleta.nombres, boleta.apellidos)),
                ("Documento", f"{servant.document_type} {mask_document(servant.document_number)}"),
                ("Monto a pagar", money(boleta.net)),
            ],
        )

    def render(self, boleta: Boleta, document) -> bytes:
        buffer = io.BytesIO()
        title = f"Boleta de pago {period_label(boleta.period)} — {boleta.full_name}"
        canvas = deterministic_canvas(buffer, title, A4)
        rows = ordered_conceptos(boleta)
        pages = split_pages(rows)
        for number, page_rows in enumerate(pages, 1):
            if document.issued_annulled:
                draw_watermark(canvas, "ANULADO")
            if number == 1:
                table_top = draw_header(canvas, boleta)
            else:
                table_top = draw_continuation_header(canvas, boleta)
            bottom = draw_table(canvas, page_rows, table_top)
            if number == len(pages):
                draw_totals(canvas, boleta, bottom)
                draw_verification_block(canvas, document, MARGIN, FOOTER)
            canvas.setFont(FONT, 7)
            canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, f"Página {number} de {len(pages)}")
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def draw_watermark(canvas: Canvas, text: str) -> None:
    canvas.saveState()
    canvas.setFillColorRGB(0.85, 0.2, 0.2)
    canvas.setFillAlpha(0.18)
    canvas.setFont(BOLD, 110)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(40)
    canvas.drawCentredString(0, -35, text)
    canvas.restoreState()


def draw_header(canvas: Canvas, boleta: Boleta) -> float:
    """Title, entity and the servant's data; returns where the table starts."""
    top = PAGE_HEIGHT - MARGIN
    canvas.setFont(BOLD, 15)
    canvas.drawCentredString(PAGE_WIDTH / 2, top - 6 * mm, "BOLETA DE PAGO")
    canvas.setFont(BOLD, 10)
    canvas.drawCentredString(
        PAGE_WIDTH / 2, top - 12 * mm, f"Periodo: {period_label(boleta.period)}"
    )
    canvas.setFont(FONT, 9)
    entity = fit(boleta.entity_name, FONT, 9, CONTENT_WIDTH - 40 * mm)
    canvas.drawString(MARGIN, top - 19 * mm, f"Entidad: {entity}")
    canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 19 * mm, f"RUC: {boleta.entity_ruc}")
    servant = boleta.servant
    pension = boleta.pension_system or "—"
    if boleta.cuspp:
        pension += f" · CUSPP {boleta.cuspp}"
    days = "—" if boleta.days_worked is None else str(boleta.days_worked)
    pairs = [
        ("Apellidos y nombres", boleta.full_name),
        ("Documento", f"{servant.document_type} {servant.document_number}"),
        ("Código modular", boleta.codigo_modular or "—"),
        ("Tipo de servidor", boleta.servant_type),
        ("Cargo", boleta.position),
        ("Establecimiento", boleta.workplace or "—"),
        ("Régimen laboral", boleta.payroll_type),
        ("Régimen pensionario", pension),
        ("Fecha de ingreso", date_dmy(boleta.hire_date)),
        ("Días laborados", days),
    ]
    box_top = top - 23 * mm
    row = 9 * mm
    half = CONTENT_WIDTH / 2
    canvas.setLineWidth(0.5)
    canvas.rect(MARGIN, box_top - 5 * row, CONTENT_WIDTH, 5 * row)
    for index, (label, value) in enumerate(pairs):
        x = MARGIN + (index % 2) * half + 2 * mm
        y = box_top - (index // 2) * row
        canvas.setFont(FONT, 7)
        canvas.drawString(x, y - 3.5 * mm, label.upper())
        canvas.setFont(BOLD, 9)
        canvas.drawString(x, y - 7.5 * mm, fit(value, BOLD, 9, half - 4 * mm))
    return box_top - 5 * row - 5 * mm


def draw_continuation_header(canvas: Canvas, boleta: Boleta) -> float:
    top = PAGE_HEIGHT - MARGIN
    canvas.setFont(BOLD, 11)
    canvas.drawString(MARGIN, top - 5 * mm, "BOLETA DE PAGO (continuación)")
    canvas.setFont(FONT, 9)
    canvas.drawString(
        MARGIN, top - 11 * mm,
        f"{period_label(boleta.period)} · {boleta.payroll_type} · {boleta.full_name}",
    )  # fmt: skip
    return NEXT_TABLE_TOP


def draw_table(canvas: Canvas, rows: list[Concepto], top: float) -> float:
    """The table header and rows; returns the y under the last row."""
    canvas.setFillColorRGB(0.92, 0.92, 0.92)
    canvas.rect(MARGIN, top - ROW_HEIGHT, CONTENT_WIDTH, ROW_HEIGHT, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(BOLD, 8)
    baseline = top - ROW_HEIGHT + 1.6 * mm
    for index, (title, left, width) in enumerate(COLUMNS):
        if index < 2:
            canvas.drawString(MARGIN + left + 1.5 * mm, baseline, title)
        else:
            canvas.drawRightString(MARGIN + left + width - 1.5 * mm, baseline, title)
    canvas.setFont(FONT, 8.5)
    y = top - ROW_HEIGHT
    amount_column = {kind: 2 + order for kind, order in KIND_ORDER.items()}
    for concepto in rows:
        y -= ROW_HEIGHT
        baseline = y + 1.6 * mm
        canvas.drawString(MARGIN + 1.5 * mm, baseline, fit(concepto.code, FONT, 8.5, 21 * mm))
        canvas.drawString(
            MARGIN + COLUMNS[1][1] + 1.5 * mm, baseline,
            fit(concepto.description, FONT, 8.5, COLUMNS[1][2] - 3 * mm),
        )  # fmt: skip
        _, left, width = COLUMNS[amount_column[concepto.kind]]
        canvas.drawRightString(MARGIN + left + width - 1.5 * mm, baseline, amount(concepto.amount))
        canvas.setStrokeColorRGB(0.8, 0.8, 0.8)
        canvas.line(MARGIN, y, MARGIN + CONTENT_WIDTH, y)
    canvas.setStrokeColorRGB(0, 0, 0)
    return y


def draw_totals(canvas: Canvas, boleta: Boleta, top: float) -> None:
    y = top - ROW_HEIGHT
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(MARGIN + COLUMNS[1][1] + 1.5 * mm, y + 1.6 * mm, "Totales")
    for (_, left, width), value in zip(
        COLUMNS[2:], (boleta.gross, boleta.deductions, boleta.employer_contributions), strict=True
    ):
        canvas.drawRightString(MARGIN + left + width - 1.5 * mm, y + 1.6 * mm, amount(value))
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top, MARGIN + CONTENT_WIDTH, top)
    box_width = 80 * mm
    box_left = PAGE_WIDTH - MARGIN - box_width
    box_top = y - 3 * mm
    canvas.rect(box_left, box_top - 19 * mm, box_width, 19 * mm)
    totals = [
        ("MONTO BRUTO", boleta.gross, FONT),
        ("TOTAL DESCUENTOS", boleta.deductions, FONT),
        ("MONTO A PAGAR", boleta.net, BOLD),
    ]
    for index, (label, value, font) in enumerate(totals):
        line_y = box_top - (index + 1) * 5.6 * mm
        canvas.setFont(font, 9.5)
        canvas.drawString(box_left + 3 * mm, line_y, label)
        canvas.drawRightString(box_left + box_width - 3 * mm, line_y, money(value))


def amount(value) -> str:
    return f"{value:,.2f}"

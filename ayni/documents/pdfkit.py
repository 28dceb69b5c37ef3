"""Pieces shared by every official PDF: a deterministic canvas and the verification footer.

Every renderer (boleta, hoja de vida, informe escalafonario) draws with reportlab on
`deterministic_canvas` so that the same record always gives the same bytes, and ends the
page with `draw_verification_block` (QR + code + issue date + signature block).
"""

import io

import segno
from django.conf import settings
from django.urls import reverse
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ayni.core.formats import datetime_dmy


def verification_url(code: str) -> str:
    return settings.AYNI_PUBLIC_BASE_URL.rstrip("/") + reverse("documents:verify", args=[code])


def deterministic_canvas(buffer: io.BytesIO, title: str, pagesize) -> Canvas:
    """A reportlab canvas whose output has no creation date or random id in it."""
    canvas = Canvas(buffer, pagesize=pagesize, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(settings.AYNI_PLATFORM_NAME)
    canvas.setCreator("AYNI")
    canvas.setProducer("AYNI")
    return canvas


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw `data` as a QR code (error correction M) with its bottom-left corner at (x, y)."""
    qr = segno.make_qr(data, error="m")
    modules = list(qr.matrix_iter(border=2))
    cell = size / len(modules)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_index, row in enumerate(modules):
        top = y + size - (row_index + 1) * cell
        # One rectangle per run of dark modules: the same picture in fewer PDF operators.
        for start, run in _dark_runs(row):
            path.rect(x + start * cell, top, run * cell, cell)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _dark_runs(row) -> list[tuple[int, int]]:
    """(first column, length) of each run of dark modules in a row of the QR matrix."""
    runs, start = [], None
    for column, dark in enumerate([*row, False]):
        if dark and start is None:
            start = column
        elif not dark and start is not None:
            runs.append((start, column - start))
            start = None
    return runs


def draw_verification_block(canvas: Canvas, document, left: float, bottom: float) -> None:
    """QR with the public verification URL, and the code and issue time in text beside it."""
    size = 28 * mm
    url = verification_url(document.code)
    draw_qr(canvas, url, left, bottom, size)
    text = canvas.beginText(left + size + 4 * mm, bottom + size - 6 * mm)
    text.setFont("Helvetica-Bold", 8)
    text.textLine("Verifique la autenticidad de este documento en:")
    text.setFont("Helvetica", 8)
    text.textLine(url)
    text.setFont("Helvetica-Bold", 8)
    text.textLine(f"Código de verificación: {document.code}")
    text.setFont("Helvetica", 8)
    text.textLine(f"Fecha de emisión: {datetime_dmy(document.issued_at)}")
    draw_signature_lines(text, document)
    canvas.drawText(text)


def draw_signature_lines(text, document) -> None:
    """The visible side of the PAdES signature that `ayni.documents.signing` adds at issue
    (one invisible field; the page shows who signed, when, and whether it is a demo)."""
    from ayni.documents import signing  # pyhanko: only where a document is made

    who = signing.identity()
    text.moveCursor(0, 2)
    text.setFont("Helvetica-Bold", 8)
    text.textLine("Firmado digitalmente")
    text.setFont("Helvetica", 8)
    text.textLine(f"Firmante: {who.name}")
    text.textLine(f"Fecha de firma: {datetime_dmy(document.issued_at)}")
    if who.demo:
        text.setFont("Helvetica-Bold", 8)
        text.setFillColorRGB(0.75, 0.1, 0.1)
        text.textLine(signing.DEMO_NOTICE)
        text.setFillColorRGB(0, 0, 0)

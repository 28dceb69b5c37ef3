"""Boleta PDF speed: our renderer against bare reportlab drawing the same page, same run.

    .venv/bin/python bench/boleta_pdf.py [--pages 300]

It builds a scratch SQLite database (in a temporary folder), imports the documented
sample planilla, issues Rosa's boleta once (for its code and issue date) and then times:

- ours: `BoletaRenderer.render(boleta, document)` (its conceptos already loaded), i.e. the
  layout code, formatting, text fitting, the QR via segno and reportlab's PDF writing;
- bare: one flat function with the same reportlab calls and literal strings, no Django,
  no helpers: the least any renderer of this page could do with reportlab and segno.

Prints ms per page for both and the ratio ours/bare.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(folder: str):
    """A scratch SQLite database and VAR_DIR in `folder` (the demo CA is made there), the
    documented sample planilla imported; Rosa's June 2022 boleta and its issued PDF."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["AYNI_VAR_DIR"] = folder
    os.environ.pop("AYNI_SIGNING_PKCS12", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ayni.boletas.imports import PlanillaSource, import_planilla
    from ayni.boletas.issuing import boleta_document
    from ayni.boletas.models import Boleta, PlanillaImport

    import_planilla(
        PlanillaSource.from_path(ROOT / "docs" / "planilla-ejemplo.csv"),
        origin=PlanillaImport.Origin.COMMAND,
    )
    boleta = Boleta.objects.select_related("servant").get(servant__document_number="40000001")
    boleta.concept_lines  # noqa: B018 (read before timing: only rendering is measured)
    document, _ = boleta_document(boleta, None)
    return boleta, document


def bare_page(code: str, url: str, issued: str) -> bytes:
    """Rosa's June 2022 boleta drawn with reportlab and segno only (same layout)."""
    import segno
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle("Boleta de pago JUNIO 2022 — QUISPE MAMANI ROSA ELENA")
    c.setAuthor("Plataforma de Servicios para el Servidor Público")
    c.setCreator("AYNI")
    c.setProducer("AYNI")
    width, height = A4
    left, top, content = 15 * mm, height - 15 * mm, width - 30 * mm
    c.setFont("Helvetica-Bold", 15)
    c.drawCentredString(width / 2, top - 6 * mm, "BOLETA DE PAGO")
    c.setFont("Helvetica-Bold", 10)
    c.drawCentredString(width / 2, top - 12 * mm, "Periodo: JUNIO 2022")
    c.setFont("Helvetica", 9)
    c.drawString(left, top - 19 * mm, "Entidad: UGEL 07 SAN BORJA")
    c.drawRightString(width - left, top - 19 * mm, "RUC: 20990000078")
    pairs = [
        ("APELLIDOS Y NOMBRES", "QUISPE MAMANI ROSA ELENA"), ("DOCUMENTO", "DNI 40000001"),
        ("CÓDIGO MODULAR", "1040000001"), ("TIPO DE SERVIDOR", "Docente Nombrado"),
        ("CARGO", "PROFESOR"), ("ESTABLECIMIENTO", "IE 7041 SAN BORJA"),
        ("RÉGIMEN LABORAL", "Ley N° 29944"), ("RÉGIMEN PENSIONARIO", "SNP"),
        ("FECHA DE INGRESO", "01/03/2009"), ("DÍAS LABORADOS", "30"),
    ]  # fmt: skip
    box_top, row = top - 23 * mm, 9 * mm
    c.setLineWidth(0.5)
    c.rect(left, box_top - 5 * row, content, 5 * row)
    for index, (label, value) in enumerate(pairs):
        x = left + (index % 2) * content / 2 + 2 * mm
        y = box_top - (index // 2) * row
        c.setFont("Helvetica", 7)
        c.drawString(x, y - 3.5 * mm, label)
        c.setFont("Helvetica-Bold", 9)
        c.drawString(x, y - 7.5 * mm, value)
    table_top, line = box_top - 5 * row - 5 * mm, 5.2 * mm
    c.setFillColorRGB(0.92, 0.92, 0.92)
    c.rect(left, table_top - line, content, line, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica-Bold", 8)
    base = table_top - line + 1.6 * mm
    c.drawString(left + 1.5 * mm, base, "Código")
    c.drawString(left + 25.5 * mm, base, "Concepto")
    c.drawRightString(left + 118.5 * mm, base, "Ingresos")
    c.drawRightString(left + 142.5 * mm, base, "Descuentos")
    c.drawRightString(left + content - 1.5 * mm, base, "Aportes del empleador")
    rows = [
        ("+rim", "REMUNERACION INTEGRA MENSUAL", 118.5, "2,780.00"),
        ("+asigjer", "ASIGNACION POR JORNADA", 118.5, "150.12"),
        ("-snp", "SISTEMA NACIONAL DE PENSIONES", 142.5, "380.42"),
        ("-derrama", "DERRAMA MAGISTERIAL", 142.5, "27.80"),
        ("essalud", "ESSALUD 9%", 178.5, "263.71"),
    ]
    c.setFont("Helvetica", 8.5)
    y = table_top - line
    for code_text, description, right, amount in rows:
        y -= line
        c.drawString(left + 1.5 * mm, y + 1.6 * mm, code_text)
        c.drawString(left + 25.5 * mm, y + 1.6 * mm, description)
        c.drawRightString(left + right * mm, y + 1.6 * mm, amount)
        c.setStrokeColorRGB(0.8, 0.8, 0.8)
        c.line(left, y, left + content, y)
    c.setStrokeColorRGB(0, 0, 0)
    totals_y = y - line
    c.setFont("Helvetica-Bold", 8.5)
    c.drawString(left + 25.5 * mm, totals_y + 1.6 * mm, "Totales")
    for right, amount in ((118.5, "2,930.12"), (142.5, "408.22"), (178.5, "263.71")):
        c.drawRightString(left + right * mm, totals_y + 1.6 * mm, amount)
    c.setLineWidth(0.8)
    c.line(left, y, left + content, y)
    box_left, box_top2 = width - left - 80 * mm, totals_y - 3 * mm
    c.rect(box_left, box_top2 - 19 * mm, 80 * mm, 19 * mm)
    for index, (label, value, font) in enumerate([
        ("MONTO BRUTO", "S/ 2,930.12", "Helvetica"),
        ("TOTAL DESCUENTOS", "S/ 408.22", "Helvetica"),
        ("MONTO A PAGAR", "S/ 2,521.90", "Helvetica-Bold"),
    ]):  # fmt: skip
        line_y = box_top2 - (index + 1) * 5.6 * mm
        c.setFont(font, 9.5)
        c.drawString(box_left + 3 * mm, line_y, label)
        c.drawRightString(box_left + 77 * mm, line_y, value)
    size, qr_x, qr_y = 28 * mm, left, 21 * mm
    modules = list(segno.make_qr(url, error="m").matrix_iter(border=2))
    cell = size / len(modules)
    path = c.beginPath()
    for row_index, module_row in enumerate(modules):
        for col_index, dark in enumerate(module_row):
            if dark:
                path.rect(qr_x + col_index * cell, qr_y + size - (row_index + 1) * cell, cell, cell)
    c.drawPath(path, stroke=0, fill=1)
    text = c.beginText(qr_x + size + 4 * mm, qr_y + size - 6 * mm)
    text.setFont("Helvetica-Bold", 8)
    text.textLine("Verifique la autenticidad de este documento en:")
    text.setFont("Helvetica", 8)
    text.textLine(url)
    text.setFont("Helvetica-Bold", 8)
    text.textLine(f"Código de verificación: {code}")
    text.setFont("Helvetica", 8)
    text.textLine(f"Fecha de emisión: {issued}")
    c.drawText(text)
    c.setFont("Helvetica", 7)
    c.drawRightString(width - left, 15 * mm, "Página 1 de 1")
    c.showPage()
    c.save()
    return buffer.getvalue()


def best_ms(functions: dict, pages: int, rounds: int = 7) -> dict:
    """Best round of `pages` renders, in ms per page; the functions take turns each round
    so that both see the same machine."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.perf_counter()
            for _ in range(pages):
                function()
            best[name] = min(best[name], (time.perf_counter() - start) / pages * 1000)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="renders per round (7 rounds)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ayni-bench-pdf-") as folder:
        boleta, document = setup(folder)
        from ayni.boletas.pdf import BoletaRenderer
        from ayni.core.formats import datetime_dmy
        from ayni.documents.pdfkit import verification_url

        renderer = BoletaRenderer()
        url, issued = verification_url(document.code), datetime_dmy(document.issued_at)
        ours_pdf = renderer.render(boleta, document)
        bare_pdf = bare_page(document.code, url, issued)
        print(f"sizes: ours {len(ours_pdf)} bytes, bare {len(bare_pdf)} bytes")
        timings = best_ms(
            {
                "bare": lambda: bare_page(document.code, url, issued),
                "ours": lambda: renderer.render(boleta, document),
            },
            args.pages,
        )
    bare, ours = timings["bare"], timings["ours"]
    print(f"bare reportlab + segno: {bare:6.2f} ms/page")
    print(f"our renderer:           {ours:6.2f} ms/page")
    print(f"ratio ours / bare: {ours / bare:.2f}")


if __name__ == "__main__":
    main()

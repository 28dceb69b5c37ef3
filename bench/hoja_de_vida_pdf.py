"""Hoja de vida speed: our renderer against bare reportlab laying out the same tables, same run.

    .venv/bin/python bench/hoja_de_vida_pdf.py [--documents 200]

It builds a scratch SQLite database (in a temporary folder), seeds the demo (Rosa's legajo
has items in every section), freezes her hoja de vida data once and then times:

- data: `report_data(legajo, ...)`, the database reads and formatting of every section and
  the tiempo de servicios;
- ours: `render_report(data, document)`: column widths fitted to the words, header and
  footer on every page, the QR via segno, reportlab's PDF writing;
- bare: reportlab platypus with the same strings in plain tables (even columns, no page
  decorations, no QR), each cell a Paragraph: reportlab's usual way to wrap a cell;
- bare, lines: the same, each cell broken into lines with `simpleSplit` instead of a
  Paragraph, as our tables now do: the least any renderer of these tables could do.

Prints CPU ms per document for each and the ratio ours/bare. Both are the rendering
only: `issue_document` also signs the PDF (PAdES), which neither side here does.
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
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["AYNI_VAR_DIR"] = folder
    os.environ["EMAIL_URL"] = "consolemail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", servidores=0, stdout=io.StringIO())


def bare(data, lines=False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.utils import simpleSplit
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    story = [Paragraph(data["title"], styles["Title"]), Table(data["personal"])]
    for section in data["sections"]:
        story.append(Paragraph(section["title"], styles["Heading3"]))
        rows = [section["headers"], *section["rows"]]
        cell = styles["BodyText"]
        if lines:  # even columns, as below; each cell broken to its column's width
            width = (doc.width / len(rows[0])) - 12
            body = [["\n".join(simpleSplit(c, cell.fontName, cell.fontSize, width)) for c in row]
                    for row in rows]  # fmt: skip
        else:
            body = [[Paragraph(c, cell) for c in row] for row in rows]
        story.append(Table(body, repeatRows=1))
    story.append(Paragraph(data["service_time"]["text"], styles["BodyText"]))
    doc.build(story)
    return buffer.getvalue()


def per_document(function, count: int) -> float:
    """CPU milliseconds per call: the machine may be busy with other work, and each of
    these runs on one core."""
    function()  # warm up (fonts, imports)
    start = time.process_time()
    for _ in range(count):
        function()
    return (time.process_time() - start) / count * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(folder)
        from django.utils import timezone

        from ayni.legajo.models import Legajo, LegajoReport
        from ayni.legajo.pdf import render_report
        from ayni.legajo.reports import report_data
        from ayni.legajo.services import issue_report

        legajo = Legajo.objects.select_related("servant", "unit").get(
            servant__document_number="40000001"
        )
        document = issue_report(legajo, LegajoReport.Kind.HOJA_DE_VIDA, None)
        data = LegajoReport.objects.get(pk=document.source_id).data
        today = timezone.localdate()
        pages = render_report(data, document).count(b"/Type /Page\n")
        data_ms = per_document(lambda: report_data(legajo, "hoja_de_vida", today), args.documents)
        ours_ms = per_document(lambda: render_report(data, document), args.documents)
        bare_ms = per_document(lambda: bare(data), args.documents)
        lines_ms = per_document(lambda: bare(data, lines=True), args.documents)
    rows = sum(len(s["rows"]) for s in data["sections"])
    print(f"hoja de vida of 40000001: {len(data['sections'])} sections, {rows} rows, {pages} pages")
    print(f"data (queries + formatting): {data_ms:.1f} ms per document")
    print(f"ours: {ours_ms:.1f} ms per document")
    print(f"bare: {bare_ms:.1f} ms per document")
    print(f"bare, lines: {lines_ms:.1f} ms per document")
    print(f"ratio ours/bare: {ours_ms / bare_ms:.2f}")
    print(f"ratio ours/bare, lines: {ours_ms / lines_ms:.2f}")


if __name__ == "__main__":
    main()

"""The readable summary of «Descargar mis datos»: a plain PDF of the same data as the JSON.

It is not an official document: no code, no QR, no signature; it says so on every page.
"""

import io

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from ayni.core.formats import date_dmy, datetime_dmy, money
from ayni.documents.layout import BODY, EMPTY, MARGIN, SECTION, banner, escape, pairs_table, table

NOT_OFFICIAL = (
    "Resumen informativo de sus datos; no es un documento oficial ni está firmado. "
    "Para trámites use los documentos emitidos con código de verificación."
)


def _rows_or_empty(story, title, headers, rows, width):
    story.append(Paragraph(escape(title), SECTION))
    if rows:
        story.append(table(headers, rows, width))
    else:
        story.append(Paragraph("Sin registros.", EMPTY))


def render_summary(data: dict, generated_at) -> bytes:
    buffer = io.BytesIO()
    servant = data["servidor"]
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=30 * mm,
        bottomMargin=15 * mm, title=f"Mis datos personales — {servant['numero_documento']}",
        author=settings.AYNI_PLATFORM_NAME,
    )  # fmt: skip
    width = doc.width
    account = data["cuenta"]
    unit = servant["unidad"]
    story = [
        Paragraph(escape(NOT_OFFICIAL), BODY),
        Paragraph("Cuenta y datos de servidor", SECTION),
        pairs_table(
            [
                ("Apellidos y nombres",
                 f"{servant['apellido_paterno']} {servant['apellido_materno']} "
                 f"{servant['nombres']}".replace("  ", " ")),
                ("Documento", f"{servant['tipo_documento']} {servant['numero_documento']}"),
                ("Unidad", f"{unit['nombre']} ({unit['codigo']})" if unit else "—"),
                ("Usuario", account["usuario"]),
                ("Correo", account["correo"] or "—"),
                ("Alta de la cuenta", datetime_dmy(account["alta"])),
            ],
            width,
        ),
    ]  # fmt: skip
    legajo = data["legajo"]
    story.append(Paragraph("Legajo personal", SECTION))
    if legajo is None:
        story.append(Paragraph("La plataforma no tiene un legajo suyo.", EMPTY))
    else:
        vigente = "vigente" if legajo["vigente"] else "no vigente"
        counts = ", ".join(
            f"{section['titulo']}: {len(section['registros'])}"
            for section in legajo["secciones"].values()
        )
        story.append(
            Paragraph(
                escape(f"Llevado por {legajo['unidad']['nombre']}, {vigente}. Registros por "
                       f"sección — {counts}. Cambios en su historial: {len(legajo['historial'])}."),
                BODY,
            )
        )  # fmt: skip
    _rows_or_empty(
        story, "Solicitudes", ["Código", "Solicitud de", "Estado", "Enviada", "Documento"],
        [[r["codigo"] or "Borrador", r["solicitud_de"], r["estado"], date_dmy(r["enviada"]),
          r["documento_emitido"] or ""] for r in data["solicitudes"]],
        width,
    )  # fmt: skip
    totals = data["totales_vigentes"]
    _rows_or_empty(
        story, f"Boletas ({totals['cantidad']} vigentes: bruto {money(totals['bruto'])}, "
        f"descuentos {money(totals['descuentos'])}, neto {money(totals['neto'])})",
        ["Periodo", "Planilla", "Entidad", "Estado", "Bruto", "Descuentos", "Neto"],
        [[b["periodo"], b["tipo_planilla"], b["entidad"], b["estado"], money(b["bruto"]),
          money(b["descuentos"]), money(b["neto"])] for b in data["boletas"]],
        width,
    )  # fmt: skip
    _rows_or_empty(
        story, "Documentos emitidos", ["Código", "Tipo", "Emitido", "Estado"],
        [[d["codigo"], d["tipo"], datetime_dmy(d["emitido"]), d["estado"]]
         for d in data["documentos_emitidos"]],
        width,
    )  # fmt: skip
    _rows_or_empty(
        story, "Aceptaciones de la entrega electrónica", ["Aceptado", "Versión del texto"],
        [[datetime_dmy(c["aceptado"]), c["version_texto"]]
         for c in data["aceptaciones_entrega_electronica"]],
        width,
    )  # fmt: skip
    _rows_or_empty(
        story, "Ingresos a la plataforma (los más recientes)", ["Fecha", "Resultado", "IP"],
        [[datetime_dmy(e["fecha"]), e["resultado"], e["ip"] or ""] for e in data["ingresos"]],
        width,
    )  # fmt: skip
    _rows_or_empty(
        story, "Consultas de sus datos por el personal", ["Fecha", "Qué hizo", "Rol", "Unidad"],
        [[datetime_dmy(v["fecha"]), v["que"], v["rol"], v["unidad"] or "—"]
         for v in data["consultas_del_personal"]],
        width,
    )  # fmt: skip
    decorate = banner(
        "Mis datos personales", settings.AYNI_PLATFORM_NAME,
        f"Generado el {datetime_dmy(generated_at)}", NOT_OFFICIAL.split(";")[0] + ".",
    )  # fmt: skip
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()

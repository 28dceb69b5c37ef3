"""The constancias as A4 PDFs drawn from their frozen data (`Constancia.data`), signed like
every official document. One renderer per kind in `ayni.documents.registry`."""

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from ayni.constancias.models import Constancia
from ayni.core.formats import money
from ayni.documents.layout import (
    BODY,
    EMPTY,
    VerificationBlock,
    banner,
    build_pdf,
    content_width,
    escape,
    heading,
    pairs_table,
    table,
)
from ayni.documents.summary import mask_document, mask_name, public_summary

CERTIFIES = "El Ministerio de Educación, mediante la {platform}, hace constar que:"


def _identity(data) -> list[tuple[str, str]]:
    servant = data["servant"]
    return [
        ("Apellidos y nombres", f"{servant['apellidos']} {servant['nombres']}"),
        ("Documento", f"{servant['document_type']} {servant['document_number']}"),
    ]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _span(period: dict) -> str:
    return ", ".join(
        [_plural(period["years"], "año", "años"), _plural(period["months"], "mes", "meses"),
         _plural(period["days"], "día", "días")]
    )  # fmt: skip


def haberes_story(data: dict, width) -> list:
    months = [
        [m["label"], str(m["boletas"]), money(m["gross"]), money(m["deductions"]), money(m["net"])]
        for m in data["months"]
    ]
    totals = data["totals"]
    months.append(
        ["Total", "", money(totals["gross"]), money(totals["deductions"]), money(totals["net"])]
    )
    concepts = [
        [c["code"], c["description"], c["kind_label"], money(c["total"])] for c in data["concepts"]
    ]
    return [
        pairs_table(
            _identity(data)
            + [("Periodo", data["range_text"]), ("Entidad", ", ".join(data["entities"]))],
            width,
        ),
        Spacer(0, 3 * mm),
        Paragraph(
            "Percibió los haberes y tuvo los descuentos que siguen, según sus boletas de pago "
            "vigentes de los meses indicados (un mes con varias planillas suma sus boletas).",
            BODY,
        ),
        *heading("Haberes por mes"),
        table(["Mes", "Boletas", "Bruto", "Descuentos", "Neto"], months, width),
        *heading("Totales por concepto en el periodo"),
        table(["Código", "Concepto", "Tipo", "Total"], concepts, width),
    ]


def trabajo_story(data: dict, width) -> list:
    pairs = _identity(data) + [
        ("Cargo", data["cargo"]),
        ("Condición", data["condicion"]),
        ("Régimen laboral", data["regimen"]),
        ("Institución o dependencia", data["institucion"]),
        ("Unidad", f"{data['unit']['name']} ({data['unit']['code']})"),
        ("Fecha de ingreso", data["fecha_ingreso"]),
    ]
    if "fecha_reingreso" in data:
        pairs.append(("Fecha de reingreso", data["fecha_reingreso"]))
    pairs.append(("Situación", data["situacion"]))
    if data.get("motivo_cese"):
        pairs.append(("Motivo del cese", data["motivo_cese"]))
    works = (
        "labora actualmente en el sector Educación"
        if data["labora"]
        else f"laboró en el sector Educación hasta su cese, el {data['fecha_cese']}"
    )
    return [
        pairs_table(pairs, width),
        Spacer(0, 3 * mm),
        Paragraph(f"Según su legajo personal, {works}, con los datos arriba indicados.", BODY),
    ]


def tiempo_story(data: dict, width) -> list:
    periods = [[p["first"], p["last"], _span(p)] for p in data["periods"]]
    return [
        pairs_table(
            _identity(data)
            + [
                ("Unidad", f"{data['unit']['name']} ({data['unit']['code']})"),
                ("Situación", "Labora actualmente" if data["labora"] else "Cesado"),
            ],
            width,
        ),  # fmt: skip
        Spacer(0, 3 * mm),
        Paragraph(
            f"Acumula un tiempo de servicios de <b>{escape(data['total']['text'])}</b> al "
            f"{data['as_of_text']}, según su legajo personal: ingresos, reingresos y "
            "desplazamientos, sin las licencias sin goce de remuneraciones; cada día se cuenta "
            "una vez, y cada 30 días hacen un mes y cada 12 meses un año.",
            BODY,
        ),
        *heading("Periodos computados"),
        table(["Desde", "Hasta", "Tiempo"], periods, width)
        if periods
        else Paragraph("Ningún periodo de servicios registrado hasta la fecha.", EMPTY),
    ]


STORIES = {
    Constancia.Kind.HABERES: haberes_story,
    Constancia.Kind.TRABAJO: trabajo_story,
    Constancia.Kind.TIEMPO: tiempo_story,
}


def render_constancia(constancia: Constancia, document) -> bytes:
    data = constancia.data
    title = constancia.get_kind_display()
    servant = data["servant"]
    footer = (
        f"{title} de {servant['apellidos']} {servant['nombres']} "
        f"· código de verificación {document.code}"
    )
    on_page = banner(
        title.upper(), servant["document_number"], f"Información al {data['as_of_text']}", footer
    )
    story = [
        Paragraph(CERTIFIES.format(platform=escape(settings.AYNI_PLATFORM_NAME)), BODY),
        Spacer(0, 3 * mm),
        *STORIES[constancia.kind](data, content_width(A4)),
        Spacer(0, 6 * mm),
        VerificationBlock(document),
    ]
    return build_pdf(title, A4, on_page, story)


class ConstanciaRenderer:
    """The `ayni.documents.registry` renderer of one kind of constancia."""

    def __init__(self, kind: str):
        self.kind = Constancia.Kind(kind)

    def render(self, constancia, document) -> bytes:
        return render_constancia(constancia, document)

    def summary(self, constancia) -> dict:
        """The kind, the masked servant and what it covers; no amounts, no dates of cese."""
        data = constancia.data
        servant = data["servant"]
        fields = [
            ("Servidor", mask_name(servant["nombres"], servant["apellidos"])),
            ("Documento de identidad",
             f"{servant['document_type']} {mask_document(servant['document_number'])}"),
        ]  # fmt: skip
        if self.kind == Constancia.Kind.HABERES:
            fields.append(("Periodo", data["range_text"]))
        fields.append(("Información al", data["as_of_text"]))
        return public_summary(self.kind.label, fields)

    def filename(self, constancia, document) -> str:
        issued_on = timezone.localdate(document.issued_at)
        number = constancia.data["servant"]["document_number"]
        return f"{self.kind.value.replace('_', '-')}-{number}-{issued_on:%Y%m%d}.pdf"

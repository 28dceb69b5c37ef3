"""What the hoja de vida and the informe escalafonario print, frozen as JSON.

The PDFs render only from this data (stored in `LegajoReport`), so a stored document can be
rendered again to the same bytes whatever happens to the legajo afterwards.
"""

from datetime import date

from ayni.core.formats import date_dmy
from ayni.legajo.models import LegajoReport
from ayni.legajo.sections import SECTIONS
from ayni.legajo.service_time import for_legajo

TITLES = {
    LegajoReport.Kind.HOJA_DE_VIDA: "HOJA DE VIDA",
    LegajoReport.Kind.INFORME: "INFORME ESCALAFONARIO",
}


def report_sections(kind: str):
    """Datos personales print as a block of their own; the rest as tables."""
    return [
        s
        for s in SECTIONS
        if not s.single and (kind == LegajoReport.Kind.INFORME or s.in_hoja_de_vida)
    ]


def report_data(legajo, kind: str, as_of: date) -> dict:
    servant = legajo.servant
    personal_section = next(s for s in SECTIONS if s.single)
    personal = personal_section.items(legajo).first()
    sections = []
    for section in report_sections(kind):
        columns = section.pdf_columns or section.columns
        sections.append(
            {
                "key": section.key,
                "title": section.label,
                "headers": section.headers(columns),
                "rows": [section.row(item, columns) for item in section.items(legajo)],
            }
        )
    service = for_legajo(legajo, as_of)
    data = {
        "kind": kind,
        "title": TITLES[kind],
        "as_of": as_of.isoformat(),
        "as_of_text": date_dmy(as_of),
        "servant": {
            "nombres": servant.nombres,
            "apellidos": servant.apellidos,
            "document_type": servant.document_type,
            "document_number": servant.document_number,
        },
        "unit": {"code": legajo.unit.code, "name": legajo.unit.name},
        "vigente": legajo.vigente,
        "personal": [
            [label, value]
            for label, value in zip(
                personal_section.headers(),
                personal_section.row(personal) if personal else [],
                strict=False,
            )
            if value
        ],
        "sections": sections,
        "service_time": {**service.as_dict(), "text": str(service)},
    }
    if legajo.ceased:  # only then, so the reports of everybody else keep their content
        data["cese"] = {"fecha_text": date_dmy(legajo.cese.fecha), "motivo": legajo.cese.motivo}
    return data

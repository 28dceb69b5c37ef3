"""What each constancia states, read from the servant's own boletas and legajo and frozen as
JSON (amounts as text, dates as dd/mm/aaaa): the PDF renders only from this data."""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ayni.boletas.models import Boleta
from ayni.constancias.models import Constancia
from ayni.core.formats import date_dmy, period_label
from ayni.documents.models import IssuedDocument
from ayni.legajo.models import Ingreso, Legajo
from ayni.legajo.service_time import calendar_span, counted_for_legajo, total

MAX_MONTHS = 12
NO_LEGAJO = (
    "Su legajo no está registrado en la plataforma: la constancia de trabajo y la de tiempo "
    "de servicios se emiten con los datos del legajo. Solicítelas en la mesa de partes de su "
    "UGEL. Con sus boletas puede emitir aquí la constancia de haberes y descuentos."
)
NO_INGRESO = (
    "Su legajo no registra su ingreso al servicio (sección «Ingreso o reingreso»): la "
    "constancia de trabajo y la de tiempo de servicios necesitan ese dato. Pida a su UGEL "
    "que lo registre, o solicite el cambio desde «Mi legajo»."
)
NO_BOLETAS = "No tiene boletas vigentes en la plataforma: no hay haberes que hacer constar."


def servant_data(servant) -> dict:
    return {
        "nombres": servant.nombres,
        "apellidos": servant.apellidos,
        "document_type": servant.document_type,
        "document_number": servant.document_number,
    }


def current_boletas(servant) -> QuerySet[Boleta]:
    return Boleta.objects.filter(servant=servant, state=Boleta.State.CURRENT)


def months_between(first: date, last: date) -> int:
    """How many months from the month of `first` to that of `last`, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def haberes_data(servant, first: date, last: date, as_of: date) -> dict:
    """Per month of `first`..`last` with current boletas: bruto, descuentos and neto (all
    the month's boletas added up); the total of each concepto over the months; the sums."""
    months: dict[date, dict] = {}
    concepts: dict[str, dict] = {}
    entities = []
    boletas = current_boletas(servant).filter(period__gte=first, period__lte=last)
    for boleta in boletas.order_by("period", "payroll_type", "pk"):
        month = months.setdefault(
            boleta.period,
            {"gross": Decimal(0), "deductions": Decimal(0), "net": Decimal(0), "boletas": 0},
        )
        month["gross"] += boleta.gross
        month["deductions"] += boleta.deductions
        month["net"] += boleta.net
        month["boletas"] += 1
        if boleta.entity_name not in entities:
            entities.append(boleta.entity_name)
        for line in boleta.concept_lines:
            concept = concepts.setdefault(
                line.code,
                {"code": line.code, "description": line.description, "kind": line.kind,
                 "kind_label": line.kind_label, "total": Decimal(0)},
            )  # fmt: skip
            concept["total"] += line.amount
    rows = [
        {"period": f"{period:%Y-%m}", "label": period_label(period), "boletas": m["boletas"],
         "gross": str(m["gross"]), "deductions": str(m["deductions"]), "net": str(m["net"])}
        for period, m in sorted(months.items())
    ]  # fmt: skip
    return {
        "servant": servant_data(servant),
        "as_of_text": date_dmy(as_of),
        "first": f"{first:%Y-%m}",
        "last": f"{last:%Y-%m}",
        "range_text": f"{period_label(first)} a {period_label(last)}",
        "entities": entities,
        "months": rows,
        "concepts": [{**c, "total": str(c["total"])} for c in concepts.values()],
        "totals": {
            key: str(sum((m[key] for m in months.values()), Decimal(0)))
            for key in ("gross", "deductions", "net")
        },
    }


def usable_legajo(servant) -> Legajo | None:
    """The servant's legajo if it is vigente or closed by their cese; else None."""
    legajo = Legajo.objects.select_related("unit").filter(servant=servant).first()
    if legajo is None or not (legajo.vigente or legajo.ceased):
        return None
    return legajo


def legajo_problem(servant) -> str:
    """Why the legajo cannot support a constancia de trabajo or de tiempo ("" if it can)."""
    legajo = usable_legajo(servant)
    if legajo is None:
        return NO_LEGAJO
    if not Ingreso.objects.filter(legajo=legajo).exists():
        return NO_INGRESO
    return ""


def trabajo_data(legajo: Legajo, as_of: date) -> dict:
    """The latest ingreso or reingreso (cargo, condición, régimen, institución), the first
    day of service, and whether the servant works now or the date of their cese."""
    ingresos = list(Ingreso.objects.filter(legajo=legajo).order_by("fecha_inicio", "id"))
    latest = ingresos[-1]
    data = {
        "servant": servant_data(legajo.servant),
        "as_of_text": date_dmy(as_of),
        "unit": {"code": legajo.unit.code, "name": legajo.unit.name},
        "cargo": latest.cargo,
        "condicion": latest.get_condicion_display(),
        "regimen": latest.get_regimen_laboral_display(),
        "institucion": latest.institucion,
        "fecha_ingreso": date_dmy(ingresos[0].fecha_inicio),
        "labora": not legajo.ceased,
        "situacion": "Labora actualmente",
    }
    if latest.tipo == Ingreso.Tipo.REINGRESO:
        data["fecha_reingreso"] = date_dmy(latest.fecha_inicio)
    if legajo.ceased:
        cese = legajo.cese
        data["situacion"] = f"Cesó el {date_dmy(cese.fecha)}"
        data["fecha_cese"] = date_dmy(cese.fecha)
        data["motivo_cese"] = cese.motivo
    return data


def tiempo_data(legajo: Legajo, as_of: date) -> dict:
    """The periods that count (service time rule of `ayni.legajo.service_time`), each with
    its length, and their total on `as_of`."""
    counted = counted_for_legajo(legajo, as_of)
    periods = []
    for first, last in counted:
        years, months, days = calendar_span(first, last)
        periods.append(
            {"first": date_dmy(first), "last": date_dmy(last),
             "years": years, "months": months, "days": days}
        )  # fmt: skip
    service = total(counted)
    return {
        "servant": servant_data(legajo.servant),
        "as_of_text": date_dmy(as_of),
        "unit": {"code": legajo.unit.code, "name": legajo.unit.name},
        "labora": not legajo.ceased,
        "periods": periods,
        "total": {**service.as_dict(), "text": str(service)},
    }


# --- issued constancias ------------------------------------------------------------------
def own_documents(servant) -> QuerySet[IssuedDocument]:
    """The constancias the servant issued, newest first."""
    return IssuedDocument.objects.filter(
        servant=servant,
        kind__in=Constancia.Kind.values,
        source_type=ContentType.objects.get_for_model(Constancia),
    ).order_by("-issued_at", "-id")


def own_document(servant, pk) -> IssuedDocument:
    return get_object_or_404(own_documents(servant), pk=pk)

"""Every read of someone's boletas starts from what the acting user may see."""

import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Sum, When
from django.shortcuts import get_object_or_404

from ayni.boletas import events
from ayni.boletas.models import Boleta, DamagedConceptos, PlanillaImport
from ayni.core import audit
from ayni.documents.models import IssuedDocument
from ayni.organizations.models import Servant, Unit
from ayni.organizations.scoping import covered_units

ROLE = "boletas"


def own_boletas(user) -> QuerySet[Boleta]:
    """The servant's own boletas, wherever they work now (or if they left the service)."""
    if not getattr(user, "servant_id", None):
        return Boleta.objects.none()
    return Boleta.objects.filter(servant_id=user.servant_id)


def staff_boletas(user) -> QuerySet[Boleta]:
    """Boletas paid by the units the user administers as administrador de boletas."""
    return Boleta.objects.filter(entity__in=covered_units(user, ROLE))


def own_boleta(user, pk) -> Boleta:
    return get_object_or_404(own_boletas(user).select_related("servant"), pk=pk)


def staff_boleta(user, pk) -> Boleta:
    return get_object_or_404(staff_boletas(user).select_related("servant"), pk=pk)


def with_document_flag(boletas: QuerySet[Boleta]) -> QuerySet[Boleta]:
    """`has_document`: its PDF exists ("Ver mi boleta") or is made on the click ("Cargar")."""
    documents = IssuedDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(Boleta), source_id=OuterRef("pk")
    )
    return boletas.annotate(
        has_document=Case(
            When(state=Boleta.State.ANNULLED, then=Exists(documents.filter(issued_annulled=True))),
            default=Exists(documents.filter(issued_annulled=False)),
        )
    )


# The columns a boleta list shows (`boletas/_boleta_table.html`): the conceptos, the
# longest column, stay in the database.
LISTED_FIELDS = ("id", "period", "payroll_type", "state", "entity_name", "gross", "deductions",
                 "net")  # fmt: skip
# The columns of the latest boleta that Mi boleta's "Datos personales" shows.
PERSONAL_DATA_FIELDS = ("id", "period", "entity", "apellido_paterno", "apellido_materno",
                        "nombres", "servant_type", "position", "hire_date")  # fmt: skip


def listed(boletas: QuerySet[Boleta]) -> QuerySet[Boleta]:
    """Boletas as a list shows them: its columns only, newest first, with `has_document`."""
    return with_document_flag(boletas.only(*LISTED_FIELDS)).order_by(
        "-period", "payroll_type", "-id"
    )


def current_document(boleta: Boleta) -> IssuedDocument | None:
    """The PDF that shows the boleta as it is now (with the watermark once annulled)."""
    return (
        IssuedDocument.objects.filter(
            source_type=ContentType.objects.get_for_model(Boleta),
            source_id=boleta.pk,
            issued_annulled=boleta.is_annulled,
        )
        .order_by("-issued_at", "-id")
        .first()
    )


def latest_boleta(boletas: QuerySet[Boleta]) -> Boleta | None:
    return boletas.order_by("-period", "-id").first()


def region_and_ugel(unit: Unit | None) -> tuple[Unit | None, Unit | None]:
    """The DRE/GRE and the UGEL a unit belongs to (the unit itself included), or None."""
    if unit is None:
        return None, None
    chain = list(Unit.objects.filter(code__in=unit.path.strip("/").split("/")))
    region = next((u for u in chain if u.kind in (Unit.Kind.DRE, Unit.Kind.GRE)), None)
    ugel = next((u for u in chain if u.kind == Unit.Kind.UGEL), None)
    return region, ugel


def previous_boleta(boleta: Boleta) -> Boleta | None:
    """The current boleta of the same servant and planilla type for the latest earlier month."""
    return (
        Boleta.objects.filter(
            servant_id=boleta.servant_id,
            entity_id=boleta.entity_id,
            payroll_type=boleta.payroll_type,
            period__lt=boleta.period,
            state=Boleta.State.CURRENT,
        )
        .order_by("-period")
        .first()
    )


def monthly_pay(boletas: QuerySet[Boleta]) -> list[dict]:
    """Gross and net per month of the current boletas, oldest first."""
    return list(
        boletas.filter(state=Boleta.State.CURRENT)
        .values("period")
        .annotate(gross=Sum("gross"), net=Sum("net"))
        .order_by("period")
    )


def concept_amounts(boleta: Boleta) -> dict[str, Decimal]:
    """Amount per concepto code of one boleta (a code twice adds up); {} if its conceptos
    are damaged."""
    amounts: dict[str, Decimal] = {}
    try:
        lines = boleta.concept_lines
    except DamagedConceptos:
        return amounts
    for line in lines:
        amounts[line.code] = amounts.get(line.code, Decimal(0)) + line.amount
    return amounts


def concept_columns(boletas) -> list[tuple[str, str]]:
    """(code, description) of every concepto of these boletas, in the order first seen."""
    seen: dict[str, str] = {}
    for boleta in boletas:
        try:
            lines = boleta.concept_lines
        except DamagedConceptos:
            continue
        for line in lines:
            seen.setdefault(line.code, line.description)
    return list(seen.items())


def staff_servants(user, text: str) -> QuerySet[Servant]:
    """Servants the user may look up: placed in, or paid by, the units it covers."""
    units = covered_units(user, ROLE)
    paid_here = Boleta.objects.filter(servant_id=OuterRef("pk"), entity__in=units)
    servants = Servant.objects.filter(Q(unit__in=units) | Exists(paid_here))
    text = text.strip()
    if any(character.isdigit() for character in text):
        return servants.filter(document_number__startswith=text.upper())
    for word in text.split():
        servants = servants.filter(
            Q(apellido_paterno__icontains=word)
            | Q(apellido_materno__icontains=word)
            | Q(nombres__icontains=word)
        )
    return servants


def staff_servant(user, pk, request=None) -> Servant:
    """A servant whose boletas the administrator opens; recorded."""
    servant = get_object_or_404(staff_servants(user, ""), pk=pk)
    audit.record(user, events.STAFF_LISTED, servant, request)
    return servant


def search_servants(user, text: str, request=None) -> QuerySet[Servant]:
    """The administrator's search (see `staff_servants`); the search is recorded."""
    audit.record(user, events.STAFF_SEARCHED, text, request)
    return staff_servants(user, text)


def visible_imports(user) -> QuerySet[PlanillaImport]:
    """Imports of files paid by the units the user covers, and the user's own uploads."""
    units = covered_units(user, ROLE)
    return (
        PlanillaImport.objects.filter(Q(entities__in=units) | Q(uploaded_by=user))
        .distinct()
        .select_related("uploaded_by")
    )


def import_entities(imports: QuerySet[PlanillaImport]) -> QuerySet[Unit]:
    """The paying entities of these imports, for the history's filter."""
    return Unit.objects.filter(pk__in=imports.values("entities")).order_by("code")


def planilla_boletas(planilla_import: PlanillaImport) -> QuerySet[Boleta]:
    """The current boletas of the periods and paying entities of an import (what
    `render_boletas --periodo --entidad` makes ahead)."""
    periods = [date.fromisoformat(f"{period}-01") for period in planilla_import.period_list]
    return Boleta.objects.filter(
        state=Boleta.State.CURRENT,
        period__in=periods,
        entity__in=planilla_import.entities.values("pk"),
    )


def pdf_progress(planilla_import: PlanillaImport) -> dict:
    """How many of those boletas have their PDF already."""
    boletas = planilla_boletas(planilla_import)
    total = boletas.count()
    done = with_document_flag(boletas).filter(has_document=True).count() if total else 0
    return {"generados": done, "total": total, "terminado": done >= total}


def visible_import(user, pk) -> PlanillaImport:
    return get_object_or_404(visible_imports(user), pk=pk)


def concept_changes(previous: Boleta, boleta: Boleta) -> dict | None:
    """Conceptos added, removed and changed (by code) from `previous` to `boleta`; None when
    the stored conceptos of either cannot be read."""
    try:
        before = {c.code: c for c in previous.concept_lines}
        after = {c.code: c for c in boleta.concept_lines}
    except DamagedConceptos:
        return None
    changed = [
        {"before": before[code], "after": after[code],
         "difference": after[code].amount - before[code].amount}
        for code in after
        if code in before
        and (after[code].amount, after[code].kind) != (before[code].amount, before[code].kind)
    ]  # fmt: skip
    return {
        "added": [after[code] for code in after if code not in before],
        "removed": [before[code] for code in before if code not in after],
        "changed": changed,
        "unchanged": sum(1 for code in after if code in before) - len(changed),
    }


def matching_affected(planilla_import: PlanillaImport, text: str) -> list[list]:
    """The servants an import concerns whose document starts with `text`, or whose name
    has every word of it (accents and case aside)."""
    affected = planilla_import.affected
    if not text:
        return affected
    words = _folded(text).split()
    found = []
    for item in affected:
        number, name = item[1], _folded(item[2])
        if number.startswith(text.upper()) or all(word in name for word in words):
            found.append(item)
    return found


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def unconfirmed_uploads(now) -> QuerySet[PlanillaImport]:
    """Uploads validated more than AYNI_PLANILLA_UNCONFIRMED_DAYS before `now` and neither
    confirmed nor discarded since: their file (pay data of a whole UGEL) is not kept."""
    limit = now - timedelta(days=settings.AYNI_PLANILLA_UNCONFIRMED_DAYS)
    return PlanillaImport.objects.filter(
        state=PlanillaImport.State.VALIDATED, created_at__lt=limit
    ).exclude(stored_file="")

"""Tiempo de servicios: años, meses y días of service recorded in a legajo.

The rule, as escalafón offices count it:

1. Service periods are the ingresos/reingresos and the desplazamientos of the trayectoria.
   A period with no end date runs until the first cese recorded on or after its start (the
   cese date is the first day out of service) or, failing that, until the day of the count.
2. Overlapping or back-to-back periods are merged: a day of service counts once.
3. Licencias sin goce de remuneraciones are taken out of the merged periods.
4. Each remaining period is measured in calendar years, months and days (both ends
   included), the periods are added up, and every 30 days make a month, every 12 months
   a year.

A calendar month from day D ends the day before day D of the next month; when that month
has no day D the count rolls over as the calendar does (31 January + 1 month is 3 March in
a common year; 29 February + 1 year is 1 March), so 29/02/2020 to 28/02/2021 is exactly one
year and 31/01/2021 to 28/02/2021 is 29 days.
"""

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
Period = tuple[date, date]  # first and last day, both included


@dataclass(frozen=True)
class ServiceTime:
    years: int = 0
    months: int = 0
    days: int = 0

    def __str__(self):
        parts = [
            _plural(self.years, "año", "años"),
            _plural(self.months, "mes", "meses"),
            _plural(self.days, "día", "días"),
        ]
        return f"{parts[0]}, {parts[1]} y {parts[2]}"

    def as_dict(self) -> dict:
        return {"years": self.years, "months": self.months, "days": self.days}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def add_months(start: date, months: int) -> date:
    """The same day `months` later; a day the month lacks rolls over into the next month."""
    year, month_index = divmod(start.month - 1 + months, 12)
    year += start.year
    last_day = monthrange(year, month_index + 1)[1]
    if start.day <= last_day:
        return date(year, month_index + 1, start.day)
    return date(year, month_index + 1, last_day) + timedelta(days=start.day - last_day)


def calendar_span(first: date, last: date) -> tuple[int, int, int]:
    """Whole years, months and days from `first` to `last`, both days included."""
    end = last + ONE_DAY
    months = (end.year - first.year) * 12 + end.month - first.month
    while months > 0 and add_months(first, months) > end:
        months -= 1
    days = (end - add_months(first, months)).days
    years, months = divmod(months, 12)
    return years, months, days


def merge(periods: Iterable[Period]) -> list[Period]:
    """Periods sorted and joined where they overlap or touch."""
    merged: list[Period] = []
    for first, last in sorted(periods):
        if merged and first <= merged[-1][1] + ONE_DAY:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def subtract(periods: list[Period], holes: list[Period]) -> list[Period]:
    """`periods` without the days of `holes` (both lists merged)."""
    result = []
    for first, last in periods:
        start = first
        for hole_first, hole_last in holes:
            if hole_last < start or hole_first > last:
                continue
            if hole_first > start:
                result.append((start, hole_first - ONE_DAY))
            start = max(start, hole_last + ONE_DAY)
        if start <= last:
            result.append((start, last))
    return result


def counted_periods(
    service: Iterable[tuple[date, date | None]],
    unpaid_leaves: Iterable[Period],
    ceses: Iterable[date],
    as_of: date,
) -> list[Period]:
    """The periods of service that count on `as_of` (steps 1 to 3 of the module's rule)."""
    ceses = sorted(ceses)
    periods = []
    for first, last in service:
        if first > as_of:
            continue
        if last is None:
            cese = next((c for c in ceses if c >= first), None)
            last = cese - ONE_DAY if cese else as_of
        last = min(last, as_of)
        if last >= first:
            periods.append((first, last))
    return subtract(merge(periods), merge(unpaid_leaves))


def total(counted: Iterable[Period]) -> ServiceTime:
    """Counted periods added up (step 4 of the module's rule)."""
    years = months = days = 0
    for first, last in counted:
        span_years, span_months, span_days = calendar_span(first, last)
        years, months, days = years + span_years, months + span_months, days + span_days
    months += days // 30
    years += months // 12
    return ServiceTime(years, months % 12, days % 30)


def service_time(
    service: Iterable[tuple[date, date | None]],
    unpaid_leaves: Iterable[Period],
    ceses: Iterable[date],
    as_of: date,
) -> ServiceTime:
    """Tiempo de servicios on `as_of` (see the module's rule)."""
    return total(counted_periods(service, unpaid_leaves, ceses, as_of))


def legajo_facts(legajo) -> tuple[list, list, list]:
    """The service periods, unpaid leaves and ceses recorded in a legajo."""
    from ayni.legajo.models import Desplazamiento, Ingreso, Licencia, RetiroPension

    service = [
        *Ingreso.objects.filter(legajo=legajo).values_list("fecha_inicio", "fecha_fin"),
        *Desplazamiento.objects.filter(legajo=legajo).values_list("fecha_inicio", "fecha_fin"),
    ]
    unpaid = Licencia.objects.filter(legajo=legajo, tipo=Licencia.Tipo.SIN_GOCE).values_list(
        "fecha_inicio", "fecha_fin"
    )
    ceses = RetiroPension.objects.filter(legajo=legajo, tipo=RetiroPension.Tipo.CESE).values_list(
        "fecha", flat=True
    )
    return service, list(unpaid), list(ceses)


def for_legajo(legajo, as_of: date) -> ServiceTime:
    return service_time(*legajo_facts(legajo), as_of)


def counted_for_legajo(legajo, as_of: date) -> list[Period]:
    return counted_periods(*legajo_facts(legajo), as_of)

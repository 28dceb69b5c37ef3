"""How the platform writes money, dates and times (es-PE, America/Lima)."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

MONTH_NAMES = [
    "ENERO", "FEBRERO", "MARZO", "ABRIL", "MAYO", "JUNIO",
    "JULIO", "AGOSTO", "SETIEMBRE", "OCTUBRE", "NOVIEMBRE", "DICIEMBRE",
]  # fmt: skip
CENT = Decimal("0.01")


def money(value) -> str:
    """`S/ 2,760.12`: comma for thousands and point for decimals, as Peruvian payslips print."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}S/ {abs(amount):,.2f}"


def date_dmy(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def datetime_dmy(value: datetime | None) -> str:
    """`22/11/2026 09:05:03 a. m.` in Lima time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    meridiem = "a. m." if local.hour < 12 else "p. m."
    return f"{local:%d/%m/%Y %I:%M:%S} {meridiem}"


def period_label(period: date) -> str:
    """`JUNIO 2022` for the month that starts on `period`."""
    return f"{MONTH_NAMES[period.month - 1]} {period.year}"

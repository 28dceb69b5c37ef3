from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from ayni.core.formats import date_dmy, datetime_dmy, money, period_label


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2760.12"), "S/ 2,760.12"),
        (Decimal("0"), "S/ 0.00"),
        (Decimal("1234567.5"), "S/ 1,234,567.50"),
        (Decimal("0.005"), "S/ 0.01"),
        ("408.22", "S/ 408.22"),
        (Decimal("-15.30"), "-S/ 15.30"),
        (None, ""),
    ],
)
def test_money(value, expected):
    assert money(value) == expected


def test_dates_are_day_month_year():
    assert date_dmy(date(2022, 6, 5)) == "05/06/2022"


def test_datetimes_are_shown_in_lima_with_meridiem():
    # 14:05:03 UTC is 09:05:03 in Lima (UTC-5, no daylight saving).
    assert datetime_dmy(datetime(2026, 11, 22, 14, 5, 3, tzinfo=UTC)) == "22/11/2026 09:05:03 a. m."
    assert datetime_dmy(datetime(2026, 11, 22, 23, 0, 0, tzinfo=UTC)) == "22/11/2026 06:00:00 p. m."
    # Just after midnight UTC is still the previous day in Lima.
    assert date_dmy(datetime(2026, 1, 1, 3, 0, tzinfo=UTC)) == "31/12/2025"


def test_period_label():
    assert period_label(date(2022, 6, 1)) == "JUNIO 2022"
    assert period_label(date(2020, 9, 1)) == "SETIEMBRE 2020"


def test_template_filters():
    rendered = Template("{% load ayni %}{{ a|soles }} {{ d|fecha }}").render(
        Context({"a": Decimal("2760.12"), "d": date(2026, 1, 2)})
    )
    assert rendered == "S/ 2,760.12 02/01/2026"

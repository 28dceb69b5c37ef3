from datetime import date

import pytest

from ayni.legajo.service_time import (
    ServiceTime,
    add_months,
    calendar_span,
    for_legajo,
    service_time,
)
from ayni.legajo.tests.factories import LegajoFactory, add_item

D = date.fromisoformat


def count(service, unpaid=(), ceses=(), as_of="2030-01-01"):
    return service_time(
        [(D(a), D(b) if b else None) for a, b in service],
        [(D(a), D(b)) for a, b in unpaid],
        [D(c) for c in ceses],
        D(as_of),
    )


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2020-01-01", "2020-01-01", (0, 0, 1)),  # a single day counts
        ("2020-01-01", "2020-12-31", (1, 0, 0)),
        ("2000-03-01", "2020-02-29", (20, 0, 0)),  # ends on a leap day
        ("2020-02-29", "2021-02-28", (1, 0, 0)),  # starts on a leap day
        ("2019-02-28", "2020-02-28", (1, 0, 1)),  # a leap year has one day more
        ("2020-02-01", "2020-02-29", (0, 1, 0)),  # February of a leap year, whole
        ("2021-02-01", "2021-02-28", (0, 1, 0)),  # February of a common year, whole
        ("2021-01-31", "2021-02-28", (0, 0, 29)),  # no 31 February: counted in days
        ("2021-01-31", "2021-03-02", (0, 1, 0)),
        ("2021-01-15", "2021-03-14", (0, 2, 0)),
        ("2021-01-15", "2021-03-20", (0, 2, 6)),
    ],
)
def test_calendar_span_includes_both_ends(first, last, expected):
    assert calendar_span(D(first), D(last)) == expected


def test_add_months_rolls_over_missing_days():
    assert add_months(D("2021-01-31"), 1) == D("2021-03-03")
    assert add_months(D("2020-01-31"), 1) == D("2020-03-02")
    assert add_months(D("2020-02-29"), 12) == D("2021-03-01")
    assert add_months(D("2020-02-29"), 48) == D("2024-02-29")
    assert add_months(D("2020-11-15"), 3) == D("2021-02-15")


def test_nothing_recorded_is_zero():
    assert count([]) == ServiceTime(0, 0, 0)


def test_open_period_runs_until_the_day_of_the_count():
    assert count([("2020-01-01", None)], as_of="2020-12-31") == ServiceTime(1, 0, 0)


def test_overlapping_periods_count_each_day_once():
    # Ingreso (open) and a destaque inside it, plus a reasignación that overlaps its end.
    got = count(
        [("2010-01-01", "2014-12-31"), ("2012-01-01", "2012-12-31"), ("2014-06-01", "2015-12-31")]
    )
    assert got == ServiceTime(6, 0, 0)


def test_back_to_back_periods_merge():
    assert count([("2010-01-01", "2010-06-30"), ("2010-07-01", "2010-12-31")]) == ServiceTime(1)


def test_a_gap_between_periods_is_not_counted():
    # Served 2010, ceased, came back for 2012.
    got = count([("2010-01-01", "2010-12-31"), ("2012-01-01", "2012-12-31")])
    assert got == ServiceTime(2, 0, 0)


def test_unpaid_leave_is_taken_out():
    got = count([("2010-01-01", "2010-12-31")], unpaid=[("2010-04-01", "2010-04-30")])
    assert got == ServiceTime(0, 11, 0)


def test_unpaid_leave_partly_outside_service_takes_out_only_service_days():
    got = count([("2010-01-01", "2010-12-31")], unpaid=[("2009-12-01", "2010-01-31")])
    assert got == ServiceTime(0, 11, 0)


def test_overlapping_unpaid_leaves_are_taken_out_once():
    got = count(
        [("2010-01-01", "2010-12-31")],
        unpaid=[("2010-03-01", "2010-03-31"), ("2010-03-15", "2010-04-30")],
    )
    assert got == ServiceTime(0, 10, 0)


def test_unpaid_leave_over_a_leap_day():
    # 1 Jan 2020 – 31 Dec 2020 without 1–29 February (29 days) leaves 11 whole months.
    got = count([("2020-01-01", "2020-12-31")], unpaid=[("2020-02-01", "2020-02-29")])
    assert got == ServiceTime(0, 11, 0)


def test_days_carry_into_months_and_months_into_years():
    # 20 days + 15 days = 35 days → 1 month 5 days; 11 + 1 months → a year.
    got = count([("2010-01-01", "2010-11-20"), ("2012-01-01", "2012-01-15")])
    assert got == ServiceTime(0, 11, 5)
    assert count([("2010-01-01", "2010-11-30"), ("2012-01-01", "2012-01-31")]) == ServiceTime(1)


def test_a_cese_ends_an_open_period_the_day_before():
    got = count([("2010-01-01", None)], ceses=["2015-01-01"])
    assert got == ServiceTime(5, 0, 0)


def test_a_cese_before_a_reingreso_does_not_end_it():
    got = count([("2005-01-01", None), ("2010-01-01", None)], ceses=["2008-01-01"],
                as_of="2010-12-31")  # fmt: skip
    assert got == ServiceTime(4, 0, 0)


def test_periods_after_the_count_are_ignored_and_ends_are_cut():
    got = count([("2010-01-01", "2030-12-31"), ("2031-01-01", None)], as_of="2015-12-31")
    assert got == ServiceTime(6, 0, 0)


def test_reads_it_from_a_legajo_paid_leave_still_counts(db):
    legajo = LegajoFactory()
    add_item(legajo, "ingreso", fecha_inicio=D("2002-04-01"))
    add_item(legajo, "trayectoria", fecha_inicio=D("2008-03-01"), fecha_fin=D("2015-02-28"))
    add_item(legajo, "licencias", tipo="sin_goce", fecha_inicio=D("2013-02-01"),
             fecha_fin=D("2013-02-28"))  # fmt: skip
    add_item(legajo, "licencias", tipo="con_goce", fecha_inicio=D("2014-01-01"),
             fecha_fin=D("2014-03-31"))  # fmt: skip
    add_item(legajo, "retiro", tipo="cese", regimen_pensionario="", motivo="Límite de edad",
             fecha=D("2022-04-01"))  # fmt: skip
    # 1 Apr 2002 – 31 Mar 2022 is 20 years; February 2013 (unpaid) is taken out.
    assert for_legajo(legajo, D("2026-01-01")) == ServiceTime(19, 11, 0)
    assert str(ServiceTime(19, 11, 0)) == "19 años, 11 meses y 0 días"
    assert str(ServiceTime(1, 1, 1)) == "1 año, 1 mes y 1 día"

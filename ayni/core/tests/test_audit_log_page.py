"""The "Auditoría" page: MINEDU administrators read the whole log; a UGEL administrator only
what the staff of the units they cover did there; reading it is itself recorded."""

from datetime import UTC, datetime

import pytest
import time_machine

from ayni.accounts.models import User
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.core import events as core_events
from ayni.core.audit import record
from ayni.core.menu import menu_for
from ayni.core.models import AuditEvent
from ayni.legajo import events as legajo_events
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db
URL = "/auditoria/"


@pytest.fixture
def world():
    ugel07, ugel03 = Unit.objects.get(code="150108"), Unit.objects.get(code="150104")
    people = {
        "minedu": User.objects.create_superuser("40000199", PASSWORD, email="m@example.pe"),
        "admin07": StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL, unit=ugel07).user,
        "esp07": StaffRoleFactory(role=StaffRole.Role.ESCALAFON, unit=ugel07).user,
        "esp03": StaffRoleFactory(role=StaffRole.Role.ESCALAFON, unit=ugel03).user,
        "servant07": UserFactory(servant=ServantFactory(unit=ugel07)),
        "rosa07": ServantFactory(unit=ugel07),
        "luis03": ServantFactory(unit=ugel03),
    }
    lines = {
        "esp07": record(people["esp07"], legajo_events.STAFF_VIEWED, people["rosa07"]),
        "esp03": record(people["esp03"], legajo_events.STAFF_VIEWED, people["luis03"]),
        "own07": record(people["servant07"], legajo_events.OWN_VIEWED),
        "minedu07": record(people["minedu"], core_events.ADMIN_VIEWED, people["rosa07"]),
    }
    return people, lines


def shown(client, user, **filters):
    if getattr(client, "signed_in_as", None) != user.pk:  # one sign-in per user and client
        client.force_login(user)
        client.signed_in_as = user.pk
    response = client.get(URL, filters)
    assert response.status_code == 200
    return {line.pk for line in response.context["page"].object_list}


def test_minedu_reads_every_line(client, world):
    people, lines = world
    assert shown(client, people["minedu"]) >= {line.pk for line in lines.values()}


def test_a_ugel_administrator_reads_only_the_staff_of_the_covered_units(client, world):
    people, lines = world
    seen = shown(client, people["admin07"])
    assert seen & {line.pk for line in lines.values()} == {lines["esp07"].pk}
    # besides the lines of the fixture, only the administrator's own sign-in (staff of 07)
    assert set(AuditEvent.objects.filter(pk__in=seen).values_list("actor", flat=True)) <= {
        people["esp07"].pk,
        people["admin07"].pk,
    }


@pytest.mark.parametrize(
    "filters",
    [
        {"unidad": "150104"},
        {"persona": "luis03"},
        {"usuario": "esp03"},
        {"evento": legajo_events.STAFF_VIEWED, "unidad": "150104"},
    ],
)
def test_another_units_filters_show_a_ugel_administrator_nothing(client, world, filters):
    people, _lines = world
    values = {
        key: people[value].get_username() if value == "esp03" else
        people[value].document_number if value == "luis03" else value
        for key, value in filters.items()
    }  # fmt: skip
    assert shown(client, people["admin07"], **values) == set()
    assert shown(client, people["minedu"], **values) != set()


def test_filters_by_person_actor_unit_and_event(client, world):
    people, lines = world
    minedu = people["minedu"]
    rosa = people["rosa07"].document_number
    assert shown(client, minedu, persona=rosa) == {lines["esp07"].pk, lines["minedu07"].pk}
    esp07 = people["esp07"].get_username()
    assert shown(client, minedu, persona=esp07) == {lines["esp07"].pk}
    assert shown(client, minedu, usuario=esp07) == {lines["esp07"].pk}
    assert shown(client, minedu, unidad="150104") == {lines["esp03"].pk}
    assert lines["esp07"].pk in shown(client, minedu, unidad="150101")  # the DRE includes it
    assert shown(client, minedu, evento=legajo_events.OWN_VIEWED) == {lines["own07"].pk}
    assert shown(client, minedu, unidad="999999") == set()


def test_dates_are_days_in_lima_and_shown_dd_mm_aaaa(client, world):
    people, lines = world
    late = datetime(2026, 3, 10, 4, 30, tzinfo=UTC)  # 09/03/2026 11:30 p. m. in Lima
    with time_machine.travel(late, tick=False):
        line = record(people["esp07"], legajo_events.HISTORY_VIEWED, people["rosa07"])
    minedu = people["minedu"]
    assert line.pk in shown(client, minedu, desde="2026-03-09", hasta="09/03/2026")
    assert line.pk not in shown(client, minedu, desde="2026-03-10")
    response = client.get(URL, {"hasta": "2026-03-09"})
    assert "09/03/2026 11:30:00 p. m." in response.content.decode()


def test_an_inverted_range_is_refused_in_spanish(client, world):
    people, _lines = world
    client.force_login(people["minedu"])
    response = client.get(URL, {"desde": "2026-03-10", "hasta": "2026-03-09"})
    assert "Debe ser igual o posterior" in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_reading_the_log_is_recorded_with_its_filters(client, world):
    people, _lines = world
    shown(client, people["admin07"], unidad="150108")
    line = AuditEvent.objects.get(action=core_events.AUDIT_LOG_VIEWED)
    assert line.actor == people["admin07"]
    assert line.details == {"filtros": {"unidad": "150108"}, "pagina": 1}


def test_pages_of_fifty(client, world):
    people, _lines = world
    AuditEvent.objects.bulk_create(AuditEvent(action="prueba.accion") for _ in range(60))
    client.force_login(people["minedu"])
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 50
    assert "pagina=2" in first.content.decode()
    assert client.get(URL, {"pagina": 2}).context["page"].number == 2


@pytest.mark.parametrize("who", ["esp07", "servant07"])
def test_nobody_else_reads_it(client, world, who):
    people, _lines = world
    client.force_login(people[who])
    assert client.get(URL).status_code == 403
    assert not any(entry["url"] == URL for entry in menu_for(people[who]))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("who", ["minedu", "admin07"])
def test_the_menu_shows_it_to_its_readers(world, who):
    people, _lines = world
    assert any(e["label"] == "Auditoría" and e["url"] == URL for e in menu_for(people[who]))


def test_a_range_that_ends_before_it_starts_is_refused_in_spanish(client, world):
    people, _lines = world
    client.force_login(people["minedu"])
    page = client.get(URL, {"desde": "2026-11-20", "hasta": "2026-11-10"}).content.decode()
    assert "Debe ser igual o posterior a la fecha «desde»." in page

"""Audit lives in the action: a UGEL administrator's search of servants is recorded."""

import pytest

from ayni.accounts import events, selectors
from ayni.accounts.tests.factories import UserFactory
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db


def test_the_search_is_recorded_with_its_query_and_unit():
    admin = StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL).user
    servant = UserFactory().servant
    assert servant in list(selectors.read_search(admin, servant.document_number))
    event = AuditEvent.objects.get(action=events.SERVANTS_SEARCHED)
    assert event.actor == admin and event.details == {"consulta": servant.document_number}
    assert event.unit == Unit.objects.get(code="150108")


def test_an_empty_search_shows_nothing_and_records_nothing():
    admin = StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL).user
    assert list(selectors.read_search(admin, "  ")) == []
    assert not AuditEvent.objects.filter(action=events.SERVANTS_SEARCHED).exists()

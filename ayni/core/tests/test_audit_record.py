"""`record` files each line under the unit it concerns and the person whose data it is."""

import pytest

from ayni.accounts.tests.factories import UserFactory
from ayni.core.audit import record
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def brena():
    return Unit.objects.get(code="150104")


def test_a_servant_target_gives_its_unit_and_document(brena):
    staff = StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user
    servant = ServantFactory(unit=brena)
    event = record(staff, "prueba.accion", servant)
    assert (event.unit, event.subject) == (brena, servant.document_number)


def test_an_account_target_gives_its_servants_unit_and_the_user_name(brena):
    account = UserFactory(servant=ServantFactory(unit=brena))
    event = record(None, "prueba.accion", account)
    assert (event.unit, event.subject) == (brena, account.username)


def test_a_staff_account_without_a_post_gives_its_roles_unit(brena):
    staff = StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=brena).user
    event = record(None, "prueba.accion", staff)
    assert (event.unit, event.subject) == (brena, staff.username)


def test_without_a_target_the_unit_is_the_actors(brena):
    staff = StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL, unit=brena).user
    assert record(staff, "prueba.accion", "texto libre").unit == brena
    servant_user = UserFactory(servant=ServantFactory(unit=brena))
    event = record(servant_user, "prueba.accion")
    assert (event.unit, event.subject) == (brena, "")


def test_nothing_known_leaves_both_empty():
    event = record(None, "prueba.accion", "texto")
    assert (event.unit, event.subject) == (None, "")

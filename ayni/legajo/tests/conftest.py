import pytest

from ayni.accounts.tests.factories import UserFactory
from ayni.legajo.tests.factories import full_legajo
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import StaffRoleFactory


@pytest.fixture
def servant_user(db):
    return UserFactory()


@pytest.fixture
def legajo(servant_user):
    return full_legajo(servant=servant_user.servant)


@pytest.fixture
def other_user(db):
    """Another servant of the same UGEL, with a legajo of their own."""
    user = UserFactory()
    full_legajo(servant=user.servant)
    return user


@pytest.fixture
def specialist(db):
    """Especialista de escalafón of UGEL 07 San Borja (no servant record of their own)."""
    return StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user


@pytest.fixture
def other_ugel_specialist(db):
    """Especialista de escalafón of UGEL 03 Breña: covers nothing of UGEL 07."""
    return StaffRoleFactory(
        role=StaffRole.Role.ESCALAFON, unit=Unit.objects.get(code="150104")
    ).user

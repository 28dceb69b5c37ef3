"""Two servants of UGEL 07 with boletas, legajos, a request and an issued report each; the
staff of UGEL 07 and of another UGEL."""

import pytest
from rest_framework.test import APIClient

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.tests.conftest import demo_servants, sample_imported, ugel07  # noqa: F401
from ayni.legajo import services as legajo_services
from ayni.legajo.models import ChangeRequest, LegajoReport
from ayni.legajo.sections import get_section
from ayni.legajo.tests.factories import full_legajo
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import StaffRoleFactory

UGEL07, UGEL03 = "150108", "150104"


class Person:
    """A servant's account with their own records, to try everywhere with someone else's."""

    def __init__(self, servant):
        self.user = UserFactory(servant=servant)
        self.legajo = full_legajo(servant=servant)
        self.boleta = servant.boletas.order_by("pk").first()
        self.request = self.submitted_request()
        self.document = legajo_services.issue_report(
            self.legajo, LegajoReport.Kind.HOJA_DE_VIDA, self.user
        )

    def draft(self, registro="0999-2001") -> ChangeRequest:
        section = get_section("formacion")
        kept = section.items(self.legajo).first()
        legajo_services.propose_update(self.legajo, section, kept.pk, {"registro": registro})
        return ChangeRequest.objects.get(legajo=self.legajo, state=ChangeRequest.State.DRAFT)

    def submitted_request(self) -> ChangeRequest:
        return legajo_services.submit(self.draft(), "", self.user)


@pytest.fixture
def rosa(sample_imported, demo_servants):  # noqa: F811
    return Person(demo_servants[0])


@pytest.fixture
def jose(sample_imported, demo_servants):  # noqa: F811
    return Person(demo_servants[1])


def staff(role, unit_code=UGEL07):
    return StaffRoleFactory(role=role, unit=Unit.objects.get(code=unit_code)).user


@pytest.fixture
def specialist(db):
    return staff(StaffRole.Role.ESCALAFON)


@pytest.fixture
def other_ugel_specialist(db):
    return staff(StaffRole.Role.ESCALAFON, UGEL03)


@pytest.fixture
def boletas_admin(db):
    return staff(StaffRole.Role.BOLETAS)


@pytest.fixture
def other_ugel_boletas_admin(db):
    return staff(StaffRole.Role.BOLETAS, UGEL03)


@pytest.fixture
def api():
    return APIClient()


def signed_in(user) -> APIClient:
    """A client of a finished sign-in (the second step too, for staff: see conftest.py)."""
    client = APIClient()
    client.force_login(user)
    return client

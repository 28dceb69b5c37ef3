"""Audit lives in the action: the boletas selectors and services that show someone's boletas,
or write on the staff's behalf, record it (actor, target, unit, person), whoever calls them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas import events, selectors, services
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.tests.planillas import SAMPLE
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin07(ugel07):
    return StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=ugel07).user


@pytest.fixture
def rosa_boleta(sample_imported):
    return (
        Boleta.objects.select_related("servant").filter(servant__document_number="40000001").first()
    )


def only_event(action):
    found = AuditEvent.objects.filter(action=action)
    assert found.count() == 1, list(found.values_list("action", flat=True))
    return found.get()


@pytest.mark.parametrize(
    ("download", "action"), [(False, events.STAFF_VIEWED), (True, events.STAFF_DOWNLOADED)]
)
def test_a_staff_look_at_someones_boleta_pdf_is_recorded(admin07, rosa_boleta, download, action):
    document = services.open_boleta_pdf(rosa_boleta, admin07, download=download)
    event = only_event(action)
    assert event.actor == admin07 and event.target_id == str(rosa_boleta.pk)
    assert event.unit_id == rosa_boleta.entity_id and event.subject == "40000001"
    assert event.details["documento"] == document.code


def test_the_servants_own_pdf_is_recorded_as_their_own(rosa_boleta):
    rosa = UserFactory(servant=rosa_boleta.servant)
    services.open_boleta_pdf(rosa_boleta, rosa, download=True)
    assert only_event(events.OWN_DOWNLOADED).actor == rosa
    assert not AuditEvent.objects.filter(action=events.STAFF_DOWNLOADED).exists()


def test_the_staff_search_and_a_servants_boletas_are_recorded(admin07, rosa_boleta, ugel07):
    list(selectors.search_servants(admin07, "4000"))
    searched = only_event(events.STAFF_SEARCHED)
    assert searched.actor == admin07 and searched.target_id == "4000"
    assert searched.unit == ugel07
    selectors.staff_servant(admin07, rosa_boleta.servant_id)
    listed = only_event(events.STAFF_LISTED)
    assert listed.subject == "40000001" and listed.unit == ugel07


def test_uploads_are_recorded_by_the_services(admin07, demo_servants):
    upload = SimpleUploadedFile("planilla.csv", SAMPLE.read_bytes(), "text/csv")
    planilla_import = services.validate_upload(upload, admin07)
    validated = only_event(events.IMPORT_VALIDATED)
    assert validated.actor == admin07 and validated.target_id == str(planilla_import.pk)
    assert validated.details["resultado"] == PlanillaImport.State.VALIDATED
    services.discard_import(planilla_import, admin07)
    assert only_event(events.IMPORT_DISCARDED).actor == admin07


def test_confirming_is_recorded_by_the_service(admin07, demo_servants):
    upload = SimpleUploadedFile("planilla.csv", SAMPLE.read_bytes(), "text/csv")
    planilla_import = services.validate_upload(upload, admin07)
    services.confirm_import(planilla_import, admin07)
    assert only_event(events.IMPORT_CONFIRMED).target_id == str(planilla_import.pk)

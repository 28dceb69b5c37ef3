"""Audit lives in the action: the legajo selectors and services that show a servant's data
to a specialist record it (actor, target, unit, person), whoever calls them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from ayni.core.models import AuditEvent
from ayni.legajo import events, selectors, services
from ayni.legajo.models import ChangeRequest, LegajoReport
from ayni.legajo.sections import get_section
from ayni.legajo.tests.factories import SAMPLES

pytestmark = pytest.mark.django_db
OTROS = get_section("otros")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def only_event(action):
    found = AuditEvent.objects.filter(action=action)
    assert found.count() == 1, list(found.values_list("action", flat=True))
    return found.get()


def assert_about(event, actor, target, legajo):
    assert event.actor == actor
    assert (event.target_type, event.target_id) == (target._meta.label_lower, str(target.pk))
    assert event.unit_id == legajo.unit_id
    assert event.subject == legajo.servant.document_number


def submitted_request(legajo, servant_user):
    services.propose_new(legajo, OTROS, SAMPLES["otros"])
    attachment = services.attach(legajo, OTROS, SimpleUploadedFile("r.pdf", PDF))
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    return services.submit(draft, "", servant_user), attachment


def test_opening_a_legajo_of_the_unit_is_recorded(legajo, specialist):
    assert selectors.read_staff_legajo(specialist, legajo.pk) == legajo
    assert_about(only_event(events.STAFF_VIEWED), specialist, legajo, legajo)


def test_its_history_is_recorded_as_such(legajo, specialist):
    selectors.read_staff_legajo(specialist, legajo.pk, event=events.HISTORY_VIEWED)
    assert_about(only_event(events.HISTORY_VIEWED), specialist, legajo, legajo)


def test_outside_the_unit_nothing_is_read_and_nothing_recorded(legajo, other_ugel_specialist):
    with pytest.raises(Http404):
        selectors.read_staff_legajo(other_ugel_specialist, legajo.pk)
    assert not AuditEvent.objects.filter(action=events.STAFF_VIEWED).exists()


def test_reviewing_a_request_is_recorded(legajo, servant_user, specialist):
    change_request, _attachment = submitted_request(legajo, servant_user)
    selectors.review_request(specialist, change_request.pk)
    assert_about(only_event(events.REQUEST_REVIEWED), specialist, change_request, legajo)


def test_opening_an_attachment_is_recorded(legajo, servant_user, specialist):
    _change_request, attachment = submitted_request(legajo, servant_user)
    selectors.attachment_for(specialist, attachment.pk)
    assert_about(only_event(events.ATTACHMENT_VIEWED), specialist, attachment, legajo)


def test_searching_and_the_tray_are_recorded_with_the_query(legajo, specialist, ugel07_unit):
    list(selectors.search_servants(specialist, "QUISPE"))
    searched = only_event(events.SEARCHED)
    assert searched.actor == specialist and searched.details == {"consulta": "QUISPE"}
    assert searched.unit == ugel07_unit  # the specialist's unit
    list(selectors.read_tray(specialist, state="en_solicitud"))
    tray = only_event(events.TRAY_VIEWED)
    assert tray.details == {"filtros": {"state": "en_solicitud"}} and tray.unit == ugel07_unit


def test_an_informe_issued_by_a_specialist_and_its_opening_are_recorded(legajo, specialist):
    document = services.issue_report(legajo, LegajoReport.Kind.INFORME, specialist)
    assert_about(only_event(events.INFORME_ISSUED), specialist, document, legajo)
    selectors.document_for(specialist, document.pk)
    assert_about(only_event(events.DOCUMENT_VIEWED), specialist, document, legajo)


def test_the_servants_own_hoja_de_vida_is_recorded_too(legajo, servant_user):
    document = services.issue_report(legajo, LegajoReport.Kind.HOJA_DE_VIDA, servant_user)
    assert_about(only_event(events.HOJA_DE_VIDA_ISSUED), servant_user, document, legajo)


@pytest.fixture
def ugel07_unit(db):
    from ayni.organizations.models import Unit

    return Unit.objects.get(code="150108")

"""Audit lives in the action: opening an access request, or its identity document, through
the selectors records it (actor, request, its UGEL, the applicant's document)."""

import pytest
from django.http import Http404

from ayni.access import events, selectors
from ayni.access.tests.factories import AccessRequestFactory, HelpRequestFactory
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def only_event(action):
    found = AuditEvent.objects.filter(action=action)
    assert found.count() == 1, list(found.values_list("action", flat=True))
    return found.get()


@pytest.mark.parametrize(
    ("read", "action"),
    [
        (selectors.read_request, events.REQUEST_VIEWED),
        (selectors.read_attachment, events.ATTACHMENT_VIEWED),
    ],
)
def test_reads_of_a_request_are_recorded(admin07, ugel07, read, action):
    access_request = AccessRequestFactory()
    assert read(admin07, access_request.code) == access_request
    event = only_event(action)
    assert event.actor == admin07 and event.target_id == str(access_request.pk)
    assert event.unit == ugel07 and event.subject == access_request.document_number


def test_another_ugels_administrator_reads_nothing_and_nothing_is_recorded(admin03):
    access_request = AccessRequestFactory()
    for read in (selectors.read_request, selectors.read_attachment):
        with pytest.raises(Http404):
            read(admin03, access_request.code)
    assert not AuditEvent.objects.filter(actor=admin03).exists()


def test_a_request_without_a_document_has_no_attachment_to_read(admin07):
    help_request = HelpRequestFactory()
    with pytest.raises(Http404):
        selectors.read_attachment(admin07, help_request.code)
    assert not AuditEvent.objects.filter(action=events.ATTACHMENT_VIEWED).exists()


def test_listing_the_tray_is_recorded_with_its_filters(admin07):
    AccessRequestFactory()
    assert selectors.tray(admin07, kind="alta").count() == 1
    event = only_event(events.TRAY_VIEWED)
    assert event.actor == admin07
    assert event.details == {
        "estado": selectors.PENDING_FILTER,
        "tipo": "alta",
        "duplicados": False,
    }

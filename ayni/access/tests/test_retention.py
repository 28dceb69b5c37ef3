from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from ayni.access import services
from ayni.access.models import AccessRequest, RequestEvent
from ayni.access.tests.factories import AccessRequestFactory
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_identity_documents", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def decided(admin07):
    with time_machine.travel("2026-01-10 09:00 -05:00"):
        access_request = AccessRequestFactory()
        services.reject(admin07, access_request, "No labora en la UGEL.")
    access_request.refresh_from_db()
    return access_request


def test_the_copy_stays_until_the_retention_days_pass(decided):
    with time_machine.travel(decided.decided_at + timedelta(days=90) - timedelta(minutes=1)):
        assert "eliminados: 0" in purge()
    assert default_storage.exists(decided.attachment.name)


def test_after_the_retention_days_the_copy_goes_and_the_decision_stays(decided, client, admin07):
    name = decided.attachment.name
    with time_machine.travel(decided.decided_at + timedelta(days=90, minutes=1)):
        assert "eliminados: 1 (plazo: 90 días" in purge()
    assert not default_storage.exists(name)
    decided.refresh_from_db()
    assert decided.attachment.name == "" and decided.attachment_deleted_at is not None
    assert decided.state == AccessRequest.State.REJECTED
    assert decided.resolution == "No labora en la UGEL." and decided.decided_by == admin07
    assert decided.events.filter(action=RequestEvent.Action.ATTACHMENT_DELETED).count() == 1
    assert AuditEvent.objects.filter(
        action="acceso.adjunto.eliminado", target_id=str(decided.pk)
    ).exists()
    # The tray says so; the file view is gone.
    client.force_login(admin07)
    page = client.get(f"/acceso/bandeja/{decided.code}/").content.decode()
    assert "Eliminado el" in page and "plazo de conservación" in page
    assert client.get(f"/acceso/bandeja/{decided.code}/documento/").status_code == 404
    # Running again deletes nothing more.
    with time_machine.travel(decided.decided_at + timedelta(days=200)):
        assert "eliminados: 0" in purge()


def test_the_number_of_days_is_a_setting(decided, settings):
    settings.AYNI_ACCESS_RETENTION_DAYS = 30
    with time_machine.travel(decided.decided_at + timedelta(days=31)):
        assert "eliminados: 1 (plazo: 30 días" in purge()


def test_pending_requests_keep_their_copy_within_the_retention(admin07):
    with time_machine.travel(timezone.now() - timedelta(days=89)):
        pending = AccessRequestFactory()
        observed = AccessRequestFactory()
        services.observe(admin07, observed, "Falta el reverso.")
    assert "eliminados: 0" in purge()
    for access_request in (pending, observed):
        access_request.refresh_from_db()
        assert default_storage.exists(access_request.attachment.name)


def test_requests_never_decided_lose_their_copy_the_retention_after_submission(admin07):
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        pending = AccessRequestFactory()
        observed = AccessRequestFactory()
        services.observe(admin07, observed, "Falta el reverso.")
    names = [pending.attachment.name, observed.attachment.name]
    assert "eliminados: 2" in purge()
    for access_request, name in zip((pending, observed), names, strict=True):
        assert not default_storage.exists(name)
        access_request.refresh_from_db()
        assert access_request.attachment.name == "" and access_request.attachment_deleted_at
        assert access_request.is_pending  # the request itself waits on
        event = access_request.events.get(action=RequestEvent.Action.ATTACHMENT_DELETED)
        assert event.actor is None
    line = AuditEvent.objects.filter(action="acceso.adjunto.eliminado").first()
    assert line.details["desde"] == "envío (sin decisión)"


def test_a_lost_file_does_not_stop_the_purge(decided):
    default_storage.delete(decided.attachment.name)
    other = AccessRequestFactory(decided_at=timezone.now() - timedelta(days=400))
    assert "eliminados: 2" in purge()
    assert not default_storage.exists(other.attachment.name)


def test_the_dry_run_lists_the_copies_due_and_deletes_nothing(decided, admin07):
    with time_machine.travel(decided.decided_at - timedelta(days=5)):
        never_decided = AccessRequestFactory()
    recent = AccessRequestFactory()
    later = decided.decided_at + timedelta(days=91)
    with time_machine.travel(later):
        out = purge("--dry-run")
    assert f"{decided.code}: {decided.attachment.name} (decidida el 2026-01-10)" in out
    name = never_decided.attachment.name
    assert f"{never_decided.code}: {name} (enviada el 2026-01-05, sin decisión)" in out
    assert recent.code not in out
    assert "Se eliminarían 2 documentos de identidad (plazo: 90 días" in out
    assert "no se borró nada" in out
    for access_request in (decided, never_decided):
        access_request.refresh_from_db()
        assert access_request.attachment_deleted_at is None
        assert default_storage.exists(access_request.attachment.name)
    assert not AuditEvent.objects.filter(action="acceso.adjunto.eliminado").exists()
    with time_machine.travel(later):
        assert "eliminados: 2" in purge()  # the real run deletes what the dry run listed

"""Public verifications that found nothing or were refused leave audit lines anybody can
pile up: they go after the retention; verifications of an issued document stay."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ayni.core.models import AuditEvent
from ayni.documents.selectors import refused_verifications
from ayni.documents.services import issue_document
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db


def verify(code, ip="198.51.100.7"):
    return Client().get(reverse("documents:verify", args=[code]), REMOTE_ADDR=ip)


def test_only_old_refused_verifications_are_deleted(servant_card_kind, settings):
    servant = ServantFactory()
    document = issue_document(servant_card_kind, servant, servant)
    settings.AYNI_VERIFICATIONS_PER_MINUTE = 2
    # Not ticking: the three checks stay in one rate-limit minute however slow the machine.
    with time_machine.travel(timezone.now() - timedelta(days=100), tick=False):
        assert verify(document.code).status_code == 200
        assert verify("x" * 24).status_code == 404
        assert verify("y" * 24).status_code == 429  # over the limit: refused
    assert verify("z" * 24, ip="192.0.2.1").status_code == 404  # recent: kept
    lines = AuditEvent.objects.filter(action="documento.verificacion")
    assert lines.count() == 4

    deleted, _ = refused_verifications(timezone.now() - timedelta(days=90)).purge()
    assert deleted == 2
    kept = sorted(lines.values_list("target_id", flat=True))
    assert kept == sorted([str(document.pk), "z" * 24])

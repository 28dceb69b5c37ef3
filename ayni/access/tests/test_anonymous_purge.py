"""`purge_anonymous_records`, run daily: expired CAPTCHA challenges and, past the retention,
the audit lines of refused anonymous requests go; everything else stays."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.core.management import call_command
from django.utils import timezone

from ayni.access.tests.helpers import access_form
from ayni.accounts.tests.factories import UserFactory
from ayni.core import audit
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_anonymous_records", *args, stdout=out)
    return out.getvalue()


def test_expired_captcha_challenges_are_deleted_and_live_ones_kept():
    with time_machine.travel(timezone.now() - timedelta(minutes=30)):
        old = [CaptchaStore.generate_key() for _ in range(3)]
    live = CaptchaStore.generate_key()
    assert "CAPTCHA vencidos eliminados: 3;" in purge()
    assert not CaptchaStore.objects.filter(hashkey__in=old).exists()
    assert CaptchaStore.objects.filter(hashkey=live).exists()


def test_a_page_view_leaves_a_challenge_that_the_purge_removes_once_expired(client):
    client.get("/acceso/solicitar/")
    assert CaptchaStore.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        purge()
    assert CaptchaStore.objects.count() == 0


def test_old_anonymous_limit_refusals_are_deleted(client, ugel07, settings):
    settings.AYNI_ACCESS_LIMIT_PER_IP = 0
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        client.post("/acceso/solicitar/", access_form(ugel07))
        audit.record(None, "contrasena.correo_limitado", None, None, outcome="denied")
        staff_line = audit.record(UserFactory(), "acceso.limite", None, None, outcome="denied")
        login = audit.record(None, "ingreso.fallido", None, None, outcome="failed")
    recent = audit.record(None, "acceso.limite", None, None, outcome="denied")
    assert AuditEvent.objects.filter(action="acceso.limite", actor__isnull=True).count() == 2
    assert "límites alcanzados: 2 (plazo: 90 días)" in purge()
    left = set(AuditEvent.objects.values_list("pk", flat=True))
    assert {staff_line.pk, login.pk, recent.pk} <= left
    assert not AuditEvent.objects.filter(
        action__in=["acceso.limite", "contrasena.correo_limitado"],
        actor__isnull=True,
        created_at__lt=timezone.now() - timedelta(days=90),
    ).exists()


def test_the_retention_is_a_setting(settings):
    settings.AYNI_ANONYMOUS_RECORDS_RETENTION_DAYS = 10
    with time_machine.travel(timezone.now() - timedelta(days=11)):
        audit.record(None, "acceso.limite", None, None, outcome="denied")
    assert "límites alcanzados: 1 (plazo: 10 días)" in purge()


def test_the_dry_run_lists_what_is_due_and_deletes_nothing(client):
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        CaptchaStore.generate_key()
        limit = audit.record(None, "acceso.limite", None, None, outcome="denied")
        lookup = audit.record(
            None, "documento.verificacion", "x" * 24, None, resultado="no_encontrada"
        )
    CaptchaStore.generate_key()  # live
    recent = audit.record(None, "acceso.limite", None, None, outcome="denied")
    before = (CaptchaStore.objects.count(), AuditEvent.objects.count())
    out = purge("--dry-run")
    assert f"Registro de auditoría {limit.pk}: " in out and "acceso.limite (denied)" in out
    assert f"Registro de auditoría {lookup.pk}: " in out
    assert f"Registro de auditoría {recent.pk}:" not in out
    assert (
        "CAPTCHA vencidos se eliminarían: 1; verificaciones sin resultado: 1; "
        "límites alcanzados: 1 (plazo: 90 días). Simulación (--dry-run): no se borró nada."
    ) in out
    assert (CaptchaStore.objects.count(), AuditEvent.objects.count()) == before
    assert "CAPTCHA vencidos eliminados: 1; verificaciones sin resultado: 1; " in purge()

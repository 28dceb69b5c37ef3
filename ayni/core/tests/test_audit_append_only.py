"""The audit log is append-only: a line is never changed nor deleted, one by one or in bulk."""

import pytest

from ayni.core.audit import record
from ayni.core.models import AppendOnly, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_line_cannot_be_changed_or_deleted():
    line = record(None, "prueba.accion", "x")
    line.action = "otra.accion"
    with pytest.raises(AppendOnly):
        line.save()
    with pytest.raises(AppendOnly):
        line.delete()
    assert AuditEvent.objects.get(pk=line.pk).action == "prueba.accion"


def test_nor_in_bulk():
    record(None, "prueba.accion", "x")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(action="prueba.accion").update(action="otra.accion")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(action="prueba.accion").count() == 1


def test_only_the_named_retention_purge_deletes():
    record(None, "prueba.accion", "x")
    deleted, _ = AuditEvent.objects.filter(action="prueba.accion").purge()
    assert deleted == 1 and not AuditEvent.objects.filter(action="prueba.accion").exists()

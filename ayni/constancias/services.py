"""Issuing a constancia: freeze its data, then sign and record it like every official
document (`ayni.documents.services.issue_document`)."""

from django.utils import timezone

from ayni.constancias import events, selectors
from ayni.constancias.models import Constancia
from ayni.core import audit
from ayni.core.files import files_with_rows
from ayni.documents.services import issue_document


def issue(kind: str, data: dict, servant, actor, request=None):
    """Store the frozen `data` and issue its signed PDF; returns the IssuedDocument."""
    with files_with_rows():
        constancia = Constancia.objects.create(
            kind=kind, servant=servant, requested_by=actor, data=data
        )
        document = issue_document(kind, constancia, servant, actor)
    audit.record(actor, events.ISSUED, constancia, request, tipo=kind, documento=document.code)
    return document


def issue_haberes(servant, first, last, actor, request=None):
    data = selectors.haberes_data(servant, first, last, timezone.localdate())
    return issue(Constancia.Kind.HABERES, data, servant, actor, request)


def issue_trabajo(legajo, actor, request=None):
    data = selectors.trabajo_data(legajo, timezone.localdate())
    return issue(Constancia.Kind.TRABAJO, data, legajo.servant, actor, request)


def issue_tiempo(legajo, actor, request=None):
    data = selectors.tiempo_data(legajo, timezone.localdate())
    return issue(Constancia.Kind.TIEMPO, data, legajo.servant, actor, request)

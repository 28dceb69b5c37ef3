from django.contrib.auth import get_user_model

from ayni.boletas.imports import import_queued_upload
from ayni.boletas.issuing import boleta_document
from ayni.boletas.models import Boleta
from ayni.boletas.notices import notify_new_boletas  # noqa: F401 (a task of the workers)
from ayni.core.tasks import DATABASE_RETRY
from config.celery import app


@app.task(acks_late=True, **DATABASE_RETRY)
def import_uploaded_planilla(record_id: int, actor_id: int) -> None:
    """Idempotent: a line already imported or rejected is left alone."""
    actor = get_user_model().objects.get(pk=actor_id)
    import_queued_upload(record_id, actor)


@app.task(acks_late=True, **DATABASE_RETRY)
def render_boleta_pdfs(boleta_ids: list[int]) -> int:
    """Issue the PDFs these boletas do not have yet (`render_boletas`); how many were made.

    Idempotent: each boleta is locked and checked first, so a batch handed out again after
    a worker died, or queued twice, skips what is done and never issues a second PDF.
    """
    issued = 0
    for boleta in Boleta.objects.filter(pk__in=boleta_ids).order_by("pk"):
        issued += boleta_document(boleta, None)[1]
    return issued

"""Every write of the boletas app: issuing PDFs and the staff's planilla uploads."""

from itertools import groupby

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ayni.boletas import events
from ayni.boletas.imports import (
    PlanillaSource,
    fill_record,
    import_planilla,
    record_rejection,
)
from ayni.boletas.models import DOCUMENT_KIND, Boleta, PlanillaImport
from ayni.boletas.selectors import current_document
from ayni.core import audit
from ayni.core.tasks import send_email
from ayni.documents.models import IssuedDocument
from ayni.documents.services import issue_document
from ayni.organizations.scoping import covered_units


def boleta_document(boleta: Boleta, actor) -> tuple[IssuedDocument, bool]:
    """The boleta's PDF record, issued now if it does not exist yet; (record, issued now).

    An annulled boleta gets its own copy with the ANULADO watermark.
    """
    with transaction.atomic():
        locked = Boleta.objects.select_for_update().select_related("servant").get(pk=boleta.pk)
        document = current_document(locked)
        if document is not None:
            return document, False
        document = issue_document(
            DOCUMENT_KIND, locked, locked.servant, actor, annulled=locked.is_annulled
        )
        return document, True


def _stored_source(record: PlanillaImport) -> PlanillaSource:
    name = record.stored_file.name
    return PlanillaSource(record.file_name, lambda: default_storage.open(name, "rb"), record.size)


def validate_upload(upload, actor, request=None) -> PlanillaImport:
    """Keep an uploaded planilla and check it without writing any boleta.

    The history line says "Validado, por confirmar" (counts of what the import would do)
    or "Rechazado" (its problems; the file is not kept).
    """
    record = PlanillaImport(
        file_name=upload.name[:255], origin=PlanillaImport.Origin.WEB, uploaded_by=actor,
        state=PlanillaImport.State.VALIDATED, size=upload.size,
    )  # fmt: skip
    record.stored_file.save(upload.name, upload, save=False)
    result = import_planilla(
        _stored_source(record), origin=PlanillaImport.Origin.WEB, actor=actor, dry_run=True,
        allowed_units=covered_units(actor, "boletas"), preview=True,
    )  # fmt: skip
    if result.ok:
        fill_record(record, result, PlanillaImport.State.VALIDATED)
        record.entities.set(result.entity_ids)
    else:
        record_rejection(result, PlanillaImport.Origin.WEB, actor, record)
        record.stored_file.delete(save=True)
    audit.record(actor, events.IMPORT_VALIDATED, record, request,
                 resultado=record.state, errores=record.error_count)  # fmt: skip
    return record


def confirm_import(record: PlanillaImport, actor, request=None) -> None:
    """Queue the import of a validated upload (a Celery task; in process without a broker)."""
    from ayni.boletas.tasks import import_uploaded_planilla

    updated = PlanillaImport.objects.filter(
        pk=record.pk, state=PlanillaImport.State.VALIDATED
    ).update(state=PlanillaImport.State.QUEUED)
    if updated:
        import_uploaded_planilla.delay_on_commit(record.pk, actor.pk)
    audit.record(actor, events.IMPORT_CONFIRMED, record, request)


PDF_BATCH = 20


def render_planilla_pdfs(record: PlanillaImport, actor, request=None) -> int:
    """Queue the PDFs an imported planilla's boletas do not have yet, in batches for the
    workers (in process without a broker); how many. Queued twice, nothing is made twice."""
    from ayni.boletas.selectors import planilla_boletas, with_document_flag
    from ayni.boletas.tasks import render_boleta_pdfs

    if record.state != PlanillaImport.State.IMPORTED:
        return 0
    pending = list(
        with_document_flag(planilla_boletas(record)).filter(has_document=False)
        .order_by("pk").values_list("pk", flat=True)
    )  # fmt: skip
    for start in range(0, len(pending), PDF_BATCH):
        render_boleta_pdfs.delay_on_commit(pending[start : start + PDF_BATCH])
    audit.record(actor, events.IMPORT_PDFS_QUEUED, record, request, boletas=len(pending))
    return len(pending)


def discard_import(record: PlanillaImport, actor=None, request=None) -> None:
    if record.state != PlanillaImport.State.VALIDATED:
        return
    record.state = PlanillaImport.State.DISCARDED
    record.stored_file.delete(save=False)
    record.save(update_fields=["state", "stored_file"])
    audit.record(actor, events.IMPORT_DISCARDED, record, request)


def import_queued_upload(record_id: int, actor) -> PlanillaImport | None:
    """Import a confirmed upload exactly as it was validated; checked again line by line, and
    refused if its outcome is no longer the one previewed (`PlanillaImport.outcome`)."""
    record = PlanillaImport.objects.filter(pk=record_id, state=PlanillaImport.State.QUEUED).first()
    if record is None:
        return None
    result = import_planilla(
        _stored_source(record), origin=PlanillaImport.Origin.WEB, actor=actor,
        allowed_units=covered_units(actor, "boletas"), record=record,
        expected_sha256=record.sha256, expected_outcome=record.outcome,
    )  # fmt: skip
    if not result.ok:
        record_rejection(result, PlanillaImport.Origin.WEB, actor, record)
    record.stored_file.delete(save=True)
    return record


def notify_new_boletas(planilla_import_id: int) -> int:
    """Tell each servant with an account (and an e-mail) about the boletas an import just
    added for them; returns how many mails were queued. Amounts stay out of the mail.

    Once per import, so once per new or changed boleta: the import is claimed first, and the
    mails are queued when the claim is committed (a task handed out again sends nothing)."""
    with transaction.atomic():
        claimed = PlanillaImport.objects.filter(
            pk=planilla_import_id, notified_at__isnull=True
        ).update(notified_at=timezone.now())
        if not claimed:
            return 0
        return _queue_notices(planilla_import_id)


def _queue_notices(planilla_import_id: int) -> int:
    boletas = (
        Boleta.objects.filter(
            imported_in_id=planilla_import_id,
            servant__account__is_active=True,
        )
        .exclude(servant__account__email="")
        .select_related("servant__account")
        .order_by("servant_id", "-period", "payroll_type")
    )
    context = {
        "mine_url": settings.AYNI_PUBLIC_BASE_URL.rstrip("/") + reverse("boletas:mine"),
        "platform_name": settings.AYNI_PLATFORM_NAME,
        "support_email": settings.AYNI_SUPPORT_EMAIL,
        "support_phone": settings.AYNI_SUPPORT_PHONE,
        "support_hours": settings.AYNI_SUPPORT_HOURS,
    }
    queued = 0
    for _, group in groupby(boletas.iterator(chunk_size=2000), key=lambda b: b.servant_id):
        servant_boletas = list(group)
        user = servant_boletas[0].servant.account
        text = render_to_string(
            "boletas/mail/new_boletas.txt", {**context, "user": user, "boletas": servant_boletas}
        )
        send_email.delay_on_commit(
            f"Nueva boleta de pago — {settings.AYNI_PLATFORM_NAME}", [user.email], text
        )
        queued += 1
    return queued


def open_boleta_pdf(boleta: Boleta, actor, request=None, *, download=False, **details):
    """The boleta's PDF record for `actor` to see or save (issued now if needed), recorded as
    the servant's own or as a staff member's look at someone else's boleta."""
    document, issued_now = boleta_document(boleta, actor)
    own = boleta.servant_id == getattr(actor, "servant_id", None)
    if own:
        event = events.OWN_DOWNLOADED if download else events.OWN_VIEWED
    else:
        event = events.STAFF_DOWNLOADED if download else events.STAFF_VIEWED
    audit.record(actor, event, boleta, request, documento=document.code,
                 emitido_ahora=issued_now, **details)  # fmt: skip
    return document

"""What the views of the boletas app do: the staff's planilla uploads (validated, queued,
discarded), the PDFs of an import queued, a boleta's PDF opened (audited)."""

from django.utils import timezone

from ayni.boletas import events
from ayni.boletas.imports import (
    PlanillaSource,
    fill_record,
    import_planilla,
    record_rejection,
)
from ayni.boletas.issuing import boleta_document
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.selectors import unconfirmed_uploads
from ayni.boletas.tasks import import_uploaded_planilla, render_boleta_pdfs
from ayni.core import audit
from ayni.delivery.services import record_access
from ayni.organizations.scoping import covered_units


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
        PlanillaSource.from_record(record), origin=PlanillaImport.Origin.WEB, actor=actor,
        dry_run=True, allowed_units=covered_units(actor, "boletas"), preview=True,
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


def purge_unconfirmed_uploads(now=None) -> int:
    """Discard (as "Descartar" does) the uploads listed by `unconfirmed_uploads`; how many."""
    discarded = 0
    for record in unconfirmed_uploads(now or timezone.now()).iterator():
        discard_import(record)
        discarded += 1
    return discarded


def discard_import(record: PlanillaImport, actor=None, request=None) -> None:
    if record.state != PlanillaImport.State.VALIDATED:
        return
    record.state = PlanillaImport.State.DISCARDED
    record.stored_file.delete(save=False)
    record.save(update_fields=["state", "stored_file"])
    audit.record(actor, events.IMPORT_DISCARDED, record, request)


def open_boleta_pdf(boleta: Boleta, actor, request=None, *, download=False, **details):
    """The boleta's PDF record for `actor` to see or save (issued now if needed), recorded as
    the servant's own or as a staff member's look at someone else's boleta."""
    document, issued_now = boleta_document(boleta, actor)
    own = boleta.servant_id == getattr(actor, "servant_id", None)
    if own:
        record_access(boleta, download, request)
        event = events.OWN_DOWNLOADED if download else events.OWN_VIEWED
    else:
        event = events.STAFF_DOWNLOADED if download else events.STAFF_VIEWED
    audit.record(actor, event, boleta, request, documento=document.code,
                 emitido_ahora=issued_now, **details)  # fmt: skip
    return document

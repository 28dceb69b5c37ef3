"""Every write to a legajo, its requests and its reports. Callers pass objects already
fetched through `selectors` (the requester's scope); each function is one transaction."""

import hashlib
import json
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ayni.core import audit
from ayni.core.files import files_with_rows
from ayni.core.formats import datetime_dmy
from ayni.core.mail import queue_email
from ayni.core.sequences import format_code, reserve_numbers
from ayni.core.uploads import check_supporting_document
from ayni.documents.models import IssuedDocument
from ayni.documents.services import issue_document
from ayni.legajo import events
from ayni.legajo.models import (
    Action,
    Attachment,
    ChangeRequest,
    ItemHistory,
    Legajo,
    LegajoReport,
    ProposedChange,
)
from ayni.legajo.reports import report_data
from ayni.legajo.sections import Section, get_section, section_title
from ayni.organizations.authority import require_authority
from ayni.organizations.models import StaffRole, Unit

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 5
KEEPING_KINDS = (Unit.Kind.UGEL, Unit.Kind.DRE, Unit.Kind.GRE)


class AlreadyDecided(Exception):
    """Another specialist (or the servant) settled the request first."""

    OUTCOMES = {
        ChangeRequest.State.APPROVED: "atendida",
        ChangeRequest.State.REJECTED: "rechazada",
        ChangeRequest.State.ANNULLED: "anulada",
    }

    def __init__(self, change_request: ChangeRequest):
        outcome = self.OUTCOMES.get(change_request.state, "decidida")
        when = f" el {datetime_dmy(change_request.decided_at)}" if change_request.decided_at else ""
        super().__init__(
            f"La solicitud {change_request.code} ya fue {outcome}{when}; no se hizo ningún cambio."
        )
        self.change_request = change_request


# --- The legajo and its items (specialists) -------------------------------------------


def keeping_unit(unit: Unit) -> Unit:
    """The UGEL or DRE that keeps the legajos of a unit's staff (the unit itself if none)."""
    codes = [code for code in unit.path.strip("/").split("/") if code]
    keepers = Unit.objects.filter(code__in=codes, kind__in=KEEPING_KINDS).order_by("-path")
    return keepers.first() or unit


def _history(legajo, section_key, item_id, action, before, after, actor, change_request=None):
    ItemHistory.objects.create(
        legajo=legajo,
        section=section_key,
        item_id=item_id,
        action=action,
        before=before,
        after=after,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        change_request=change_request,
    )


def _require_attending(actor, servant) -> None:
    """The one rule of `authority`: nobody attends their own legajo, nor a superuser's
    unless a superuser, nor anyone outside the units their escalafón role covers."""
    require_authority(actor, servant, StaffRole.Role.ESCALAFON)


@transaction.atomic
def open_legajo(servant, actor, request=None) -> Legajo:
    _require_attending(actor, servant)
    if Legajo.objects.filter(servant=servant).exists():
        raise ValidationError(f"{servant.full_name} ya tiene legajo.")
    if servant.unit_id is None:
        raise ValidationError(f"{servant.full_name} no tiene unidad; no se puede abrir su legajo.")
    unit = keeping_unit(servant.unit)
    legajo = Legajo.objects.create(servant=servant, unit=unit, opened_by=actor)
    _history(legajo, ItemHistory.LEGAJO_SECTION, legajo.pk, Action.CREATE, None,
             {"unidad": unit.code, "vigente": True}, actor)  # fmt: skip
    audit.record(actor, events.OPENED, legajo, request, servidor=servant.document_number)
    return legajo


@transaction.atomic
def set_vigente(legajo: Legajo, vigente: bool, actor, request=None) -> Legajo:
    _require_attending(actor, legajo.servant)
    legajo = Legajo.objects.select_for_update().get(pk=legajo.pk)
    if legajo.vigente != vigente:
        _history(legajo, ItemHistory.LEGAJO_SECTION, legajo.pk, Action.UPDATE,
                 {"vigente": legajo.vigente}, {"vigente": vigente}, actor)  # fmt: skip
        legajo.vigente = vigente
        legajo.save(update_fields=["vigente"])
        audit.record(actor, events.VIGENCIA_CHANGED, legajo, request, vigente=vigente)
    return legajo


def _write_item(legajo, section: Section, values: dict, actor, item=None, change_request=None):
    """Create or update one item (validated as a whole) and keep its history."""
    before = section.snapshot(item) if item is not None else None
    if item is None:
        item = section.model(legajo=legajo)
    for name, value in values.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    after = section.snapshot(item)
    if before != after:
        action = Action.CREATE if before is None else Action.UPDATE
        _history(legajo, section.key, item.pk, action, before, after, actor, change_request)
    return item


def _delete_item(legajo, section: Section, item, actor, change_request=None) -> None:
    _history(legajo, section.key, item.pk, Action.DELETE, section.snapshot(item), None, actor,
             change_request)  # fmt: skip
    item.delete()


@transaction.atomic
def save_item(legajo, section: Section, values: dict, actor, item=None, request=None):
    """A specialist records an item directly (it is their job); history says who."""
    _require_attending(actor, legajo.servant)
    item = _write_item(legajo, section, values, actor, item=item)
    audit.record(actor, events.ITEM_SAVED, item, request, seccion=section.key)
    return item


@transaction.atomic
def delete_item(legajo, section: Section, item, actor, request=None) -> None:
    _require_attending(actor, legajo.servant)
    audit.record(actor, events.ITEM_DELETED, item, request, seccion=section.key)
    _delete_item(legajo, section, item, actor)


# --- Requests: the servant's draft ----------------------------------------------------


def pending_request(legajo, section: Section) -> ChangeRequest | None:
    return ChangeRequest.objects.filter(
        legajo=legajo, section=section.key, state=ChangeRequest.State.PENDING
    ).first()


def _ensure_no_pending(legajo, section: Section) -> None:
    pending = pending_request(legajo, section)
    if pending:
        raise ValidationError(
            f"Ya tiene la solicitud {pending.code} en trámite para «{section.title}»; "
            "espere su atención o anúlela antes de pedir otros cambios."
        )


CEASED_NO_REQUESTS = (
    "Su legajo está cerrado por su cese: ya no puede solicitar actualizaciones por la "
    "plataforma. Para corregir un dato, diríjase a la oficina de escalafón de su UGEL/DRE."
)


def _ensure_open(legajo) -> None:
    """A ceased servant reads their closed legajo; they no longer ask for changes to it."""
    if legajo.ceased:
        raise ValidationError(CEASED_NO_REQUESTS, code="ceased")


def _draft(legajo, section: Section) -> ChangeRequest:
    _ensure_open(legajo)
    _ensure_no_pending(legajo, section)
    draft, _ = ChangeRequest.objects.get_or_create(
        legajo=legajo, section=section.key, state=ChangeRequest.State.DRAFT
    )
    return draft


def _check_allowed(section: Section, action: str) -> None:
    if not section.servant_may(action):
        allowed = ", ".join(
            Action(a).label.lower() for a in Action.values if section.servant_may(a)
        )
        raise ValidationError(
            f"En «{section.title}» solo puede solicitar: {allowed or 'nada'}.", code="not_allowed"
        )


@transaction.atomic
def propose_new(legajo, section: Section, values: dict, change=None) -> ProposedChange:
    """Add a new item to the draft (or edit one already proposed as new)."""
    _check_allowed(section, Action.CREATE)
    draft = _draft(legajo, section)
    if (
        change is None
        and section.single
        and (section.items(legajo).exists() or draft.changes.filter(action=Action.CREATE).exists())
    ):
        raise ValidationError(f"«{section.title}» admite un solo registro: modifíquelo.")
    after = {k: section.to_json(k, v) for k, v in values.items()}
    if change is None:
        return ProposedChange.objects.create(change_request=draft, action=Action.CREATE,
                                             after=after)  # fmt: skip
    change.after = after
    change.save(update_fields=["after"])
    return change


@transaction.atomic
def propose_update(legajo, section: Section, item_pk: int, values: dict) -> ProposedChange:
    """Ask for new values of an item; "before" is the item as stored now."""
    _check_allowed(section, Action.UPDATE)
    draft = _draft(legajo, section)
    item = section.items(legajo).get(pk=item_pk)
    before = section.snapshot(item)
    after = {**before, **{k: section.to_json(k, v) for k, v in values.items()}}
    if after == before:
        raise ValidationError("No cambió ningún dato del registro.")
    change, _ = ProposedChange.objects.update_or_create(
        change_request=draft, item_id=item.pk,
        defaults={"action": Action.UPDATE, "before": before, "after": after},
    )  # fmt: skip
    return change


@transaction.atomic
def propose_delete(legajo, section: Section, item) -> ProposedChange:
    _check_allowed(section, Action.DELETE)
    draft = _draft(legajo, section)
    change, _ = ProposedChange.objects.update_or_create(
        change_request=draft, item_id=item.pk,
        defaults={"action": Action.DELETE, "before": section.snapshot(item), "after": None},
    )  # fmt: skip
    return change


@transaction.atomic
def withdraw_change(change: ProposedChange) -> None:
    if change.change_request.state != ChangeRequest.State.DRAFT:
        raise ValidationError("Solo se pueden quitar cambios de un borrador.")
    change.delete()


def _delete_files_on_commit(attachments) -> None:
    files = [(a.file.storage, a.file.name) for a in attachments]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def discard_draft(draft: ChangeRequest) -> None:
    if draft.state != ChangeRequest.State.DRAFT:
        raise ValidationError("Solo se puede descartar un borrador.")
    _delete_files_on_commit(list(draft.attachments.all()))
    draft.delete()


@files_with_rows()
def attach(legajo, section: Section, uploaded) -> Attachment:
    draft = _draft(legajo, section)
    if draft.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(f"Puede adjuntar como máximo {MAX_ATTACHMENTS} documentos.")
    kind = check_supporting_document(uploaded, MAX_ATTACHMENT_BYTES)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    attachment = Attachment(
        change_request=draft,
        original_name=PurePath(uploaded.name or "archivo").name[:200],
        content_type=kind.mime,
        size=uploaded.size,
        sha256=digest.hexdigest(),
    )
    with files_with_rows() as files:
        files.save(attachment.file, f"adjunto.{kind.extension}", uploaded)
        attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment) -> None:
    if attachment.change_request.state != ChangeRequest.State.DRAFT:
        raise ValidationError("Solo se pueden quitar adjuntos de un borrador.")
    _delete_files_on_commit([attachment])
    attachment.delete()


REQUEST_PREFIX = "SOL"


def request_code(year: int, number: int) -> str:
    return format_code(REQUEST_PREFIX, year, number)


@transaction.atomic
def submit(draft: ChangeRequest, comment: str, actor, request=None) -> ChangeRequest:
    draft = ChangeRequest.objects.select_for_update().get(pk=draft.pk)
    if draft.state != ChangeRequest.State.DRAFT:
        raise ValidationError("Esta solicitud ya fue enviada.")
    if not draft.changes.exists():
        raise ValidationError("Agregue al menos un cambio antes de enviar la solicitud.")
    _ensure_open(draft.legajo)
    _ensure_no_pending(draft.legajo, get_section(draft.section))
    return _send(draft, comment, actor, request)


def _send(change_request: ChangeRequest, comment: str, actor, request) -> ChangeRequest:
    """Number the request (SOL-año-número) and put it in the tray, in the caller's transaction."""
    now = timezone.now()
    year = timezone.localdate(now).year
    change_request.year, change_request.number = year, reserve_numbers(REQUEST_PREFIX, year)
    change_request.code = request_code(year, change_request.number)
    change_request.state = ChangeRequest.State.PENDING
    change_request.submitted_at = now
    change_request.comment = comment.strip()
    change_request.save()
    audit.record(actor, events.REQUEST_SUBMITTED, change_request, request,
                 codigo=change_request.code)  # fmt: skip
    return change_request


def informe_refusal(legajo) -> str:
    """Why the servant cannot ask for an informe escalafonario now ("" when they can)."""
    if legajo is None or not (legajo.vigente or legajo.ceased):
        return (
            "Su legajo no está vigente en la plataforma; el informe escalafonario se emite del "
            "legajo. Consulte a la oficina de escalafón de su UGEL/DRE."
        )
    pending = ChangeRequest.objects.filter(
        legajo=legajo, section=ChangeRequest.INFORME, state=ChangeRequest.State.PENDING
    ).first()
    if pending:
        return (
            f"Ya tiene la solicitud {pending.code} de informe escalafonario en trámite; "
            "espere su atención o anúlela antes de pedir otro."
        )
    return ""


@transaction.atomic
def request_informe(legajo: Legajo, comment: str, actor, request=None) -> ChangeRequest:
    """The servant asks for their informe escalafonario; the escalafón specialist of the unit
    attends it from the tray (`decide`), which issues it. One pending at a time."""
    Legajo.objects.select_for_update().get(pk=legajo.pk)  # two clicks at once: one request
    refusal = informe_refusal(legajo)
    if refusal:
        raise ValidationError(refusal)
    change_request = ChangeRequest(legajo=legajo, section=ChangeRequest.INFORME)
    return _send(change_request, comment, actor, request)


@transaction.atomic
def annul(change_request: ChangeRequest, actor, request=None) -> ChangeRequest:
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if locked.state != ChangeRequest.State.PENDING:
        raise AlreadyDecided(locked)
    locked.state = ChangeRequest.State.ANNULLED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.save(update_fields=["state", "decided_at", "decided_by"])
    audit.record(actor, events.REQUEST_ANNULLED, locked, request, codigo=locked.code)
    return locked


# --- Requests: the specialist's decision ---------------------------------------------


def _apply(change_request: ChangeRequest, actor) -> None:
    """Make every proposed change real, in the caller's transaction (all or nothing)."""
    legajo = change_request.legajo
    section = get_section(change_request.section)
    for change in change_request.changes.all():
        if change.action == Action.CREATE:
            item = _write_item(legajo, section, section.from_snapshot(change.after), actor,
                               change_request=change_request)  # fmt: skip
            change.applied_item_id = item.pk
            change.save(update_fields=["applied_item_id"])
            continue
        item = section.items(legajo).select_for_update().filter(pk=change.item_id).first()
        if item is None:
            raise ValidationError(
                f"El registro «{section.describe(change.before)}» ya no está en el legajo; "
                "no se aplicó ningún cambio. Rechace la solicitud indicando el motivo."
            )
        if change.action == Action.DELETE:
            _delete_item(legajo, section, item, actor, change_request)
        else:
            before = change.before or {}
            asked = {k: v for k, v in change.after.items() if before.get(k) != v}
            _write_item(legajo, section, section.from_snapshot(asked), actor, item=item,
                        change_request=change_request)  # fmt: skip
        change.applied_item_id = item.pk
        change.save(update_fields=["applied_item_id"])


def decide(change_request: ChangeRequest, actor, approve: bool, observation: str = "",
           request=None) -> ChangeRequest:  # fmt: skip
    """Atender (apply every change, or issue the informe asked for and link it) or Rechazar
    (with an observation); one decision wins.

    The request row is locked first and its state checked under the lock, so of two
    specialists deciding at once the second waits, then finds it decided.
    """
    observation = (observation or "").strip()
    if not approve and not observation:
        raise ValidationError({"observation": "Escriba el motivo del rechazo (observación)."})
    _require_attending(actor, change_request.legajo.servant)
    with files_with_rows():  # an informe's stored PDF goes if the decision fails
        locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if locked.state != ChangeRequest.State.PENDING:
            raise AlreadyDecided(locked)
        if approve and locked.is_informe:
            locked.document = issue_report(locked.legajo, LegajoReport.Kind.INFORME, actor,
                                           request)  # fmt: skip
        elif approve:
            _apply(locked, actor)
        locked.state = ChangeRequest.State.APPROVED if approve else ChangeRequest.State.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.observation = observation
        locked.save(update_fields=["state", "decided_at", "decided_by", "observation", "document"])
        audit.record(actor, events.REQUEST_DECIDED, locked, request, codigo=locked.code,
                     decision=locked.state)  # fmt: skip
        _mail_decision(locked)
    return locked


def _mail_decision(change_request: ChangeRequest) -> None:
    """Tell the servant, after commit, how the request was decided (if they have an e-mail)."""
    servant = change_request.legajo.servant
    account = getattr(servant, "account", None)
    if account is None or not account.email:
        return
    context = {
        "change_request": change_request,
        "servant": servant,
        "outcome": AlreadyDecided.OUTCOMES[change_request.state],
        "section_label": section_title(change_request.section),
        "unit_name": change_request.legajo.unit.name,
        "platform_name": settings.AYNI_PLATFORM_NAME,
        "detail_url": settings.AYNI_PUBLIC_BASE_URL.rstrip("/")
        + reverse("legajo:solicitud", args=[change_request.pk]),
    }
    queue_email(
        f"Solicitud {change_request.code}: {change_request.get_state_display().upper()}",
        [account.email],
        render_to_string("legajo/mail/decision.txt", context),
        render_to_string("legajo/mail/decision.html", context),
    )


# --- Reports (hoja de vida, informe escalafonario) -------------------------------------


@files_with_rows()
def issue_report(legajo: Legajo, kind: str, actor, request=None) -> IssuedDocument:
    """The official PDF of the legajo as it is today; the same content is issued only once."""
    data = report_data(legajo, kind, timezone.localdate())
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    same = LegajoReport.objects.filter(legajo=legajo, kind=kind, data_sha256=digest)
    document = (
        IssuedDocument.objects.filter(
            kind=kind,
            source_type=ContentType.objects.get_for_model(LegajoReport),
            source_id__in=same.values("pk"),
            state=IssuedDocument.State.VALID,
        )
        .order_by("-issued_at")
        .first()
    )
    if document is None:
        report = LegajoReport.objects.create(legajo=legajo, kind=kind, data=data,
                                             data_sha256=digest)  # fmt: skip
        document = issue_document(kind, report, legajo.servant, actor)
    audit.record(actor, events.REPORT_ISSUED[kind], document, request, codigo=document.code,
                 servidor=legajo.servant.document_number)  # fmt: skip
    return document

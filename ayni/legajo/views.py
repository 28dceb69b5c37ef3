"""Thin views: read through `selectors` (the requester's scope), write through `services`."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ayni.core import audit, exports
from ayni.core.decorators import servant_required
from ayni.core.http import safe_next
from ayni.documents.services import document_bytes
from ayni.legajo import events, notice, selectors, services
from ayni.legajo.forms import (
    TRAY_DEFAULT_STATE,
    AttachmentForm,
    DecisionForm,
    ServantSearchForm,
    SubmitForm,
    TrayFilterForm,
)
from ayni.legajo.models import Action, ChangeRequest, ItemHistory, LegajoReport
from ayni.legajo.sections import SECTIONS, get_section, section_title
from ayni.legajo.service_time import for_legajo
from ayni.organizations.scoping import has_role

PAGE_SIZE = 25


def specialist_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_role(request.user, selectors.ESCALAFON):
            raise PermissionDenied("Solo para especialistas de escalafón.")
        return view(request, *args, **kwargs)

    return wrapper


def open_legajo_required(view):
    """Pages that build a request: a servant whose legajo is closed by their cese is sent
    back to «Actualizar mi legajo», which says why and what they can do instead."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        legajo = selectors.own_legajo(request.user)
        if legajo is not None and legajo.ceased:
            messages.error(request, services.CEASED_NO_REQUESTS)
            return redirect("legajo:actualizar")
        return view(request, *args, **kwargs)

    return wrapper


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    return exports.list_query(request)


def _confirm(request, *, title, message, cancel_url):
    """The confirmation page of an action: its form posts back to the same URL."""
    return render(
        request,
        "legajo/confirmar.html",
        {"title": title, "message": message, "cancel_url": cancel_url},
    )


def _cells(section, values) -> list[tuple[str, str]]:
    """(column header, value) pairs: tables label every cell, so they stack on a phone."""
    return list(zip(section.headers(), values, strict=True))


def _section_tables(legajo):
    return [
        {
            "section": section,
            "headers": section.headers(),
            "rows": [
                {"item": item, "cells": _cells(section, section.row(item))}
                for item in section.items(legajo)
            ],
        }
        for section in SECTIONS
    ]


def _change_rows(section, change, current=None, use_current=False):
    """Before/after rows of a proposed change; `current` replaces "before" for reviewers."""
    before = current if use_current else change.before
    return {
        "change": change,
        "label": section.describe(change.after or change.before),
        "rows": section.differences(before, change.after),
    }


def _serve_document(document, download: bool) -> HttpResponse:
    """The issued PDF as stored (rebuilt if the file was lost), in the same tab or saved."""
    response = HttpResponse(document_bytes(document), content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    filename = document.file.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Notice after login ----------------------------------------------------------------


@require_POST
@login_required
def notice_ok(request):
    request.session.pop(notice.SESSION_KEY, None)
    return redirect(safe_next(request, "core:home"))


# --- Mi legajo ------------------------------------------------------------------------


@servant_required
def mi_legajo(request):
    legajo = selectors.own_legajo(request.user)
    context = {"legajo": legajo, "notice_text": notice.TEXT}
    if legajo is not None:
        audit.record(request.user, events.OWN_VIEWED, legajo, request)
        context["tables"] = _section_tables(legajo)
        context["service_time"] = for_legajo(legajo, timezone.localdate())
    return render(request, "legajo/mi_legajo.html", context)


@servant_required
def actualizar(request):
    legajo = selectors.own_legajo(request.user)
    open_requests = selectors.own_drafts_and_pending(request.user)
    sections = [
        {"section": s, "open": open_requests.get(s.key)} for s in SECTIONS if s.servant_may_request
    ]
    return render(
        request,
        "legajo/actualizar.html",
        {"legajo": legajo, "sections": sections, "notice_text": notice.TEXT},
    )


def _own_legajo_or_404(request):
    legajo = selectors.own_legajo(request.user)
    if legajo is None:
        raise Http404("No tiene legajo.")
    return legajo


@servant_required
@open_legajo_required
def editar_seccion(request, section_key):
    section = get_section(section_key)
    legajo = _own_legajo_or_404(request)
    audit.record(request.user, events.OWN_VIEWED, legajo, request, seccion=section.key)
    draft = selectors.own_draft(request.user, section.key)
    changes = list(draft.changes.all()) if draft else []
    by_item = {c.item_id: c for c in changes if c.item_id}
    current = [
        {"item": item, "cells": _cells(section, section.row(item)), "change": by_item.get(item.pk)}
        for item in section.items(legajo)
    ]
    proposed = [
        {
            "change": c,
            "cells": _cells(section, [section.display(n, c.after.get(n)) for n in section.columns]),
        }
        for c in changes
        if c.action == Action.CREATE
    ]
    headers = section.headers()
    context = {
        "section": section,
        "current": {"section": section, "headers": headers, "rows": current},
        "proposed": {"section": section, "headers": headers, "rows": proposed},
        "draft": draft,
        "pending": services.pending_request(legajo, section),
        "attachments": list(draft.attachments.all()) if draft else [],
        "attachment_form": AttachmentForm(),
        "may_create": section.servant_may(Action.CREATE)
        and not (section.single and (current or proposed)),
        "may_update": section.servant_may(Action.UPDATE),
        "may_delete": section.servant_may(Action.DELETE),
    }
    return render(request, "legajo/editar_seccion.html", context)


def _values(section, form) -> dict:
    return {name: form.cleaned_data[name] for name in section.fields}


def _item_form(request, section, form, save, *, title, back, explanation, saved, subtitle=""):
    """One item's form, for a servant's proposal or a specialist's record: a valid POST
    calls `save(values)`; a ValidationError it raises shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save(_values(section, form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, saved)
            return redirect(back)
    return render(
        request,
        "legajo/item_form.html",
        {
            "section": section,
            "form": form,
            "title": title,
            "subtitle": subtitle,
            "cancel_url": back,
            "explanation": explanation,
        },
    )


PROPOSAL_EXPLANATION = (
    "Pulse Guardar para dejarlo en el borrador de su solicitud; el cambio se aplica a su "
    "legajo cuando su UGEL/DRE atienda la solicitud."
)


@servant_required
@open_legajo_required
def proponer_nuevo(request, section_key, change_pk=None):
    section = get_section(section_key)
    legajo = _own_legajo_or_404(request)
    change = selectors.own_draft_change(request.user, section, change_pk) if change_pk else None
    if change is not None and change.action != Action.CREATE:
        raise Http404("Ese cambio no es un registro nuevo.")
    initial = section.from_snapshot(change.after) if change else None
    return _item_form(
        request, section, section.form_class(request.POST or None, initial=initial),
        lambda values: services.propose_new(legajo, section, values, change=change),
        title=f"Nuevo registro — {section.title}",
        back=reverse("legajo:editar_seccion", args=[section.key]),
        explanation=PROPOSAL_EXPLANATION,
        saved="Registro nuevo guardado en el borrador de su solicitud.",
    )  # fmt: skip


@servant_required
@open_legajo_required
def proponer_modificacion(request, section_key, item_pk):
    section = get_section(section_key)
    legajo = _own_legajo_or_404(request)
    item = selectors.own_item(request.user, section, item_pk)
    draft = selectors.own_draft(request.user, section.key)
    change = draft.changes.filter(item_id=item.pk, action=Action.UPDATE).first() if draft else None
    initial = section.from_snapshot(change.after) if change else None
    return _item_form(
        request, section, section.form_class(request.POST or None, instance=item, initial=initial),
        lambda values: services.propose_update(legajo, section, item.pk, values),
        title=f"Modificar registro — {section.title}",
        back=reverse("legajo:editar_seccion", args=[section.key]),
        explanation=PROPOSAL_EXPLANATION,
        saved="Modificación guardada en el borrador de su solicitud.",
    )  # fmt: skip


@servant_required
@open_legajo_required
def proponer_eliminacion(request, section_key, item_pk):
    section = get_section(section_key)
    legajo = _own_legajo_or_404(request)
    item = selectors.own_item(request.user, section, item_pk)
    back = reverse("legajo:editar_seccion", args=[section.key])
    if request.method == "POST":
        try:
            services.propose_delete(legajo, section, item)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "Pedido de eliminación guardado en el borrador.")
        return redirect(back)
    return _confirm(
        request,
        title="Solicitar la eliminación de un registro",
        message=f"¿Pedir que se elimine «{section.describe(section.snapshot(item))}» de "
        f"«{section.title}»?",
        cancel_url=back,
    )


@require_POST
@servant_required
@open_legajo_required
def quitar_cambio(request, section_key, change_pk):
    section = get_section(section_key)
    change = selectors.own_draft_change(request.user, section, change_pk)
    services.withdraw_change(change)
    messages.success(request, "Cambio quitado del borrador.")
    return redirect("legajo:editar_seccion", section.key)


@require_POST
@servant_required
@open_legajo_required
def adjuntar(request, section_key):
    section = get_section(section_key)
    legajo = _own_legajo_or_404(request)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Adjunto: " + " ".join(form.errors.get("archivo", [])))
    else:
        try:
            services.attach(legajo, section, form.cleaned_data["archivo"])
        except ValidationError as error:
            messages.error(request, "Adjunto: " + _error_text(error))
        else:
            messages.success(request, "Documento adjuntado al borrador.")
    return redirect("legajo:editar_seccion", section.key)


@require_POST
@servant_required
@open_legajo_required
def quitar_adjunto(request, section_key, attachment_pk):
    section = get_section(section_key)
    services.remove_attachment(selectors.own_draft_attachment(request.user, section, attachment_pk))
    messages.success(request, "Documento quitado del borrador.")
    return redirect("legajo:editar_seccion", section.key)


@servant_required
def descartar(request, section_key):
    section = get_section(section_key)
    draft = selectors.own_draft(request.user, section.key)
    if draft is None:
        raise Http404("No hay borrador.")
    if request.method == "POST":
        services.discard_draft(draft)
        messages.success(request, f"Borrador de «{section.title}» descartado.")
        return redirect("legajo:actualizar")
    return _confirm(
        request,
        title="Descartar el borrador",
        message=f"¿Descartar todos los cambios y adjuntos del borrador de «{section.title}»?",
        cancel_url=reverse("legajo:editar_seccion", args=[section.key]),
    )


@servant_required
@open_legajo_required
def enviar(request, section_key):
    section = get_section(section_key)
    draft = selectors.own_draft(request.user, section.key)
    if draft is None:
        raise Http404("No hay borrador.")
    form = SubmitForm(request.POST or None, initial={"comentario": draft.comment})
    if request.method == "POST" and form.is_valid():
        try:
            submitted = services.submit(draft, form.cleaned_data["comentario"], request.user,
                                        request)  # fmt: skip
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("legajo:editar_seccion", section.key)
        messages.success(
            request, f"Su solicitud fue enviada con el código {submitted.code}. Guárdelo para "
            "hacer el seguimiento.",
        )  # fmt: skip
        return redirect("legajo:solicitud", submitted.pk)
    return render(
        request,
        "legajo/enviar.html",
        {
            "section": section,
            "draft": draft,
            "form": form,
            "changes": [_change_rows(section, c) for c in draft.changes.all()],
            "attachments": draft.attachments.all(),
        },
    )


# --- Seguimiento ----------------------------------------------------------------------


@servant_required
def seguimiento(request):
    requests = selectors.own_requests(request.user).order_by("-submitted_at", "-id")
    return render(request, "legajo/seguimiento.html", {"page": _page(request, requests)})


@servant_required
def pedir_informe(request):
    """The servant asks for their informe escalafonario (a request in the unit's tray)."""
    legajo = selectors.own_legajo(request.user)
    refusal = services.informe_refusal(legajo)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            sent = services.request_informe(legajo, form.cleaned_data["comentario"],
                                            request.user, request)  # fmt: skip
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("legajo:seguimiento")
        messages.success(
            request, f"Su solicitud de informe escalafonario fue enviada con el código "
            f"{sent.code}. Cuando sea atendida, el informe aparecerá en su detalle.",
        )  # fmt: skip
        return redirect("legajo:solicitud", sent.pk)
    return render(request, "legajo/pedir_informe.html", {"form": form, "refusal": refusal})


def _request_context(change_request, use_current=False) -> dict:
    """The changes and attachments of a request (an informe request has neither)."""
    if change_request.is_informe:
        return {"change_request": change_request}
    section = get_section(change_request.section)
    current = {}
    if use_current:
        current = {i.pk: section.snapshot(i) for i in section.items(change_request.legajo)}
    changes = [
        _change_rows(section, c, current.get(c.item_id), use_current=use_current)
        for c in change_request.changes.all()
    ]
    return {
        "change_request": change_request,
        "changes": changes,
        "attachments": change_request.attachments.all(),
    }


@servant_required
def solicitud(request, pk):
    change_request = selectors.own_request(request.user, pk)
    audit.record(request.user, events.OWN_REQUEST_VIEWED, change_request, request)
    return render(request, "legajo/solicitud.html", _request_context(change_request))


@servant_required
def anular(request, pk):
    change_request = selectors.own_request(request.user, pk)
    return _annul(request, change_request, reverse("legajo:solicitud", args=[pk]))


@servant_required
def anular_en_seccion(request, section_key, pk):
    """The same annulment from the section's page («Acciones»), which it returns to."""
    section = get_section(section_key)
    change_request = selectors.own_request(request.user, pk)
    if change_request.section != section.key:
        raise Http404("La solicitud no es de esta sección.")
    return _annul(request, change_request, reverse("legajo:editar_seccion", args=[section.key]))


def _annul(request, change_request, back):
    """Confirm (GET), then annul (POST) one of the servant's own pending requests."""
    if request.method == "POST":
        try:
            services.annul(change_request, request.user, request)
        except services.AlreadyDecided as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"La solicitud {change_request.code} fue anulada.")
        return redirect(back)
    if not change_request.is_pending:
        messages.error(request, "Solo se puede anular una solicitud en trámite.")
        return redirect(back)
    return _confirm(
        request,
        title="Anular la solicitud",
        message=f"¿Anular la solicitud {change_request.code}? Ya no será atendida.",
        cancel_url=back,
    )


@login_required
def adjunto(request, pk):
    attachment = selectors.attachment_for(request.user, pk, request)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment="descargar" in request.GET,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Hoja de vida and issued documents -------------------------------------------------


@servant_required
def hoja_de_vida(request):
    legajo = selectors.own_legajo(request.user)
    return render(
        request,
        "legajo/hoja_de_vida.html",
        {
            "legajo": legajo,
            "current": bool(legajo and (legajo.vigente or legajo.ceased)),
            "notice_text": notice.TEXT,
        },
    )


@servant_required
def hoja_de_vida_pdf(request):
    legajo = selectors.own_legajo(request.user)
    if legajo is None or not (legajo.vigente or legajo.ceased):
        raise Http404(notice.TEXT)
    document = services.issue_report(legajo, LegajoReport.Kind.HOJA_DE_VIDA, request.user,
                                     request)  # fmt: skip
    return _serve_document(document, "descargar" in request.GET)


@login_required
def documento(request, pk):
    document = selectors.document_for(request.user, pk, request)
    return _serve_document(document, "descargar" in request.GET)


# --- Specialists: tray and decisions ---------------------------------------------------


TRAY_COLUMNS = [
    exports.Column("Código", lambda r: r.code),
    exports.Column("Documento del servidor", lambda r: r.legajo.servant.document_number),
    exports.Column("Servidor", lambda r: r.legajo.servant.full_name),
    exports.Column("Sección", lambda r: section_title(r.section)),
    exports.Column("Enviada", lambda r: r.submitted_at, exports.DATE),
    exports.Column("Estado", lambda r: r.get_state_display()),
    exports.Column("Decidida", lambda r: r.decided_at, exports.DATE),
]


@specialist_required
def bandeja(request):
    form = TrayFilterForm.for_tray(request.GET)
    requests = ChangeRequest.objects.none()
    if form.is_valid():
        requests = selectors.read_tray(request.user, request, **form.filters())
    if exports.requested(request):
        return exports.response(
            request, requests, TRAY_COLUMNS, name="bandeja-escalafon",
            title="Bandeja de solicitudes", action=events.TRAY_EXPORTED,
        )  # fmt: skip
    counts = selectors.tray_counts(request.user)
    return render(
        request,
        "legajo/staff/bandeja.html",
        {
            "form": form,
            "page": _page(request, requests),
            "counts": [(ChangeRequest.State(s).label, s, n) for s, n in counts.items()],
            "query": exports.list_query(request, estado=TRAY_DEFAULT_STATE),
        },
    )


@specialist_required
def revisar(request, pk):
    change_request = selectors.review_request(request.user, pk, request)
    form = TrayFilterForm.for_tray(request.GET)
    following = None
    if not change_request.is_pending and form.is_valid():
        following = selectors.next_pending(request.user, change_request, **form.filters())
    return render(
        request,
        "legajo/staff/revisar.html",
        {
            **_request_context(change_request, use_current=change_request.is_pending),
            "form": DecisionForm(),
            "query": exports.list_query(request, estado=TRAY_DEFAULT_STATE),
            "following": following,
        },
    )


@require_POST
@specialist_required
def decidir(request, pk):
    change_request = selectors.staff_request(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    approve = request.POST.get("decision") == "atender"
    try:
        decided = services.decide(change_request, request.user, approve,
                                  form.cleaned_data.get("observacion", ""), request)  # fmt: skip
    except services.AlreadyDecided as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if approve and decided.is_informe:
            text = (
                f"Solicitud {decided.code} atendida: se emitió el informe escalafonario "
                f"{decided.document.code}; el servidor lo ve en su seguimiento."
            )
        elif approve:
            text = f"Solicitud {decided.code} atendida: los cambios ya están en el legajo."
        else:
            text = f"Solicitud {decided.code} rechazada; se notificó al servidor."
        messages.success(request, text)
    # Back to the request with the tray's filters, for its "Siguiente solicitud".
    query = exports.list_query(request, estado=TRAY_DEFAULT_STATE)
    return redirect(f"{reverse('legajo:revisar', args=[pk])}?{query}")


# --- Specialists: legajos of the unit ----------------------------------------------------


@specialist_required
def legajos(request):
    form = ServantSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    servants = selectors.search_servants(request.user, query, request).order_by(
        "apellido_paterno", "apellido_materno", "nombres", "id"
    )
    return render(
        request,
        "legajo/staff/legajos.html",
        {"form": form, "page": _page(request, servants), "query": _query_without_page(request)},
    )


@require_POST
@specialist_required
def abrir_legajo(request, servant_pk):
    servant = selectors.staff_servant(request.user, servant_pk)
    try:
        legajo = services.open_legajo(servant, request.user, request)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("legajo:legajos")
    messages.success(request, f"Legajo de {servant.full_name} abierto.")
    return redirect("legajo:legajo", legajo.pk)


@specialist_required
def legajo(request, pk):
    legajo = selectors.read_staff_legajo(request.user, pk, request)
    return render(
        request,
        "legajo/staff/legajo.html",
        {
            "legajo": legajo,
            "tables": _section_tables(legajo),
            "service_time": for_legajo(legajo, timezone.localdate()),
            "requests": legajo.requests.exclude(state=ChangeRequest.State.DRAFT).order_by(
                "-submitted_at"
            )[:10],
        },
    )


@require_POST
@specialist_required
def vigencia(request, pk):
    legajo = selectors.staff_legajo(request.user, pk)
    vigente = request.POST.get("vigente") == "1"
    services.set_vigente(legajo, vigente, request.user, request)
    messages.success(request, "Legajo marcado como " + ("vigente." if vigente else "no vigente."))
    return redirect("legajo:legajo", pk)


@specialist_required
def registro(request, pk, section_key, item_pk=None):
    """Create (no item_pk) or edit an item directly, as the specialist."""
    section = get_section(section_key)
    if item_pk is None:
        legajo, item = selectors.staff_legajo(request.user, pk), None
    else:
        legajo, item = selectors.staff_item(request.user, pk, section, item_pk)

    def save(values):
        # The form has already written its values on `item`: save over the stored one.
        stored = section.items(legajo).get(pk=item_pk) if item_pk else None
        services.save_item(legajo, section, values, request.user, item=stored, request=request)

    verb = "Nuevo registro" if item is None else "Modificar registro"
    return _item_form(
        request, section, section.form_class(request.POST or None, instance=item), save,
        title=f"{verb} — {section.title}",
        subtitle=legajo.servant.full_name,
        back=reverse("legajo:legajo", args=[legajo.pk]) + f"#{section.key}",
        explanation="El cambio se aplica de inmediato y queda en el historial.",
        saved=f"Registro de «{section.title}» guardado.",
    )  # fmt: skip


@specialist_required
def eliminar_registro(request, pk, section_key, item_pk):
    section = get_section(section_key)
    legajo, item = selectors.staff_item(request.user, pk, section, item_pk)
    back = reverse("legajo:legajo", args=[legajo.pk]) + f"#{section.key}"
    if request.method == "POST":
        services.delete_item(legajo, section, item, request.user, request)
        messages.success(request, "Registro eliminado; queda en el historial.")
        return redirect(back)
    return _confirm(
        request,
        title="Eliminar un registro",
        message=f"¿Eliminar «{section.describe(section.snapshot(item))}» de «{section.title}» "
        f"del legajo de {legajo.servant.full_name}?",
        cancel_url=back,
    )


@specialist_required
def historial(request, pk):
    legajo = selectors.read_staff_legajo(request.user, pk, request, event=events.HISTORY_VIEWED)
    entries = legajo.history.select_related("actor", "change_request")
    section_key = request.GET.get("seccion", "")
    if section_key:
        entries = entries.filter(section=section_key)
        if request.GET.get("registro", "").isdigit():
            entries = entries.filter(item_id=int(request.GET["registro"]))
    page = _page(request, entries)
    for entry in page:
        if entry.section == ItemHistory.LEGAJO_SECTION:
            entry.title, entry.rows = "Legajo", _legajo_rows(entry)
        else:
            entry_section = get_section(entry.section)
            entry.title = section_title(entry.section)
            entry.rows = entry_section.differences(entry.before, entry.after)
    return render(
        request,
        "legajo/staff/historial.html",
        {"legajo": legajo, "page": page, "query": _query_without_page(request)},
    )


def _legajo_rows(entry):
    labels = {"vigente": "Vigente", "unidad": "Unidad"}
    shown = {True: "Sí", False: "No"}
    before, after = entry.before or {}, entry.after or {}
    return [
        {
            "label": labels.get(key, key),
            "before": shown.get(before.get(key), before.get(key, "")),
            "after": shown.get(after.get(key), after.get(key, "")),
            "changed": bool(before) and before.get(key) != after.get(key),
        }
        for key in sorted({*before, *after})
    ]


@require_POST
@specialist_required
def informe(request, pk):
    legajo = selectors.staff_legajo(request.user, pk)
    document = services.issue_report(legajo, LegajoReport.Kind.INFORME, request.user, request)
    return redirect("legajo:documento", document.pk)

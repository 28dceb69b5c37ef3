"""The "Auditoría" page: the audit log, read-only, for MINEDU and UGEL administrators."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from ayni.core import events, exports
from ayni.core.audit import record
from ayni.core.audit_log import AuditFilterForm, filter_events, may_read_audit_log, visible_events

PAGE_SIZE = 50
COLUMNS = [
    exports.Column("Fecha y hora", lambda e: e.created_at, exports.DATETIME),
    exports.Column("Usuario", lambda e: e.actor_label),
    exports.Column("Evento", lambda e: e.action),
    exports.Column("Persona", lambda e: e.subject),
    exports.Column("Unidad", lambda e: f"{e.unit.code} {e.unit.name}" if e.unit_id else ""),
    exports.Column("Objeto", lambda e: f"{e.target_type} {e.target_id}".strip()),
    exports.Column("Resultado", lambda e: e.get_outcome_display()),
    exports.Column("IP", lambda e: e.ip),
    exports.Column("Detalles", lambda e: "; ".join(f"{k}: {v}" for k, v in e.details.items())),
]


@login_required
def audit_log(request):
    if not may_read_audit_log(request.user):
        raise PermissionDenied("Solo para administradores.")
    form = AuditFilterForm(request.GET or None)
    lines = visible_events(request.user)
    if form.is_bound and not form.is_valid():
        lines = lines.none()
    else:
        lines = filter_events(lines, form.cleaned_data if form.is_bound else {})
    if exports.requested(request):
        return exports.response(
            request, lines, COLUMNS, name="auditoria", title="Auditoría",
            action=events.AUDIT_LOG_EXPORTED,
        )  # fmt: skip
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("pagina"))
    response = render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "query": exports.list_query(request)},
    )
    # Recorded once the page is read (so it does not list itself).
    record(request.user, events.AUDIT_LOG_VIEWED, None, request,
           filtros=form.used() if form.is_bound and form.is_valid() else {},
           pagina=page.number)  # fmt: skip
    return response

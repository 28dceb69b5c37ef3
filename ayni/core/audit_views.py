"""The "Auditoría" page: the audit log, read-only, for MINEDU and UGEL administrators."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from ayni.core import events
from ayni.core.audit import record
from ayni.core.audit_log import AuditFilterForm, filter_events, may_read_audit_log, visible_events

PAGE_SIZE = 50


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
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    response = render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
    # Recorded once the page is read (so it does not list itself).
    record(request.user, events.AUDIT_LOG_VIEWED, None, request,
           filtros=form.used() if form.is_bound and form.is_valid() else {},
           pagina=page.number)  # fmt: skip
    return response

"""The Django admin's own reads and writes of personal data, in the audit log.

`AuditedAdminMixin` goes first in the bases of a ModelAdmin of a model that holds personal
data: every list (with its search and filters), every change form shown, and every addition,
change and deletion is recorded with the administrator, the object and its unit. A change
names the fields that changed, never their values (nor the values of a password form).
"""

from ayni.core import events
from ayni.core.audit import record

# The changelist's own parameters: not filters, not worth recording.
LIST_PARAMETERS = {"p", "o", "q", "_popup", "_to_field", "e", "all"}


def _field_names(message) -> list[str]:
    """The field names of a change message (Django's list of added/changed/deleted entries),
    with inline objects as "<model>: <fields>"; object descriptions are left out."""
    if not isinstance(message, list):
        return []
    names = []
    for entry in message:
        for change in entry.values():
            fields = list(change.get("fields", []))
            if "name" in change:
                names.append(f"{change['name']}: {', '.join(fields)}" if fields else change["name"])
            else:
                names.extend(fields)
    return names


class AuditedAdminMixin:
    """Records the admin's lists, searches, change forms, additions, changes and deletions."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            query = request.GET.get("q", "")
            filters = {k: v for k, v in request.GET.items() if k not in LIST_PARAMETERS}
            record(
                request.user,
                events.ADMIN_SEARCHED if query else events.ADMIN_LISTED,
                None,
                request,
                modelo=self.model._meta.label_lower,
                busqueda=query[:100],
                filtros=filters,
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and response.status_code == 200 and shown is not None:
            record(request.user, events.ADMIN_VIEWED, shown, request)
        return response

    def log_addition(self, request, obj, message):
        record(request.user, events.ADMIN_ADDED, obj, request, campos=_field_names(message))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record(request.user, events.ADMIN_CHANGED, obj, request, campos=_field_names(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(request.user, events.ADMIN_DELETED, obj, request)
        return super().log_deletions(request, queryset)

from django.contrib import admin

from ayni.access.models import AccessRequest, RequestEvent
from ayni.core.admin import ReadOnlyAdmin
from ayni.core.admin_audit import AuditedAdminMixin


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """For MINEDU: read and search; decisions are taken in the UGEL tray, where they are audited."""

    list_display = ["code", "kind", "state", "document_type", "document_number", "unit",
                    "created_at", "decided_at"]  # fmt: skip
    list_filter = ["kind", "state"]
    search_fields = ["code", "document_number", "email", "apellido_paterno", "nombres"]
    date_hierarchy = "created_at"
    exclude = ["attachment"]  # the file is served only through the tray's checked view
    inlines = [RequestEventInline]

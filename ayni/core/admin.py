from django.contrib import admin

from ayni.core.admin_audit import AuditedAdminMixin
from ayni.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows records that only the platform writes (the audit log, official
    records): nobody adds, changes or deletes them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Read-only: the audit log is append-only, even for MINEDU administrators."""

    list_display = ["created_at", "actor_label", "action", "outcome", "target_type", "target_id",
                    "subject", "unit", "ip"]  # fmt: skip
    list_filter = ["action", "outcome"]
    list_select_related = ["unit"]
    search_fields = ["actor_label", "action", "target_id", "subject", "ip"]
    date_hierarchy = "created_at"

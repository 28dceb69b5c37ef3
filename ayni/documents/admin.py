from django.contrib import admin

from ayni.core.admin import ReadOnlyAdmin
from ayni.core.admin_audit import AuditedAdminMixin
from ayni.documents.models import IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Read-only: an issued document is a fact; only its state changes, through services."""

    list_display = ["issued_at", "kind", "code", "servant", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["code", "servant__document_number", "sha256"]
    date_hierarchy = "issued_at"

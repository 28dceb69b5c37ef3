from django.contrib import admin

from ayni.constancias.models import Constancia
from ayni.core.admin import ReadOnlyAdmin
from ayni.core.admin_audit import AuditedAdminMixin


# Issued constancias are facts: operators read them; nobody adds, edits or deletes them.
@admin.register(Constancia)
class ConstanciaAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["cutoff", "kind", "servant"]
    list_filter = ["kind"]
    search_fields = ["servant__document_number"]
    date_hierarchy = "cutoff"
    list_select_related = ["servant"]
    exclude = ["data"]

"""MINEDU administrators see legajos and requests read-only: changes go through the
escalafón pages, which keep history."""

from django.contrib import admin

from ayni.core.admin import ReadOnlyAdmin
from ayni.core.admin_audit import AuditedAdminMixin
from ayni.legajo.models import ChangeRequest, ItemHistory, Legajo


@admin.register(Legajo)
class LegajoAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["servant", "unit", "vigente", "opened_at"]
    list_filter = ["vigente"]
    search_fields = ["servant__document_number", "servant__apellido_paterno", "unit__code"]
    list_select_related = ["servant", "unit"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["code", "legajo", "section", "state", "submitted_at", "decided_at"]
    list_filter = ["state", "section"]
    search_fields = ["code", "legajo__servant__document_number"]
    list_select_related = ["legajo__servant"]


@admin.register(ItemHistory)
class ItemHistoryAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["at", "legajo", "section", "item_id", "action", "actor", "change_request"]
    list_filter = ["section", "action"]
    search_fields = ["legajo__servant__document_number"]
    list_select_related = ["legajo__servant", "actor", "change_request"]

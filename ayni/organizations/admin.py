from django.contrib import admin

from ayni.core.admin_audit import AuditedAdminMixin
from ayni.organizations.models import Servant, StaffRole, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "ruc", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "ruc"]
    autocomplete_fields = ["parent"]


@admin.register(StaffRole)
class StaffRoleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Servant)
class ServantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["document_type", "document_number", "apellidos", "nombres", "unit"]
    list_filter = ["document_type"]
    search_fields = ["document_number", "apellido_paterno", "apellido_materno", "nombres"]
    autocomplete_fields = ["unit"]

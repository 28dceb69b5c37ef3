from django.contrib import admin

from ayni.boletas.models import Boleta, Concepto, PlanillaImport


class ConceptoInline(admin.TabularInline):
    model = Concepto
    extra = 0
    can_delete = False
    fields = ["position", "code", "description", "kind", "amount"]
    readonly_fields = fields


@admin.register(Boleta)
class BoletaAdmin(admin.ModelAdmin):
    """Read-only: boletas change only through planilla imports."""

    list_display = ["period", "payroll_type", "servant", "entity", "net", "state"]
    list_filter = ["state", "payroll_type"]
    search_fields = ["servant__document_number", "apellido_paterno", "nombres"]
    date_hierarchy = "period"
    list_select_related = ["servant", "entity"]
    inlines = [ConceptoInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanillaImport)
class PlanillaImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "file_name", "origin", "state", "uploaded_by", "lines",
                    "boletas_created", "boletas_replaced", "error_count"]  # fmt: skip
    list_filter = ["state", "origin"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["entities"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

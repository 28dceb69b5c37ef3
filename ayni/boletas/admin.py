from django.contrib import admin
from django.utils.html import format_html, format_html_join

from ayni.boletas.models import Boleta, ConceptClassification, DamagedConceptos, PlanillaImport
from ayni.core.admin import ReadOnlyAdmin
from ayni.core.admin_audit import AuditedAdminMixin


@admin.register(Boleta)
class BoletaAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Read-only: boletas change only through planilla imports."""

    list_display = ["period", "payroll_type", "servant", "entity", "net", "state"]
    list_filter = ["state", "payroll_type"]
    search_fields = ["servant__document_number", "apellido_paterno", "nombres"]
    date_hierarchy = "period"
    list_select_related = ["servant", "entity"]

    def get_readonly_fields(self, request, obj=None):
        fields = [field.name for field in self.model._meta.fields]
        fields[fields.index("conceptos")] = "concept_table"
        return fields

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)  # the conceptos as a table, not as JSON

    @admin.display(description="conceptos")
    def concept_table(self, boleta):
        try:
            lines = boleta.concept_lines
        except DamagedConceptos:
            return format_html(
                "<p>Los conceptos guardados de esta boleta están dañados y no se pueden mostrar: "
                "{}</p>",
                boleta.conceptos[:500],
            )
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((c.position, c.code, c.description, c.kind_label, c.amount)
             for c in lines),
        )  # fmt: skip
        return format_html(
            "<table><thead><tr><th>Orden</th><th>Código</th><th>Concepto</th><th>Tipo</th>"
            "<th>Monto</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )


@admin.register(PlanillaImport)
class PlanillaImportAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["created_at", "file_name", "origin", "state", "uploaded_by", "lines",
                    "boletas_created", "boletas_replaced", "error_count"]  # fmt: skip
    list_filter = ["state", "origin"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["entities"]


@admin.register(ConceptClassification)
class ConceptClassificationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Operators keep here which group each deduction code falls in for «Mis descuentos»."""

    list_display = ["pattern", "group", "note"]
    list_filter = ["group"]
    search_fields = ["pattern", "note"]

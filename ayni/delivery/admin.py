from django.contrib import admin

from ayni.core.admin import ReadOnlyAdmin
from ayni.core.admin_audit import AuditedAdminMixin
from ayni.delivery.models import BoletaAccess, DeliveryConsent, DeliveryReceipt, DeliveryTerms


# Proofs of delivery are facts: operators read them; nobody adds, edits or deletes them.
@admin.register(DeliveryTerms)
class DeliveryTermsAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["first_shown_at", "version", "sha256"]


@admin.register(DeliveryConsent)
class DeliveryConsentAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["accepted_at", "account", "terms"]
    search_fields = ["account__username"]
    date_hierarchy = "accepted_at"
    list_select_related = ["account", "terms"]


@admin.register(BoletaAccess)
class BoletaAccessAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["at", "boleta", "kind", "ip"]
    list_filter = ["kind"]
    search_fields = ["boleta__servant__document_number"]
    date_hierarchy = "at"
    list_select_related = ["boleta"]


@admin.register(DeliveryReceipt)
class DeliveryReceiptAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["cutoff", "scope", "requested_by"]
    list_filter = ["scope"]
    exclude = ["data"]

"""Sign-in failures in the Django admin for MINEDU: which IPs are locked for every account,
and an audited action to lift such a lock (replaces axes' own admin, whose deletions
left no trace)."""

from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils import timezone

from ayni.accounts.lockout import address_locks, lift_address_lock, lockout_state


class AddressLockFilter(admin.SimpleListFilter):
    title = "bloqueo de la IP"
    parameter_name = "ip_bloqueada"

    def lookups(self, request, model_admin):
        return [("si", "IP bloqueada ahora")]

    def queryset(self, request, queryset):
        if self.value() == "si":
            return queryset.filter(ip_address__in=[lock.ip_address for lock in address_locks()])
        return queryset


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    list_display = ["attempt_time", "ip_address", "username", "failures_since_start", "lock"]
    list_filter = [AddressLockFilter, "attempt_time"]
    search_fields = ["ip_address", "username"]
    date_hierarchy = "attempt_time"
    ordering = ["-attempt_time"]
    fields = ["attempt_time", "ip_address", "username", "user_agent", "path_info",
              "failures_since_start"]  # fmt: skip
    readonly_fields = fields
    actions = ["lift_address_locks"]

    @admin.display(description="bloqueo vigente")
    def lock(self, attempt):
        lock = lockout_state(attempt.username, attempt.ip_address).lock
        if lock is None:
            return "—"
        until = timezone.localtime(lock.ends_at).strftime("%d/%m/%Y %H:%M")
        if lock.scope == "ip":
            return f"IP bloqueada para todos hasta {until}"
        return f"Cuenta bloqueada desde esta IP hasta {until}"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # lifted through the audited action below

    @admin.action(description="Levantar el bloqueo de estas direcciones IP (todos los usuarios)")
    def lift_address_locks(self, request, queryset):
        addresses = sorted(set(queryset.values_list("ip_address", flat=True)))
        for address in addresses:
            lift_address_lock(request.user, address, request)
        self.message_user(
            request, f"Conexiones desbloqueadas: {', '.join(addresses)}.", messages.SUCCESS
        )

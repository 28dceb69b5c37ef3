from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from ayni.accounts import (
    lockout_admin,  # noqa: F401  (sign-in failures and IP locks)
    mfa,
    services,
    sessions,
)
from ayni.accounts.models import User
from ayni.core.admin_audit import AuditedAdminMixin
from ayni.core.http import safe_next
from ayni.organizations.models import StaffRole


def admin_login(request, extra_context=None):
    """MINEDU administrators sign in through the platform's login page (CAPTCHA, lockout),
    not through a second form without them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not admin.site.has_permission(request):
        raise PermissionDenied
    return redirect(safe_next(request, "admin:index"))


admin.site.login = admin_login
_site_permission = admin.site.has_permission


def verified_admin_permission(request):
    """The admin also asks for the second step (as django-otp's OTPAdminSite does); the
    middleware already sends unverified sessions to it before they get here."""
    return _site_permission(request) and request.user.is_verified()


admin.site.has_permission = verified_admin_permission


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(
        label="Motivo", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["unit"]


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("document_type", "username", "email")


class UserChangeFormForAyni(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    form = UserChangeFormForAyni
    add_form = UserCreationForm
    inlines = [StaffRoleInline]
    ordering = ["username"]
    list_display = ["username", "document_type", "last_name", "first_name", "email", "is_active"]
    list_filter = ["is_active", "is_staff", "is_superuser", "document_type", "staff_roles__role"]
    search_fields = ["username", "email", "last_name", "first_name"]
    autocomplete_fields = ["servant"]
    readonly_fields = ["last_login", "previous_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["document_type", "username", "password"]}),
        ("Datos", {"fields": ["first_name", "last_name", "email", "servant"]}),
        ("Permisos", {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                                 "user_permissions"]}),
        ("Fechas", {"fields": ["last_login", "previous_login", "date_joined"]}),
    ]  # fmt: skip
    actions = ["send_password_setup_mail", "unlock", "end_sessions", "reset_second_factor"]

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are never deleted: a servant who ceased keeps access

    def _for_each(self, request, queryset, action, done_message):
        """Run a service per account; a refusal (the rule of who may manage whom) is shown
        for that account and the others go on."""
        done = 0
        for user in queryset:
            try:
                action(user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{user.username}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done_message}: {done}.", messages.SUCCESS)

    @admin.action(description="Enviar el correo «Generar tu contraseña»")
    def send_password_setup_mail(self, request, queryset):
        self._for_each(
            request, queryset.exclude(email=""),
            lambda user: services.resend_password_setup_mail(request.user, user, request),
            "Correos enviados",
        )  # fmt: skip

    @admin.action(description="Desbloquear el ingreso")
    def unlock(self, request, queryset):
        self._for_each(
            request, queryset, lambda user: services.unlock_account(request.user, user, request),
            "Cuentas desbloqueadas",
        )  # fmt: skip

    @admin.action(description="Cerrar todas sus sesiones abiertas")
    def end_sessions(self, request, queryset):
        self._for_each(
            request, queryset, lambda user: sessions.end_all_sessions(request.user, user, request),
            "Cuentas cuyas sesiones se cerraron",
        )  # fmt: skip

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("reset_second_factor", None)
        return actions

    @admin.action(description="Restablecer la verificación en dos pasos")
    def reset_second_factor(self, request, queryset):
        """Asks for the reason first (an intermediate page), then resets each account."""
        form = SecondFactorResetForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for user in queryset:
                try:
                    mfa.reset_second_factor(
                        request.user, user, form.cleaned_data["reason"], request
                    )
                except (PermissionDenied, ValidationError) as error:
                    self.message_user(request, f"{user.username}: {error}", messages.ERROR)
                else:
                    done += 1
            self.message_user(request, f"Verificaciones restablecidas: {done}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Restablecer la verificación en dos pasos",
            "accounts": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/mfa_reset.html", context)

    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["document_type", "username", "email",
                                                "password1", "password2"]}),
    ]  # fmt: skip

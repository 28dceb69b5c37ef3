"""Pages of the second sign-in step: verify, set up, recovery codes, the account's page,
the passkey ceremonies (django-otp-webauthn's views, audited) and the reset by the level above."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.models import WebAuthnCredential

from ayni.accounts import mfa
from ayni.accounts.views import _account_or_404, admin_ugel_required
from ayni.core.http import safe_next


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Código",
        max_length=20,
        help_text="Los 6 dígitos de su aplicación autenticadora, o uno de sus códigos de "
        "recuperación.",
        error_messages={"required": "Escriba el código."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label="Código de 6 dígitos",
        max_length=10,
        error_messages={"required": "Escriba el código que muestra la aplicación."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class TurnOffForm(forms.Form):
    password = forms.CharField(
        label="Contraseña",
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Código",
        max_length=20,
        help_text="De su aplicación autenticadora, o un código de recuperación.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label="Motivo",
        max_length=300,
        help_text="Por ejemplo: «Perdió su teléfono; se identificó con su DNI en la UGEL el "
        "12/11». Queda en el registro de auditoría.",
        error_messages={"required": "Escriba el motivo del restablecimiento."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _next(request, default="core:home") -> str:
    return safe_next(request, default)


@never_cache
@login_required
def verify(request):
    """ "Verificación en dos pasos": an app code, a passkey or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    state = mfa.remember_state(request)
    if state == mfa.ENROLL:
        return redirect(f"{reverse('accounts:mfa-setup')}?{request.GET.urlencode()}")
    if state == mfa.NONE:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = mfa.verify_code(user, form.cleaned_data["code"], request)
        if result.ok:
            if result.device.persistent_id.startswith("otp_static."):
                left = mfa.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"Usó un código de recuperación; le quedan {left}. Genere nuevos códigos en "
                    "«Verificación en dos pasos» si le quedan pocos.",
                )
            return redirect(_next(request))
        form.add_error("code", result.message)
    context = {
        "form": form,
        "next": _next(request),
        "has_passkey": mfa.passkeys(user).exists(),
    }
    return render(request, "accounts/mfa/verify.html", context)


@never_cache
@login_required
def setup(request):
    """ "Configurar verificación en dos pasos": scan the QR (or type the secret), confirm
    with a code; or register a passkey. A session that must verify first is sent to verify."""
    user = request.user
    if not user.is_verified() and mfa.has_second_factor(user):
        return redirect(f"{reverse('accounts:mfa-verify')}?{request.GET.urlencode()}")
    device = mfa.pending_totp(user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = mfa.confirm_totp(user, device, form.cleaned_data["code"], request)
        if result.ok:
            return _after_enrolment(request)
        form.add_error("code", result.message)
    context = {
        "form": form,
        "secret": mfa.grouped(mfa.base32_secret(device)),
        "next": _next(request),
        "required": mfa.must_use_second_factor(user),
        "has_codes": mfa.recovery_codes_left(user) > 0,
    }
    return render(request, "accounts/mfa/setup.html", context)


def _after_enrolment(request):
    """Recovery codes the first time (shown once), else back where the person was going."""
    if mfa.recovery_codes_left(request.user) == 0:
        mfa.new_recovery_codes(request.user, request)
        return redirect(f"{reverse('accounts:mfa-codes')}?{urlencode({'next': _next(request)})}")
    messages.success(request, "Se agregó el dispositivo de verificación.")
    return redirect(_next(request, default="accounts:mfa"))


@never_cache
@login_required
def setup_qr(request):
    """The QR of the authenticator-app secret being set up, as an SVG image."""
    user = request.user
    if not user.is_verified() and mfa.has_second_factor(user):
        raise PermissionDenied
    response = HttpResponse(mfa.qr_svg(mfa.pending_totp(user)), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def codes(request):
    """GET shows the recovery codes just generated (once); POST makes ten new ones."""
    if request.method == "POST":
        if not request.user.is_verified():
            raise PermissionDenied
        return _after_enrolment_codes(request)
    new_codes = mfa.take_recovery_codes(request)
    if not new_codes:
        return redirect("accounts:mfa")
    return render(request, "accounts/mfa/codes.html", {"codes": new_codes, "next": _next(request)})


def _after_enrolment_codes(request):
    mfa.new_recovery_codes(request.user, request)
    query = urlencode({"next": _next(request, "accounts:mfa")})
    return redirect(f"{reverse('accounts:mfa-codes')}?{query}")


@never_cache
@login_required
def overview(request):
    """The account's "Verificación en dos pasos" page: what is set up, add, renew, turn off."""
    user = request.user
    context = {
        "required": mfa.must_use_second_factor(user),
        "active": mfa.has_second_factor(user),
        "app_devices": [d for d in mfa.devices(user) if d.persistent_id.startswith("otp_totp.")],
        "passkeys": list(mfa.passkeys(user)),
        "codes_left": mfa.recovery_codes_left(user),
        "turn_off_form": TurnOffForm(),
    }
    return render(request, "accounts/mfa/overview.html", context)


@login_required
@require_POST
def turn_off(request):
    form = TurnOffForm(request.POST)
    if form.is_valid():
        try:
            mfa.turn_off(
                request.user, form.cleaned_data["password"], form.cleaned_data["code"], request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Se desactivó la verificación en dos pasos.")
    else:
        messages.error(request, "Escriba su contraseña y un código para desactivarla.")
    return redirect("accounts:mfa")


# --- Passkeys: django-otp-webauthn's JSON views, with the audit log -----------------


class PasskeyRegisterBegin(webauthn_views.BeginCredentialRegistrationView):
    pass


class PasskeyRegisterComplete(webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        device = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
        mfa.passkey_registered(self.request.user, device, self.request)
        return response


class PasskeyAuthBegin(webauthn_views.BeginCredentialAuthenticationView):
    pass


class PasskeyAuthComplete(webauthn_views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)
        mfa.passkey_verified(self.request.user, device, self.request)

    def handle_exception(self, exc):
        if self.request.user.is_authenticated:
            mfa.passkey_failed(self.request.user, self.request, getattr(exc, "code", "error"))
        return super().handle_exception(exc)


# --- The level above resets a lost second factor ----------------------------------


@admin_ugel_required
def account_reset(request, pk):
    """ "Restablecer verificación": remove the devices of an account that lost them."""
    account = _account_or_404(request, pk)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.reset_second_factor(request.user, account, form.cleaned_data["reason"], request)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Se restableció la verificación en dos pasos del usuario {account.username}; "
                "la configurará de nuevo en su próximo ingreso.",
            )
            return redirect(f"{reverse('accounts:manage')}?q={account.username}")
    return render(request, "accounts/manage/mfa_reset.html", {"form": form, "account": account})

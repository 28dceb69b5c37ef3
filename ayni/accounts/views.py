import math
from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from ayni.accounts import events, selectors, services, sessions
from ayni.accounts.forms import (
    AccountCreateForm,
    BulkConfirmForm,
    BulkUploadForm,
    EmailChangeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordMailForm,
    PasswordSetForm,
)
from ayni.accounts.lockout import account_locks, lockout_state, typed_username
from ayni.accounts.models import UserSession
from ayni.accounts.passwords import checklist
from ayni.accounts.services import MANAGING
from ayni.core import exports
from ayni.core.audit import record
from ayni.core.http import safe_next
from ayni.organizations.authority import refusal


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Signing out also empties what this browser keeps of the session: its HTTP cache and the
    site's storage, where the installable app keeps the servant's boletas offline
    (docs/security.md). The service worker empties them as well; the header covers a browser
    whose worker did not run."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, saying the (account, IP) pair or the IP is locked, and until when."""
    username = typed_username(request, credentials)
    lock = lockout_state(username, request.axes_ip_address).lock
    seconds = (lock.ends_at - timezone.now()).total_seconds() if lock else 0
    context = {
        "form": LoginForm(request, initial={"username": username}),
        "lock": lock,
        "lock_minutes": max(1, math.ceil(seconds / 60)),
        "next": request.POST.get("next", ""),
    }
    return render(request, "accounts/login.html", context, status=429)


class PasswordMailView(FormView):
    """ "Generar contraseña" and "¿Olvidaste la contraseña?": e-mail + CAPTCHA → the link."""

    form_class = PasswordMailForm
    template_name = "accounts/password_mail.html"
    reset = False

    def form_valid(self, form):
        services.request_password_mail(
            form.cleaned_data["email"], reset=self.reset, request=self.request
        )
        return redirect("accounts:password-mail-sent")

    def get_context_data(self, **kwargs):
        return super().get_context_data(reset=self.reset, **kwargs)


class PasswordMailSentView(TemplateView):
    template_name = "accounts/password_mail_sent.html"


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The page behind the mailed link: Contraseña, Confirmar contraseña, checklist, Grabar."""

    form_class = PasswordSetForm
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        services.set_password(self.user, form.cleaned_data["new_password1"], self.request)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request,
            "Su contraseña fue grabada. Ingrese con su usuario (su número de documento, "
            f"{self.user.username}) y la contraseña que acaba de crear.",
        )
        return redirect(self.success_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.validlink:
            data = self.request.POST
            context["checklist"] = checklist(
                data.get("new_password1"), data.get("new_password2"), self.user
            )
        return context


@login_required
def sign_ins(request):
    attempts = selectors.sign_ins(request.user)
    record(request.user, events.SIGN_INS_VIEWED, request.user, request)
    context = {
        "attempts": attempts,
        "open_sessions": sessions.active_sessions(request.user),
        "current_session": sessions.current_row_id(request),
    }
    return render(request, "accounts/sign_ins.html", context)


@login_required
@require_POST
def session_close(request, pk):
    """ "Cerrar" next to another open session of one's own account; any other id is not found."""
    row = get_object_or_404(
        UserSession.objects.filter(user=request.user).exclude(pk=sessions.current_row_id(request)),
        pk=pk,
    )
    sessions.end_session(request.user, row, request)
    messages.success(request, "Se cerró la sesión.")
    return redirect("accounts:sign-ins")


PASSWORD_CHANGE_FAILURES = "_ayni_password_change_failures"  # noqa: S105  (a session key)
PASSWORD_CHANGE_MAX_FAILURES = 5  # wrong current passwords before this session is signed out


@login_required
def password_change(request):
    """ "Cambiar contraseña": the current password, the new one twice, the policy's checklist."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            ended = services.change_password(
                request.user, form.cleaned_data["new_password1"], request
            )
            request.session.pop(PASSWORD_CHANGE_FAILURES, None)
            closed = f" Se cerraron sus otras sesiones abiertas ({ended})." if ended else ""
            messages.success(
                request,
                "Su contraseña fue cambiada; le enviamos un aviso a su correo electrónico."
                + closed,
            )
            return redirect("core:home")
        if form.has_error("old_password", "password_incorrect"):
            failures = request.session.get(PASSWORD_CHANGE_FAILURES, 0) + 1
            request.session[PASSWORD_CHANGE_FAILURES] = failures
            if failures >= PASSWORD_CHANGE_MAX_FAILURES:
                # Nobody gets to guess the password from an unattended session.
                logout(request)
                messages.error(
                    request,
                    "Se cerró la sesión por escribir varias veces una contraseña actual "
                    "incorrecta. Ingrese nuevamente.",
                )
                return redirect("accounts:login")
    data = request.POST
    context = {
        "form": form,
        "checklist": checklist(data.get("new_password1"), data.get("new_password2"), request.user),
    }
    return render(request, "accounts/password_change.html", context)


# --- UGEL administrators ------------------------------------------------------------


def admin_ugel_required(view):
    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not selectors.is_admin_ugel(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def _account_or_404(request, pk):
    """An account of the administrator's units; any other id is simply not found."""
    return get_object_or_404(
        selectors.accounts_in_scope(request.user).select_related("servant__unit"), pk=pk
    )


def _back(request, default: str):
    return redirect(safe_next(request, default))


@admin_ugel_required
def manage(request):
    query = request.GET.get("q", "")
    found = selectors.read_search(request.user, query, request)
    if exports.requested(request):
        return exports.response(
            request, found, ACCOUNT_COLUMNS, name="cuentas", title="Cuentas",
            action=events.ACCOUNTS_EXPORTED,
        )  # fmt: skip
    page = Paginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("pagina"))
    for servant in page:
        account = getattr(servant, "account", None)
        servant.locks = account_locks(account.username) if account else []
        servant.refusal = refusal(request.user, account or servant, MANAGING)
    return render(
        request,
        "accounts/manage/accounts.html",
        {"query": query, "page": page, "list_query": exports.list_query(request)},
    )


def _account_state(servant) -> str:
    account = getattr(servant, "account", None)
    if account is None:
        return "Sin cuenta"
    if not account.is_active:
        return "Desactivada"
    return "Activa" if account.has_usable_password() else "Sin contraseña"


ACCOUNT_COLUMNS = [
    exports.Column("Tipo de documento", lambda s: s.document_type),
    exports.Column("Número de documento", lambda s: s.document_number),
    exports.Column("Apellido paterno", lambda s: s.apellido_paterno),
    exports.Column("Apellido materno", lambda s: s.apellido_materno),
    exports.Column("Nombres", lambda s: s.nombres),
    exports.Column("Unidad", lambda s: s.unit.name),
    exports.Column("Cuenta", _account_state),
    exports.Column("Correo", lambda s: getattr(getattr(s, "account", None), "email", "")),
]


@admin_ugel_required
def account_create(request):
    form = AccountCreateForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.provision(
                request.user,
                document_type=data["document_type"],
                document_number=data["document_number"],
                email=data["email"],
                request=request,
                names=(data["apellido_paterno"], data["apellido_materno"], data["nombres"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if done.outcome == services.CONFLICT:
                form.add_error(None, f"Usuario {done.user.username}: {done.detail}")
            else:
                messages.success(request, f"Usuario {done.user.username}: {done.detail}")
                return redirect(f"{reverse('accounts:manage')}?q={done.user.username}")
    return render(request, "accounts/manage/create.html", {"form": form})


@admin_ugel_required
def account_email(request, pk):
    account = _account_or_404(request, pk)
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_email(request.user, account, data["email"], data["reason"], request)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Correo actualizado a {account.email}. Se envió el enlace para generar "
                "la contraseña.",
            )
            return redirect(f"{reverse('accounts:manage')}?q={account.username}")
    return render(request, "accounts/manage/email.html", {"form": form, "account": account})


@admin_ugel_required
@require_POST
def account_resend(request, pk):
    account = _account_or_404(request, pk)
    try:
        services.resend_password_setup_mail(request.user, account, request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Se envió el enlace para generar la contraseña a {account.email}."
        )
    return _back(request, reverse("accounts:manage"))


@admin_ugel_required
@require_POST
def account_unlock(request, pk):
    account = _account_or_404(request, pk)
    try:
        services.unlock_account(request.user, account, request)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Se desbloqueó el ingreso del usuario {account.username}.")
    return _back(request, reverse("accounts:lockouts"))


@admin_ugel_required
def bulk_upload(request):
    """Upload → preview (what each row would do, nothing kept) → confirm the chosen rows."""
    form = BulkUploadForm()
    confirm = preview = results = None
    if request.method == "POST" and "rows" in request.POST:
        confirm = BulkConfirmForm(request.POST)
        if confirm.is_valid():
            results = services.provision_rows(request.user, confirm.chosen_rows, request)
            confirm = None
    elif request.method == "POST":
        form = BulkUploadForm(request.POST, request.FILES)
        if form.is_valid():
            preview = services.preview_rows(request.user, form.rows, request)
            confirm = BulkConfirmForm.for_preview(form.rows, preview)
    return render(
        request,
        "accounts/manage/bulk.html",
        {
            "form": form,
            "confirm": confirm,
            "preview": preview,
            "results": results,
            "totals": _totals(preview or results or []),
            "writing": services.WRITING_OUTCOMES,
        },
    )


def _totals(rows) -> list[tuple[str, int]]:
    totals = {}
    for row in rows:
        totals[row.outcome] = totals.get(row.outcome, 0) + 1
    return sorted(totals.items())


@admin_ugel_required
def lockouts(request):
    rows = []
    for event, account in selectors.recent_lockouts(request.user):
        current = [lock for lock in account_locks(account.username) if lock.ip_address == event.ip]
        rows.append({"event": event, "account": account, "lock": current[0] if current else None})
    return render(request, "accounts/manage/lockouts.html", {"rows": rows})

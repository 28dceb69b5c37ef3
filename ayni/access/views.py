from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ayni.access import events, forms, selectors, services
from ayni.access.models import AccessRequest
from ayni.access.ratelimit import allow
from ayni.accounts.selectors import is_admin_ugel
from ayni.core import audit, exports
from ayni.core.http import client_ip
from ayni.core.models import AuditEvent

SENT_KEY = "access_sent_code"
STATUS_KEY = "access_status_request"
LIMIT_MESSAGE = (
    "Recibimos demasiadas solicitudes desde su conexión. "
    "Espere una hora e inténtelo de nuevo, o comuníquese con la mesa de ayuda."
)
NOT_FOUND_MESSAGE = (
    "No encontramos una solicitud con ese código y ese documento. Revise ambos datos."
)
CAPTCHA_MESSAGE = (
    "Hubo muchas consultas para este documento. Para continuar, escriba también los "
    "números de la imagen."
)


def _within_limits(request, form_name: str, document: str, per_ip: int, per_document: int) -> bool:
    """Count this attempt against the client IP, and against the document from that IP.

    The per-document counter is kept per client: document numbers are not secret, so a
    counter shared by every client would let anybody use up somebody else's quota and shut
    that person out of the public forms. A refusal is audited.
    """
    window = settings.AYNI_ACCESS_LIMIT_WINDOW_SECONDS
    address = client_ip(request) or "sin-ip"
    by_ip = allow(f"{form_name}-ip", address, per_ip, window)
    by_document = allow(f"{form_name}-doc-ip", f"{document}|{address}", per_document, window)
    if by_ip and by_document:
        return True
    audit.record(None, events.RATE_LIMITED, form_name, request, outcome=AuditEvent.Outcome.DENIED)
    return False


def _submission_allowed(request, form_name: str, data: dict) -> bool:
    document = f"{data['document_type']}:{data['document_number']}"
    return _within_limits(
        request, form_name, document,
        settings.AYNI_ACCESS_LIMIT_PER_IP, settings.AYNI_ACCESS_LIMIT_PER_DOCUMENT,
    )  # fmt: skip


# --- Public pages ---------------------------------------------------------------------------


def request_access(request):
    form = forms.AccessRequestForm(
        request.POST or None, request.FILES or None,
        initial=request.session.get(forms.PREFILL_SESSION_KEY),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        if _submission_allowed(request, "solicitud", form.cleaned_data):
            access_request = services.submit_access_request(
                form.request_fields(),
                form.cleaned_data["attachment"],
                forms.consent_text(),
                request,
            )
            request.session[SENT_KEY] = access_request.code
            request.session.pop(forms.PREFILL_SESSION_KEY, None)
            return redirect("access:request_sent")
        form.add_error(None, LIMIT_MESSAGE)
    return render(
        request,
        "access/request_form.html",
        {"form": form, "consent": forms.consent_text()},
        status=400 if form.errors else 200,
    )


def request_help(request):
    form = forms.HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _submission_allowed(request, "ayuda", form.cleaned_data):
            access_request = services.submit_help_request(form.request_fields(), request)
            request.session[SENT_KEY] = access_request.code
            return redirect("access:help_sent")
        form.add_error(None, LIMIT_MESSAGE)
    return render(
        request, "access/help_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _sent_page(request, template, form_url):
    """The answer after a submission: the same page whether or not the document has an account."""
    code = request.session.get(SENT_KEY)
    access_request = AccessRequest.objects.select_related("unit").filter(code=code).first()
    if access_request is None:
        return redirect(form_url)
    return render(request, template, {"access_request": access_request})


def request_sent(request):
    return _sent_page(request, "access/request_sent.html", "access:request")


def help_sent(request):
    return _sent_page(request, "access/help_sent.html", "access:help")


def status(request):
    with_captcha = "captcha_0" in request.POST
    form = forms.StatusLookupForm(request.POST or None, captcha=with_captcha)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = f"{data['document_type']}:{data['document_number']}"
        allowed = _within_limits(
            request, "consulta", document,
            settings.AYNI_ACCESS_LOOKUPS_PER_IP, settings.AYNI_ACCESS_LOOKUPS_PER_DOCUMENT,
        )  # fmt: skip
        # Codes are sequential: guessing one for a known document from many addresses is
        # slowed by a CAPTCHA once the document was looked up often, whoever asked. Never
        # a refusal, which would let anybody shut the applicant out.
        busy = not allow(
            "consulta-doc", document, settings.AYNI_ACCESS_LOOKUPS_BEFORE_CAPTCHA,
            settings.AYNI_ACCESS_LIMIT_WINDOW_SECONDS,
        )  # fmt: skip
        if not allowed:
            form.add_error(None, LIMIT_MESSAGE)
        elif busy and not with_captcha:
            form = forms.StatusLookupForm(request.POST, captcha=True)
            form.is_valid()
            form.add_error(None, CAPTCHA_MESSAGE)
        else:
            found = selectors.public_lookup(
                data["code"], data["document_type"], data["document_number"]
            )
            if found is not None:
                request.session[STATUS_KEY] = found.pk
                return redirect("access:status_detail")
            form.add_error(None, NOT_FOUND_MESSAGE)
    return render(
        request, "access/status_form.html", {"form": form}, status=400 if form.errors else 200
    )


def status_detail(request):
    """The request found by code and document (kept in the session), and the one answer."""
    access_request = (
        AccessRequest.objects.select_related("unit")
        .filter(pk=request.session.get(STATUS_KEY))
        .first()
    )
    if access_request is None:
        return redirect("access:status")
    form = None
    if access_request.awaits_correction:
        form = forms.CorrectionForm(access_request, request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            services.answer_observation(
                access_request, form.request_fields(), form.cleaned_data["attachment"], request
            )
            messages.success(
                request, "Recibimos su respuesta. La UGEL revisará nuevamente su solicitud."
            )
            return redirect("access:status_detail")
    return render(
        request,
        "access/status_detail.html",
        {"access_request": access_request, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def faq(request):
    return render(request, "access/faq.html")


# --- The UGEL administrators' tray -----------------------------------------------------------


def _require_admin(user) -> None:
    if not is_admin_ugel(user):
        raise PermissionDenied


@login_required
def tray(request):
    _require_admin(request.user)
    filters = forms.TrayFilterForm(request.GET or None)
    state, kind, duplicates = selectors.PENDING_FILTER, "", False
    if filters.is_valid():
        state = filters.cleaned_data["estado"] or selectors.PENDING_FILTER
        kind = filters.cleaned_data["tipo"]
        duplicates = filters.cleaned_data["duplicados"] == "si"
    requests = selectors.tray(request.user, state, kind, duplicates, request)
    if exports.requested(request):
        return exports.response(
            request, requests, TRAY_COLUMNS, name="solicitudes-acceso",
            title="Solicitudes de acceso", action=events.TRAY_EXPORTED,
        )  # fmt: skip
    page = Paginator(requests, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "access/tray.html",
        {"filters": filters, "page": page, "query": exports.list_query(request)},
    )


TRAY_COLUMNS = [
    exports.Column("Código", lambda r: r.code),
    exports.Column("Tipo", lambda r: r.get_kind_display()),
    exports.Column("Tipo de documento", lambda r: r.document_type),
    exports.Column("Número de documento", lambda r: r.document_number),
    exports.Column("Solicitante", lambda r: r.full_name),
    exports.Column("Correo", lambda r: r.email),
    exports.Column("UGEL", lambda r: r.unit.name),
    exports.Column("Recibida", lambda r: r.created_at, exports.DATE),
    exports.Column("Estado", lambda r: r.get_state_display()),
    exports.Column("Posible duplicado", lambda r: "Sí" if r.is_possible_duplicate else "No"),
]


DECISIONS = {
    "aprobar": (
        forms.ConfirmForm, services.approve,
        "Solicitud aprobada: se envió el correo «Generar tu contraseña».",
    ),
    "observar": (forms.ObservationForm, services.observe, "La solicitud quedó observada."),
    "rechazar": (forms.RejectionForm, services.reject, "La solicitud fue rechazada."),
    "reenviar-correo": (
        forms.ConfirmForm, services.resend_password_mail,
        "Se reenvió el correo «Generar tu contraseña».",
    ),
    "cambiar-correo": (
        forms.EmailChangeForm, services.change_account_email,
        "Correo de la cuenta actualizado; se envió «Generar tu contraseña» al nuevo correo.",
    ),
    "desbloquear": (forms.ConfirmForm, services.unlock, "Cuenta desbloqueada."),
    "responder": (forms.AnswerForm, services.answer_help, "Respuesta enviada."),
}  # fmt: skip


def _detail_context(request, access_request, bound: dict | None = None) -> dict:
    bound = bound or {}
    context = {
        "access_request": access_request,
        "existing": selectors.existing_records(request.user, access_request),
        "same_document": selectors.same_document(request.user, access_request),
        "events": access_request.events.select_related("actor"),
    }
    initial = {"cambiar-correo": {"email": access_request.email}}
    context["forms"] = {  # template names cannot hold "-"
        decision.replace("-", "_"): bound.get(decision)
        or form_class(prefix=decision, initial=initial.get(decision))
        for decision, (form_class, _service, _done) in DECISIONS.items()
    }
    return context


@login_required
def detail(request, code):
    access_request = selectors.read_request(request.user, code, request)
    return render(request, "access/detail.html", _detail_context(request, access_request))


@login_required
@require_POST
def decide(request, code, decision):
    access_request = selectors.request_for(request.user, code)
    if decision not in DECISIONS:
        raise Http404
    form_class, service, done = DECISIONS[decision]
    form = form_class(request.POST, prefix=decision)
    if not form.is_valid():
        context = _detail_context(request, access_request, {decision: form})
        return render(request, "access/detail.html", context, status=400)
    try:
        service(request.user, access_request, *form.decision_args(), request=request)
    except services.DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("access:detail", code=access_request.code)


@login_required
def attachment(request, code):
    """The identity document, only to the administrators of the request's UGEL."""
    access_request = selectors.read_attachment(request.user, code, request)
    extension = access_request.attachment.name.rsplit(".", 1)[-1]
    response = FileResponse(
        access_request.attachment.open("rb"),
        content_type=access_request.attachment_type,
        as_attachment=False,
        filename=f"{access_request.code}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response

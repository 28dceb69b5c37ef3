import hashlib

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ayni.access.ratelimit import allow
from ayni.core.audit import record
from ayni.core.http import client_ip
from ayni.core.models import AuditEvent
from ayni.documents import events
from ayni.documents.forms import CodeForm, PdfCheckForm
from ayni.documents.selectors import document_by_code
from config.routers import reads_from_replica


def verify_form(request):
    """Public: type the code printed under the QR."""
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("documents:verify", code=form.cleaned_data["codigo"])
    return render(request, "documents/verify_form.html", {"form": form})


@reads_from_replica
@require_http_methods(["GET", "POST"])
def verify(request, code):
    """Public: the state of one issued document, and a byte-for-byte check of a PDF."""
    address = client_ip(request) or "sin-ip"
    if not allow("verificacion", address, settings.AYNI_VERIFICATIONS_PER_MINUTE, 60):
        record(request.user, events.VERIFIED, code, request,
               outcome=AuditEvent.Outcome.DENIED, motivo="límite de consultas")  # fmt: skip
        return render(request, "documents/too_many.html", status=429)
    document = document_by_code(code)
    upload_form = PdfCheckForm()
    identical = None
    if request.method == "POST" and document is not None:
        upload_form = PdfCheckForm(request.POST, request.FILES)
        if upload_form.is_valid():
            digest = hashlib.sha256()
            for chunk in upload_form.cleaned_data["archivo"].chunks():
                digest.update(chunk)
            identical = digest.hexdigest() == document.sha256
    details = {"resultado": document.state if document else "no_encontrada"}
    if identical is not None:
        details["archivo_identico"] = identical
    record(request.user, events.VERIFIED, document or code, request, **details)
    summary = document.summary if document else {}
    fields = summary.get("campos") or [[k, v] for k, v in summary.items() if k != "titulo"]
    return render(
        request,
        "documents/verify.html",
        {
            "code": code,
            "document": document,
            "title": summary.get("titulo", ""),
            "fields": fields,
            "upload_form": upload_form,
            "identical": identical,
        },
        status=200 if document else 404,
    )

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
from ayni.documents.selectors import document_by_code, document_by_sha256
from ayni.documents.services import document_bytes
from ayni.documents.signing import check_signature
from config.routers import reads_from_replica


def within_limit(request, target) -> bool:
    address = client_ip(request) or "sin-ip"
    if allow("verificacion", address, settings.AYNI_VERIFICATIONS_PER_MINUTE, 60):
        return True
    record(request.user, events.VERIFIED, target, request,
           outcome=AuditEvent.Outcome.DENIED, motivo="límite de consultas")  # fmt: skip
    return False


def signature_outcome(check) -> str:
    if not check.signed:
        return "sin_firma"
    if check.altered:
        return "alterada"
    return "valida" if check.valid else "no_confiable"


def public_fields(document) -> tuple[str, list]:
    summary = document.summary if document else {}
    fields = summary.get("campos") or [[k, v] for k, v in summary.items() if k != "titulo"]
    return summary.get("titulo", ""), fields


@reads_from_replica
@require_http_methods(["GET", "POST"])
def verify_form(request):
    """Public: type the code printed under the QR, or upload the PDF received."""
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("documents:verify", code=form.cleaned_data["codigo"])
    upload_form = PdfCheckForm()
    if request.method == "POST":
        if not within_limit(request, "archivo"):
            return render(request, "documents/too_many.html", status=429)
        upload_form = PdfCheckForm(request.POST, request.FILES)
        if upload_form.is_valid():
            return verify_upload(request, upload_form.pdf_bytes())
    return render(request, "documents/verify_form.html", {"form": form, "upload_form": upload_form})


def verify_upload(request, pdf: bytes):
    """An uploaded PDF: its signature, and the record whose stored bytes it is, if any."""
    check = check_signature(pdf)
    document = document_by_sha256(hashlib.sha256(pdf).hexdigest())
    details = {
        "resultado": document.state if document else "no_encontrada",
        "firma": signature_outcome(check),
    }
    record(request.user, events.VERIFIED, document or "archivo", request, **details)
    title, fields = public_fields(document)
    return render(
        request,
        "documents/verify_upload.html",
        {"document": document, "check": check, "title": title, "fields": fields},
    )


@reads_from_replica
@require_http_methods(["GET", "POST"])
def verify(request, code):
    """Public: the state of one issued document, and a byte-for-byte check of a PDF."""
    if not within_limit(request, code):
        return render(request, "documents/too_many.html", status=429)
    document = document_by_code(code)
    upload_form = PdfCheckForm()
    identical = check = None
    if request.method == "POST" and document is not None:
        upload_form = PdfCheckForm(request.POST, request.FILES)
        if upload_form.is_valid():
            pdf = upload_form.pdf_bytes()
            identical = hashlib.sha256(pdf).hexdigest() == document.sha256
            check = check_signature(pdf)
    details = {"resultado": document.state if document else "no_encontrada"}
    if identical is not None:
        details["archivo_identico"] = identical
        details["firma"] = signature_outcome(check)
    record(request.user, events.VERIFIED, document or code, request, **details)
    title, fields = public_fields(document)
    return render(
        request,
        "documents/verify.html",
        {
            "code": code,
            "document": document,
            "title": title,
            "fields": fields,
            # The signature of the PDF as issued: who signed it and when, checked now.
            "issued_check": check_signature(document_bytes(document)) if document else None,
            "upload_form": upload_form,
            "identical": identical,
            "check": check,
        },
        status=200 if document else 404,
    )

"""Writes of electronic delivery: acceptances, the servant's accesses, constancias."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ayni.core import audit
from ayni.core.files import files_with_rows
from ayni.core.http import client_ip
from ayni.delivery import events
from ayni.delivery.models import BoletaAccess, DeliveryConsent, DeliveryReceipt, DeliveryTerms
from ayni.delivery.selectors import (
    access_log,
    delivery_rows,
    needs_consent,
    terms_sha256,
    terms_text,
)
from ayni.documents.services import issue_document

SESSION_KEY = "entrega_pendiente"
RECEIPT_KIND = "constancia_entrega"


def _client(request) -> dict:
    if request is None:
        return {"ip": None, "user_agent": ""}
    return {"ip": client_ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300]}


def flag_pending_consent(sender, request, user, **kwargs):
    """`user_logged_in`: a servant who has not accepted the current text is asked, on every
    page of this session, until they do (they can still read everything meanwhile)."""
    if request is not None and needs_consent(user):
        request.session[SESSION_KEY] = True


def accept(user, request=None) -> DeliveryConsent:
    """Record the acceptance of the text shown now; accepting twice keeps the first."""
    text = terms_text()
    sha256 = terms_sha256(text)
    with transaction.atomic():
        terms, _ = DeliveryTerms.objects.get_or_create(
            sha256=sha256, defaults={"text": text, "version": settings.AYNI_EDELIVERY_TERMS_VERSION}
        )
        consent = DeliveryConsent.objects.filter(account=user, terms=terms).first()
        if consent is None:
            try:
                with transaction.atomic():
                    consent = DeliveryConsent.objects.create(
                        account=user, terms=terms, **_client(request)
                    )
            except IntegrityError:  # the same acceptance sent twice at once
                consent = DeliveryConsent.objects.get(account=user, terms=terms)
            else:
                audit.record(user, events.CONSENTED, consent, request, version=terms.version)
    if request is not None:
        request.session.pop(SESSION_KEY, None)
    return consent


def record_access(boleta, download: bool, request=None) -> BoletaAccess:
    """The servant opened (or saved) the PDF of their own boleta: proof of access."""
    kind = BoletaAccess.Kind.DOWNLOAD if download else BoletaAccess.Kind.VIEW
    return BoletaAccess.objects.create(boleta=boleta, kind=kind, **_client(request))


def issue_receipt(actor, boletas, *, planilla=None, servant=None, first=None, last=None,
                  request=None):  # fmt: skip
    """Freeze the delivery rows of `boletas` (already limited to what `actor` covers) and
    issue the signed constancia; returns its IssuedDocument."""
    cutoff = timezone.now()
    data = {
        "filas": delivery_rows(boletas, cutoff),
        "accesos": access_log(boletas, cutoff) if servant is not None else [],
    }
    # Label/value pairs as a list: PostgreSQL's jsonb keeps no key order, and the PDF must
    # render again from the stored data to the same bytes.
    if planilla is not None:
        scope = DeliveryReceipt.Scope.PLANILLA
        data["periodos"] = ", ".join(planilla.period_list)
        data["alcance"] = [
            ["Planilla", planilla.file_name],
            ["Periodos", data["periodos"]],
            ["SHA-256 del archivo", planilla.sha256],
        ]
    else:
        scope = DeliveryReceipt.Scope.SERVANT
        data["periodos"] = f"{first:%m/%Y} a {last:%m/%Y}"
        data["alcance"] = [
            [
                "Servidor",
                f"{servant.full_name} ({servant.document_type} {servant.document_number})",
            ],
            ["Periodos", data["periodos"]],
        ]
    with files_with_rows():
        receipt = DeliveryReceipt.objects.create(
            scope=scope, planilla=planilla, servant=servant, requested_by=actor,
            cutoff=cutoff, data=data,
        )  # fmt: skip
        document = issue_document(RECEIPT_KIND, receipt, servant, actor)
    audit.record(actor, events.RECEIPT_ISSUED, receipt, request, formato="pdf",
                 documento=document.code, boletas=len(data["filas"]))  # fmt: skip
    return document

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ayni.boletas import selectors as boleta_selectors
from ayni.boletas.views import boletas_admin_required
from ayni.core import exports
from ayni.core.audit import record
from ayni.core.decorators import servant_required
from ayni.core.http import safe_next
from ayni.delivery import events, selectors, services
from ayni.delivery.forms import ConsentFilterForm, ReceiptFormatForm, ServantReceiptForm
from ayni.documents.registry import renderer_for
from ayni.documents.services import document_bytes

CONSENT_COLUMNS = [
    exports.Column("Tipo de documento", lambda s: s.document_type),
    exports.Column("Número de documento", lambda s: s.document_number),
    exports.Column("Apellidos", lambda s: s.apellidos),
    exports.Column("Nombres", lambda s: s.nombres),
    exports.Column("Unidad", lambda s: s.unit.name if s.unit_id else ""),
    exports.Column("Aceptó", lambda s: "Sí" if s.accepted else "No"),
    exports.Column("Fecha de aceptación", lambda s: s.accepted_at, exports.DATETIME),
]
RECEIPT_COLUMNS = [
    exports.Column(header, lambda row, key=key: row[key])
    for header, key in selectors.RECEIPT_FIELDS
]


# --- the servant -------------------------------------------------------------------------
@servant_required
def terms(request):
    """The e-delivery text, and "Acepto" until the servant has accepted it."""
    text = selectors.terms_text()
    if request.method == "POST":
        services.accept(request.user, request)
        return redirect(safe_next(request, "delivery:terms"))
    return render(
        request,
        "delivery/terms.html",
        {
            "paragraphs": [p for p in text.split("\n\n") if p.strip()],
            "accepted": selectors.has_accepted(request.user, text),
            "consent": selectors.accepted_terms_of(request.user),
            "next": safe_next(request, "boletas:mine"),
        },
    )


# --- the administrador de boletas -----------------------------------------------------------
@boletas_admin_required
def staff_consents(request):
    form = ConsentFilterForm(request.GET or None)
    pending_only = form.is_valid() and form.cleaned_data["pendientes"]
    servants = selectors.staff_consents(request.user, pending_only)
    if exports.requested(request):
        return exports.response(
            request, servants, CONSENT_COLUMNS, name="entrega-electronica",
            title="Entrega electrónica", action=events.CONSENTS_LISTED,
        )  # fmt: skip
    record(request.user, events.CONSENTS_LISTED, None, request, pendientes=pending_only)
    page = Paginator(servants, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "delivery/staff_consents.html",
        {"form": form, "page": page, "query": exports.list_query(request)},
    )


def _receipt_response(request, boletas, form, **scope):
    """The constancia as a signed PDF (recorded and verifiable) or as CSV."""
    if form.cleaned_data["formato"] == "csv":
        rows = selectors.delivery_rows(boletas, timezone.now())
        record(request.user, events.RECEIPT_ISSUED, scope.get("planilla") or scope["servant"],
               request, formato="csv", boletas=len(rows))  # fmt: skip
        response = HttpResponse(
            exports.csv_bytes(RECEIPT_COLUMNS, rows), content_type=exports.CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = 'attachment; filename="constancia-entrega.csv"'
    else:
        document = services.issue_receipt(request.user, boletas, request=request, **scope)
        filename = renderer_for(document.kind).filename(document.source, document)
        response = HttpResponse(document_bytes(document), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@boletas_admin_required
@require_POST
def planilla_receipt(request, pk):
    planilla = boleta_selectors.visible_import(request.user, pk)
    form = ReceiptFormatForm(request.POST)
    if not form.is_valid():
        return redirect("boletas:import_detail", pk=pk)
    boletas = boleta_selectors.staff_boletas(request.user).filter(imported_in=planilla)
    return _receipt_response(request, boletas, form, planilla=planilla)


@boletas_admin_required
def servant_receipt(request, pk):
    servant = boleta_selectors.staff_servant(request.user, pk, request)
    this_month = timezone.localdate().replace(day=1)
    year_ago = this_month.replace(year=this_month.year - 1, month=this_month.month)
    form = ServantReceiptForm(
        request.POST or None, initial={"desde": year_ago, "hasta": this_month}
    )
    if request.method == "POST" and form.is_valid():
        first, last = form.cleaned_data["desde"], form.cleaned_data["hasta"]
        boletas = boleta_selectors.staff_boletas(request.user).filter(
            servant=servant, period__gte=first, period__lte=last
        )
        return _receipt_response(request, boletas, form, servant=servant, first=first, last=last)
    return render(
        request,
        "delivery/servant_receipt.html",
        {"servant": servant, "form": form},
        status=400 if form.is_bound else 200,
    )

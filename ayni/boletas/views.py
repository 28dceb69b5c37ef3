import io
import zipfile
from collections import Counter
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from ayni.boletas import deductions, events, selectors, services
from ayni.boletas.charts import pay_chart
from ayni.boletas.forms import (
    BoletaFilterForm,
    ImportHistoryFilterForm,
    PlanillaUploadForm,
    ServantSearchForm,
)
from ayni.boletas.models import Boleta
from ayni.boletas.pdf import BoletaRenderer
from ayni.core import exports
from ayni.core.audit import record
from ayni.core.decorators import servant_required
from ayni.core.formats import period_label
from ayni.core.links import url_by_pk
from ayni.delivery.selectors import with_delivery_dates
from ayni.documents.services import document_bytes
from ayni.organizations.scoping import has_role
from ayni.pwa.selectors import CACHE_HEADER, cache_tag
from config.routers import reads_from_replica

PAGE_SIZE = 12
CHART_MONTHS = 24
DEDUCTION_MONTHS = 12


def boletas_admin_required(view):
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, selectors.ROLE):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _with_links(page, pdf: str, changes: str | None = None):
    """The page's boletas, each with the URL of its PDF (view `pdf`) and, for the servant's
    own, of «¿Qué cambió?» (view `changes`), for `_boleta_table.html`."""
    pdf_url = url_by_pk(pdf)
    changes_url = url_by_pk(changes) if changes else None
    for boleta in page:
        boleta.pdf_url = pdf_url(boleta.pk)
        if changes_url:
            boleta.changes_url = changes_url(boleta.pk)
    return page


def _pdf_response(request, boleta: Boleta) -> HttpResponse:
    """The boleta's stored PDF (issued on this request if needed), in the same tab or as a
    download; every view and download is recorded."""
    download = "descargar" in request.GET
    document = services.open_boleta_pdf(boleta, request.user, request, download=download)
    response = HttpResponse(document_bytes(document), content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    filename = BoletaRenderer().filename(boleta)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the servant ----------------------------------------------------------------------
# Mi boleta as a file: one row per boleta, the amounts as numbers in soles.
OWN_COLUMNS = [
    exports.Column("Periodo", lambda b: period_label(b.period)),
    exports.Column("Tipo de planilla", lambda b: b.payroll_type),
    exports.Column("Entidad", lambda b: b.entity_name),
    exports.Column("Estado", lambda b: b.get_state_display()),
    exports.Column("Bruto", lambda b: b.gross, exports.SOLES),
    exports.Column("Descuentos", lambda b: b.deductions, exports.SOLES),
    exports.Column("Neto", lambda b: b.net, exports.SOLES),
]
OWN_HEAD = OWN_COLUMNS[:4]


def concept_sheet(boletas: list[Boleta]) -> list[tuple]:
    """The second sheet of Mi boleta in Excel: the same boletas, one column per concepto
    (its code and description, in the order they first appear), each amount a number."""
    amounts = {boleta.pk: selectors.concept_amounts(boleta) for boleta in boletas}
    columns = OWN_HEAD + [
        exports.Column(f"{code} {description}", lambda b, code=code: amounts[b.pk].get(code),
                       exports.SOLES)
        for code, description in selectors.concept_columns(boletas)
    ]  # fmt: skip
    return [("Conceptos", columns, boletas)]


@reads_from_replica
@servant_required
def my_boletas(request):
    mine = selectors.own_boletas(request.user)
    form = BoletaFilterForm(request.GET or None)
    found = form.apply(mine) if form.is_bound else mine
    if exports.requested(request):
        return exports.response(
            request, found.order_by("-period", "payroll_type", "-id"), OWN_COLUMNS,
            name="mis-boletas", title="Boletas", action=events.OWN_EXPORTED,
            target=request.user.servant, more_sheets=concept_sheet,
        )  # fmt: skip
    page = Paginator(with_delivery_dates(selectors.listed(found)), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    every_month = selectors.monthly_pay(mine)
    year = form.cleaned_data.get("anio") if form.is_bound and form.is_valid() else None
    months = [m for m in every_month if m["period"].year == year] if year else every_month
    record(request.user, events.OWN_LISTED, request.user.servant, request,
           filtros=request.GET.urlencode()[:200])  # fmt: skip
    query = request.GET.copy()
    query.pop("pagina", None)
    latest = selectors.latest_boleta(
        mine.only(*selectors.PERSONAL_DATA_FIELDS).select_related("entity")
    )
    # The paying entity of the latest boleta (a UGEL, or a DRE/GRE paying directly); the
    # servant's unit before any boleta.
    region, ugel = selectors.region_and_ugel(latest.entity if latest else request.user.servant.unit)
    return render(
        request,
        "boletas/my_boletas.html",
        {
            "region": region,
            "ugel": ugel,
            "form": form,
            "page": _with_links(page, "boletas:pdf", "boletas:changes"),
            "query": query.urlencode(),
            "latest": latest,
            "servant": request.user.servant,
            "chart": pay_chart(months if year else months[-CHART_MONTHS:]),
            "chart_year": year,
            # The years with a current boleta: the ZIP holds only those (404 otherwise).
            "zip_years": sorted({m["period"].year for m in every_month}, reverse=True),
            "export_query": exports.list_query(request),
        },
    )


@reads_from_replica
@servant_required
def my_deductions(request):
    """Mis descuentos: the months of the year chosen (the last 12 with boletas by default),
    each boleta's deductions by group and the month's net against the legal floor."""
    mine = selectors.own_boletas(request.user)
    form = BoletaFilterForm(request.GET or None)
    if form.is_bound:
        found = form.apply(mine)
    else:
        recent = list(mine.dates("period", "month", order="DESC")[:DEDUCTION_MONTHS])
        found = mine.filter(period__gte=recent[-1]) if recent else mine
    months = deductions.months(found)
    record(request.user, events.OWN_DEDUCTIONS, request.user.servant, request,
           filtros=request.GET.urlencode()[:200], meses=len(months))  # fmt: skip
    return render(
        request,
        "boletas/my_deductions.html",
        {"form": form, "months": months, "groups": deductions.GROUPS},
    )


@servant_required
def my_boleta_pdf(request, pk):
    response = _pdf_response(request, selectors.own_boleta(request.user, pk))
    # The installable app keeps the servant's own PDFs offline, in a cache named by this tag.
    response[CACHE_HEADER] = cache_tag(request.user)
    return response


@servant_required
def my_boleta_changes(request, pk):
    boleta = selectors.own_boleta(request.user, pk)
    previous = selectors.previous_boleta(boleta)
    record(request.user, events.OWN_COMPARED, boleta, request,
           anterior=previous.pk if previous else None)  # fmt: skip
    changes = selectors.concept_changes(previous, boleta) if previous else None
    return render(
        request,
        "boletas/changes.html",
        {
            "boleta": boleta,
            "previous": previous,
            "changes": changes,
            "damaged": previous is not None and changes is None,
        },
    )


@servant_required
def my_year_zip(request, year):
    boletas = list(
        selectors.own_boletas(request.user)
        .filter(period__year=year, state=Boleta.State.CURRENT)
        .select_related("servant")
        .order_by("period", "payroll_type")
    )
    if not boletas:
        raise Http404("No hay boletas de ese año.")
    renderer = BoletaRenderer()
    names = Counter(renderer.filename(boleta) for boleta in boletas)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for boleta in boletas:
            document = services.open_boleta_pdf(boleta, request.user, request, download=True,
                                                zip=year)  # fmt: skip
            name = renderer.filename(boleta)
            if names[name] > 1:  # several planillas in the month (e.g. Aguinaldo)
                name = name.replace(".pdf", f"-{slugify(boleta.payroll_type)}.pdf")
            archive.writestr(name, document_bytes(document))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    filename = f"boletas-{year}-{request.user.servant.document_number}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the administrador de boletas -------------------------------------------------------
SERVANT_COLUMNS = [
    exports.Column("Tipo de documento", lambda s: s.document_type),
    exports.Column("Número de documento", lambda s: s.document_number),
    exports.Column("Apellido paterno", lambda s: s.apellido_paterno),
    exports.Column("Apellido materno", lambda s: s.apellido_materno),
    exports.Column("Nombres", lambda s: s.nombres),
    exports.Column("Unidad", lambda s: s.unit.name if s.unit_id else ""),
]
IMPORT_COLUMNS = [
    exports.Column("Fecha", lambda i: i.created_at, exports.DATE),
    exports.Column("Archivo", lambda i: i.file_name),
    exports.Column("SHA-256", lambda i: i.sha256),
    exports.Column("Cargado por", lambda i: i.uploaded_by.username if i.uploaded_by_id
                   else i.get_origin_display()),
    exports.Column("Periodo", lambda i: ", ".join(i.period_list)),
    exports.Column("Entidades", lambda i: ", ".join(u.code for u in i.entities.all())),
    exports.Column("Líneas", lambda i: i.lines, exports.NUMBER),
    exports.Column("Nuevas", lambda i: i.boletas_created, exports.NUMBER),
    exports.Column("Reemplazadas", lambda i: i.boletas_replaced, exports.NUMBER),
    exports.Column("Sin cambios", lambda i: i.boletas_unchanged, exports.NUMBER),
    exports.Column("Resultado", lambda i: i.summary),
    exports.Column("Errores", lambda i: i.error_count, exports.NUMBER),
]  # fmt: skip


@boletas_admin_required
def staff_search(request):
    form = ServantSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        servants = selectors.search_servants(request.user, form.cleaned_data["q"], request)
        if exports.requested(request):
            return exports.response(
                request, servants.select_related("unit"), SERVANT_COLUMNS,
                name="servidores", title="Servidores", action=events.STAFF_EXPORTED,
            )  # fmt: skip
        page = Paginator(servants.select_related("unit"), 20).get_page(request.GET.get("pagina"))
    query = urlencode({"q": request.GET.get("q", "")})
    return render(
        request, "boletas/staff_search.html", {"form": form, "page": page, "query": query}
    )


@boletas_admin_required
def staff_servant(request, pk):
    servant = selectors.staff_servant(request.user, pk, request)
    boletas = with_delivery_dates(
        selectors.listed(selectors.staff_boletas(request.user).filter(servant=servant))
    )
    page = Paginator(boletas, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "boletas/staff_servant.html",
        {"servant": servant, "page": _with_links(page, "boletas:staff_pdf")},
    )


@boletas_admin_required
def staff_boleta_pdf(request, pk):
    return _pdf_response(request, selectors.staff_boleta(request.user, pk))


@boletas_admin_required
def import_upload(request):
    form = PlanillaUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        planilla_import = services.validate_upload(
            form.cleaned_data["archivo"], request.user, request
        )
        return redirect("boletas:import_detail", pk=planilla_import.pk)
    return render(request, "boletas/import_upload.html", {"form": form})


@boletas_admin_required
def import_history(request):
    imports = selectors.visible_imports(request.user)
    form = ImportHistoryFilterForm(request.GET or None, units=selectors.import_entities(imports))
    if form.is_bound:
        imports = form.apply(imports)
    imports = imports.prefetch_related("entities")
    if exports.requested(request):
        return exports.response(
            request, imports, IMPORT_COLUMNS, name="historial-cargas",
            title="Historial de cargas", action=events.IMPORTS_EXPORTED,
        )  # fmt: skip
    page = Paginator(imports, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "boletas/import_history.html",
        {"page": page, "form": form, "query": exports.list_query(request)},
    )


AFFECTED_PAGE_SIZE = 25
OUTCOME_LABELS = {"nueva": "Nueva", "reemplaza": "Reemplaza a otra", "retirada": "Retirada"}


@boletas_admin_required
def import_detail(request, pk):
    planilla_import = selectors.visible_import(request.user, pk)
    search = request.GET.get("q", "").strip()[:80]
    affected = [
        {"document": f"{kind} {number}", "name": name, "outcome": OUTCOME_LABELS.get(outcome),
         "net": net}
        for kind, number, name, outcome, net in selectors.matching_affected(
            planilla_import, search
        )
    ]  # fmt: skip
    page = Paginator(affected, AFFECTED_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "boletas/import_detail.html",
        {
            "import": planilla_import,
            "entities": planilla_import.entities.order_by("code"),
            "page": page,
            "search": search,
            "query": urlencode({"q": search}) if search else "",
            "pdfs": selectors.pdf_progress(planilla_import)
            if planilla_import.state == planilla_import.State.IMPORTED
            else None,
        },
    )


@boletas_admin_required
@require_POST
def import_confirm(request, pk):
    planilla_import = selectors.visible_import(request.user, pk)
    services.confirm_import(planilla_import, request.user, request)
    return redirect("boletas:import_detail", pk=pk)


@boletas_admin_required
@require_POST
def import_render_pdfs(request, pk):
    planilla_import = selectors.visible_import(request.user, pk)
    services.render_planilla_pdfs(planilla_import, request.user, request)
    return redirect(reverse("boletas:import_detail", args=[pk]) + "#pdf")


@boletas_admin_required
def import_pdf_progress(request, pk):
    planilla_import = selectors.visible_import(request.user, pk)
    response = JsonResponse(selectors.pdf_progress(planilla_import))
    response["Cache-Control"] = "private, no-store"
    return response


@boletas_admin_required
@require_POST
def import_discard(request, pk):
    planilla_import = selectors.visible_import(request.user, pk)
    services.discard_import(planilla_import, request.user, request)
    return redirect("boletas:import_history")

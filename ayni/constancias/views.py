from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ayni.boletas.models import DamagedConceptos
from ayni.constancias import events, selectors, services
from ayni.constancias.forms import HaberesForm
from ayni.constancias.models import Constancia
from ayni.core.audit import record
from ayni.core.decorators import servant_required
from ayni.documents.registry import renderer_for
from ayni.documents.services import document_bytes
from ayni.legajo import selectors as legajo_selectors
from ayni.legajo.models import LegajoReport

DAMAGED = (
    "Una boleta de esos meses no se puede leer: comuníquese con su UGEL. No se emitió "
    "ninguna constancia."
)


def _pdf(document) -> HttpResponse:
    filename = renderer_for(document.kind).filename(document.source, document)
    response = HttpResponse(document_bytes(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _page(request, form=None, status=200):
    servant = request.user.servant
    latest = selectors.current_boletas(servant).order_by("-period").first()
    if form is None:
        initial = {}
        if latest:  # the last 12 months, from the first of them with a boleta
            month = latest.period.month - selectors.MAX_MONTHS + 1
            year = latest.period.year + (month - 1) // 12
            start = latest.period.replace(year=year, month=(month - 1) % 12 + 1)
            first = selectors.current_boletas(servant).filter(period__gte=start).earliest("period")
            initial = {"desde": first.period, "hasta": latest.period}
        form = HaberesForm(servant=servant, initial=initial)
    return render(
        request,
        "constancias/mine.html",
        {
            "form": form,
            "has_boletas": latest is not None,
            "no_boletas": selectors.NO_BOLETAS,
            "legajo_problem": selectors.legajo_problem(servant),
            "documents": selectors.own_documents(servant)[:50],
            # The informe escalafonario is asked for and attended by the UGEL (legajo app).
            "informes": legajo_selectors.own_documents(request.user).filter(
                kind=LegajoReport.Kind.INFORME
            )[:20],
            "max_months": selectors.MAX_MONTHS,
        },
        status=status,
    )


@servant_required
def mine(request):
    record(request.user, events.LISTED, request.user.servant, request)
    return _page(request)


@servant_required
@require_POST
def issue(request, kind):
    servant = request.user.servant
    if kind == Constancia.Kind.HABERES:
        form = HaberesForm(request.POST, servant=servant)
        if not form.is_valid():
            return _page(request, form, status=400)
        try:
            document = services.issue_haberes(
                servant, form.cleaned_data["desde"], form.cleaned_data["hasta"],
                request.user, request,
            )  # fmt: skip
        except DamagedConceptos:
            form.add_error(None, DAMAGED)
            return _page(request, form, status=400)
        return _pdf(document)
    if kind not in (Constancia.Kind.TRABAJO, Constancia.Kind.TIEMPO):
        raise Http404
    if selectors.legajo_problem(servant):
        return _page(request, status=400)  # the page says why
    legajo = selectors.usable_legajo(servant)
    if kind == Constancia.Kind.TRABAJO:
        return _pdf(services.issue_trabajo(legajo, request.user, request))
    return _pdf(services.issue_tiempo(legajo, request.user, request))


@servant_required
def download(request, pk):
    document = selectors.own_document(request.user.servant, pk)
    record(request.user, events.DOWNLOADED, document, request, tipo=document.kind)
    return _pdf(document)

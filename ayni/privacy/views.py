"""Thin views of «Mis datos personales»: only the signed-in servant's own data."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from ayni.core.decorators import servant_required
from ayni.privacy import selectors, services

PAGE_SIZE = 25


@servant_required
def mis_datos(request):
    return render(
        request,
        "privacy/mis_datos.html",
        {
            "notice": selectors.privacy_notice(),
            "documents": selectors.issued_documents(request.user),
            "support_email": settings.AYNI_SUPPORT_EMAIL,
            "support_phone": settings.AYNI_SUPPORT_PHONE,
            "support_hours": settings.AYNI_SUPPORT_HOURS,
        },
    )


@servant_required
def descargar(request):
    name, content = services.export_personal_data(request.user, request)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@servant_required
def quien_vio(request):
    page = Paginator(selectors.staff_views(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "privacy/quien_vio.html",
        {"page": page, "rows": selectors.describe_views(page.object_list)},
    )

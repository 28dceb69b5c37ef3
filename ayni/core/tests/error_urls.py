"""The project's URLs plus views that fail, to see the error pages as visitors do."""

from django.core.cache import cache
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from config import urls as project_urls


def failing_view(request):
    raise RuntimeError("falla de prueba")


def cache_reading_view(request):
    return HttpResponse(cache.get("contador", 0))


def forbidden_view(request):
    raise PermissionDenied


def bad_request_view(request):
    raise BadRequest("pedido mal formado")


def suspicious_view(request):
    raise SuspiciousOperation("pedido sospechoso")


def missing_view(request):
    raise Http404("no hay tal registro")


@require_POST
def post_only_view(request):
    return HttpResponse("hecho")


def bare_too_many_view(request):
    return HttpResponse(status=429, headers={"Retry-After": "60"})


handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
urlpatterns = [
    path("falla", failing_view),
    path("prohibido", forbidden_view),
    path("mal-formado", bad_request_view),
    path("sospechoso", suspicious_view),
    path("inexistente", missing_view),
    path("solo-post", post_only_view),
    path("demasiados", bare_too_many_view),
    path("cache", cache_reading_view),
    *project_urls.urlpatterns,
]

"""The project's URLs plus views that fail, to see the error pages as visitors do."""

from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path

from config import urls as project_urls


def failing_view(request):
    raise RuntimeError("falla de prueba")


def cache_reading_view(request):
    return HttpResponse(cache.get("contador", 0))


handler500 = project_urls.handler500
urlpatterns = [
    path("falla", failing_view),
    path("cache", cache_reading_view),
    *project_urls.urlpatterns,
]

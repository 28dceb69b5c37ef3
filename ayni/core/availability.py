"""What a visitor sees when the platform fails: 503 while a backend is down, 500 otherwise.

Both pages are rendered without the request's context processors: those read the user and
the menu from the database, which may be the very thing that is down.
"""

import logging
import sys

import redis.exceptions
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from ayni.core.context_processors import platform

logger = logging.getLogger("ayni.availability")

RETRY_AFTER_SECONDS = 30
_BACKEND_UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def is_backend_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, _BACKEND_UNAVAILABLE)


def unavailable_response(exception: BaseException) -> HttpResponse:
    logger.warning(
        "Servicio no disponible: %s: %s",
        type(exception).__name__,
        exception,
        extra={"unavailable": type(exception).__name__},
    )
    response = HttpResponse(render_to_string("core/503.html", platform(None)), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """`handler500`: also reached when a backend fails outside a view (e.g. in a middleware)."""
    exception = sys.exc_info()[1]
    if is_backend_unavailable(exception):
        return unavailable_response(exception)
    context = {**platform(None), "request_id": getattr(request, "request_id", "")}
    return HttpResponse(render_to_string("core/500.html", context), status=500)

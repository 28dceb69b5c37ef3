"""The platform's error pages, in Spanish and in its layout: 400, 403, 404, 405, 429 and a
refused CSRF token (the 500 and 503 pages live in ayni.core.availability).

They are Django's handlers (config/urls.py, CSRF_FAILURE_VIEW), and ErrorPagesMiddleware
gives the same pages where Django would not use them:

- a response with an error status and no body (`require_POST`'s 405, a bare 403 or 429);
- with DEBUG=true (`make run`), Django answers an unknown address or a view's Http404 with
  its technical 404 page, which lists every URL pattern, and an exception with its technical
  500 page. A newcomer would read those as a broken platform, and the 404 page maps the
  whole site for anybody; so the visitor gets the platform's page in both modes, and the
  traceback still goes to the console log (logger django.request), as without DEBUG.
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

from ayni.core.availability import server_error
from ayni.core.context_processors import platform

request_logger = logging.getLogger("django.request")

PAGES = {
    400: (
        "Solicitud no válida",
        "No pudimos entender su pedido. Revise la dirección o vuelva a la página anterior e "
        "inténtelo de nuevo.",
    ),
    403: (
        "Acceso no permitido",
        "Su cuenta no tiene permiso para ver esta página o realizar esta acción.",
    ),
    404: (
        "Página no encontrada",
        "La dirección que abrió no existe o ya no está disponible. Revise que esté bien escrita.",
    ),
    405: (
        "Acción no permitida",
        "Esta página no admite la acción que se intentó. Vuelva a la página anterior y use "
        "sus botones y formularios.",
    ),
    429: (
        "Demasiados intentos",
        "Se hicieron demasiados pedidos desde su conexión en poco tiempo. Espere unos "
        "minutos e inténtelo de nuevo.",
    ),
}
CSRF_PAGE = (
    "La página venció",
    "Por su seguridad, el formulario ya no es válido: la página estuvo abierta mucho tiempo o "
    "su navegador no acepta cookies. Vuelva a abrir la página, complete el formulario y "
    "envíelo de nuevo.",
)


def error_body(codigo: str, mensaje: str, campos: dict | None = None) -> dict:
    """The one JSON shape of an API error (ayni.api.errors, and the middleware that answer
    before an API view runs)."""
    return {"error": {"codigo": codigo, "mensaje": mensaje, "campos": campos or {}}}


def error_response(request, status: int, page=None, *, with_user: bool = True) -> HttpResponse:
    """The error page. `with_user=False` renders without the request's context processors
    (no database query), for requests Django already found malformed (400)."""
    title, message = page or PAGES[status]
    context = {"error_title": title, "error_message": message, "status": status}
    if with_user:
        html = render_to_string("core/error.html", context, request)
    else:
        html = render_to_string("core/error.html", {**platform(None), **context})
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return error_response(request, 400, with_user=False)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def csrf_failure(request, reason=""):
    return error_response(request, 403, CSRF_PAGE)


class ErrorPagesMiddleware:
    """Place after the middleware that add headers (CSP, privacy), so the pages keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status not in PAGES or getattr(response, "streaming", False):
            return response
        unresolved_in_debug = (
            settings.DEBUG and status == 404 and getattr(request, "resolver_match", None) is None
        )
        if response.content and not unresolved_in_debug:
            return response
        page = error_response(request, status)
        for header in ("Allow", "Retry-After"):
            if header in response:
                page[header] = response[header]
        return page

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None  # Django's handlers (config/urls.py) answer, and log, as usual
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        if isinstance(exception, SuspiciousOperation):
            security = logging.getLogger(f"django.security.{exception.__class__.__name__}")
            security.error(str(exception), exc_info=exception)
            return bad_request(request, exception)
        if isinstance(exception, BadRequest):
            return bad_request(request, exception)
        request_logger.error(
            "Internal Server Error: %s", request.path, exc_info=exception,
            extra={"status_code": 500, "request": request},
        )  # fmt: skip
        response = server_error(request)
        response._has_been_logged = True  # noqa: SLF001 (Django's own flag: logged once)
        return response

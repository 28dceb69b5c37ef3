"""Every API error in one JSON shape with a Spanish message:
{"error": {"codigo": ..., "mensaje": ..., "campos": {...}}}.

Django's own refusals (Http404 from a selector, a service's ValidationError) are turned into
the same shape here, the one place the API does it; the web does it in its pages.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from ayni.core.errors import error_body

request_logger = logging.getLogger("django.request")


class Conflict(exceptions.APIException):
    """The state changed first (another specialist decided, the servant annulled)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflicto"


class TooManyRequests(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "demasiados_pedidos"
    default_detail = (
        "Se hicieron demasiados pedidos desde su conexión en poco tiempo. Espere un minuto e "
        "inténtelo de nuevo."
    )


MESSAGES = {
    exceptions.NotAuthenticated: (
        "no_autenticado", "Inicie sesión en la plataforma para usar la API.",
    ),
    exceptions.AuthenticationFailed: (
        "no_autenticado", "No se pudo comprobar su identidad: inicie sesión de nuevo.",
    ),
    exceptions.PermissionDenied: (
        "sin_permiso", "Su cuenta no tiene permiso para realizar esta acción.",
    ),
    exceptions.NotFound: (
        "no_encontrado", "No encontrado: no existe o no está a su alcance.",
    ),
    exceptions.MethodNotAllowed: (
        "metodo_no_permitido", "Esta dirección no admite el método HTTP usado.",
    ),
    exceptions.NotAcceptable: (
        "formato_no_disponible",
        "La respuesta solo está disponible en JSON (o en PDF donde se indica).",
    ),
    exceptions.UnsupportedMediaType: (
        "formato_no_admitido", "Envíe los datos en JSON (Content-Type: application/json).",
    ),
    exceptions.ParseError: ("json_invalido", "El cuerpo del pedido no es un JSON válido."),
    exceptions.ValidationError: ("datos_invalidos", "Revise los datos enviados."),
}  # fmt: skip
BEARER_MESSAGE = (
    "token_invalido",
    "Su token de acceso no es válido, venció o fue anulado: obtenga uno nuevo.",
)
CSRF_MESSAGE = (
    "csrf",
    "Falta el token CSRF o no es válido: envíe la cabecera X-CSRFToken con el valor de la "
    "cookie csrftoken.",
)
# Raised by AYNI's own code with a Spanish message of their own.
OWN_MESSAGES = (exceptions.NotFound, exceptions.PermissionDenied, Conflict, TooManyRequests)
NON_FIELD = ("non_field_errors", "__all__")


def _as_api_exception(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return exceptions.ValidationError(detail)
    return exc


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def _body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"__all__": exc.detail}
        general = [m for key in NON_FIELD for m in _messages(detail.get(key, []))]
        fields = {k: _messages(v) for k, v in detail.items() if k not in NON_FIELD}
        message = " ".join(general) or MESSAGES[exceptions.ValidationError][1]
        return error_body("datos_invalidos", message, fields)
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        return error_body(*CSRF_MESSAGE)
    is_own = isinstance(exc, OWN_MESSAGES) and str(exc.detail) != str(exc.default_detail)
    for kind, (code, message) in MESSAGES.items():
        if isinstance(exc, kind):
            return error_body(code, str(exc.detail) if is_own else message)
    return error_body(exc.default_code, str(exc.detail))


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    if not isinstance(exc, exceptions.APIException):
        request = context.get("request")
        request_logger.error(
            "Internal Server Error: %s", getattr(request, "path", ""), exc_info=exc,
            extra={"status_code": 500, "request": getattr(request, "_request", None)},
        )  # fmt: skip
        return Response(
            error_body("error_interno", "Ocurrió un error inesperado; ya quedó registrado. "
                       "Inténtelo de nuevo en unos minutos."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )  # fmt: skip
    headers = {}
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if getattr(exc, "auth_header", None):  # 401: how to authenticate (RFC 6750)
        headers["WWW-Authenticate"] = exc.auth_header
    body = _body(exc)
    if isinstance(exc, exceptions.NotAuthenticated) and _sent_bearer(context.get("request")):
        body = error_body(*BEARER_MESSAGE)
    return Response(body, status=exc.status_code, headers=headers)


def _sent_bearer(request) -> bool:
    return getattr(request, "META", {}).get("HTTP_AUTHORIZATION", "").startswith("Bearer ")


def not_found(request, *args, **kwargs):
    """Any address under /api/ that no endpoint answers."""
    return JsonResponse(error_body(*MESSAGES[exceptions.NotFound]), status=404)

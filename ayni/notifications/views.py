"""The "Recibir avisos en este dispositivo" control's two calls (JSON, CSRF-checked)."""

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from ayni.core.decorators import servant_required
from ayni.notifications import services

NOT_JSON = "La solicitud no se pudo leer."


def _body(request):
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None


@require_POST
@servant_required
def subscribe(request):
    data = _body(request)
    if data is None:
        return JsonResponse({"error": NOT_JSON}, status=400)
    try:
        services.subscribe(request.user, data)
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    return JsonResponse({"mensaje": "Recibirá avisos en este dispositivo."}, status=201)


@require_POST
@servant_required
def unsubscribe(request):
    data = _body(request)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str) or not services.unsubscribe(request.user, endpoint):
        return JsonResponse({"error": "Este dispositivo no estaba suscrito."}, status=404)
    return JsonResponse({"mensaje": "Ya no recibirá avisos en este dispositivo."})

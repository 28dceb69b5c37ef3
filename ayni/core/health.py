"""Endpoints for the load balancer and the monitoring: /healthz, /readyz, /metrics.

/healthz says only that the process answers (restart it if not); /readyz says whether it
can serve (database and cache answer), so the balancer stops sending traffic meanwhile.
"""

import hmac
import logging
import uuid
from ipaddress import ip_address, ip_network

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import generate_latest

from ayni.core.http import client_ip
from ayni.core.metrics import database_metrics

logger = logging.getLogger("ayni.health")


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def _ping_database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _ping_cache() -> None:
    key, value = f"ayni:readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return the value just stored")
    cache.delete(key)


def _outcome(check, *args) -> str:
    try:
        check(*args)
    except Exception as error:  # any failure means "not ready"; the reason goes to the log
        logger.warning("readyz: %s falló: %s: %s", check.__name__, type(error).__name__, error)
        return f"error: {type(error).__name__}"
    return "ok"


@never_cache
@require_safe
def readyz(request):
    checks = {f"database:{alias}": _outcome(_ping_database, alias) for alias in connections}
    checks["cache"] = _outcome(_ping_cache)
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def metrics_access_allowed(request) -> bool:
    """A bearer token (METRICS_TOKEN) from anywhere, or an address in METRICS_ALLOWED_IPS."""
    token = settings.METRICS_TOKEN
    if token and hmac.compare_digest(
        request.headers.get("Authorization", "").encode(), f"Bearer {token}".encode()
    ):
        return True
    address = client_ip(request)
    if address is None:
        return False
    return any(
        ip_address(address) in ip_network(allowed, strict=False)
        for allowed in settings.METRICS_ALLOWED_IPS
    )


@never_cache
@require_safe
def metrics(request):
    if not metrics_access_allowed(request):
        return HttpResponseForbidden("Acceso restringido.", content_type="text/plain")
    response = ExportToDjangoView(request)  # the counters of every process of this node
    try:
        response.content += generate_latest(database_metrics())
    except DatabaseError as error:  # the request and task counters matter most just then
        logger.warning("metrics: sin las métricas de la base de datos: %s", error)
    return response

"""Request id and access log; a friendly 503 while the database or the cache is unreachable;
the privacy headers of every response."""

import logging
import re
import time
import uuid

from django.conf import settings

from ayni.core.availability import is_backend_unavailable, unavailable_response
from ayni.core.http import client_ip
from ayni.core.logs import current_request_id

access_log = logging.getLogger("ayni.request")
# A proxy may pass its own id (nginx `$request_id`); anything else is replaced.
_ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Give each request an id (`X-Request-ID`), put it in every log line, log the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _ACCEPTABLE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "client_ip": client_ip(request),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class ServiceUnavailableMiddleware:
    """A view that finds the database or the cache down answers the 503 page, not a 500.

    Nothing is kept between requests: Django drops a connection that failed, so the first
    request after the database is back simply connects again (no restart needed).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_backend_unavailable(exception):
            return unavailable_response(exception)
        return None


class PrivacyHeadersMiddleware:
    """`Permissions-Policy` on every response (`settings.PERMISSIONS_POLICY`), and, for a
    signed-in user, `Cache-Control: no-store`: a boleta, a legajo or a list of sessions must
    not stay in the browser's or a proxy's cache for the next person at a shared computer."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}={allowed}" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-store"  # replaces any max-age a view set
            response["Pragma"] = "no-cache"
        return response

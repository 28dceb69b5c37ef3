"""AYNI Passport: DOT's views with AYNI's rules (second step for staff scopes, consent in
Spanish, the strict CSP opened to the client's own address only, a limited token endpoint)."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from oauth2_provider import views as dot
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.oauth2 import AccessDeniedError

from ayni.access.ratelimit import allow
from ayni.core.audit import record
from ayni.core.http import client_ip
from ayni.core.models import AuditEvent
from ayni.passport import assurance, events
from ayni.passport.assurance import ONE_FACTOR, TWO_FACTOR

SECOND_FACTOR_NEEDED = (
    "Para autorizar el alcance «staff» debe ingresar con verificación en dos pasos."
)
TOO_MANY_REQUESTS = (
    "Se hicieron demasiados pedidos de token desde su conexión en poco tiempo. Espere un "
    "minuto e inténtelo de nuevo."
)


def form_action_source(uri: str) -> str:
    """The CSP source of the address a form's answer redirects to (Chromium checks
    `form-action` on redirects too): its origin, or its scheme for an app's own scheme."""
    parts = urlsplit(uri or "")
    if parts.scheme in ("http", "https"):
        return f"{parts.scheme}://{parts.netloc}"
    return f"{parts.scheme}:" if parts.scheme else ""


def open_form_action(response, uri: str):
    source = form_action_source(uri)
    if source:
        response._csp_update = {"form-action": [source]}
    return response


class Authorize(dot.AuthorizationView):
    """The consent screen. A scope that needs the second step (`staff`) is never granted to a
    session without it: the page says so, and a forged consent is refused (`access_denied`)."""

    template_name = "passport/autorizar.html"

    def refusal(self, credentials) -> OAuthToolkitError:
        error = AccessDeniedError(description=SECOND_FACTOR_NEEDED, state=credentials.get("state"))
        return OAuthToolkitError(error=error, redirect_uri=credentials.get("redirect_uri"))

    def create_authorization_response(self, request, scopes, credentials, allow):
        application = credentials.get("client_id")
        if allow and assurance.missing_second_factor(request, scopes.split()):
            denied = AuditEvent.Outcome.DENIED
            record(request.user, events.REFUSED, application, request, outcome=denied,
                   alcances=scopes, motivo=ONE_FACTOR)  # fmt: skip
            raise self.refusal(credentials)
        if not allow:
            record(request.user, events.REFUSED, application, request, alcances=scopes)
            return super().create_authorization_response(request, scopes, credentials, allow)
        amr, acr = assurance.of_session(request)
        credentials["ayni_assurance"] = (amr, acr)
        response = super().create_authorization_response(request, scopes, credentials, allow)
        record(request.user, events.AUTHORIZED, application, request, alcances=scopes, acr=acr)
        return response

    def render_to_response(self, context, **response_kwargs):
        scopes = context.get("scopes")
        if scopes and assurance.missing_second_factor(self.request, scopes):
            _, refusal = OAuthLibMixin.error_response(self, self.refusal(context))
            context.update(return_url=refusal["url"], message=SECOND_FACTOR_NEEDED)
            response_kwargs["status"] = 403
            self.template_name = "passport/segundo_paso.html"
        response = super().render_to_response(context, **response_kwargs)
        return open_form_action(response, context.get("redirect_uri"))


class Discovery(dot.ConnectDiscoveryInfoView):
    """DOT's discovery document, with the levels (`acr`) the ID token may state."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["acr_values_supported"] = [ONE_FACTOR, TWO_FACTOR]
        data["claims_supported"] = sorted({*data["claims_supported"], "amr", "acr"})
        response.content = json.dumps(data)
        return response


class Token(dot.TokenView):
    """The token endpoint, limited per client address (AYNI_OAUTH_TOKENS_PER_MINUTE)."""

    def post(self, request, *args, **kwargs):
        address = client_ip(request) or "sin-ip"
        if not allow("oauth-token", address, settings.AYNI_OAUTH_TOKENS_PER_MINUTE, 60):
            record(None, events.TOKEN_LIMITED, None, request, outcome=AuditEvent.Outcome.DENIED)
            body = {"error": "slow_down", "error_description": TOO_MANY_REQUESTS}
            response = HttpResponse(json.dumps(body), content_type="application/json", status=429)
            response["Retry-After"] = "60"
            response["Cache-Control"] = "no-store"
            return response
        return super().post(request, *args, **kwargs)


class Logout(dot.RPInitiatedLogoutView):
    """RP-initiated logout: asks the servant, in Spanish, before closing the session."""

    template_name = "passport/salir.html"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return open_form_action(response, self.oidc_data.get("post_logout_redirect_uri"))

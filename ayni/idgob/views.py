"""The two addresses of "Ingresar con ID GOB.PE": the way out to the provider and the way
back. Both answer 404 while ID GOB.PE is not configured."""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from ayni.access.forms import PREFILL_SESSION_KEY
from ayni.idgob import provider, services
from ayni.idgob.backends import IdGobBackend
from ayni.idgob.services import Refused

logger = logging.getLogger(__name__)

STAFF_LEVEL = "dos-pasos"  # ?nivel=dos-pasos asks for the staff level (acr_values)
UNAVAILABLE = (
    "ID GOB.PE no responde en este momento. Ingrese con su usuario y contraseña o inténtelo "
    "más tarde."
)
# Where mozilla-django-oidc keeps, per `state`, the nonce and the PKCE verifier of each
# sign-in started in this browser, and the checked `next`.
STATES_KEY, NEXT_KEY = "oidc_states", "oidc_login_next"


def _configured():
    if not provider.enabled():
        raise Http404


class Start(OIDCAuthenticationRequestView):
    """To ID GOB.PE with a fresh state, nonce and PKCE challenge (S256), asking for the level
    (`acr_values`) of servants, or of staff with ?nivel=dos-pasos."""

    get_settings = staticmethod(provider.setting)

    def __init__(self, **kwargs):
        # The parent reads the endpoints here, before anything says ID GOB.PE is configured.
        View.__init__(self, **kwargs)

    def get(self, request):
        _configured()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.endpoint("authorization_endpoint")
        except provider.Unavailable as error:
            logger.warning("ID GOB.PE: sin descubrimiento: %s", error)
            messages.error(request, UNAVAILABLE)
            return redirect("accounts:login")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request):
        staff = request.GET.get("nivel") == STAFF_LEVEL
        return {
            "acr_values": settings.AYNI_IDGOB_STAFF_ACR_VALUES
            if staff
            else settings.AYNI_IDGOB_ACR_VALUES
        }


def callback(request):
    """Back from ID GOB.PE: the state must be one this browser started (used once), then the
    backend checks the code, the token and the account; every outcome is audited."""
    _configured()
    state = request.GET.get("state", "")
    pending = request.session.get(STATES_KEY, {}).pop(state, None)
    request.session.modified = True
    if request.GET.get("error"):
        return _refused(request, Refused(services.CANCELLED, detail=request.GET["error"]))
    if pending is None or not request.GET.get("code"):
        return _refused(request, Refused(services.NOT_CONFIRMED, detail="state"))
    next_url = request.session.get(NEXT_KEY) or settings.LOGIN_REDIRECT_URL
    try:
        backend = IdGobBackend()
        account = backend.authenticate(
            request, nonce=pending["nonce"], code_verifier=pending["code_verifier"]
        )
    except Refused as refusal:
        return _refused(request, refusal)
    except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, provider.Unavailable,
            ValueError, KeyError) as error:  # fmt: skip
        logger.warning("ID GOB.PE: ingreso no confirmado: %s", error)
        return _refused(request, Refused(services.NOT_CONFIRMED, detail=type(error).__name__))
    if account is None:
        return _refused(request, Refused(services.NOT_CONFIRMED, detail="userinfo"))
    services.sign_in(request, account, backend.acr)
    return redirect(next_url)


def _refused(request, refusal: Refused):
    services.record_refusal(request, refusal)
    if refusal.reason == services.UNKNOWN:
        kind, number = refusal.document
        request.session[PREFILL_SESSION_KEY] = {"document_type": kind, "document_number": number}
        messages.info(request, refusal.message)
        return redirect("access:request")
    messages.error(request, refusal.message)
    return redirect("accounts:login")

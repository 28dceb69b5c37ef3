"""Nothing before the second step: a signed-in account that needs it reaches only the
verification and set-up pages (and signing out) until it has passed it."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from ayni.accounts import mfa
from ayni.core.errors import error_body

API_PREFIX = "/api/"
API_REFUSAL = error_body(
    "segundo_paso_pendiente",
    "Complete la verificación en dos pasos en la web antes de usar la API con esta cuenta.",
)

# Pages an account on its way through the second step may open (besides static files,
# which WhiteNoise serves before any middleware) and the health probes.
OPEN_URL_NAMES = (
    "accounts:mfa-verify",
    "accounts:mfa-setup",
    "accounts:mfa-setup-qr",
    "accounts:logout",
    "accounts:passkey-auth-begin",
    "accounts:passkey-auth-complete",
    "accounts:passkey-register-begin",
    "accounts:passkey-register-complete",
    "core:healthz",
    "core:readyz",
    "core:metrics",
    # The installable app's files: the same for everybody, none names the person.
    "pwa:manifest",
    "pwa:service_worker",
    "pwa:offline",
)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self) -> frozenset:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in OPEN_URL_NAMES)
        return self._open_paths

    def __call__(self, request):
        response = self._second_step(request)
        return response or self.get_response(request)

    def _second_step(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        state = request.session.get(mfa.STATE_KEY)
        if state is None:  # a session opened before this rule existed
            state = mfa.remember_state(request)
        if state == mfa.NONE or user.is_verified():
            return None
        request.awaiting_second_step = True  # the layout offers no menu until it is passed
        if request.path in self.open_paths() or request.path.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            return None
        # Still unverified: ask afresh (a device may have been reset or added meanwhile).
        state = mfa.remember_state(request)
        if state == mfa.NONE:
            return None
        if request.path.startswith(API_PREFIX):  # a program: an answer it can read, no page
            return JsonResponse(API_REFUSAL, status=403)
        target = "accounts:mfa-verify" if state == mfa.VERIFY else "accounts:mfa-setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))

"""The installable app: its manifest, its service worker and the page shown offline.

None of the three depends on who asks: the service worker keeps them in a cache shared by
everybody who uses the browser (docs/security.md)."""

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from ayni.pwa.selectors import CACHE_HEADER, OFFLINE_BOLETAS

BRAND = "#9b1c1c"  # --brand in core/ayni.css
BACKGROUND = "#f5f6f8"  # --bg in core/ayni.css
ICONS = [
    ("pwa/icono-192.png", "192x192", "any"),
    ("pwa/icono-512.png", "512x512", "any"),
    ("pwa/icono-maskable-512.png", "512x512", "maskable"),
]
# What the offline page needs, kept by the service worker when it installs.
OFFLINE_ASSETS = [
    "core/ayni.css",
    "core/favicon.svg",
    "core/menu.js",
    "pwa/app.js",
    "pwa/sin-conexion.js",
    *(name for name, _, _ in ICONS),
]


@require_GET
def manifest(request):
    return JsonResponse(
        {
            "id": "/",
            "name": f"AYNI · {settings.AYNI_PLATFORM_NAME}",
            "short_name": "AYNI",
            "description": "Boletas de pago, legajo personal y solicitudes del servidor "
            "público del Ministerio de Educación.",
            "lang": "es-PE",
            "dir": "ltr",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": BRAND,
            "background_color": BACKGROUND,
            "icons": [
                {"src": static(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
                for name, sizes, purpose in ICONS
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _version(urls: list[str]) -> str:
    """Changes with any precached file, so browsers install the new worker and drop the old
    copies (the unhashed names of the embedded mode stay the same when a file changes)."""
    digest = hashlib.sha256("\n".join(urls).encode())
    for name in OFFLINE_ASSETS:
        with open(finders.find(name), "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request):
    precache = [static(name) for name in OFFLINE_ASSETS] + [reverse("pwa:offline")]
    # The servant's own boleta PDFs only: a staff member's view of somebody else's is never kept.
    own_pdf = "^" + reverse("boletas:pdf", args=[0]).replace("/0/", r"/\d+/") + "$"
    response = render(
        request,
        "pwa/sw.js",
        {
            "version": _version(precache),
            "precache": json.dumps(precache),
            "offline_url": json.dumps(reverse("pwa:offline")),
            "static_prefix": json.dumps(static("")),
            "logout_url": json.dumps(reverse("accounts:logout")),
            "own_pdf": json.dumps(own_pdf),
            "cache_header": json.dumps(CACHE_HEADER),
            "keep": OFFLINE_BOLETAS,
        },
        content_type="text/javascript; charset=utf-8",
    )
    # Served from the root, so it already controls the whole site; said explicitly for proxies
    # that would serve it from elsewhere.
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """The page the service worker shows when a page cannot be reached. The same for
    everybody: it names nobody, whoever is signed in when it is fetched."""
    return render(request, "pwa/offline.html")

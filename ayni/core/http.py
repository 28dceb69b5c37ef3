"""Request helpers that must be right everywhere: the client address above all."""

from ipaddress import ip_address

from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request) -> str | None:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies.

    Each of the AYNI_TRUSTED_PROXIES reverse proxies appends the address it saw, so the
    client is the N-th entry from the right. With no trusted proxy the header is ignored:
    anybody can write it.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.AYNI_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    try:
        return str(ip_address(remote)) if remote else None
    except ValueError:
        return None


def safe_next(request, default: str) -> str:
    """The `next` the form or link carries (POST first), if it stays on this site; else the
    URL of `default` (a URL name or path)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(default)

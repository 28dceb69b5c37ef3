"""Request helpers that must be right everywhere: the client address above all."""

from ipaddress import ip_address

from django.conf import settings


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

"""What the installable app's service worker is told about the signed-in person."""

from django.utils.crypto import salted_hmac

# The header on a servant's own boleta PDF that names the browser cache it may be kept in.
CACHE_HEADER = "X-Ayni-Cache"
# The last boleta PDFs a device keeps readable offline.
OFFLINE_BOLETAS = 12


def cache_tag(user) -> str:
    """An opaque name for this person's offline cache: stable across their sign-ins (their
    saved boletas survive a new sign-in), different for everybody, and saying nothing of who
    they are to whoever reads the browser's cache names."""
    return salted_hmac("ayni.pwa.cache", str(user.pk)).hexdigest()[:32]

"""Fixed-window counters in Django's cache (shared by every web node when the cache is Redis)."""

import hashlib

from django.core.cache import cache


def allow(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key`; False once more than `limit` happened within the window.

    The key is hashed: cache keys must not carry document numbers or addresses in clear.
    """
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"ayni:limit:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit

"""Rate limits kept in the shared cache, so that they hold across several app servers."""

from __future__ import annotations

from django.core.cache import cache


def client_address(request) -> str:
    """The caller's address. Behind a proxy, set the proxy to overwrite REMOTE_ADDR (never trust
    a client-supplied X-Forwarded-For here)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def throttle_hit(*, scope: str, ident: str, limit: int, window_seconds: int) -> bool:
    """Count one request; False once `limit` requests were made within the window."""
    key = f"throttle:{scope}:{ident}"
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit

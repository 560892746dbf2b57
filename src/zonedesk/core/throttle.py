"""Rate limits kept in the shared cache, so that they hold across several app servers."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle


def client_address(request) -> str:
    """The caller's address. Behind a proxy, set the proxy to overwrite REMOTE_ADDR (never trust
    a client-supplied X-Forwarded-For here)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _redis_count(key: str, window_seconds: int) -> int | None:
    """On Redis, count in one round trip (a pipeline: create the key with its expiry if missing,
    then increment): Django's `add`, then `incr` (which asks whether the key exists first) took
    three, half of what the floor request costs (docs/PERFORMANCE.md). None on other caches."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    default = caches["default"]
    if not isinstance(default, RedisCache):
        return None
    name = default.make_and_validate_key(key)
    pipe = default._cache.get_client(name, write=True).pipeline()
    pipe.set(name, 0, ex=window_seconds, nx=True)  # Django's serializer keeps ints as plain integers
    pipe.incr(name)
    return pipe.execute()[1]


def throttle_hit(*, scope: str, ident: str, limit: int, window_seconds: int) -> bool:
    """Count one request; False once `limit` requests were made within the window."""
    key = f"throttle:{scope}:{ident}"
    count = _redis_count(key, window_seconds)
    if count is not None:
        return count <= limit
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit


class PublicApiThrottle(BaseThrottle):
    """The public's calls of the API: `PUBLIC_API_LIMIT` per address and window, counted with
    `throttle_hit` (an atomic increment in the shared cache, so two app servers share one count);
    then 429 with Retry-After. Logged-in people are not counted."""

    def allow_request(self, request) -> bool:
        if request.user.is_authenticated:
            return True
        return throttle_hit(
            scope="api-public",
            ident=client_address(request),
            limit=settings.PUBLIC_API_LIMIT,
            window_seconds=settings.PUBLIC_API_WINDOW_SECONDS,
        )

    def wait(self) -> float:
        return float(settings.PUBLIC_API_WINDOW_SECONDS)


# --- logging in ---------------------------------------------------------------------------------
# Failed logins are counted in the shared cache per account and address, and per address: after
# LOGIN_FAILURE_LIMIT failures for an account from one address, or LOGIN_ADDRESS_FAILURE_LIMIT
# from one address whatever the accounts, logging in from there is refused until the window
# (LOGIN_LOCKOUT_SECONDS) from the first failure has passed. A success clears its account's count.


def _login_keys(username: str, address: str) -> tuple[str, str]:
    from zonedesk.core.text import fold

    return f"login-fail:{fold(username)[:150]}:{address}", f"login-fail-address:{address}"


def login_locked(*, username: str, address: str) -> bool:
    from django.conf import settings

    account, anywhere = _login_keys(username, address)
    counts = cache.get_many([account, anywhere])
    return (
        counts.get(account, 0) >= settings.LOGIN_FAILURE_LIMIT
        or counts.get(anywhere, 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    )


def login_failed(*, username: str, address: str) -> None:
    from django.conf import settings

    for key in _login_keys(username, address):
        if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired meanwhile
                cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def login_succeeded(*, username: str, address: str) -> None:
    cache.delete(_login_keys(username, address)[0])

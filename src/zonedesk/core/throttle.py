"""Rate limits that hold across every process and server of an installation.

Where they are counted:

* with a cache server (`CACHE_URL`: Redis, Memcached; `settings.SHARED_CACHE`), in that cache,
  with its atomic increment: every app server shares one count without touching the database;
* otherwise (the embedded default: gunicorn's several workers, each with its own local-memory
  cache) in the database, table `core_ratecount`, with one atomic statement per count
  (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, on SQLite as on PostgreSQL), so that every
  worker process and thread shares one count. A count per process would let through the limit
  times the number of processes.

A count lives for its window from the first hit. Expired rows count as zero and are deleted by
the worker's periodic work (`rate_counts_sweep`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from ninja.throttling import BaseThrottle

from zonedesk.core.models import RateCount

_TABLE = connection.ops.quote_name(RateCount._meta.db_table)
# one statement: a new count at 1, an expired one started again at 1, a live one plus one
_HIT = (
    f'INSERT INTO {_TABLE} ("key", "count", "expires") VALUES (%s, 1, %s) '  # noqa: S608 - our own table
    f'ON CONFLICT ("key") DO UPDATE SET '
    f'"count" = CASE WHEN {_TABLE}."expires" <= %s THEN 1 ELSE {_TABLE}."count" + 1 END, '
    f'"expires" = CASE WHEN {_TABLE}."expires" <= %s THEN excluded."expires" ELSE {_TABLE}."expires" END '
    f'RETURNING "count"'
)


def _in_database() -> bool:
    """Counted in the database unless the cache is a server with an atomic increment (Redis,
    Memcached): each process's own memory is no shared count, and Django's file and database
    caches increment by reading then writing, which loses hits that come at the same moment."""
    from django.core.cache import caches
    from django.core.cache.backends.memcached import BaseMemcachedCache
    from django.core.cache.backends.redis import RedisCache

    return not isinstance(caches["default"], (RedisCache, BaseMemcachedCache))


def _bounded(key: str) -> str:
    """A key that fits its column (and any cache server): a long one is cut and made unique by
    its hash (a login key holds a name the caller chose and an IPv6 address)."""
    if len(key) <= 200:
        return key
    return key[:150] + ":" + hashlib.sha256(key.encode()).hexdigest()[:40]


def _db_time(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def count_hit(key: str, *, window_seconds: int) -> int:
    """Count one hit of `key` and return the count within its window (1 for the first)."""
    key = _bounded(key)
    if not _in_database():
        count = _redis_count(key, window_seconds)
        if count is not None:
            return count
        if cache.add(key, 1, timeout=window_seconds):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window_seconds)
            return 1
    now = timezone.now()
    at = _db_time(now)
    with connection.cursor() as cursor:
        cursor.execute(_HIT, [key, _db_time(now + dt.timedelta(seconds=window_seconds)), at, at])
        return cursor.fetchone()[0]


def count_release(key: str) -> None:
    """Take one hit of `key` back (an attempt counted before it was known to be harmless)."""
    key = _bounded(key)
    if not _in_database():
        try:
            cache.decr(key)
        except ValueError:  # expired meanwhile
            pass
    else:
        RateCount.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def count_clear(key: str) -> None:
    key = _bounded(key)
    if not _in_database():
        cache.delete(key)
    else:
        RateCount.objects.filter(key=key).delete()


def rate_counts_sweep() -> int:
    """Delete the expired counts of the database (the worker's periodic work)."""
    deleted, _ = RateCount.objects.filter(expires__lte=timezone.now()).delete()
    return deleted


@task()
def rate_counts_tick() -> dict:
    """The periodic work: the expired counts go."""
    return {"deleted": rate_counts_sweep() if _in_database() else 0}


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
    return count_hit(f"throttle:{scope}:{ident}", window_seconds=window_seconds) <= limit


class PublicApiThrottle(BaseThrottle):
    """The public's calls of the API: `PUBLIC_API_LIMIT` per address and window, counted with
    `throttle_hit` (shared by every process and server); then 429 with Retry-After. Logged-in
    people are not counted."""

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
# Every attempt to log in is counted BEFORE its password is checked, per account and address and
# per address: past LOGIN_FAILURE_LIMIT attempts for an account from one address, or
# LOGIN_ADDRESS_FAILURE_LIMIT from one address whatever the accounts, within LOGIN_LOCKOUT_SECONDS
# of the first, the form is refused (429) and the password is not checked. Counting first means
# that attempts sent at the same moment to several processes cannot all be checked before the
# first failure is recorded. A success clears its account's count and gives back its hit of the
# address's (an office behind one address logs in all day).
#
# The account is the name as the login form resolves it, not as typed: Django's form normalises
# it (NFKC: a fullwidth "ｌ" is an "l") and strips spaces, so the count does the same and then
# folds case and accents. Every spelling that reaches one account shares one count.


def account_key(username: str) -> str:
    from zonedesk.core.text import fold

    return fold(unicodedata.normalize("NFKC", username or "").strip())[:150]


def _login_keys(username: str, address: str) -> tuple[str, str]:
    return f"login-fail:{account_key(username)}:{address}", f"login-fail-address:{address}"


def login_attempt(*, username: str, address: str) -> bool:
    """Count an attempt to log in; False when it is over a limit (refuse it, unchecked)."""
    account, anywhere = _login_keys(username, address)
    window = settings.LOGIN_LOCKOUT_SECONDS
    over_account = count_hit(account, window_seconds=window) > settings.LOGIN_FAILURE_LIMIT
    over_address = count_hit(anywhere, window_seconds=window) > settings.LOGIN_ADDRESS_FAILURE_LIMIT
    return not (over_account or over_address)


def login_succeeded(*, username: str, address: str) -> None:
    account, anywhere = _login_keys(username, address)
    count_clear(account)
    count_release(anywhere)

"""Generations: a value kept in the database that changes whenever some data changes.

A result cached under a key that holds the generation is never served after the change, on
any server and whatever the cache (Redis shared by every app server, or each process's own
local memory), because every server reads the generation from the one database:

    key = f"figures:{generation('investment.figures')}:..."   # one indexed lookup

The writer changes the generation inside its own transaction (`generation_bump`), so the new
generation becomes visible exactly when the change commits, and a rolled-back change leaves
the old one. The new value is random, not the old one plus one: a transaction that bumped,
cached a result of its uncommitted data and then rolled back can never have its entry picked
up by a later writer that happens to reach the same number.

The row stays locked from the bump to the commit, so writers of one generation run their
last statements one at a time: call `generation_bump` at the end of the write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from zonedesk.core.models import Counter

T = TypeVar("T")
_PREFIX = "generation:"
# the generations of figures read from a zone's own fields (its leasable area), bumped when the admin
# changes one: registered by the apps whose figures read them (investment's, in its ready())
ZONE_FIGURE_GENERATIONS: set[str] = set()
# read on every cached request: one plain statement, without the ORM's query building (half the time)
_READ = f'SELECT "value" FROM "{Counter._meta.db_table}" WHERE "key" = %s'  # noqa: S608 - our own table name
# written after every write of the data it stands for: a plain statement too
_BUMP = f'UPDATE "{Counter._meta.db_table}" SET "value" = %s WHERE "key" = %s'  # noqa: S608 - our own table name


def generation(name: str) -> int:
    """The current generation (0 before the first change)."""
    with connection.cursor() as cursor:
        cursor.execute(_READ, [_PREFIX + name])
        row = cursor.fetchone()
    return (row[0] if row else 0) or 0


def generation_bump(name: str) -> None:
    """Give `name` a new generation, in the caller's transaction."""
    key = _PREFIX + name
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [secrets.randbits(62) + 1, key])
        updated = cursor.rowcount
    if not updated:  # one statement, nearly always
        Counter.objects.get_or_create(key=key)  # the first time; a concurrent creator is caught by get_or_create
        Counter.objects.filter(key=key).update(value=secrets.randbits(62) + 1)


def cached(
    name: str,
    key: str,
    build: Callable[[], tuple[T, dt.datetime | None]],
    *,
    alias: str = "default",
    current: int | None = None,
) -> T:
    """The value `build` makes, cached under the generation `name` (so never served after a
    write that bumps it commits) and, when `build` says until when its value holds (a deadline
    that will pass), not beyond that moment. `build` returns (value, valid until or None); the
    cache timeout `FIGURES_CACHE_SECONDS` bounds only writes made around the services. `alias`:
    the cache ("answers" for rendered answers, which are many and large); `current`: the
    generation when the caller has just read it (several entries of one answer, one read)."""
    store = caches[alias]
    # keys hold what a visitor typed (an agency or category code of the public figures): hashed,
    # so that no text reaches the cache server as a key (length, spaces, control characters)
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    full = f"{name}:{digest}:{generation(name) if current is None else current}"
    now = timezone.now()
    hit = store.get(full)
    if hit is not None and (hit[0] is None or hit[0] > now):
        return hit[1]
    value, until = build()
    seconds = settings.FIGURES_CACHE_SECONDS
    if until is not None:
        seconds = min(seconds, int((until - now).total_seconds()))
    if seconds > 0:
        store.set(full, (until, value), timeout=seconds)
    return value

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

import secrets

from zonedesk.core.models import Counter

_PREFIX = "generation:"


def generation(name: str) -> int:
    """The current generation (0 before the first change)."""
    return Counter.objects.filter(key=_PREFIX + name).values_list("value", flat=True).first() or 0


def generation_bump(name: str) -> None:
    """Give `name` a new generation, in the caller's transaction."""
    key = _PREFIX + name
    if not Counter.objects.filter(key=key).update(value=secrets.randbits(62) + 1):  # one query, nearly always
        Counter.objects.get_or_create(key=key)  # the first time; a concurrent creator is caught by get_or_create
        Counter.objects.filter(key=key).update(value=secrets.randbits(62) + 1)

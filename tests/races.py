"""Writers at the same moment, for the tests of a lock or a constraint (PostgreSQL: SQLite writes
one transaction at a time)."""

from __future__ import annotations

import threading
from collections.abc import Callable


def race(n: int, attempt: Callable[[int], str], *, refused: tuple[type[BaseException], ...], told: str) -> list[str]:
    """Run `attempt(i)` in `n` threads released together; each answers what it did, or raises one
    of `refused` (then `told` is its outcome). Each thread closes its own connection. The outcomes,
    sorted."""
    start = threading.Barrier(n)
    outcomes: list[str] = []

    def run(i: int) -> None:
        from django.db import connections

        try:
            start.wait()
            outcomes.append(attempt(i))
        except refused:
            outcomes.append(told)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(outcomes)

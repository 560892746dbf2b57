"""Django's PostgreSQL backend with a health check that costs no round trip on a busy connection.

With `CONN_HEALTH_CHECKS` (settings `DB_HEALTH_CHECKS`, on by default) Django checks a reused
connection with `SELECT 1` before the first query of every request: a round trip that was a
fifth of a cached figure's time (0.85 against 0.66 ms a request in-process, bench/PERFORMANCE.md).
Here the check is made only when the connection has been idle for `IDLE_SECONDS` or more: a
connection used a moment ago by the previous request is taken as sound, as it just was. What
this gives up: after a database restart, each connection used in the last 5 s fails the one
request that finds it broken (at most one a thread of each process), and Django drops it when
that request ends; an idle connection, the one a restart or a firewall leaves behind, is still
checked first. With `DB_POOL` this changes nothing: each request takes a connection from
psycopg's pool, which checks it on checkout.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

IDLE_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    used_at = float("-inf")  # monotonic time of the last cursor opened on this connection

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        self.used_at = time.monotonic()
        return cursor

    def close_if_health_check_failed(self):
        recent = time.monotonic() - self.used_at < IDLE_SECONDS
        if self.connection is not None and self.health_check_enabled and not self.health_check_done and recent:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

"""Django's database sessions, read with one plain statement.

Every request of a logged-in person reads its session; Django's store builds that query through
the ORM each time, which costs several times the statement itself (docs/PERFORMANCE.md). This
store reads the same row with the same condition (the key, not expired) in plain SQL; writing,
expiry and everything else are Django's. With a shared cache the settings use Django's
"cached_db" store instead, which reads from the cache.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class SessionStore(DatabaseStore):
    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 - our own table
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        expire_date = row[1]
        if isinstance(expire_date, str):  # SQLite keeps it as text, in UTC
            expire_date = parse_datetime(expire_date)
        if timezone.is_naive(expire_date):
            expire_date = timezone.make_aware(expire_date, dt.UTC)
        return model(session_key=self.session_key, session_data=row[0], expire_date=expire_date)

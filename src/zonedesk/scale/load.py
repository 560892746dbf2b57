"""Bulk loading of the generated rows, and the safety around it.

* `refusal`: a database that already holds registry data is refused unless `--replace`:
  synthetic rows are never mixed with real ones.
* `empty`: what `--replace` does first: every table the generator writes, and every table that
  points at them, emptied (PostgreSQL `TRUNCATE` where it may, `DELETE` elsewhere), and the
  accounts of enterprises and agencies removed with their rows.
* `Writer`: one table's batch at a time: `COPY ... FROM STDIN` with psycopg 3's `write_row` on
  PostgreSQL, `executemany` on SQLite, all inside the caller's transaction.
* `Deferral` (PostgreSQL, big tables only): foreign keys and secondary indexes dropped before
  the first row and rebuilt after the last (the PostgreSQL manual's "Populating a Database").
  Rebuilding a foreign key checks every row in one pass, and rebuilding a unique index checks
  uniqueness, so the data is verified as thoroughly as row by row, only faster.
* `finish`: the counters of the reference numbers moved past the generated ones, the id
  sequences set after the highest id (so later inserts through the ORM work), and `ANALYZE`.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from psycopg.types.json import set_json_dumps

from zonedesk.core.models import Counter, Role, User
from zonedesk.core.rules import rule_value
from zonedesk.scale.clock import Deadlines, OfficeClock
from zonedesk.scale.generate import USERNAME_PREFIX, Context, Table

# Registry data: a database with any of these is not empty.
REGISTRY = ("core.Zone", "core.Agency", "investment.Investor", "investment.Enterprise", "investment.Project")
REGISTRY += ("petitions.Petition", "planning.PlanRevision")

# The models the generator writes (with their many-to-many tables), users aside.
GENERATED = (
    "core.Zone",
    "core.Agency",
    "investment.Investor",
    "investment.Enterprise",
    "investment.Project",
    "investment.ProjectInvestor",
    "investment.Amendment",
    "investment.ScheduleMilestone",
    "investment.StatusChange",
    "investment.PeriodicReport",
    "planning.PlanningDecision",
    "planning.PlanRevision",
    "planning.ZoneBoundary",
    "planning.FunctionalArea",
    "planning.Parcel",
    "petitions.Petition",
    "petitions.Answer",
    "petitions.PetitionEvent",
)

# Tables above this many rows get their foreign keys and secondary indexes rebuilt after the
# load on PostgreSQL; below it, keeping them costs less than rebuilding them.
DEFER_FROM_ROWS = 200_000


def context(*, today: dt.date, years: int) -> Context:
    """What the generator reads from the database before it starts: the calendar, the deadline
    policies, the land uses, the rules it follows, and where user ids may start."""
    from zonedesk.planning.models import LandUse

    clock = OfficeClock(today - dt.timedelta(days=365 * years + 40), today + dt.timedelta(days=400))
    extension_days = int(rule_value("petition.extension_days", on=today))
    escalation_days = tuple(int(d) for d in rule_value("petition.escalation_days", on=today))
    return Context(
        today=today,
        clock=clock,
        deadlines=Deadlines(clock),
        land_uses={
            code: (pk, leasable) for code, pk, leasable in LandUse.objects.values_list("code", "pk", "leasable")
        },
        first_user_id=(User.objects.aggregate(m=Max("pk"))["m"] or 0) + 1,
        extension_days=extension_days,
        escalation_days=escalation_days,
        reopen_days=int(rule_value("petition.reopen_days", on=today)),
        autoclose_days=int(rule_value("petition.autoclose_days", on=today)),
    )


# --- refusing and emptying ----------------------------------------------------------------------


def refusal() -> dict[str, int]:
    """What registry data the database holds already (model label -> rows); empty when none."""
    found = {}
    for label in REGISTRY:
        model = apps.get_model(label)
        if model.objects.exists():
            found[str(model._meta.verbose_name_plural)] = model.objects.count()
    generated_users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    if generated_users.exists():
        found[str(User._meta.verbose_name_plural)] = generated_users.count()
    return found


def _emptied_models() -> list[type[models.Model]]:
    """The generated models and every model that points at them (by a foreign key or a
    many-to-many field), whatever app added it: their rows cannot outlive the generated ones."""
    found = {apps.get_model(label) for label in GENERATED}
    everything = [m for m in apps.get_models(include_auto_created=True) if m is not User]
    changed = True
    while changed:
        changed = False
        for model in everything:
            if model in found:
                continue
            related = [f.related_model for f in model._meta.get_fields() if f.is_relation and f.concrete]
            related += [f.related_model for f in model._meta.many_to_many]
            if any(r in found for r in related):
                found.add(model)
                changed = True
    for model in list(found):  # the many-to-many tables of what is emptied
        for m2m in model._meta.many_to_many:
            found.add(m2m.remote_field.through)
    return sorted(found, key=lambda m: m._meta.db_table)


def _pointing_at(model: type[models.Model]) -> set[type[models.Model]]:
    """The tables whose foreign keys point at a model's table (many-to-many: their through tables)."""
    out = {rel.through if rel.many_to_many else rel.related_model for rel in model._meta.related_objects}
    out |= {m2m.remote_field.through for m2m in model._meta.many_to_many}
    return out


def empty() -> None:
    """Empty every generated table (and those pointing at them) for `--replace`, inside the
    caller's transaction. Accounts of enterprises and agencies go with them, and generated
    accounts; other people's accounts stay."""
    emptied = _emptied_models()
    qn = connection.ops.quote_name
    deleted = list(emptied)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE takes a table only with every table that points at it; the accounts point at
            # enterprises and agencies, and those at zones, so those few are deleted instead.
            truncated = set(emptied)
            changed = True
            while changed:
                changed = False
                for model in sorted(truncated, key=lambda m: m._meta.db_table):
                    if _pointing_at(model) - truncated - {model}:
                        truncated.discard(model)
                        changed = True
            if truncated:
                # TRUNCATE refuses tables with foreign-key checks still pending in this transaction
                # (rows written earlier in it): run those checks now, then defer again
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("TRUNCATE " + ", ".join(sorted(qn(m._meta.db_table) for m in truncated)))
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            deleted = [m for m in emptied if m not in truncated]
        for model in deleted:  # foreign keys are checked at commit: the order does not matter
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")  # noqa: S608 - a model's own table
    # the accounts, through the ORM: their groups, permissions and admin log entries go with them
    users = User.objects.filter(role__in=[Role.ENTERPRISE, Role.AGENCY]) | User.objects.filter(
        username__startswith=USERNAME_PREFIX
    )
    users.delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # check the deletes now: the tables may be altered next
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- writing ------------------------------------------------------------------------------------


def _converters(table: Table) -> list[Callable[[Any], Any] | None]:
    """How SQLite takes each column (what Django's backend does to a value before the driver)."""
    ops = connection.ops
    out: list[Callable[[Any], Any] | None] = []
    fields = {f.attname: f for f in table.model._meta.concrete_fields}
    for name in table.columns:
        kind = fields[name].get_internal_type()
        if kind == "DateTimeField":
            out.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            out.append(ops.adapt_datefield_value)
        elif kind == "DecimalField":
            out.append(lambda v: None if v is None else str(v))
        else:
            out.append(None)
    return out


def check_table(table: Table) -> None:
    """Every column the database cannot fill itself is given: a table whose model gained a field
    the generator does not know fails here, before anything is written."""
    fields = {f.attname: f for f in table.model._meta.concrete_fields}
    unknown = set(table.columns) - set(fields)
    missing = [
        name
        for name, f in fields.items()
        if name not in table.columns and not f.null and not f.primary_key and f.db_default is models.NOT_PROVIDED
    ]
    if unknown or missing:
        raise ValueError(f"{table.name}: unknown columns {sorted(unknown)}, missing columns {missing}")


_TYPES: dict[str, tuple[type, ...]] = {
    "AutoField": (int,),
    "BigAutoField": (int,),
    "BigIntegerField": (int,),
    "IntegerField": (int,),
    "PositiveIntegerField": (int,),
    "PositiveBigIntegerField": (int,),
    "PositiveSmallIntegerField": (int,),
    "SmallIntegerField": (int,),
    "ForeignKey": (int,),
    "BooleanField": (bool,),
    "DecimalField": (Decimal,),
    "FloatField": (float,),
    "DateTimeField": (dt.datetime,),
    "DateField": (dt.date,),
    "CharField": (str,),
    "TextField": (str,),
    "EmailField": (str,),
    "FileField": (str,),
    "JSONField": (str,),  # JSON text, as `json.dumps` writes it
}


def check_row(table: Table, row: tuple) -> None:
    """The values of a row have the Python types of their fields (an int, not a float that would
    look the same to SQLite; an aware datetime; JSON as text): checked on each table's first row."""
    fields = {f.attname: f for f in table.model._meta.concrete_fields}
    if len(row) != len(table.columns):
        raise ValueError(f"{table.name}: {len(row)} values for {len(table.columns)} columns")
    for name, value in zip(table.columns, row, strict=True):
        field = fields[name]
        kind = field.get_internal_type()
        expected = _TYPES.get(kind)
        if value is None:
            ok = field.null
        elif expected is None:
            ok = True
        else:
            ok = isinstance(value, expected) and not (kind not in ("BooleanField",) and isinstance(value, bool))
            ok = ok and not (kind == "DateField" and isinstance(value, dt.datetime))
            ok = ok and not (kind == "DateTimeField" and value.tzinfo is None)
        if not ok:
            raise ValueError(f"{table.name}.{name} ({kind}): {value!r}")


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


_PG_TYPES = {"timestamp with time zone": "timestamptz", "double precision": "float8", "integer": "int4"}
_PG_TYPES |= {"smallint": "int2", "bigint": "int8", "boolean": "bool", "character varying": "varchar"}


def _pg_type(field: models.Field) -> str:
    """The PostgreSQL type of a column as psycopg's `set_types` names it ("varchar(30)" → "varchar")."""
    name = (field.db_type(connection) or "").split("(")[0].strip()
    return _PG_TYPES.get(name, name)


class Writer:
    """Writes batches of rows into their tables and counts them.

    On PostgreSQL the `COPY` of a batch runs in a background thread while the generator makes
    the next one: the generator keeps one core busy and the server the other, instead of each
    waiting for the other. The thread uses the same database connection (psycopg's connection
    is thread-safe and stays inside the caller's transaction); at most two batches wait, and
    an error in the thread is raised again in the caller at its next write or `flush`.
    """

    def __init__(self, *, background: bool = True) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}  # time spent writing each table (in the thread on PostgreSQL)
        self._sql: dict[Table, str] = {}
        self._types: dict[Table, list[str]] = {}
        self._convert: dict[Table, list] = {}
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self.background = background and self.postgres

    def write(self, table: Table, rows: list[tuple]) -> None:
        self.rows[table.name] = self.rows.get(table.name, 0) + len(rows)
        if not rows:
            return
        sql = self._statement(table, rows[0])  # checks the first row here, in the caller
        if not self.background:
            self._timed(table, sql, rows)
            return
        if self._thread is None:
            self._queue = queue.Queue(maxsize=2)
            connection.ensure_connection()
            raw = connection.connection  # the psycopg connection of this thread's Django connection
            self._thread = threading.Thread(target=self._work, args=(raw,), name="zonedesk-copy", daemon=True)
            self._thread.start()
        self._raise()
        self._queue.put((table, sql, rows))  # type: ignore[union-attr]

    def flush(self) -> None:
        """Wait until every batch is written; raise what went wrong in the thread."""
        if self._thread is not None:
            self._queue.put(None)  # type: ignore[union-attr]
            self._thread.join()
            self._thread = self._queue = None
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise RuntimeError("writing the generated rows failed") from error

    def _work(self, raw: Any) -> None:
        while True:
            item = self._queue.get()  # type: ignore[union-attr]
            if item is None:
                return
            if self._error is None:
                try:
                    table, sql, rows = item
                    self._timed(table, sql, rows, raw)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    self._error = exc

    def _timed(self, table: Table, sql: str, rows: list[tuple], raw: Any = None) -> None:
        started = time.perf_counter()
        if self.postgres:
            self._copy(raw or connection.connection, sql, self._types[table], rows)
        else:
            self._insert(table, sql, rows)
        self.seconds[table.name] = self.seconds.get(table.name, 0.0) + time.perf_counter() - started

    def _statement(self, table: Table, first_row: tuple) -> str:
        sql = self._sql.get(table)
        if sql is None:
            check_table(table)
            check_row(table, first_row)
            qn = connection.ops.quote_name
            fields = {f.attname: f for f in table.model._meta.concrete_fields}
            columns = ", ".join(qn(fields[c].column) for c in table.columns)
            if self.postgres:
                sql = f"COPY {qn(table.name)} ({columns}) FROM STDIN (FORMAT BINARY)"
                self._types[table] = [_pg_type(fields[c]) for c in table.columns]
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                sql = f"INSERT INTO {qn(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608 - our own names
            self._sql[table] = sql
        return sql

    @staticmethod
    def _copy(raw: Any, sql: str, types: list[str], rows: list[tuple]) -> None:
        """One batch in PostgreSQL's binary format: about a third cheaper than text for the client
        (no escaping, no dates to print) and for the server (nothing to parse)."""
        with raw.cursor() as cursor:
            set_json_dumps(_json_text, context=cursor)  # JSON columns come as JSON text already
            with cursor.copy(sql) as copy:
                copy.set_types(types)
                write = copy.write_row
                for row in rows:
                    write(row)

    def _insert(self, table: Table, sql: str, rows: list[tuple]) -> None:
        convert = self._convert.get(table)
        if convert is None:
            convert = self._convert[table] = _converters(table)
        pairs = [(i, c) for i, c in enumerate(convert) if c is not None]
        if pairs:
            fixed = []
            for row in rows:
                values = list(row)
                for i, c in pairs:
                    values[i] = c(values[i])
                fixed.append(values)
            rows = fixed  # type: ignore[assignment]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


class Deferral:
    """Foreign keys and secondary indexes of big tables, dropped for the load and rebuilt after
    (PostgreSQL). Primary keys and unique constraints stay; unique indexes are rebuilt, which
    checks them. Everything runs in the caller's transaction: a failure leaves nothing behind."""

    def __init__(self, tables: Iterable[str]) -> None:
        self.tables = sorted(set(tables))
        self.indexes: list[str] = []
        self.foreign_keys: list[str] = []

    def drop(self) -> None:
        if not self.tables or connection.vendor != "postgresql":
            return
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
                ORDER BY 1, 2
                """,
                [self.tables],
            )
            for table, name, definition in cursor.fetchall():
                self.foreign_keys.append(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef
                FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                ORDER BY i.tablename, i.indexname
                """,
                [self.tables],
            )
            for name, definition in cursor.fetchall():
                self.indexes.append(definition)
                cursor.execute(f"DROP INDEX {qn(name)}")

    def restore(self) -> dict[str, float]:
        """Rebuild what `drop` took away; seconds spent on the indexes and on the foreign keys."""
        seconds = {"indexes": 0.0, "foreign keys": 0.0}
        if not (self.indexes or self.foreign_keys):
            return seconds
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for kind, statements in (("indexes", self.indexes), ("foreign keys", self.foreign_keys)):
                started = time.perf_counter()  # indexes first: the checks of the foreign keys use them
                for statement in statements:
                    cursor.execute(statement)
                seconds[kind] = time.perf_counter() - started
        return seconds


# --- after the load -----------------------------------------------------------------------------


def advance_counters(counters: dict[str, int]) -> None:
    """Move each reference counter past the generated numbers (never back)."""
    for key, value in sorted(counters.items()):
        counter, _created = Counter.objects.get_or_create(key=key)
        if counter.value < value:
            counter.value = value
            counter.save(update_fields=["value"])


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """Id sequences after the highest id written (PostgreSQL; SQLite keeps track by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze(tables: Iterable[str]) -> None:
    """Fresh planner statistics for the loaded tables (PostgreSQL's autovacuum would come later)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(set(tables)):
            cursor.execute(f"ANALYZE {qn(table)}")


def database_size() -> int | None:
    """Bytes the database takes (PostgreSQL: the database; SQLite: the file and its WAL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    import os

    name = str(connection.settings_dict["NAME"])
    return sum(os.path.getsize(p) for p in (name, name + "-wal") if os.path.exists(p)) or None

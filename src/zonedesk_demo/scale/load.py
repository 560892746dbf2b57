"""Bulk loading of the generated rows, and the safety around it.

* `refusal`: a database that already holds registry data is refused unless `--replace`:
  synthetic rows are never mixed with real ones.
* `empty`: what `--replace` does first: every table the generator writes, and every table that
  points at them, emptied (PostgreSQL `TRUNCATE` where it may, `DELETE` elsewhere), and the
  accounts of enterprises and agencies removed with their rows.
* `Writer` (`core.bulk`): one table's batch at a time: `COPY ... FROM STDIN` on PostgreSQL,
  `executemany` on SQLite, all inside the caller's transaction.
* `Deferral` (PostgreSQL, big tables only): foreign keys and secondary indexes dropped before
  the first row and rebuilt after the last (the PostgreSQL manual's "Populating a Database").
  Rebuilding a foreign key checks every row in one pass, and rebuilding a unique index checks
  uniqueness, so the data is verified as thoroughly as row by row, only faster.
* `finish`: the counters of the reference numbers moved past the generated ones, the id
  sequences set after the highest id (so later inserts through the ORM work), and `ANALYZE`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from zonedesk.core.bulk import Writer, check_row, check_table  # noqa: F401 - the loader's writer
from zonedesk.core.models import Counter, Role, User
from zonedesk.core.rules import rule_value
from zonedesk_demo.scale.clock import Deadlines, OfficeClock
from zonedesk_demo.scale.plans import USERNAME_PREFIX, Context

# Registry data: a database with any of these is not empty.
REGISTRY = ("core.Zone", "core.Agency", "investment.Investor", "investment.Enterprise", "investment.Project")
REGISTRY += ("petitions.Petition", "planning.PlanRevision", "procedures.Dossier")

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
    "procedures.Dossier",
    "procedures.DossierStep",
    "procedures.DossierEvent",
    "promotion.Prospect",  # with their timelines and contacts (they point at it)
    "directions.Direction",  # with their tasks, reports and timelines
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
    """Fresh planner statistics for the loaded tables (PostgreSQL's autovacuum would come later).
    On PostgreSQL outside a transaction, `VACUUM (ANALYZE)`: it also sets the visibility map, so
    that counts can be answered from an index alone (index-only scans) from the first request."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    qn = connection.ops.quote_name
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in sorted(set(tables)):
            cursor.execute(f"{command} {qn(table)}")


def database_size() -> int | None:
    """Bytes the database takes (PostgreSQL: the database; SQLite: the file and its WAL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    import os

    name = str(connection.settings_dict["NAME"])
    return sum(os.path.getsize(p) for p in (name, name + "-wal") if os.path.exists(p)) or None

"""Bulk writes of many rows into one table, inside the caller's transaction.

* `Table`: a model and the columns (attribute names) of the tuples written into it.
* `Writer`: one table's batch at a time: `COPY ... FROM STDIN` in PostgreSQL's binary format
  (psycopg 3's `write_row`) on PostgreSQL, `executemany` on SQLite. The first row of each table
  is checked against the model's fields (`check_row`), so a tuple with a wrong type fails before
  anything is sent.

The scale generator (`zonedesk_demo.scale`) loads national data through it, and the spreadsheet
import of periodic reports (`investment.imports`) writes its rows through it: rows that were
checked by the service that writes them, never around one.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models
from psycopg.types.json import set_json_dumps

# --- tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A table the generator writes: its model and the columns (attribute names) of its rows, in
    the order of the tuples."""

    model: type[models.Model]
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.model._meta.db_table


def table_of(model: type[models.Model], exclude: Sequence[str] = ()) -> Table:
    return Table(model, tuple(f.attname for f in model._meta.concrete_fields if f.attname not in exclude))


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model`'s table, for rows written with their ids (so that the
    writer knows what it wrote without reading it back), inside the caller's transaction. On
    PostgreSQL from the table's own sequence (other writers meanwhile take others: the ids may
    have gaps); on SQLite the ones after the highest ever given, which the transaction's write
    lock (BEGIN IMMEDIATE) keeps for it."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids needs the caller's transaction (its write lock keeps the ids)")
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({qn(column)}), 0) FROM {qn(table)}")  # noqa: S608 - our own names
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if cursor.fetchone():  # AUTOINCREMENT never gives an id twice, even one of a deleted row
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row else 0)
    return list(range(highest + 1, highest + 1 + count))


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

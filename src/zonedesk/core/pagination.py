"""The API's page-number pagination, with bounds so that no page number can reach the database
as an out-of-range integer, and counts cached while the data cannot have changed.

Counting every row of a filtered list costs more than reading its page (an agency's queue at
national scale: thousands of petitions to count, a hundred to show). A model whose every write
bumps a generation (`core.generations`) registers it in `COUNT_GENERATIONS`; the count of a
list of that model is then cached under the generation and the exact SQL of the count, so it is
never served after a write commits, on any app server. A query that holds the time (overdue
petitions) has a new key every time and is simply counted.

A page read as plain values (`Pages(values=...)`) is cached the same way, with its count, keyed
by the exact SQL of the page (the person's restrictions are in it, so a page is only ever served
for the query that made it); a query that holds the time is read every time.

A page is read in two steps: the ids of the page first (ordered and filtered, which an index
often answers alone, without visiting the rows that the filter refuses), then those rows. At
national scale an agency's queue is read from the index of open petitions by deadline this way
in about a millisecond, instead of visiting every open petition of other agencies before it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup, QuerySet, Value
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from zonedesk.core.answers import answer_pending, not_cacheable
from zonedesk.core.generations import cached

MAX_PAGE = 1_000_000

# model label ("petitions.Petition") -> the generation that every write of it bumps
COUNT_GENERATIONS: dict[str, str] = {}


def holds_time(node: Any) -> bool:
    """Whether a query compares with a moment (a datetime: the time of the request, as in "the
    deadline has passed"), anywhere in its filters, annotations and subqueries. Its SQL
    parameters cannot tell on every database: SQLite's are already text."""
    if isinstance(node, dt.datetime):
        return True
    if isinstance(node, list | tuple | set | frozenset):
        return any(holds_time(v) for v in node)
    if isinstance(node, Query):
        return holds_time(node.where) or any(holds_time(a) for a in node.annotations.values())
    if isinstance(node, WhereNode):
        return any(holds_time(child) for child in node.children)
    if isinstance(node, Lookup):
        return holds_time(node.lhs) or holds_time(node.rhs)
    if isinstance(node, QuerySet):
        return holds_time(node.query)
    if isinstance(node, Value):
        return holds_time(node.value)
    inner = getattr(node, "query", None)  # Subquery, Exists
    if isinstance(inner, Query):
        return holds_time(inner)
    if hasattr(node, "get_source_expressions"):
        return any(holds_time(e) for e in node.get_source_expressions())
    return False


def _key(query: QuerySet, *extra) -> str | None:
    """A cache key from the exact SQL of a query (None for a query that holds the time: it would
    never be asked again)."""
    if holds_time(query.query):
        return None
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (a status no row has): not worth a key
        return None
    return hashlib.sha256(repr((sql, params, extra)).encode()).hexdigest()[:32]


def cached_count(queryset: QuerySet) -> int:
    name = COUNT_GENERATIONS.get(queryset.model._meta.label)
    key = _key(queryset.order_by().values("pk")) if name is not None else None  # what is counted
    if key is None:
        return queryset.count()
    return cached(name, f"count:{key}", lambda: (queryset.count(), None))


def _rows(queryset: QuerySet, ids: list) -> QuerySet:
    """The rows of these ids (already filtered), with the joins, columns and annotations of
    `queryset` but not its filters: evaluating them again would cost as much as the first time."""
    rows = queryset.order_by()
    rows.query.where = WhereNode()
    return rows.filter(pk__in=ids)


def _pk(row):
    return row["pk"] if isinstance(row, dict) else row.pk


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000, description="Capped at 100")

    def __init__(self, *, values: tuple[str, ...] = (), **kwargs):
        """`values`: read the rows of a page as dicts of these fields (`QuerySet.values`), which
        costs less than model objects; the ids of the page are found without their joins."""
        self.values = tuple(values)
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        if not isinstance(queryset, QuerySet) or queryset.query.combinator or queryset.query.distinct:
            return super().paginate_queryset(queryset, pagination, request, **params)
        size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * size
        ids = queryset.values_list("pk", flat=True)[offset : offset + size]
        name = COUNT_GENERATIONS.get(queryset.model._meta.label) if self.values else None
        if answer_pending(request) and holds_time(ids.query):  # so does the answer (core.answers)
            not_cacheable(request)
        key = _key(ids, self.values) if name is not None else None
        if key is None:
            return {self.items_attribute: self._page(queryset, list(ids)), "count": self._items_count(queryset)}
        # a page of plain values is cached with its count under the model's generation, keyed by
        # the exact SQL (the person's restrictions are in it): never served after a write
        build = lambda: ((self._page(queryset, list(ids)), queryset.count()), None)  # noqa: E731
        items, count = cached(name, f"page:{key}", build, alias="answers")
        return {self.items_attribute: items, "count": count}

    def _page(self, queryset: QuerySet, ids: list) -> list:
        rows = {}
        if ids:
            page = _rows(queryset, ids)
            rows = {_pk(row): row for row in (page.values("pk", *self.values) if self.values else page)}
        return [rows[pk] for pk in ids if pk in rows]

    def _items_count(self, queryset) -> int:
        if isinstance(queryset, QuerySet):
            return cached_count(queryset)
        return super()._items_count(queryset)

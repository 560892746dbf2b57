"""The audit trail: who changed what, when, from where, field by field (django-auditlog).

Every model of the project is tracked (`AUDITLOG_INCLUDE_ALL_MODELS`, with the exclusions in
settings): each save, delete and many-to-many change writes a `LogEntry` with the actor (the
logged-in person; none for the public and the system), their address (`client_address`, never
a client-supplied X-Forwarded-For), the object and, for each field, its value before and after.
Rows written in bulk (imports) are recorded by `log_created`, which signals would miss. Work
outside a request (imports and tasks in the worker) names its actor with `acting(by)`.

The trail is append-only: the database refuses to change an entry (a trigger on SQLite and
PostgreSQL) and, on PostgreSQL, to delete one; nothing in the site deletes one. Board officers
and admins read it (`/audit/`, per object and searchable, exportable).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from auditlog.context import set_actor
from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware

from zonedesk.core.throttle import client_address

_in_request: ContextVar[bool] = ContextVar("zonedesk_audit_in_request", default=False)
# who and from where, for rows recorded by `log_created`: the request's, or `acting`'s
_who: ContextVar[tuple[Any, str | None] | None] = ContextVar("zonedesk_audit_who", default=None)


class AuditMiddleware(_AuditlogMiddleware):
    """django-auditlog's, with the address the rate limits use (REMOTE_ADDR, set by the proxy)."""

    @staticmethod
    def _get_remote_addr(request) -> str | None:
        address = client_address(request)
        return None if address == "unknown" else address

    @staticmethod
    def _get_remote_port(request) -> int | None:
        return None

    def __call__(self, request):
        actor = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        tokens = _in_request.set(True), _who.set((actor, self._get_remote_addr(request)))
        try:
            return super().__call__(request)
        finally:
            _in_request.reset(tokens[0])
            _who.reset(tokens[1])


BATCH = 1000


def mask(value: Any) -> str:
    """A secret's value in the trail: that it was set or changed, nothing of it."""
    return "••••••" if value else ""


def log_created(objects: Iterable[Any]) -> None:
    """Record rows made with `bulk_create` or the bulk writer (no signal is sent for them): one
    entry each, written in batches, with the person and address of the request or of `acting`."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_disabled
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog
    from django.contrib.contenttypes.models import ContentType

    if auditlog_disabled.get():
        return
    actor, address = _who.get() or (None, None)
    actor = actor if getattr(actor, "pk", None) else None
    batch: list[LogEntry] = []
    for obj in objects:
        if not auditlog.contains(type(obj)):
            continue
        batch.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(obj),
                object_pk=str(obj.pk),
                object_id=obj.pk if isinstance(obj.pk, int) else None,
                object_repr=str(obj),
                action=LogEntry.Action.CREATE,
                changes=model_instance_diff(None, obj, use_json_for_changes=True),
                actor=actor,
                actor_email=getattr(actor, "email", None),
                remote_addr=address,
                cid=get_cid(),
            )
        )
        if len(batch) >= BATCH:
            LogEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        LogEntry.objects.bulk_create(batch)


@contextlib.contextmanager
def acting(by: Any) -> Iterator[None]:
    """Name the person behind writes made outside a request (a task in the worker); inside a
    request the request's person stands."""
    if _in_request.get() or not getattr(by, "pk", None):
        yield
        return
    token = _who.set((by, None))
    try:
        with set_actor(by):
            yield
    finally:
        _who.reset(token)


# --- reading the trail -------------------------------------------------------------------

ACTIONS = {0: "create", 1: "update", 2: "delete", 3: "access"}


def entries(
    *,
    q: str = "",
    model: str = "",
    object_pk: str = "",
    actor: str = "",
    address: str = "",
    since: Any = None,
    until: Any = None,
):
    """The trail, newest first, filtered: `q` in the object's name or the changed values,
    `model` as "app_label.model", the object's key, the actor's username, the address, dates."""
    from auditlog.models import LogEntry
    from django.db.models import Q

    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if q:
        # changed values are JSON: SQLite keeps non-ASCII letters \u-escaped in it, PostgreSQL does not
        escaped = json.dumps(q)[1:-1]
        qs = qs.filter(Q(object_repr__icontains=q) | Q(changes__icontains=q) | Q(changes__icontains=escaped))
    if model and "." in model:
        app_label, model_name = model.lower().split(".", 1)
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model_name)
    if object_pk:
        qs = qs.filter(object_pk=object_pk)
    if actor:
        qs = qs.filter(actor__username=actor)
    if address:
        qs = qs.filter(remote_addr=address)
    if since:
        qs = qs.filter(timestamp__date__gte=since)
    if until:
        qs = qs.filter(timestamp__date__lte=until)
    return qs


def changes_of(entry: Any) -> list[tuple[str, Any, Any]]:
    """(field, before, after) of an entry, in the field's own name."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    out = []
    for name, values in changes.items():
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
            out.append((name, values.get("operation", ""), ", ".join(map(str, values.get("objects", [])))))
        elif isinstance(values, list | tuple) and len(values) == 2:
            out.append((name, values[0], values[1]))
    return out

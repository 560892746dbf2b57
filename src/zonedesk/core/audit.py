"""The audit trail: who changed what, when, from where, field by field (django-auditlog).

Every model of the project is tracked (`AUDITLOG_INCLUDE_ALL_MODELS`, with the exclusions in
settings): each save, delete and many-to-many change writes a `LogEntry` with the actor (the
logged-in person; none for the public and the system), their address (`client_address`, never
a client-supplied X-Forwarded-For), the object and, for each field, its value before and after.
Rows written in bulk (imports) are recorded by `log_created`, which signals would miss, one entry
a row; the periodic reports of an import (up to a million rows) by `log_bulk_created`, one entry
for the import naming it and the ids it created (kept as ranges, `core.AuditRange`, so that a
record's history still shows its creation: who, when, through which import). Work outside a
request (imports and tasks in the worker) names its actor with `acting(by)`, an import itself
with `importing(name)`.

The trail is append-only: the database refuses to change an entry (a trigger on SQLite and
PostgreSQL) and, on PostgreSQL, to delete one; nothing in the site deletes one. Board officers
and admins read it (`/audit/`, per object and searchable, exportable).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from auditlog.cid import set_cid
from auditlog.context import set_actor
from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware

from zonedesk.core.numbers import whole
from zonedesk.core.throttle import client_address

_in_request: ContextVar[bool] = ContextVar("zonedesk_audit_in_request", default=False)
# the import being written (its file, its job), named in the entries of the rows it creates
_import: ContextVar[str] = ContextVar("zonedesk_audit_import", default="")
# who and from where, for rows recorded by `log_created`: the request's, or `acting`'s
_who: ContextVar[tuple[Any, str | None] | None] = ContextVar("zonedesk_audit_who", default=None)


class AuditMiddleware(_AuditlogMiddleware):
    """django-auditlog's, with the address the rate limits use (REMOTE_ADDR, set by the proxy).

    auditlog's own middleware connects a `pre_save` receiver of `LogEntry` at each request and
    disconnects it after (0.1–0.2 ms a request, docs/PERFORMANCE.md); here one receiver,
    connected once (`_stamp`), gives an entry written during a request the request's person and
    address, as auditlog's would."""

    @staticmethod
    def _get_remote_addr(request) -> str | None:
        address = client_address(request)
        return None if address == "unknown" else address

    @staticmethod
    def _get_remote_port(request) -> int | None:
        return None

    def __call__(self, request):
        set_cid(request)
        actor = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        tokens = _in_request.set(True), _who.set((actor, self._get_remote_addr(request)))
        try:
            return self.get_response(request)
        finally:
            _in_request.reset(tokens[0])
            _who.reset(tokens[1])


def _stamp(sender, instance, **kwargs) -> None:
    """An entry written during a request: its person (unless the entry names one) and address."""
    if not _in_request.get():
        return
    actor, address = _who.get() or (None, None)
    if instance.actor is None and getattr(actor, "pk", None):
        instance.actor = actor
        instance.actor_email = getattr(actor, "email", None)
    instance.remote_addr = address
    instance.remote_port = None


def _connect() -> None:
    from auditlog import get_logentry_model
    from django.db.models.signals import pre_save

    pre_save.connect(_stamp, sender=get_logentry_model(), dispatch_uid="zonedesk.core.audit._stamp")


BATCH = 1000

# How an entry written by `log_created` names its record: `str` unless an app registers better
# (privacy: the key alone where the name would show personal data, as for the entries of signals).
_NAMING: dict[str, Callable[[Any], str]] = {"record": str}


def register_record_name(name: Callable[[Any], str]) -> None:
    _NAMING["record"] = name


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
    source = _import.get()
    additional = {"import": source} if source else None
    batch: list[LogEntry] = []
    for obj in objects:
        if not auditlog.contains(type(obj)):
            continue
        batch.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(obj),
                object_pk=str(obj.pk),
                object_id=obj.pk if isinstance(obj.pk, int) else None,
                object_repr=_NAMING["record"](obj),  # its key alone where its name is personal data
                action=LogEntry.Action.CREATE,
                changes=model_instance_diff(None, obj, use_json_for_changes=True),
                actor=actor,
                actor_email=getattr(actor, "email", None),
                remote_addr=address,
                cid=get_cid(),
                additional_data=additional,
            )
        )
        if len(batch) >= BATCH:
            LogEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        LogEntry.objects.bulk_create(batch)


def id_ranges(ids: Iterable[int]) -> list[tuple[int, int]]:
    """Ids as (first, last) runs of consecutive ids: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], pk)
        else:
            runs.append((pk, pk))
    return runs


def log_bulk_created(model: type, ids: Iterable[int], *, source: str = "") -> Any:
    """Record the rows of `model` (by id) that one import created as one entry: the person and
    address of the request or of `acting`, the time, the import (`source`, or the one named by
    `importing`) and how many; the ids are kept as ranges beside it (`core.AuditRange`), where
    `entries(model=..., object_pk=...)` finds a record's creation. One entry and a few ranges
    instead of one entry a row: what a bulk import of a million reports can afford. The rows'
    values are the records' own (a report is never edited in place: a correction is a new
    version, recorded as such)."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_disabled
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext as _

    from zonedesk.core.models import AuditRange

    runs = id_ranges(ids)
    if auditlog_disabled.get() or not runs:
        return None
    actor, address = _who.get() or (None, None)
    actor = actor if getattr(actor, "pk", None) else None
    source = source or _import.get() or _("an import")
    count = sum(last - first + 1 for first, last in runs)
    shown = ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in runs[:20]) + (" …" if len(runs) > 20 else "")
    content_type = ContentType.objects.get_for_model(model)
    entry = LogEntry.objects.create(
        content_type=content_type,
        object_pk=f"{runs[0][0]}–{runs[-1][1]}"[:255],
        object_id=None,
        object_repr=(
            _("%(n)s %(records)s imported from %(source)s")
            % {"n": count, "records": model._meta.verbose_name_plural, "source": source}
        )[:2000],
        action=LogEntry.Action.CREATE,
        changes={"import": [None, source], "records": [None, count], "ids": [None, shown]},
        actor=actor,
        actor_email=getattr(actor, "email", None),
        remote_addr=address,
        cid=get_cid(),
        additional_data={"import": source, "records": count},
    )
    AuditRange.objects.bulk_create(
        [AuditRange(entry=entry, content_type=content_type, first_id=a, last_id=b) for a, b in runs], batch_size=BATCH
    )
    return entry


@contextlib.contextmanager
def importing(source: str) -> Iterator[None]:
    """Name the import (its file, its job) whose rows the entries written meanwhile record."""
    token = _import.set(source)
    try:
        yield
    finally:
        _import.reset(token)


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
    action: str | int = "",
    object_pk: str = "",
    actor: str = "",
    address: str = "",
    since: Any = None,
    until: Any = None,
):
    """The trail, newest first, filtered: `q` in the object's name or the changed values,
    `model` as "app_label.model", the action (0 created, 1 changed, 2 deleted), the object's key, the actor's username, the address, dates."""
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
    if (code := whole(str(action), max_digits=2)) is not None:
        qs = qs.filter(action=code)
    if object_pk:
        one = Q(object_pk=object_pk)
        if model and "." in model and (pk := whole(object_pk)) is not None:  # created by an import: the import's entry
            from zonedesk.core.models import AuditRange

            imported = list(
                AuditRange.objects.filter(
                    content_type__app_label=app_label, content_type__model=model_name, first_id__lte=pk, last_id__gte=pk
                ).values_list("entry_id", flat=True)
            )
            if imported:
                one |= Q(pk__in=imported)
        qs = qs.filter(one)
    if actor:
        qs = qs.filter(actor__username=actor)
    if address:
        qs = qs.filter(remote_addr=address)
    if since:
        qs = qs.filter(timestamp__date__gte=since)
    if until:
        qs = qs.filter(timestamp__date__lte=until)
    return qs

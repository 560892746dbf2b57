"""The audit trail as people read it (the `/audit/` page), and as programs read it (its export).

django-auditlog keeps each field's value before and after as the database holds it: field
names, ids of related records, choice values, times in UTC with microseconds. The page shows
who did what to which record, with a link to the record's own page, and each changed field by
its label with its values as the other pages show them: choices by their labels, related records
by their names, times in local time (`TIME_ZONE`, Asia/Ho_Chi_Minh), dates and numbers in the
active language. The export (`MACHINE_COLUMNS`) keeps the ids, the field names and ISO times.

A record links to its page when its model has `get_absolute_url` (the registry's projects, the
petitions, roadmaps, conferences, planning decisions...); the records a page links to are read
in one query per kind of record, their related records' names in one query per kind too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import NoReverseMatch
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from zonedesk.core.audit import ACTIONS
from zonedesk.core.exports import Column
from zonedesk.core.numbers import num

SHOWN_CHANGES = 5  # changed fields listed at once on the page; the others behind "n more"
TEXT_LIMIT = 160  # characters of a long text shown in the page (the export has all)
# a record's key, its write counter and its bounding box (derived from its shape): in the export only
HIDDEN_FIELDS = frozenset({"id", "version", "minx", "miny", "maxx", "maxy"})

VERBS = {
    0: gettext_lazy("created"),
    1: gettext_lazy("changed"),
    2: gettext_lazy("deleted"),
    3: gettext_lazy("viewed"),
}

# the keys of an import's one entry (`audit.log_bulk_created`), which are no model's fields
SPECIAL_LABELS = {
    "import": gettext_lazy("Imported from"),
    "records": gettext_lazy("Records"),
    "ids": gettext_lazy("Record keys"),
}


# Fields and models whose names Django makes up (a foreign key's "created by", a model's "answer")
# are not translated where they are declared: their labels, named here so that makemessages
# keeps them, are looked up when shown (`_translated`). Changing the models' own verbose names
# would need a migration of every app for no change to the data.
UNDECLARED_NAMES = (
    gettext_noop("Accepted repairs"),
    gettext_noop("Actor"),
    gettext_noop("Agency"),
    gettext_noop("Author"),
    gettext_noop("Body"),
    gettext_noop("Changed at"),
    gettext_noop("Changed by"),
    gettext_noop("Conference"),
    gettext_noop("Confirmed"),
    gettext_noop("Created at"),
    gettext_noop("Created by"),
    gettext_noop("Data"),
    gettext_noop("E-mail"),
    gettext_noop("Email"),
    gettext_noop("Emailed at"),
    gettext_noop("Enterprise"),
    gettext_noop("Error"),
    gettext_noop("From status"),
    gettext_noop("Indicator"),
    gettext_noop("Investor"),
    gettext_noop("Is current"),
    gettext_noop("Key"),
    gettext_noop("Language"),
    gettext_noop("Link"),
    gettext_noop("Milestone"),
    gettext_noop("Name"),
    gettext_noop("Order"),
    gettext_noop("Overdue notified on"),
    gettext_noop("Package"),
    gettext_noop("Petition"),
    gettext_noop("Progress done"),
    gettext_noop("Progress total"),
    gettext_noop("Project"),
    gettext_noop("Rated at"),
    gettext_noop("Read at"),
    gettext_noop("Recorded at"),
    gettext_noop("Recorded by"),
    gettext_noop("Reopen count"),
    gettext_noop("Report"),
    gettext_noop("Review note"),
    gettext_noop("Reviewed at"),
    gettext_noop("Reviewed by"),
    gettext_noop("Revision"),
    gettext_noop("Roadmap"),
    gettext_noop("Sequence"),
    gettext_noop("Sha256"),
    gettext_noop("Spot recorded by"),
    gettext_noop("Step"),
    gettext_noop("Subject"),
    gettext_noop("Submitted by"),
    gettext_noop("Suggested agency"),
    gettext_noop("Suggested category"),
    gettext_noop("Tabled by"),
    gettext_noop("To status"),
    gettext_noop("Tolerance"),
    gettext_noop("Uploaded at"),
    gettext_noop("Uploaded by"),
    gettext_noop("User"),
    gettext_noop("Year"),
    gettext_noop("Zone"),
    # models
    gettext_noop("amendment"),
    gettext_noop("amendments"),
    gettext_noop("answer"),
    gettext_noop("answers"),
    gettext_noop("attachment"),
    gettext_noop("attachments"),
    gettext_noop("notification"),
    gettext_noop("notifications"),
    gettext_noop("petition event"),
    gettext_noop("petition events"),
    gettext_noop("project investor"),
    gettext_noop("project investors"),
    gettext_noop("schedule milestone"),
    gettext_noop("schedule milestones"),
    gettext_noop("status change"),
    gettext_noop("status changes"),
    gettext_noop("TOTP device"),
    gettext_noop("TOTP devices"),
)


# made-up names whose English word means something else elsewhere ("File" is also the verb)
AMBIGUOUS_NAMES = {"File": pgettext_lazy("a stored file", "File")}


def _translated(name: Any) -> str:
    """A model's or a field's name in the active language, also when Django made it up."""
    name = str(name)
    return str(AMBIGUOUS_NAMES[name]) if name in AMBIGUOUS_NAMES else _(name)


def model_of(content_type: Any) -> type[models.Model] | None:
    """The model of an entry; None for a model since removed (its entries stay readable)."""
    return content_type.model_class()


def kind_label(content_type: Any, *, capital: bool = True) -> str:
    """A kind of record by its name in the active language ("Dự án"), not "investment.project"."""
    model = model_of(content_type)
    name = _translated(model._meta.verbose_name) if model is not None else content_type.name
    return capfirst(name) if capital else name


def kind_choices() -> list[tuple[str, str]]:
    """The kinds of record the trail follows, for the page's filter: ("investment.project",
    "Projects"), sorted by their names in the active language."""
    from auditlog.registry import auditlog

    from zonedesk.core.text import fold

    choices = {
        m._meta.label_lower: capfirst(_translated(m._meta.verbose_name_plural))
        for m in auditlog.get_models()
        if not m._meta.auto_created  # the links of a many-to-many field: recorded on their record
    }
    return sorted(choices.items(), key=lambda c: fold(c[1]))


def person(user: Any) -> str:
    """A person by name ("Nguyễn Văn An"), else by user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


def field_label(model: type[models.Model] | None, name: str) -> str:
    if name in SPECIAL_LABELS:
        return str(SPECIAL_LABELS[name])
    field = _field(model, name)
    if field is None or not getattr(field, "verbose_name", None):
        return name
    return _translated(capfirst(str(field.verbose_name)))


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        for f in model._meta.concrete_fields:  # a foreign key recorded by its column ("zone_id")
            if f.attname == name:
                return f
        return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == "None"


def _utc(value: Any) -> dt.datetime | None:
    """A time as auditlog records it (UTC without its zone: "2026-12-06 04:05:06.123456")."""
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=dt.UTC)


def _number(value: Any, field: Any) -> Any:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if isinstance(field, models.DecimalField | models.FloatField):
        decimals = max(0, -number.normalize().as_tuple().exponent)
        return num(number, min(decimals, 4))
    if abs(number) < 10_000:  # a year, a count: no grouping ("2026", not "2.026")
        return str(int(number))
    return num(number)


def _truncate(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def value_shown(field: Any, value: Any, names: dict[tuple[type, str], str]) -> Any:
    """One recorded value as the pages show it; None for no value (the page shows "—")."""
    if isinstance(value, str) and value.startswith("••"):  # a secret (audit.mask): that it changed
        return value
    if _empty(value):
        return None
    if field is None:
        if isinstance(value, dict | list):
            return _truncate(json.dumps(value, ensure_ascii=False, default=str))
        return _truncate(str(value))
    if getattr(field, "choices", None):
        labels = {str(k): v for k, v in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if field.is_relation and field.related_model is not None and not field.many_to_many:
        name = names.get((field.related_model, str(value)))
        return name if name is not None else _("#%(key)s (no longer exists)") % {"key": value}
    if isinstance(field, models.BooleanField):
        if isinstance(value, str):
            value = value.lower() in ("true", "1")
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField):
        moment = _utc(value)
        return formats.date_format(timezone.localtime(moment), "d/m/Y H:i") if moment else str(value)
    if isinstance(field, models.DateField):
        try:
            return formats.date_format(dt.date.fromisoformat(str(value)[:10]), "d/m/Y")
        except ValueError:
            return str(value)
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField) and not isinstance(value, bool):
        return _number(value, field)
    if isinstance(field, models.JSONField) or isinstance(value, dict | list):
        return _truncate(json.dumps(value, ensure_ascii=False, default=str))
    return _truncate(str(value))


def _raw_changes(entry: Any) -> list[tuple[str, Any, Any]]:
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    out = []
    for name, values in changes.items():
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
            objects = ", ".join(map(str, values.get("objects", [])))
            operation = values.get("operation", "")
            before, after = (objects, None) if operation == "delete" else (None, objects)
            out.append((name, before, after))
        elif isinstance(values, list | tuple) and len(values) == 2:
            out.append((name, values[0], values[1]))
    return out


def _keys(model: type, keys: set[str]) -> list[Any]:
    """The recorded keys that are keys of the model; one that is not (an import's entry names a
    range, "12–40"; a value recorded by hand) is left out alone and shown as recorded."""
    pk, values = model._meta.pk, []
    for key in keys:
        with contextlib.suppress(ValidationError, ValueError, TypeError):
            values.append(pk.to_python(key))
    return values


def _related_names(entries: list[Any]) -> dict[tuple[type, str], str]:
    """The names of the records that the page's changed foreign keys point at, one query a kind."""
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        model = model_of(entry.content_type)
        for name, before, after in _raw_changes(entry):
            field = _field(model, name)
            if field is None or not field.is_relation or field.many_to_many or field.related_model is None:
                continue
            for value in (before, after):
                if not _empty(value):
                    wanted[field.related_model].add(str(value))
    names: dict[tuple[type, str], str] = {}
    for model, keys in wanted.items():
        # with what str() reads (a plan revision names its zone): one query a kind, not one a record
        for obj in model._base_manager.select_related().filter(pk__in=_keys(model, keys)):
            names[(model, str(obj.pk))] = person(obj) if hasattr(obj, "get_full_name") else str(obj)
    return names


def _record_links(entries: list[Any]) -> dict[tuple[int, str], str]:
    """The page of each record shown (when its kind has one and it still exists)."""
    wanted: dict[int, tuple[type, set[str]]] = {}
    for entry in entries:
        model = model_of(entry.content_type)
        if model is None or not hasattr(model, "get_absolute_url") or entry.action == 2:
            continue
        wanted.setdefault(entry.content_type_id, (model, set()))[1].add(entry.object_pk)
    links: dict[tuple[int, str], str] = {}
    for content_type_id, (model, keys) in wanted.items():
        for obj in model._base_manager.select_related().filter(pk__in=_keys(model, keys)):
            with contextlib.suppress(NoReverseMatch):  # a record whose page cannot be named: no link
                links[(content_type_id, str(obj.pk))] = obj.get_absolute_url()
    return links


def changes_shown(entry: Any, names: dict[tuple[type, str], str]) -> list[dict[str, Any]]:
    """Each changed field of an entry by its label, in the model's order of fields, with its
    values as the pages show them. A creation lists the fields given a value."""
    model = model_of(entry.content_type)
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model is not None else {}
    rows = []
    for name, before, after in _raw_changes(entry):
        if name in HIDDEN_FIELDS and name not in SPECIAL_LABELS:
            continue
        field = _field(model, name)
        shown_before = value_shown(field, before, names)
        shown_after = value_shown(field, after, names)
        if entry.action == 0 and shown_after is None:  # created without a value: nothing to say
            continue
        if entry.action == 2 and shown_before is None:
            continue
        rows.append(
            {
                "name": name,
                "label": field_label(model, name),
                "before": shown_before,
                "after": shown_after,
                "order": order.get(getattr(field, "name", name), len(order)),
            }
        )
    rows.sort(key=lambda r: (r["order"], r["label"]))
    return rows


def present(entries: list[Any]) -> list[dict[str, Any]]:
    """The rows of the page: who did what to which record, when, its link and its changes."""
    entries = list(entries)
    names = _related_names(entries)
    links = _record_links(entries)
    rows = []
    for e in entries:
        changes = changes_shown(e, names)
        additional = e.additional_data if isinstance(e.additional_data, dict) else {}
        rows.append(
            {
                "entry": e,
                "who": person(e.actor),
                "verb": str(VERBS.get(e.action, e.get_action_display())),
                "kind": kind_label(e.content_type, capital=False),
                "model": f"{e.content_type.app_label}.{e.content_type.model}",
                "url": links.get((e.content_type_id, e.object_pk), ""),
                "changes": changes[:SHOWN_CHANGES],
                "more": changes[SHOWN_CHANGES:],
                "import": additional.get("import", ""),
            }
        )
    return rows


# --- the machine export: ids, field names and ISO times, as recorded --------------------------


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="microseconds")


MACHINE_COLUMNS = [  # keys, not labels: a program reads them (same in every language)
    Column("id", lambda e: e.pk, "id"),
    Column("timestamp", lambda e: _iso(e.timestamp), "timestamp"),
    Column("actor_id", lambda e: e.actor_id, "actor_id"),
    Column("actor", lambda e: e.actor.username if e.actor else None, "actor"),
    Column("remote_addr", lambda e: e.remote_addr, "remote_addr"),
    Column("action", lambda e: ACTIONS.get(e.action), "action"),
    Column("model", lambda e: f"{e.content_type.app_label}.{e.content_type.model}", "model"),
    Column("object_pk", lambda e: e.object_pk, "object_pk"),
    Column("object_repr", lambda e: e.object_repr, "object_repr"),
    Column("changes", lambda e: e.changes if isinstance(e.changes, dict) else {}, "changes"),
    Column(
        "import",
        lambda e: (e.additional_data or {}).get("import") if isinstance(e.additional_data, dict) else None,
        "import",
    ),
    Column("cid", lambda e: e.cid, "cid"),
]

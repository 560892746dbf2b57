"""Entries of the audit trail written before personal fields were masked (privacy/register.py,
`mask_in_audit`) hold their values: the values of a petitioner's contacts, a person's name and
e-mail, in `changes`, `changes_text` and `serialized_data`, and a person's name as the record's
name (`object_repr`). `mask_old_entries` masks them as a new entry is masked, once, from a
migration (privacy 0003): the trail is append-only, so the database's refusal (core 0006, 0012) is
lifted for this one statement and put back, in the migration's transaction.

It reads the marks of the live models (a migration's historical models carry none): what is
marked when the migration runs is what is masked."""

from __future__ import annotations

import importlib
import json
from typing import Any

from zonedesk.core.audit import mask

HIDDEN = "••••••"
_EMPTY = (None, "", "None")


def _masked(value: Any) -> Any:
    return value if value in _EMPTY else mask(value)


def _mask_changes(changes: Any, names: set[str], related: dict[str, bool]) -> bool:
    touched = False
    if not isinstance(changes, dict):
        return False
    for name, change in changes.items():
        if name in names and isinstance(change, list):
            new = [_masked(v) for v in change]
            touched |= new != change
            changes[name] = new
        elif isinstance(change, dict) and change.get("type") == "m2m" and related.get(name):
            objects = [HIDDEN for _ in change.get("objects", [])]
            touched |= objects != change.get("objects")
            change["objects"] = objects
    return touched


def mask_old_entries(log_entry_model, content_type_model, connection) -> int:
    """Mask the personal values of every entry of a model with marked fields; returns how many
    entries changed. `log_entry_model`, `content_type_model`: a migration's or the live ones."""
    from django.apps import apps as live

    from zonedesk.privacy.register import all_marks, neutral_repr

    fields: dict[type, set[str]] = {}
    for model, field, _mark, _library in all_marks():
        if model._meta.label != "auditlog.LogEntry":
            fields.setdefault(model, set()).add(field.name)
    # every model whose entries name records (or related ones) that show personal data
    for model in live.get_models():
        if neutral_repr(model):
            fields.setdefault(model, set())
    changed = 0
    with _trail_writable(connection):
        for model, names in fields.items():
            ct = content_type_model.objects.filter(
                app_label=model._meta.app_label, model=model._meta.model_name
            ).first()
            if ct is None:
                continue
            related = {
                f.name: bool(f.related_model and neutral_repr(f.related_model))
                for f in model._meta.get_fields()
                if f.many_to_many and not f.auto_created
            }
            hide_name = neutral_repr(model)
            for entry in log_entry_model.objects.filter(content_type_id=ct.pk).iterator(chunk_size=2000):
                update = []
                if _mask_changes(entry.changes, names, related):
                    update.append("changes")
                if entry.changes_text:
                    try:
                        text = json.loads(entry.changes_text)
                    except ValueError:
                        text = None
                    if _mask_changes(text, names, related):
                        entry.changes_text = json.dumps(text)
                        update.append("changes_text")
                data = entry.serialized_data
                if isinstance(data, dict) and isinstance(data.get("fields"), dict):
                    for name in names & set(data["fields"]):
                        if data["fields"][name] not in _EMPTY:
                            data["fields"][name] = HIDDEN
                            update.append("serialized_data")
                if (
                    hide_name
                    and not (entry.additional_data or {}).get("records")
                    and (entry.object_repr != f"#{entry.object_pk}")
                ):
                    entry.object_repr = f"#{entry.object_pk}"
                    update.append("object_repr")
                if update:
                    entry.save(update_fields=sorted(set(update)))
                    changed += 1
    return changed


class _trail_writable:
    """The trail's refusal lifted, then put back as core 0012 made it (SQLite: the trigger is
    dropped and made again; PostgreSQL: the trigger is disabled and enabled, in the transaction)."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS auditlog_logentry_no_update")
            elif self.connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check pending: ALTER TABLE refuses then
                cursor.execute("ALTER TABLE auditlog_logentry DISABLE TRIGGER auditlog_logentry_append_only")
        return self

    def __exit__(self, *exc):
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "sqlite":
                made = importlib.import_module("zonedesk.core.migrations.0012_audit_trail_forgets_addresses")
                columns = [
                    c.name for c in self.connection.introspection.get_table_description(cursor, "auditlog_logentry")
                ]
                for sql in made._sqlite(columns):
                    cursor.execute(sql)
            elif self.connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE auditlog_logentry ENABLE TRIGGER auditlog_logentry_append_only")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return False

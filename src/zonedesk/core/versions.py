"""Writes on a record read before: the record locked, its version checked (docs/ARCHITECTURE.md,
"Writes on a record read before")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from zonedesk.core.errors import stale

M = TypeVar("M")


def locked(record: M, version: int | None, message: Any, *, related: Sequence[str] = ()) -> M:
    """The record read again, locked for the rest of the transaction (its own row only: `related`
    rows are read with it, not locked), and refused with `ConflictError` when its version is no
    longer `version`, the one its writer read (None: the system's own write). `message` has
    `%(theirs)s` and `%(yours)s` for the two versions."""
    manager = type(record)._default_manager  # type: ignore[attr-defined]
    rows = manager.select_for_update(of=("self",))
    if related:  # select_related() without a name would join every non-null foreign key, recursively
        rows = rows.select_related(*related)
    fresh = rows.get(pk=record.pk)  # type: ignore[attr-defined]
    stale(fresh, version, str(message))
    return fresh

"""Uploaded files that no record names: what a process killed mid-request leaves behind.

An upload is written to MEDIA_ROOT under a random name before the transaction that records it
commits (the row needs the name). If the process dies in between, the database rolls the row
back and the file stays, named by nothing, seen by nobody. The worker's periodic work
(`uploads_tick`) deletes such files once they are older than `UNRECORDED_UPLOAD_SECONDS`
(an hour by default: far longer than any request, so that no upload still on its way to its
commit is touched). Only the folders ZoneDesk writes uploads to are looked at, at most once an
hour; only the old files found there are looked up in the database.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django_tasks import task

log = logging.getLogger(__name__)

# The folders of MEDIA_ROOT the models' `upload_to` write to (petitions/models.py,
# planning/models.py, sheets/models.py, directions/models.py: directions and their reports,
# promotion/models.py: a prospect's documents). Every file in them is named by a FileField.
UPLOAD_FOLDERS = ("petitions", "planning/decisions", "planning/imports", "sheets", "directions", "promotion")
SWEEP_EVERY_SECONDS = 3600


def _recorded(names: list[str]) -> set[str]:
    """Those of `names` that a FileField of some model holds (asked in batches, by name)."""
    fields = [
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField)
    ]
    found: set[str] = set()
    for start in range(0, len(names), 500):
        batch = names[start : start + 500]
        for model, field in fields:  # the base manager: no default filtering hides a record
            found.update(model._base_manager.filter(**{f"{field}__in": batch}).values_list(field, flat=True))
    return found


def sweep_unrecorded() -> list[str]:
    """Delete the uploaded files no record names, older than UNRECORDED_UPLOAD_SECONDS; their names."""
    root = Path(settings.MEDIA_ROOT)
    cutoff = time.time() - settings.UNRECORDED_UPLOAD_SECONDS
    candidates: dict[str, Path] = {}
    for folder in UPLOAD_FOLDERS:  # listed before the records are read: a file recorded meanwhile is kept
        base = root / folder
        if base.is_dir():
            for path in base.rglob("*"):
                try:
                    if path.is_file() and path.stat().st_mtime <= cutoff:
                        candidates[path.relative_to(root).as_posix()] = path
                except OSError:  # removed meanwhile (another worker)
                    continue
    if not candidates:
        return []
    recorded = _recorded(list(candidates))
    removed = []
    for name, path in candidates.items():
        if name in recorded:
            continue
        try:
            os.remove(path)
        except FileNotFoundError:
            continue
        removed.append(name)
        log.warning("removed %s: an upload no record names (its request did not commit)", name)
    return removed


@task()
def uploads_tick() -> dict:
    """The periodic work: delete the uploads that no record names (a request killed mid-write).
    The folders are walked at most once an hour (a key in the cache, shared by the workers when
    the cache is), not at every tick of the periodic work."""
    if not cache.add("zonedesk:uploads-sweep", True, timeout=SWEEP_EVERY_SECONDS):
        return {"removed": [], "swept": False}
    return {"removed": sweep_unrecorded(), "swept": True}

"""Uploaded files that no record names: what a process killed mid-request leaves behind.

An upload is written to MEDIA_ROOT under a random name before the transaction that records it
commits (the row needs the name). If the process dies in between, the database rolls the row
back and the file stays, named by nothing, seen by nobody. The worker's periodic work
(`uploads_tick`) deletes such files once they are older than `UNRECORDED_UPLOAD_SECONDS`
(an hour by default: far longer than any request, so that no upload still on its way to its
commit is touched). Only the folders ZoneDesk writes uploads to are looked at.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django_tasks import task

log = logging.getLogger(__name__)

# The folders of MEDIA_ROOT the models' `upload_to` write to (petitions/models.py,
# planning/models.py, sheets/models.py).
UPLOAD_FOLDERS = ("petitions", "planning/decisions", "planning/imports", "sheets")


def recorded_names() -> set[str]:
    """Every file name a FileField of any model holds."""
    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField) and not f.many_to_many and f.concrete:
                names.update(n for n in model._default_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True))
    return names


def sweep_unrecorded(*, older_than: dt.timedelta | None = None) -> list[str]:
    """Delete the uploaded files no record names and older than `older_than`; their names."""
    seconds = settings.UNRECORDED_UPLOAD_SECONDS if older_than is None else older_than.total_seconds()
    root = Path(settings.MEDIA_ROOT)
    cutoff = time.time() - seconds
    candidates = []
    for folder in UPLOAD_FOLDERS:  # listed before the records are read: a file recorded meanwhile is kept
        base = root / folder
        if base.is_dir():
            for path in base.rglob("*"):
                try:
                    if path.is_file() and path.stat().st_mtime <= cutoff:
                        candidates.append(path)
                except OSError:  # removed meanwhile (another worker)
                    continue
    if not candidates:
        return []
    recorded = recorded_names()
    removed = []
    for path in candidates:
        name = path.relative_to(root).as_posix()
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
    """The periodic work: delete the uploads that no record names (a request killed mid-write)."""
    return {"removed": sweep_unrecorded()}

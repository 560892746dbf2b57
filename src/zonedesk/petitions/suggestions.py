"""Suggestions for a new petition, learned from the petitions already routed (`suggest.Suggester`).

The model is fitted in memory from the database; every process keeps its own. It is refitted
only when the routing changes (a petition triaged, assigned, transferred or merged: the newest
event of each of these actions, four index lookups), not on every change of a petition.

Fitting takes about 2.7 ms per training petition (bench/suggest_accuracy.py measures it), so:
- it learns from the newest `MAX_TRAINING_ROWS` routed petitions only (years of a large park);
- once a model exists, a stale one keeps answering while a background thread of the same
  process fits the new one (a few seconds later the newest routings are in the suggestions);
  only the very first suggestion of a process waits for a fit. The setting
  `SUGGEST_REFIT_IN_BACKGROUND` (on) turns the thread off; no thread starts inside a transaction
  (it could not see the transaction's rows), so tests on a transaction fit inline.

Officers see the suggestion and accept or override it: nothing here writes a petition's
category or agency.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection

from zonedesk.petitions.models import Petition, PetitionEvent, Status
from zonedesk.petitions.suggest import Suggester, petition_text

log = logging.getLogger(__name__)

MAX_TRAINING_ROWS = 3_000
ROUTING_ACTIONS = ("triage", "assign", "transfer", "merge")

_lock = threading.Lock()  # guards _state
_fit_lock = threading.Lock()  # one fit at a time per process
# `generation` is raised by `forget`, so that a fit still running from before is never kept
_state: dict[str, Any] = {"key": None, "model": None, "refitting": False, "generation": 0}


def _routed():
    """Petitions an officer routed: the category they settled on and the agency that leads."""
    return Petition.objects.filter(lead_agency__isnull=False).exclude(status=Status.MERGED)


def routing_key() -> tuple:
    """Changes whenever what the model learns from may have changed: the newest routing event
    (ids only grow, so one id says it all; one query, walking the primary key backwards)."""
    newest = (
        PetitionEvent.objects.filter(action__in=ROUTING_ACTIONS).order_by("-id").values_list("id", flat=True).first()
    )
    return (connection.alias, connection.settings_dict.get("NAME"), _state["generation"], newest or 0)


def _fit() -> Suggester:
    rows = [
        (ref, petition_text(title, body), category, agency)
        for ref, title, body, category, agency in _routed()
        .order_by("-pk")
        .values_list("reference", "title", "body", "category", "lead_agency__code")[:MAX_TRAINING_ROWS]
    ]
    return Suggester().fit(rows)


def _fit_and_keep(key: tuple) -> Suggester:
    with _fit_lock:
        with _lock:
            if _state["key"] == key and _state["model"] is not None:
                return _state["model"]
        model = _fit()
        with _lock:
            if key[2] == _state["generation"]:
                _state["key"], _state["model"] = key, model
        return model


def _background(key: tuple) -> None:
    try:
        _fit_and_keep(key)
    except Exception:  # noqa: BLE001 - the stale model keeps answering; the next request retries
        log.exception("refitting the petition suggestions failed")
    finally:
        with _lock:
            _state["refitting"] = False
        close_old_connections()
        connection.close()


def suggester() -> Suggester:
    key = routing_key()
    with _lock:
        model, current = _state["model"], _state["key"]
        if model is not None and current == key:
            return model
        background = (
            model is not None
            and current is not None
            and current[:2] == key[:2]  # the same database: a stale model is still a fair answer
            and getattr(settings, "SUGGEST_REFIT_IN_BACKGROUND", True)
            and not connection.in_atomic_block  # a thread would not see this transaction's rows
        )
        if background:
            if not _state["refitting"]:
                _state["refitting"] = True
                threading.Thread(target=_background, args=(key,), name="suggest-refit", daemon=True).start()
            return model
    return _fit_and_keep(key)


def forget() -> None:
    """Drop the fitted model (tests, and after the demo data is rebuilt)."""
    with _lock:
        _state.update(key=None, model=None, generation=_state["generation"] + 1)


def suggest(*, title: str, body: str, exclude: str = "", k: int = 5) -> dict[str, Any]:
    return suggester().suggest(title, body, k=k, exclude=[exclude] if exclude else [])

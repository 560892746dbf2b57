"""Suggestions for a new petition, learned from the petitions already routed (`suggest.Suggester`).

The model is fitted in memory from the database and refitted when the routed petitions change
(a cheap count-and-latest check before each use); every process keeps its own. Officers see
the suggestion and accept or override it: nothing here writes a petition's category or agency.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max

from zonedesk.petitions.models import Petition, Status
from zonedesk.petitions.suggest import Suggester, petition_text

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "model": None}


def _routed():
    """Petitions an officer routed: the category they settled on and the agency that leads."""
    return Petition.objects.filter(lead_agency__isnull=False).exclude(status=Status.MERGED)


def suggester() -> Suggester:
    routed = _routed()
    key = tuple(routed.aggregate(n=Count("pk"), last=Max("pk"), v=Max("version")).values())
    with _lock:
        if _cache["key"] != key:
            rows = [
                (ref, petition_text(title, body), category, agency)
                for ref, title, body, category, agency in routed.values_list(
                    "reference", "title", "body", "category", "lead_agency__code"
                )
            ]
            _cache["model"] = Suggester().fit(rows)
            _cache["key"] = key
        return _cache["model"]


def suggest(*, title: str, body: str, exclude: str = "", k: int = 5) -> dict[str, Any]:
    return suggester().suggest(title, body, k=k, exclude=[exclude] if exclude else [])

"""The register of processing for the board (board officers and admins: core/access.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zonedesk.privacy import register


def register_page(request: HttpRequest) -> HttpResponse:
    """Every field that holds personal data, a table per model: whose, what kind, why, for how
    long and who reads it (`register.entries`)."""
    groups = register.entries()
    rows = [row for group in groups for row in group.rows]
    return render(
        request,
        "privacy/register.html",
        {
            "groups": groups,
            "fields": len(rows),
            "sensitive": sum(row.kind == "sensitive" for row in rows),
        },
    )

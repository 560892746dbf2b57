"""Cached JSON answers of the API: the rendered bytes of a result, under a generation.

An API figure that is read far more often than its data change (the dashboards' figures, the
public petition figures) is cached as the JSON the client receives, so a cached answer costs one
read of the generation and one of the cache: no query, no schema validation, no encoding. The
generation (`core.generations`) makes it right across app servers: never served after a write
that bumps it commits, nor past the moment its `build` says it holds until.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from zonedesk.core.generations import cached


def cached_json(name: str, key: str, build: Callable[[], tuple[Any, dt.datetime | None]]) -> HttpResponse:
    """A JSON response of what `build` returns (data, valid until or None), cached under `name`."""

    def render() -> tuple[bytes, dt.datetime | None]:
        data, until = build()
        return json.dumps(data, cls=DjangoJSONEncoder).encode(), until

    return HttpResponse(cached(name, key, render), content_type="application/json; charset=utf-8")

"""Cached JSON answers of the API: the rendered bytes of a result, under a generation.

An API figure that is read far more often than its data change (the dashboards' figures, the
public petition figures) is cached as the JSON the client receives, so a cached answer costs one
read of the generation and one of the cache: no query, no schema validation, no encoding. The
generation (`core.generations`) makes it right across app servers: never served after a write
that bumps it commits, nor past the moment its `build` says it holds until.

The gzip form is made once with the JSON and sent to clients that accept it (every browser and
HTTP library says so): the national petition figures are some 260 kB of JSON and 10 times less
compressed, and compressing them on every request would cost more than everything else. Only
that form is stored when there is one (issue 21): with the cache on a server (Redis, as in
production) every hit copies what is stored, and the plain JSON beside it was nine tenths of
it; the rare client that does not accept gzip gets it unpacked.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

from zonedesk.core.generations import cached

_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
SMALL = 1024  # bytes under which gzip saves less than it costs
CONTENT_TYPE = "application/json; charset=utf-8"


def compressed(body: bytes) -> tuple[bytes | None, bytes | None]:
    """What to store of a JSON answer: its gzip form alone (None, zipped), or the JSON alone
    (body, None) when it is too small to gain from gzip."""
    if len(body) < SMALL:
        return body, None
    return None, gzip.compress(body, compresslevel=6, mtime=0)


def json_response(request: HttpRequest, body: bytes | None, zipped: bytes | None) -> HttpResponse:
    """A stored JSON answer: compressed to a client that accepts gzip, plain to others."""
    if zipped is not None and _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(zipped, content_type=CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body if body is not None else gzip.decompress(zipped), content_type=CONTENT_TYPE)
    if zipped is not None:
        patch_vary_headers(response, ["Accept-Encoding"])
    return response


def cached_json(
    request: HttpRequest, name: str, key: str, build: Callable[[], tuple[Any, dt.datetime | None]]
) -> HttpResponse:
    """A JSON response of what `build` returns (data, valid until or None), cached under `name`."""

    def render() -> tuple[tuple[bytes, bytes | None], dt.datetime | None]:
        data, until = build()
        return compressed(json.dumps(data, cls=DjangoJSONEncoder, separators=(",", ":")).encode()), until

    return json_response(request, *cached(name, key, render, alias="answers"))

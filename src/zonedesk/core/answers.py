"""Cached answers of API lists: the JSON a page of a list was answered with, served again to the
same person asking the same thing while the data cannot have changed.

    @router.get("/projects", response=list[ProjectRow])
    @cached_answer(FIGURES_GENERATION)
    @paginate(Pages, values=PROJECT_ROW_VALUES)
    def projects(request, query: Query[ProjectQuery]): ...

The key is made of what the handler is given (its path, its query and pagination parameters as
ninja parsed them), the language, and who asks, reduced to what access decisions see
(`core.permissions.Actor`: every `visible_to` rule receives nothing else); the generation of the
data is read first and is part of the key, so an answer is never served after a write that bumps
it commits, on any app server. A hit costs one read of the generation and one of the cache: no
query of the list, no SQL to build, no validation, no encoding; the gzip form (made once, when
the answer is stored) goes to clients that accept it.

On a miss the handler runs as usual and ninja renders its answer; the API's renderer
(`AnswerRenderer`) then stores the rendered JSON, if and only if the answer is a 200 and nothing
said it holds the time: a page whose query compares with a moment (overdue petitions:
`core.pagination.holds_time` finds a datetime in it) calls `not_cacheable(request)`, and so does
anything else whose answer changes with time rather than with writes. Errors (401, 403, 422)
are never stored, so a refused request is refused again, not answered from the cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja.renderers import JSONRenderer
from pydantic import BaseModel

from zonedesk.core.generations import generation
from zonedesk.core.jsoncache import compressed, json_response
from zonedesk.core.permissions import actor_of

_ATTR = "_zonedesk_answer"


@dataclass
class _Pending:
    key: str
    cacheable: bool = True


def _plain(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value


def answer_key(request: HttpRequest, name: str, params: dict[str, Any], current: int) -> str:
    what = (request.path, get_language(), actor_of(request.user), sorted((k, _plain(v)) for k, v in params.items()))
    digest = hashlib.sha256(repr(what).encode()).hexdigest()[:40]  # holds what a visitor typed: hashed
    return f"answer:{name}:{digest}:{current}"


def cached_answer(name: str):
    """Serve the handler's rendered answer from the cache "answers" under the generation `name`,
    which every write of the data the answer shows must bump."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any):
            key = answer_key(request, name, kwargs, generation(name))  # the generation before the data
            hit = caches["answers"].get(key)
            if hit is not None:
                return json_response(request, *hit)
            setattr(request, _ATTR, _Pending(key))
            return view(request, **kwargs)

        return wrapper

    return decorator


def answer_pending(request: HttpRequest) -> bool:
    """Whether this request's answer is to be stored (`cached_answer` let it through)."""
    pending = getattr(request, _ATTR, None)
    return pending is not None and pending.cacheable


def not_cacheable(request: HttpRequest) -> None:
    """This request's answer depends on the current time: do not store it."""
    pending = getattr(request, _ATTR, None)
    if pending is not None:
        pending.cacheable = False


class AnswerRenderer(JSONRenderer):
    """ninja's JSON renderer, which also stores the answer of a request `cached_answer` let through."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        text = super().render(request, data, response_status=response_status)
        pending = getattr(request, _ATTR, None)
        if pending is not None and pending.cacheable and response_status == 200:
            setattr(request, _ATTR, None)  # once
            caches["answers"].set(pending.key, compressed(text.encode()), timeout=settings.FIGURES_CACHE_SECONDS)
        return text

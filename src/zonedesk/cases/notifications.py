"""Who is told of a case's steps, without the machinery knowing how. A case type registers, in
its AppConfig.ready, the function that tells the people concerned about a step of its cases
(`on_step`); `timeline.record` calls `emit` after writing each step. The app that keeps the
inbox registers `on_inbox` for notices about something other than a case (privacy tells the
administrators of an erasure request that way, without importing the inbox's app).

`muted()` silences both inside a block: for loading history (the demo, an import of past cases).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_muted = contextvars.ContextVar("zonedesk_notifications_muted", default=False)
_steps: dict[str, Callable[..., Any]] = {}
_inbox: list[Callable[..., int]] = []


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """No notification inside: for loading history (the demo, an import of past cases)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def on_step(model_label: str, hook: Callable[..., Any]) -> None:
    """`hook(case, action, **data)` tells the people concerned about a step of a case of the
    model `model_label` ("app.Model"); registering again replaces it."""
    _steps[model_label] = hook


def emit(case: Any, action: str, **data: Any) -> None:
    """Tell the hook of `case`'s type about a step (nothing when muted or none is registered)."""
    if _muted.get():
        return
    hook = _steps.get(case._meta.label)
    if hook is not None:
        hook(case, action, **data)


def on_inbox(hook: Callable[..., int]) -> None:
    """`hook(users=..., subject=..., body=..., link=...)` puts a notice in people's inbox (and
    queues its e-mail); one inbox, registered by the app that keeps it."""
    _inbox[:] = [hook]


def notify_users(*, users: Iterable[Any], subject: str, body: str, link: str = "") -> int:
    """A notice about something other than a case, in the inbox of `users`; how many were told."""
    if _muted.get() or not _inbox:
        return 0
    return _inbox[0](users=users, subject=subject, body=body, link=link)


__all__ = ["emit", "is_muted", "muted", "notify_users", "on_inbox", "on_step"]

"""What other apps are told of a dossier, without the one-stop desk knowing them: an app above
(promotion, which links a prospect to its dossier) registers, in its AppConfig.ready, callables
called inside the transaction of the step:

    hooks.on_dossier_filed(fn)      # fn(dossier, by=..., at=...)
    hooks.on_result_returned(fn)    # fn(dossier, written, by=..., at=...): `written` is what the
                                    # result changed in the registry (the project, an amendment)

A hook that fails fails the step (it is part of the same write)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_filed: list[Callable[..., Any]] = []
_returned: list[Callable[..., Any]] = []


def on_dossier_filed(hook: Callable[..., Any]) -> None:
    if hook not in _filed:
        _filed.append(hook)


def on_result_returned(hook: Callable[..., Any]) -> None:
    if hook not in _returned:
        _returned.append(hook)


def dossier_filed(dossier: Any, *, by: Any, at: Any) -> None:
    for hook in _filed:
        hook(dossier, by=by, at=at)


def result_returned(dossier: Any, written: Any, *, by: Any, at: Any) -> None:
    for hook in _returned:
        hook(dossier, written, by=by, at=at)


__all__ = ["dossier_filed", "on_dossier_filed", "on_result_returned", "result_returned"]

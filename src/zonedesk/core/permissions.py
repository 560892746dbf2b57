"""The one permission layer every app uses.

Two questions, answered here only:
- *What may this person do?* `has_capability(user, "report.file")`, from the role table
  `CAPABILITIES`. Views use `capability_required`, API handlers `require_capability`.
- *Which rows may this person see?* `Model.objects.restrict(user, action)`: each model's
  queryset says which rows a role may read or change, so a list can never show a row its
  detail page would refuse. `get_restricted_or_404` answers 404 (not 403) for rows the person
  must not know exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from zonedesk.core.models import Role

if TYPE_CHECKING:
    from collections.abc import Callable

BOARD_SIDE = frozenset({Role.BOARD, Role.LEADER, Role.ADMIN})

# capability -> roles that have it. The public (anonymous) has none of these.
CAPABILITIES: dict[str, frozenset[str]] = {
    "dashboard.view": BOARD_SIDE,
    "registry.edit": frozenset({Role.BOARD, Role.ADMIN}),
    "registry.view_private": BOARD_SIDE,
    "report.file": frozenset({Role.ENTERPRISE}),
    "report.view": BOARD_SIDE | {Role.ENTERPRISE},
    "report.view_all": BOARD_SIDE,
    "portal.view": frozenset({Role.ENTERPRISE}),
    "planning.edit": frozenset({Role.BOARD, Role.ADMIN}),
    "planning.view_private": BOARD_SIDE,
    "roadmap.edit": frozenset({Role.BOARD, Role.ADMIN}),
    "ecosystem.edit": frozenset({Role.BOARD, Role.ADMIN}),
    "privacy.edit": frozenset({Role.BOARD, Role.ADMIN}),
    "invest.edit": frozenset({Role.BOARD, Role.ADMIN}),  # the investor's site: incentives, park profiles, contacts
}


@dataclass(frozen=True)
class Actor:
    """Who is asking, reduced to what access decisions need."""

    user_id: int | None
    role: str | None  # None for the public
    enterprise_id: int | None = None
    agency_id: int | None = None

    @property
    def is_public(self) -> bool:
        return self.role is None

    @property
    def is_board_side(self) -> bool:
        return self.role in BOARD_SIDE


PUBLIC = Actor(user_id=None, role=None)


def actor_of(user: Any) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    return Actor(user_id=user.pk, role=user.role, enterprise_id=user.enterprise_id, agency_id=user.agency_id)


def has_capability(user: Any, capability: str) -> bool:
    roles = CAPABILITIES[capability]  # KeyError on a typo, never a silent "no"
    return actor_of(user).role in roles


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows who may see its rows. Subclasses define `visible_to`."""

    def visible_to(self, actor: Actor, action: str) -> RestrictedQuerySet:  # pragma: no cover
        raise NotImplementedError(f"{self.model.__name__} has no access rule")

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        return self.visible_to(actor_of(user), action)


def get_restricted_or_404(queryset: RestrictedQuerySet, user: Any, action: str = "view", **lookup: Any) -> Any:
    try:
        return queryset.restrict(user, action).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def capability_required(capability: str) -> Callable:
    """View decorator: the public is sent to log in, a logged-in person without it gets 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

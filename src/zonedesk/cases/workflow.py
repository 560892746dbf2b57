"""A case type's lifecycle as one declared table: which action moves a case from which states to
which, who may take it (roles the case type works out for a person), whether it needs a reason,
and what else an action needs beyond the state (guards, so that pages do not offer what would be
refused). Services ask `check` (or `move`); pages and the API ask `allowed` and `may_attempt`.

    REVIEW = Workflow(
        name="review",
        states=Status,                          # a TextChoices: the labels name states in messages
        transitions=[
            transition("accept", _("Accept"), {"received"}, "accepted", {"officer"}),
            transition("refuse", _("Refuse"), {"received"}, "refused", {"officer"}, needs_reason=True),
        ],
        roles=lambda case, user: {"officer"} if user.is_staff else set(),
        refused=_("A dossier that is “%(status)s” cannot be moved with “%(action)s”."),
        forbidden=_("You may not do this with this dossier."),
    )

The table is checked when it is declared (`ImproperlyConfigured`): every state an action names is
one of `states`, no action twice, no action without someone to take it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.errors import ServiceError, TransitionError

SYSTEM = "system"  # background work (no user): the role of `user=None`


@dataclass(frozen=True)
class Transition:
    action: str
    label: Any
    sources: frozenset[str]
    target: str
    who: frozenset[str]
    needs_reason: bool = False


def transition(
    action: str, label: Any, sources: Iterable[str], target: str, who: Iterable[str], needs_reason: bool = False
) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(who), needs_reason)


@dataclass(frozen=True)
class Move:
    """What `Workflow.move` did: the transition, the state the case left, the reason given."""

    transition: Transition
    from_state: str
    reason: str


def _always(case: Any) -> bool:
    return True


@dataclass
class Workflow:
    """One case type's table. `roles(case, user)` says what a person is to a case (a set of role
    names; `user=None` is always the system). `extra_roles` are roles costly to work out (a
    query), asked only by `may_attempt` when the action names them. `other_writes` are the case
    type's writes that are not transitions and who may make them (their services check the
    state). `guards` say what an action needs beyond the state (asked by `allowed` only: the
    services refuse with their own message)."""

    name: str
    states: Any  # a TextChoices class, or a mapping of state → label
    transitions: Iterable[Transition]
    roles: Callable[[Any, Any], set[str]]
    refused: Any = gettext_lazy("A case that is “%(status)s” cannot be moved with “%(action)s”.")
    forbidden: Any = gettext_lazy("You may not do this with this case.")
    extra_roles: Mapping[str, Callable[[Any, Any], bool]] = field(default_factory=dict)
    other_writes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    guards: Mapping[str, Callable[[Any], bool]] = field(default_factory=dict)
    state_field: str = "status"
    table: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        labels = self.labels()
        table: dict[str, Transition] = {}
        for t in self.transitions:
            if t.action in table or t.action in self.other_writes:
                raise ImproperlyConfigured(f"{self.name}: the action {t.action!r} is declared twice")
            unknown = (set(t.sources) | {t.target}) - set(labels)
            if unknown:
                raise ImproperlyConfigured(f"{self.name}: {t.action!r} names unknown states {sorted(unknown)}")
            if not t.who or not t.sources:
                raise ImproperlyConfigured(f"{self.name}: {t.action!r} has no source state or nobody to take it")
            table[t.action] = t
        unknown_guards = set(self.guards) - set(table)
        if unknown_guards:
            raise ImproperlyConfigured(f"{self.name}: guards of unknown actions {sorted(unknown_guards)}")
        self.table = table

    def labels(self) -> dict[str, Any]:
        if isinstance(self.states, Mapping):
            return dict(self.states)
        return dict(self.states.choices)

    def state_of(self, case: Any) -> str:
        return str(getattr(case, self.state_field))

    def roles_of(self, case: Any, user: Any) -> set[str]:
        """What the person is to this case; the system when no user."""
        if user is None:
            return {SYSTEM}
        return set(self.roles(case, user))

    def may_attempt(self, case: Any, action: str, user: Any) -> bool:
        """Whether the person is one who may take this action (a transition or another write) on
        the case at all, whatever its state: pages refuse (403) before reading a form otherwise."""
        who = self.table[action].who if action in self.table else self.other_writes.get(action, frozenset())
        roles = self.roles_of(case, user)
        for role, holds in self.extra_roles.items():
            if role in who and role not in roles and user is not None and holds(case, user):
                roles.add(role)
        return bool(roles & who)

    def check(self, case: Any, action: str, user: Any) -> Transition:
        """The transition, if this person may take it now; else PermissionDenied (not theirs to
        take) or TransitionError (not from this state), each with the message a person reads."""
        t = self.table.get(action)
        if t is None:
            raise TransitionError(_("Unknown action “%(action)s”.") % {"action": action})
        if not self.roles_of(case, user) & t.who:
            raise PermissionDenied(str(self.forbidden))
        state = self.state_of(case)
        if state not in t.sources:
            raise TransitionError(str(self.refused) % {"status": self.labels().get(state, state), "action": t.label})
        return t

    def allowed(self, case: Any, user: Any) -> list[Transition]:
        """The transitions this person may take now, in the table's order."""
        roles = self.roles_of(case, user)
        state = self.state_of(case)
        return [
            t
            for t in self.table.values()
            if state in t.sources and roles & t.who and self.guards.get(t.action, _always)(case)
        ]

    def reason_for(self, t: Transition, reason: str | None) -> str:
        """The reason given, trimmed; `ServiceError` on `reason` when the action needs one and
        none was given."""
        reason = (reason or "").strip()
        if t.needs_reason and not reason:
            raise ServiceError({"reason": _("Give the reason.")})
        return reason

    def move(self, case: Any, action: str, user: Any, reason: str = "") -> Move:
        """Check the action, require its reason (`ServiceError` on `reason`), and set the case's
        new state (not saved: the caller saves with its own fields and records the event)."""
        t = self.check(case, action, user)
        reason = self.reason_for(t, reason)
        from_state = self.state_of(case)
        setattr(case, self.state_field, t.target)
        return Move(t, from_state, reason)


__all__ = ["SYSTEM", "Move", "Transition", "TransitionError", "Workflow", "transition"]

"""The petition lifecycle, in one place: which action moves a petition from which statuses to
which, who may take it, and whether it needs a reason. Services ask `check_transition`; pages
and the API ask `allowed_actions` to offer only what would pass.

    submitted → triaged → assigned → in progress → answered → published → closed
    rejected (out of scope), merged (into a duplicate), transferred (back to the board for
    another agency), reopened (by the enterprise, within a set number of days after closing)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.errors import ConflictError  # noqa: F401 - one class for every app (the API answers 409)
from zonedesk.core.permissions import actor_of
from zonedesk.petitions.models import Petition, Status

BOARD = "board"  # board officers and admins
LEAD = "lead_agency"  # officers of the petition's lead agency
OWNER = "owner"  # users of the enterprise that raised it
SYSTEM = "system"  # background work (no user)


@dataclass(frozen=True)
class Transition:
    action: str
    label: Any
    sources: frozenset[str]
    target: str
    who: frozenset[str]
    needs_reason: bool = False


def _t(action, label, sources, target, who, needs_reason=False) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(who), needs_reason)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("triage", gettext_lazy("Triage"), {"submitted", "reopened"}, "triaged", {BOARD}),
        _t(
            "reject",
            gettext_lazy("Reject (out of scope)"),
            {"submitted", "triaged", "reopened"},
            "rejected",
            {BOARD},
            True,
        ),
        _t("merge", gettext_lazy("Merge into a duplicate"), {"submitted", "triaged", "reopened"}, "merged", {BOARD}),
        _t("assign", gettext_lazy("Assign to an agency"), {"triaged", "transferred"}, "assigned", {BOARD}),
        _t("start", gettext_lazy("Start handling"), {"assigned"}, "in_progress", {LEAD}),
        _t(
            "transfer",
            gettext_lazy("Transfer (outside our competence)"),
            {"assigned", "in_progress"},
            "transferred",
            {LEAD, BOARD},
            True,
        ),
        _t("answer", gettext_lazy("Approve the answer"), {"assigned", "in_progress"}, "answered", {BOARD}),
        _t("publish", gettext_lazy("Publish the answer"), {"answered"}, "published", {BOARD}),
        _t("close", gettext_lazy("Confirm and close"), {"answered", "published"}, "closed", {OWNER, SYSTEM}),
        _t("reopen", gettext_lazy("Reopen"), {"closed"}, "reopened", {OWNER}, True),
    )
}


class TransitionError(Exception):
    """An action the petition's current status does not allow (the API answers 409)."""


COORDINATING = "coordinating_agency"  # officers of an agency the petition is also routed to

# The petition's other writes and who may make them (their services check the same, with the
# petition's status).
OTHER_WRITES: dict[str, frozenset[str]] = {
    "write": frozenset({LEAD, COORDINATING}),
    "rate": frozenset({OWNER}),
    "pause": frozenset({BOARD, LEAD}),
    "resume": frozenset({BOARD, LEAD, OWNER}),
    "extend": frozenset({BOARD, LEAD}),
    "return": frozenset({BOARD}),
}


def may_attempt(petition: Petition, action: str, user: Any) -> bool:
    """Whether the person is one who may take this action on the petition at all, whatever its
    status: pages refuse (403) before reading a form otherwise."""
    who = TRANSITIONS[action].who if action in TRANSITIONS else OTHER_WRITES.get(action, frozenset())
    roles = roles_of(petition, user)
    if COORDINATING in who and getattr(user, "agency_id", None):
        if petition.coordinating_agencies.filter(pk=user.agency_id).exists():
            roles.add(COORDINATING)
    return bool(roles & who)


def roles_of(petition: Petition, user: Any) -> set[str]:
    """What the person is to this petition: board, lead agency, owner; the system when no user."""
    if user is None:
        return {SYSTEM}
    actor = actor_of(user)
    roles: set[str] = set()
    if actor.role in {"board", "admin"}:
        roles.add(BOARD)
    if actor.role == "agency" and petition.lead_agency_id and actor.agency_id == petition.lead_agency_id:
        roles.add(LEAD)
    if actor.role == "enterprise" and petition.enterprise_id and actor.enterprise_id == petition.enterprise_id:
        roles.add(OWNER)
    return roles


def check_transition(petition: Petition, action: str, user: Any) -> Transition:
    """The transition, if this person may take it now; else PermissionDenied or TransitionError."""
    from django.core.exceptions import PermissionDenied

    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("Unknown action “%(action)s”.") % {"action": action})
    if not roles_of(petition, user) & transition.who:
        raise PermissionDenied(_("You may not do this with this petition."))
    if petition.status not in transition.sources:
        raise TransitionError(
            _("A petition that is “%(status)s” cannot be moved with “%(action)s”.")
            % {"status": Status(petition.status).label, "action": transition.label}
        )
    return transition


# What an action needs beyond the status, so that pages do not offer what would be refused.
GUARDS: dict[str, Any] = {
    "answer": lambda p: p.answers.filter(is_contribution=False, state="submitted").exists(),
    "publish": lambda p: p.publish_allowed,
}


def allowed_actions(petition: Petition, user: Any) -> list[Transition]:
    roles = roles_of(petition, user)
    return [
        t
        for t in TRANSITIONS.values()
        if petition.status in t.sources and roles & t.who and GUARDS.get(t.action, lambda p: True)(petition)
    ]

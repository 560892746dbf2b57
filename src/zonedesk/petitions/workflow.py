"""The petition lifecycle, in one place: the petition's table on the case machinery
(`zonedesk.cases.workflow`): which action moves a petition from which statuses to which, who may
take it, and whether it needs a reason. Services ask `check_transition`; pages and the API ask
`allowed_actions` to offer only what would pass.

    submitted → triaged → assigned → in progress → answered → published → closed
    rejected (out of scope), merged (into a duplicate), transferred (back to the board for
    another agency), reopened (by the enterprise, within a set number of days after closing)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from zonedesk.cases.workflow import SYSTEM, Transition, Workflow, transition
from zonedesk.core.permissions import actor_of
from zonedesk.petitions.models import Petition, Status

BOARD = "board"  # board officers and admins
LEAD = "lead_agency"  # officers of the petition's lead agency
OWNER = "owner"  # users of the enterprise that raised it
COORDINATING = "coordinating_agency"  # officers of an agency the petition is also routed to


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


def _coordinates(petition: Petition, user: Any) -> bool:
    agency_id = getattr(user, "agency_id", None)
    return bool(agency_id) and petition.coordinating_agencies.filter(pk=agency_id).exists()


PETITION = Workflow(
    name="petition",
    states=Status,
    transitions=[
        transition("triage", gettext_lazy("Triage"), {"submitted", "reopened"}, "triaged", {BOARD}),
        transition(
            "reject",
            gettext_lazy("Reject (out of scope)"),
            {"submitted", "triaged", "reopened"},
            "rejected",
            {BOARD},
            True,
        ),
        transition(
            "merge", gettext_lazy("Merge into a duplicate"), {"submitted", "triaged", "reopened"}, "merged", {BOARD}
        ),
        transition("assign", gettext_lazy("Assign to an agency"), {"triaged", "transferred"}, "assigned", {BOARD}),
        transition("start", gettext_lazy("Start handling"), {"assigned"}, "in_progress", {LEAD}),
        transition(
            "transfer",
            gettext_lazy("Transfer (outside our competence)"),
            {"assigned", "in_progress"},
            "transferred",
            {LEAD, BOARD},
            True,
        ),
        transition("answer", gettext_lazy("Approve the answer"), {"assigned", "in_progress"}, "answered", {BOARD}),
        transition("publish", gettext_lazy("Publish the answer"), {"answered"}, "published", {BOARD}),
        transition("close", gettext_lazy("Confirm and close"), {"answered", "published"}, "closed", {OWNER, SYSTEM}),
        transition("reopen", gettext_lazy("Reopen"), {"closed"}, "reopened", {OWNER}, True),
    ],
    roles=roles_of,
    refused=gettext_lazy("A petition that is “%(status)s” cannot be moved with “%(action)s”."),
    forbidden=gettext_lazy("You may not do this with this petition."),
    extra_roles={COORDINATING: _coordinates},
    # the petition's other writes and who may make them (their services check the same, with
    # the petition's status)
    other_writes={
        "write": frozenset({LEAD, COORDINATING}),
        "rate": frozenset({OWNER}),
        "pause": frozenset({BOARD, LEAD}),
        "resume": frozenset({BOARD, LEAD, OWNER}),
        "extend": frozenset({BOARD, LEAD}),
        "return": frozenset({BOARD}),
    },
    # what an action needs beyond the status, so that pages do not offer what would be refused
    guards={
        "answer": lambda p: p.answers.filter(is_contribution=False, state="submitted").exists(),
        "publish": lambda p: p.publish_allowed,
    },
)

TRANSITIONS: dict[str, Transition] = PETITION.table
OTHER_WRITES = PETITION.other_writes
GUARDS = PETITION.guards


def may_attempt(petition: Petition, action: str, user: Any) -> bool:
    """Whether the person is one who may take this action on the petition at all, whatever its
    status: pages refuse (403) before reading a form otherwise."""
    return PETITION.may_attempt(petition, action, user)


def check_transition(petition: Petition, action: str, user: Any) -> Transition:
    """The transition, if this person may take it now; else PermissionDenied or TransitionError."""
    return PETITION.check(petition, action, user)


def allowed_actions(petition: Petition, user: Any) -> list[Transition]:
    return PETITION.allowed(petition, user)


__all__ = [
    "BOARD",
    "COORDINATING",
    "LEAD",
    "OWNER",
    "PETITION",
    "SYSTEM",
    "TRANSITIONS",
    "Transition",
    "allowed_actions",
    "check_transition",
    "may_attempt",
    "roles_of",
]

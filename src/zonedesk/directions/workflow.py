"""A task's lifecycle, in one table on the case machinery (`zonedesk.cases.workflow`).

    assigned ─report→ in progress ─report (done)→ reported ─accept→ done
                                                          └return→ returned ─report→ …

The lead unit's members report (`LEAD`: the officers of the lead agency, the users of the lead
enterprise, the members of the lead unit of the board); the board's officers and leaders accept
the work or return it with the reason (`BOARD`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from zonedesk.cases.workflow import Workflow, transition
from zonedesk.directions.models import Status, Task

LEAD = "lead"
BOARD = "board"


def is_lead_member(task: Task, user: Any) -> bool:
    """Whether the person belongs to the unit that leads the task (for one task; many tasks of one
    person: `selectors.lead_member_test`, the one definition)."""
    from zonedesk.directions.selectors import lead_member_test

    return lead_member_test(user)(task)


def roles_of(task: Task, user: Any) -> set[str]:
    roles: set[str] = set()
    if user.is_active and user.role in {"board", "leader"}:
        roles.add(BOARD)
    if is_lead_member(task, user):
        roles.add(LEAD)
    return roles


TASK = Workflow(
    name="task",
    states=Status,
    transitions=[
        transition("accept", gettext_lazy("Accept the work (the task is done)"), {"reported"}, "done", {BOARD}),
        transition(
            "return", gettext_lazy("Return for more work"), {"reported"}, "returned", {BOARD}, needs_reason=True
        ),
    ],
    roles=roles_of,
    refused=gettext_lazy("A task that is “%(status)s” cannot be moved with “%(action)s”."),
    forbidden=gettext_lazy("You may not do this with this task."),
    other_writes={"report": frozenset({LEAD})},
)

__all__ = ["BOARD", "LEAD", "TASK", "is_lead_member", "roles_of"]

"""A prospect's stages as one table (`cases.workflow`): the board's officers move it along; the
system alone marks a prospect whose dossier was filed or whose result was returned (it is a fact
of the one-stop desk, never typed); losing a prospect, and taking a lost one back, need a reason.
Leaders read the pipeline; an agency reads the prospects it was asked to help with."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from zonedesk.cases.workflow import SYSTEM, Workflow, transition
from zonedesk.core.permissions import actor_of
from zonedesk.promotion.models import OPEN_STAGES, Stage

OFFICER = "officer"


def roles_of(prospect: Any, user: Any) -> set[str]:
    if user is None:
        return {SYSTEM}
    return {OFFICER} if actor_of(user).role in {"board", "admin"} else set()


PROSPECT = Workflow(
    name="prospect",
    states=Stage,
    state_field="stage",
    transitions=[
        transition("qualify", gettext_lazy("Qualify"), {"enquiry"}, "qualified", {OFFICER}),
        transition("visit", gettext_lazy("Arrange a site visit"), {"qualified"}, "site_visit", {OFFICER}),
        transition("propose", gettext_lazy("Make a proposal"), {"qualified", "site_visit"}, "proposal", {OFFICER}),
        transition("decide", gettext_lazy("The investor is deciding"), {"proposal"}, "decision", {OFFICER}),
        transition(
            "file_dossier",
            gettext_lazy("Link the dossier filed"),
            {"proposal", "decision"},
            "dossier_filed",
            {OFFICER, SYSTEM},
        ),
        transition("license", gettext_lazy("Licensed"), {"dossier_filed"}, "licensed", {SYSTEM}),
        transition("aftercare", gettext_lazy("Hand over to aftercare"), {"licensed"}, "aftercare", {OFFICER}),
        transition("lose", gettext_lazy("Mark as lost"), set(OPEN_STAGES) - {"dossier_filed"}, "lost", {OFFICER}, True),
        transition("reopen", gettext_lazy("Take up again"), {"lost"}, "enquiry", {OFFICER}, True),
    ],
    roles=roles_of,
    refused=gettext_lazy("A prospect at “%(status)s” cannot be moved with “%(action)s”."),
    forbidden=gettext_lazy("You may not move this prospect."),
    other_writes={
        "edit": frozenset({OFFICER}),
        "contact": frozenset({OFFICER}),
        "document": frozenset({OFFICER}),
        "reserve": frozenset({OFFICER}),
    },
)

__all__ = ["OFFICER", "PROSPECT", "roles_of"]

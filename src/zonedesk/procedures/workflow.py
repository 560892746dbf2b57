"""A dossier's lifecycle, in one table on the case machinery (`zonedesk.cases.workflow`).

    filed ─receive→ received ─forward→ processing ─forward→ … ─sign→ processed ─return→ returned
                    (fees_due until the fee is paid, when the procedure has one)
    supplement requested (from filed, received or processing; back where it was once answered)
    refused (a reason), withdrawn by the enterprise (a reason), stopped by the leadership (a reason)

Who acts is worked out from the dossier: the enterprise that filed it (`OWNER`); the members of
the unit that holds it now (`HOLDER`: the desk at receipt and at the return of the result, the
specialist division, the head's review, the leadership's signature); the head of that unit
(`HEAD`: an apology, a refusal after receipt); any member of the board's leadership (`LEADERSHIP`:
stopping the processing).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from zonedesk.cases.workflow import SYSTEM, Workflow, transition
from zonedesk.core.permissions import actor_of
from zonedesk.procedures.models import Dossier, Status, Unit, UnitMember

OWNER = "owner"
HOLDER = "holder"
HEAD = "head"
LEADERSHIP = "leadership"
REFUSER = "refuser"  # the desk before receipt; the head of the holding unit or the leadership after


def roles_of(dossier: Dossier, user: Any) -> set[str]:
    if user is None:
        return {SYSTEM}
    actor = actor_of(user)
    roles: set[str] = set()
    if actor.role == "enterprise" and actor.enterprise_id == dossier.enterprise_id:
        roles.add(OWNER)
    if actor.role not in {"board", "leader"}:
        return roles
    memberships = {
        (m.unit_id, m.is_head, m.unit.kind) for m in UnitMember.objects.filter(user=user).select_related("unit")
    }
    head_step = None
    for unit_id, is_head, kind in memberships:
        if kind == Unit.Kind.LEADERSHIP:
            roles.add(LEADERSHIP)
        if unit_id == dossier.unit_id:
            if is_head:
                roles |= {HOLDER, HEAD}
                continue
            if head_step is None:  # a review step is the head's alone
                head_step = dossier.procedure_version.steps.filter(order=dossier.step, kind="head").exists()
            if not head_step:
                roles.add(HOLDER)
    if (HOLDER in roles and dossier.status == Status.FILED) or HEAD in roles or LEADERSHIP in roles:
        roles.add(REFUSER)
    return roles


def _at_last_step(dossier: Dossier) -> bool:
    return dossier.step >= dossier.procedure_version.steps.count()


DOSSIER = Workflow(
    name="dossier",
    states=Status,
    transitions=[
        transition("receive", gettext_lazy("Receive (the dossier is complete)"), {"filed"}, "received", {HOLDER}),
        transition("pay", gettext_lazy("Record the fee as paid"), {"fees_due"}, "received", {HOLDER}),
        transition(
            "request_supplement",
            gettext_lazy("Request a supplement"),
            {"filed", "received", "processing"},
            "supplement",
            {HOLDER},
        ),
        # back to where the request found it (filed, received or processing: the service)
        transition("supplement", gettext_lazy("Send the supplement"), {"supplement"}, "received", {OWNER}),
        transition(
            "forward", gettext_lazy("Send to the next step"), {"received", "processing"}, "processing", {HOLDER}
        ),
        transition(
            "send_back", gettext_lazy("Send back to the step before"), {"processing"}, "processing", {HOLDER}, True
        ),
        transition("sign", gettext_lazy("Sign the result"), {"processing"}, "processed", {HOLDER}),
        transition("return_result", gettext_lazy("Return the result"), {"processed"}, "returned", {HOLDER}),
        transition(
            "refuse",
            gettext_lazy("Refuse (with the reasons)"),
            {"filed", "received", "processing"},
            "refused",
            {REFUSER},
            True,
        ),
        transition(
            "withdraw",
            gettext_lazy("Withdraw the dossier"),
            {"filed", "received", "supplement", "fees_due", "processing"},
            "withdrawn",
            {OWNER},
            True,
        ),
        transition(
            "stop",
            gettext_lazy("Stop the processing"),
            {"received", "supplement", "fees_due", "processing"},
            "stopped",
            {LEADERSHIP},
            True,
        ),
    ],
    roles=roles_of,
    refused=gettext_lazy("A dossier that is “%(status)s” cannot be moved with “%(action)s”."),
    forbidden=gettext_lazy("You may not do this with this dossier."),
    other_writes={
        "apologise": frozenset({HEAD, LEADERSHIP}),
        "rate": frozenset({OWNER}),
    },
    guards={
        "forward": lambda d: not _at_last_step(d),
        "sign": _at_last_step,
    },
)

__all__ = ["DOSSIER", "HEAD", "HOLDER", "LEADERSHIP", "OWNER", "REFUSER", "roles_of"]

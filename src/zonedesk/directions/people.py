"""Who a task concerns: the people of its lead unit, the head of it, the board's leaders."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zonedesk.core.models import User


def lead_people(task: Any):
    """The active people of the task's lead unit."""
    users = User.objects.filter(is_active=True)
    if task.lead_agency_id:
        return users.filter(role="agency", agency_id=task.lead_agency_id)
    if task.lead_enterprise_id:
        return users.filter(role="enterprise", enterprise_id=task.lead_enterprise_id)
    return users.filter(unit_memberships__unit_id=task.lead_unit_id).distinct()


def lead_heads(task: Any):
    """Who answers for the lead unit: the head of a board unit (its members when none is marked
    head), the officers of an agency (no head is recorded for an agency: all of them), an
    enterprise's users."""
    if task.lead_unit_id:
        heads = User.objects.filter(
            is_active=True, unit_memberships__unit_id=task.lead_unit_id, unit_memberships__is_head=True
        )
        if heads.exists():
            return heads.distinct()
    return lead_people(task)


def board_leaders():
    """The board's leaders: the people with the leader's role and the members of the leadership unit."""
    return User.objects.filter(
        Q(role="leader") | Q(unit_memberships__unit__kind="leadership", role__in=["board", "leader"]), is_active=True
    ).distinct()


__all__ = ["board_leaders", "lead_heads", "lead_people"]

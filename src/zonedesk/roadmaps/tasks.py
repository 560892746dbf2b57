"""Background work of the roadmaps (run by `zonedesk worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def roadmaps_tick() -> dict:
    """The periodic work: tell the responsible party of each milestone that has become late."""
    from zonedesk.roadmaps.services import milestones_notify_overdue

    return {"late_milestones_notified": milestones_notify_overdue()}

"""Background work of the follow-up of directions (run by `zonedesk worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def directions_tick() -> dict:
    """The periodic work: remind the lead units before their deadlines and of missing reports,
    escalate overdue tasks (each reminder once: `services.tasks_remind`)."""
    from zonedesk.directions.services import tasks_remind

    return tasks_remind()

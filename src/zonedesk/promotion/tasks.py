"""Background work of the promotion pipeline (run by `zonedesk worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def promotion_tick() -> int:
    """The periodic work: tell account managers of next steps now overdue (once each)."""
    from zonedesk.promotion.services import next_steps_remind

    return next_steps_remind()

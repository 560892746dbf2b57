"""The demo's directions: the conclusions of a 2024 and of this year's dialogue conference, a
leader's instruction and a memorandum, with tasks in every state and figures that add up."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zonedesk.directions import figures
from zonedesk.directions.models import Direction, DirectionKind, Task

pytestmark = pytest.mark.django_db


def test_the_demo_has_conference_conclusions_and_tasks_in_every_state(demo_everything):
    conclusions = Direction.objects.filter(kind=DirectionKind.CONFERENCE)
    assert {d.conference.starts_at.year for d in conclusions} >= {2024}
    assert all(d.published for d in conclusions)
    assert Direction.objects.filter(kind=DirectionKind.INSTRUCTION).exists()
    assert Direction.objects.filter(kind=DirectionKind.MEMORANDUM).exists()
    states = set(Task.objects.values_list("status", flat=True))
    assert states == {"assigned", "in_progress", "reported", "done", "returned"}
    today = timezone.localdate()
    assert Task.objects.filter(status="done", on_time=True).exists()
    assert Task.objects.filter(status="done", on_time=False).exists()
    assert any(t.is_overdue(today) for t in Task.objects.all())
    assert Task.objects.filter(deadline__isnull=True).exists()  # a regular task
    # the 2024 conclusions answer petitions tabled at their conference
    from zonedesk.directions.models import TaskLink

    linked = TaskLink.objects.filter(kind="petition", task__direction__conference__starts_at__year=2024)
    assert linked.exists()
    tabled = linked.first().task.direction.conference.tablings.values_list("petition__reference", flat=True)
    assert set(linked.values_list("target", flat=True)) <= set(tabled)
    whole = figures.compute(year=None)["whole"]
    assert whole["set"] == Task.objects.count()
    assert whole["done_on_time"] + whole["done_late"] + whole["overdue"] + whole["in_progress"] == whole["set"]

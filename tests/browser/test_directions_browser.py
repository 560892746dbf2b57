"""A direction through its follow-up, in a real browser: a leader issues a direction with three
tasks, the lead agency reports progress on its own page, one task goes overdue and the reminder
job (run for today) reminds and escalates it to the leaders, and the follow-up figures show it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_petitions_browser import _logout, _submit, _success
from tests.conftest import PASSWORD
from zonedesk.directions import services
from zonedesk.directions.models import Direction, Status
from zonedesk.petitions.models import Notification
from zonedesk.procedures.models import Unit, UnitMember

pytestmark = pytest.mark.browser


def test_a_leader_issues_three_tasks_a_unit_reports_one_goes_overdue_and_the_figures_show_it(
    visit, agency, agency_user, enterprise_user, board_user, leader_user
):
    unit = Unit.objects.create(code="QLDT", kind=Unit.Kind.DIVISION, name_vi="Phòng Quản lý Đầu tư")
    UnitMember.objects.create(unit=unit, user=board_user, is_head=True)
    page = visit.page
    today = timezone.localdate()

    # 1. The leader issues a direction with three tasks; the third's deadline has already passed.
    visit.login(leader_user.username, PASSWORD, "/directions/new/")
    page.select_option("#id_kind", "notice")
    page.fill("#id_number", "45/TB-BQL")
    page.fill("#id_date", (today - dt.timedelta(days=40)).isoformat())
    page.fill("#id_title_vi", "Thông báo kết luận của Trưởng ban về tháo gỡ vướng mắc")
    rows = [
        ("Hướng dẫn hoàn thuế cho dự án mới", f"agency:{agency.pk}", today + dt.timedelta(days=20)),
        ("Rà soát hồ sơ điều chỉnh dự án", f"unit:{unit.pk}", None),
        (
            "Báo cáo tiến độ xây dựng nhà xưởng",
            f"enterprise:{enterprise_user.enterprise_id}",
            today - dt.timedelta(days=14),
        ),
    ]
    for i, (content, lead, deadline) in enumerate(rows, start=1):
        page.fill(f"#id_task_{i}_content", content)
        page.select_option(f"#id_task_{i}_lead", lead)
        if deadline:
            page.fill(f"#id_task_{i}_deadline", deadline.isoformat())
    visit.shot("directions-new-1366")
    _submit(page, "form.direction-form button[type=submit]")
    _success(page)
    expect(page.locator("#direction-tasks tbody tr[data-task]")).to_have_count(3)
    direction = Direction.objects.get()
    _logout(visit)

    # 2. The lead agency sees its own task only, and reports progress.
    visit.login(agency_user.username, PASSWORD, "/tasks/mine/")
    expect(page.locator("section[data-task]")).to_have_count(1)
    page.fill("section[data-task] textarea[name=text]", "Đã làm việc với doanh nghiệp, hướng dẫn hồ sơ")
    page.fill("section[data-task] input[name=percent]", "40")
    _submit(page, "section[data-task] form.report-form button[type=submit]")
    _success(page)
    expect(page.locator("section[data-task]")).to_have_attribute("data-status", "in_progress")
    page.set_viewport_size({"width": 390, "height": 844})
    visit.shot("directions-mine-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    _logout(visit)

    # the enterprise sees its own task (the overdue one) on its page, not the agency's
    visit.login(enterprise_user.username, PASSWORD, "/tasks/mine/")
    expect(page.locator("section[data-task]")).to_have_count(1)
    expect(page.locator("section[data-task] [data-overdue]")).to_be_visible()
    visit.shot("directions-mine-enterprise-1366")
    _logout(visit)

    # 3. The reminder job of today: the overdue task goes to its enterprise, then the leaders.
    sent = services.tasks_remind(today=today)
    assert sent["escalated"] == 2
    assert services.tasks_remind(today=today)["escalated"] == 0  # once per level
    overdue = direction.tasks.get(number=3)
    assert Notification.objects.filter(user=enterprise_user, link__contains=f"#task-{overdue.pk}").exists()
    assert Notification.objects.filter(user=leader_user, link__contains=f"#task-{overdue.pk}").exists()

    # 4. The leader's follow-up shows it overdue, and the agency's in progress.
    visit.login(leader_user.username, PASSWORD, f"/directions/follow-up/?year={direction.date.year}")
    expect(page.locator("#figures-whole [data-figure=set]")).to_have_text("3")
    expect(page.locator("#figures-whole [data-figure=overdue]")).to_have_text("1")
    expect(
        page.locator(f"#unit-ranking tr[data-unit='enterprise:{enterprise_user.enterprise_id}'] td").nth(5)
    ).to_have_text("1")
    expect(page.locator("canvas[data-chart=chart-task-units]")).to_be_visible()
    visit.shot("directions-followup-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    visit.shot("directions-followup-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(visit.url(f"/directions/{direction.pk}/"))
    expect(page.locator(f"#task-{overdue.pk} [data-overdue]")).to_be_visible()
    assert direction.tasks.get(number=1).status == Status.IN_PROGRESS
    visit.shot("directions-detail-leader-1366")

    # 5. The leader publishes it; the public reads it, its tasks and how far each has come.
    _submit(page, "form.publish-form button[type=submit]")
    _success(page)
    _logout(visit)
    visit.goto("/directions/")
    expect(page.locator(f"#direction-list tr[data-direction='{direction.pk}']")).to_be_visible()
    visit.shot("directions-list-public-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    visit.shot("directions-list-public-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    visit.goto(f"/directions/{direction.pk}/")
    expect(page.locator("#direction-tasks tbody tr[data-task]")).to_have_count(3)
    expect(page.locator("form.publish-form")).to_have_count(0)
    expect(page.get_by_text("Đã làm việc với doanh nghiệp")).to_have_count(0)  # no report to the public
    visit.shot("directions-public-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    visit.shot("directions-public-390")
    assert not visit.errors, visit.errors
    assert not visit.foreign_requests()

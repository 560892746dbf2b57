"""Site clearance in a real browser: a board officer records the progress of a package and the
zone's chart moves; the timeline is drawn without any script or outside request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from zonedesk.core.models import Agency
from zonedesk.roadmaps import services
from zonedesk.roadmaps.models import OwnerKind, RoadmapKind

pytestmark = pytest.mark.browser

CHART_DATA = """(id) => {
  const chart = window.Chart && window.Chart.getChart(document.querySelector(`canvas[data-chart="${id}"]`));
  return chart ? chart.data.datasets[0].data : null;
}"""


def test_board_records_clearance_progress_and_the_zone_chart_moves(visit, board_user, zone):
    today = timezone.localdate()
    commune = Agency.objects.create(code="UBND-HOALAC", kind=Agency.Kind.COMMUNE, name_vi="UBND xã Hòa Lạc")
    roadmap = services.roadmap_create(
        by=board_user,
        zone=zone,
        kind=RoadmapKind.CLEARANCE,
        title_vi="Lộ trình giải phóng mặt bằng xã Hòa Lạc",
        owner_kind=OwnerKind.COMMUNE,
        owner_agency=commune,
        key_task=True,
    )
    package = services.package_create(
        by=board_user,
        roadmap=roadmap,
        code="GPMB-01",
        title="Gói 1: khu nghiên cứu",
        responsible_name="UBND xã Hòa Lạc",
        planned_start=today - dt.timedelta(days=120),
        planned_end=today + dt.timedelta(days=120),
        area_to_clear_m2=Decimal("40000"),
        households_affected=20,
        compensation_approved_vnd=50_000_000_000,
    )
    services.package_record(
        by=board_user,
        package=package,
        on=today - dt.timedelta(days=60),
        area_handed_over_m2=Decimal("8000"),
        households_agreed=5,
        compensation_paid_vnd=10_000_000_000,
    )

    visit.login(board_user.username, PASSWORD, next_path=f"/roadmaps/zone/{zone.code}/")
    page = visit.page
    expect(page.locator('[data-figure="area"]')).to_contain_text("0,8")  # ha
    page.wait_for_function("() => window.Chart && window.Chart.getChart(document.querySelector('canvas'))")
    assert page.evaluate(CHART_DATA, "zone-area") == [0.8]
    assert page.evaluate(CHART_DATA, "zone-households") == [5]

    page.click(f"a[href='/roadmaps/{roadmap.pk}/']")
    expect(page.locator("table.gantt rect.gantt-planned")).to_have_count(1)
    page.click(f"a[href='/roadmaps/packages/{package.pk}/record/']")
    page.fill("#id_on", today.isoformat())
    page.fill("#id_area_handed_over_m2", "26000")
    page.fill("#id_households_agreed", "14")
    page.fill("#id_compensation_paid_vnd", "32000000000")
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("GPMB-01")
    expect(page.locator('[data-figure="progress"]')).to_contain_text("65%")

    # an impossible figure is refused beside its field, and nothing moves
    page.click(f"a[href='/roadmaps/packages/{package.pk}/record/']")
    page.fill("#id_area_handed_over_m2", "50000")
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator(".field.has-error")).to_contain_text("40.000")

    visit.goto(f"/roadmaps/zone/{zone.code}/")
    page.wait_for_function("() => window.Chart && window.Chart.getChart(document.querySelector('canvas'))")
    assert page.evaluate(CHART_DATA, "zone-area") == [0.8, 2.6]
    assert page.evaluate(CHART_DATA, "zone-households") == [5, 14]
    expect(page.locator('[data-figure="households"]')).to_contain_text("14")
    visit.shot("roadmaps-zone")
    assert visit.errors == [] and visit.foreign_requests() == []

"""The board's periodic report (issue 7): its numbers are the dashboard's selectors', in the
page and in the workbook (with its charts), for one zone or all; who may see it; bad input."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.test_petition_pages import answered
from zonedesk.core.numbers import bn
from zonedesk.ecosystem.selectors import scorecard
from zonedesk.investment import selectors
from zonedesk.investment import services as registry
from zonedesk.petitions import services as petitions
from zonedesk.petitions.selectors import petition_figures
from zonedesk.roadmaps import services as roadmaps
from zonedesk.roadmaps.models import OwnerKind, RoadmapKind
from zonedesk.roadmaps.selectors import clearance_totals

YEAR = timezone.localdate().year - 1  # a year that is over


@pytest.fixture
def data(zone, other_zone, project, other_project, make_project, board_user, agency, agency_user, enterprise_user):
    """Two years of a zone: projects registered, amended and terminated, yearly reports, a
    petition answered, a site-clearance package."""
    fresh = make_project(zone=zone, certificate_date=dt.date(YEAR, 4, 1), capital=30_000_000_000)
    registry.project_amend(
        project=project, date=dt.date(YEAR, 6, 1), summary="Tăng vốn", capital_change_vnd=20_000_000_000, by=board_user
    )
    gone = make_project(zone=zone, certificate_date=dt.date(YEAR - 3, 1, 1))
    registry.project_change_status(
        project=gone,
        to_status="terminated",
        reason="Không triển khai",
        by=board_user,
        effective_date=dt.date(YEAR, 9, 1),
    )
    for year, revenue, workers in ((YEAR - 1, 8_000_000_000, 90), (YEAR, 10_000_000_000, 120)):
        for p, share in ((project, 1), (fresh, 2)):
            if p.certificate_date.year > year:
                continue
            registry.report_submit(
                project=p,
                by=board_user,
                period_kind="year",
                year=year,
                quarter=0,
                figures={
                    "revenue_vnd": revenue * share,
                    "export_vnd": revenue // 2,
                    "workers_total": workers,
                    "workers_degree": workers // 3,
                    "taxes_paid_vnd": revenue // 10,
                },
            )
    p = petitions.petition_submit(
        zone=zone,
        title="Chậm đấu nối điện",
        body="Doanh nghiệp chờ đấu nối điện cho nhà xưởng.",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
        received_at=dt.datetime(YEAR, 10, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    )
    answered(p, board_user, agency, agency_user)
    roadmap = roadmaps.roadmap_create(
        by=board_user, zone=zone, kind=RoadmapKind.CLEARANCE, title_vi="GPMB Hòa Lạc", owner_kind=OwnerKind.BOARD
    )
    today = timezone.localdate()
    package = roadmaps.package_create(
        by=board_user,
        roadmap=roadmap,
        code="GPMB-01",
        title="Gói 1",
        responsible_name="UBND xã",
        planned_start=today - dt.timedelta(days=100),
        planned_end=today + dt.timedelta(days=100),
        area_to_clear_m2=Decimal("40000"),
        households_affected=20,
        compensation_approved_vnd=50_000_000_000,
    )
    roadmaps.package_record(
        by=board_user,
        package=package,
        on=today - dt.timedelta(days=10),
        area_handed_over_m2=Decimal("10000"),
        households_agreed=5,
        compensation_paid_vnd=10_000_000_000,
    )
    return {"fresh": fresh, "gone": gone}


def _client(username):
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def _rows(sheet):
    return {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_workbook_holds_the_dashboards_numbers_and_its_charts(data, zone, board_user):
    response = _client("bql1").get("/reports/board/", {"zone": "HHTP", "year": YEAR, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(response.content))
    now, before = selectors.zone_figures(zone=zone, year=YEAR), selectors.zone_figures(zone=zone, year=YEAR - 1)
    cover, attraction, results, behind, petition_sheet, clearance, ecosystem = book.worksheets
    assert cover["B3"].value == zone.name and cover["B4"].value == YEAR

    rows = _rows(results)
    assert rows["Doanh thu"][:2] == (now["revenue_vnd"], before["revenue_vnd"]) == (30_000_000_000, 8_000_000_000)
    assert rows["Lao động"][:2] == (now["workers"], before["workers"]) == (240, 90)
    assert rows["Nộp ngân sách"][:2] == (now["taxes_paid_vnd"], before["taxes_paid_vnd"])
    assert rows["Doanh thu"][2] == pytest.approx(275.0)  # +275% against last year

    rows = _rows(attraction)
    by_year = {r["year"]: r for r in selectors.capital_by_year(zone=zone, until=YEAR)}
    assert rows["Dự án cấp mới"][0] == by_year[YEAR]["projects"] == 1
    assert rows["Vốn đăng ký của dự án cấp mới"][0] == by_year[YEAR]["capital_vnd"] == 30_000_000_000
    assert rows["Vốn tăng do điều chỉnh"][0] == 20_000_000_000
    assert rows["Dự án chấm dứt hoạt động"][0] == 1
    assert rows["Vốn của dự án chấm dứt"][0] == data["gone"].registered_capital_vnd

    figures = petition_figures(zone=zone, year=YEAR)
    rows = _rows(petition_sheet)
    assert (
        rows["Tất cả cơ quan"][:3]
        == (figures["received"], figures["resolved"], figures["resolved_on_time"])
        == (1, 1, 0)
    )
    assert rows["Thuế TP Hà Nội"][:2] == (1, 1)  # the agency that answered

    totals = clearance_totals(user=board_user, zone=zone)
    row = _rows(clearance)[zone.name]
    assert row[:2] == (totals.packages, totals.handed_over) == (1, 0)
    assert (Decimal(str(row[2])), Decimal(str(row[3])), row[4]) == (
        totals.area_to_clear_m2,
        totals.area_handed_over_m2,
        25,
    )
    assert row[8] == totals.compensation_paid_vnd == 10_000_000_000

    card = scorecard(zone=zone, year=YEAR)
    overall = _rows(ecosystem)["Điểm chung"][0]
    assert overall == (None if card["overall"] is None else float(card["overall"]))
    assert len(_rows(ecosystem)) == 8  # seven conditions and the overall score

    with zipfile.ZipFile(io.BytesIO(response.content)) as z:  # openpyxl drops charts on reading
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 5


def test_the_page_shows_the_same_numbers_as_the_dashboard(data, zone):
    client = _client("bql1")
    page = client.get("/reports/board/", {"zone": "HHTP", "year": YEAR}).content.decode()
    dashboard = client.get("/dashboard/", {"zone": "HHTP", "year": YEAR}).content.decode()
    now = selectors.zone_figures(zone=zone, year=YEAR)
    revenue = str(bn(now["revenue_vnd"]))  # "30", in billion VND
    assert '<tr data-key="revenue_vnd"><th scope="row">Doanh thu' in page
    assert f'<td class="num">{revenue}</td>' in page.split('data-key="revenue_vnd"')[1].split("</tr>")[0]
    assert revenue in dashboard
    assert "Báo cáo định kỳ của Ban Quản lý" in page and 'data-chart="results"' in page
    assert data["gone"].code not in page  # a terminated project is not behind schedule


def test_all_zones_add_up_and_each_zone_has_its_scorecard(data, zone, other_zone):
    response = _client("bql1").get("/reports/board/", {"year": YEAR, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    everything = selectors.zone_figures(zone=None, year=YEAR)
    assert _rows(book.worksheets[2])["Doanh thu"][0] == everything["revenue_vnd"]
    assert [c.value for c in book.worksheets[6][1]][1:] == sorted([zone.code, other_zone.code])
    assert book.worksheets[0]["B3"].value == "Tất cả các khu"


def test_only_the_board_side_sees_the_report_and_bad_input_is_told(data, enterprise_user, leader_user):
    assert Client().get("/reports/board/").status_code == 302
    assert _client("dn1").get("/reports/board/").status_code == 403
    assert _client("ld1").get("/reports/board/", {"year": YEAR}).status_code == 200
    board = _client("bql1")
    response = board.get("/reports/board/", {"year": "hai nghìn"})
    assert response.status_code == 400 and "Nhập năm bằng bốn chữ số." in response.content.decode()
    response = board.get("/reports/board/", {"zone": "KHONGCO", "year": YEAR})
    assert response.status_code == 400 and "KHONGCO" in response.content.decode()
    assert board.get("/reports/board/", {"zone": "hhtp", "year": YEAR}).status_code == 200  # any case


def test_a_year_under_way_is_set_beside_the_same_days_of_last_year(zone, project, make_project, board_user):
    from zonedesk.reporting.selectors import board_report

    today = dt.date(YEAR + 1, 6, 30)  # mid-year
    make_project(zone=zone, certificate_date=dt.date(YEAR, 3, 1))  # last year, before 30 June
    make_project(zone=zone, certificate_date=dt.date(YEAR, 10, 1))  # last year, after 30 June
    report = board_report(user=board_user, zone=zone, year=YEAR + 1, today=today)
    attraction = {r["key"]: r for r in report["attraction"]}
    assert attraction["new_projects"]["before"] == 1  # January to June of last year only
    assert all(r["change_pct"] is None for r in report["results"])  # no change against a whole year
    assert not report["complete"]
    done = board_report(user=board_user, zone=zone, year=YEAR, today=today)
    assert done["complete"] and {r["key"]: r for r in done["attraction"]}["new_projects"]["now"] == 2

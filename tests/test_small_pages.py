"""Smaller things a first-time user met (issue 22, item 10): a roadmap's status agrees with its
progress, open datasets say how many rows and how large each download is, and the dialogue
conferences have a month calendar."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.test_dialogue import HANOI
from zonedesk.dialogue import services as dialogue
from zonedesk.roadmaps import services as roadmaps
from zonedesk.roadmaps.models import OwnerKind, RoadmapKind

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TODAY_IS_TODAY = True  # read again as each test starts (tests/conftest.py)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


# --- a roadmap's status and its percentage agree --------------------------------------------


def _row(html: str, title: str) -> str:
    start = html.index(title)
    return html[start : html.index("</tr>", start)]


def test_a_roadmap_under_way_is_not_shown_as_not_started(client, zone, board_user):
    roadmap = roadmaps.roadmap_create(
        by=board_user,
        zone=zone,
        kind=RoadmapKind.TASK,
        title_vi="Hạ tầng giai đoạn 2",
        owner_kind=OwnerKind.COMMITTEE,
        owner_name="Ban Chỉ đạo",
    )
    done = roadmaps.milestone_add(
        by=board_user,
        roadmap=roadmap,
        title="Khảo sát",
        responsible_name="Ban",
        planned_start=days(-120),
        planned_end=days(-20),
    )
    roadmaps.milestone_progress(
        by=board_user, milestone=done, progress_pct=100, actual_start=days(-120), actual_end=days(-25)
    )
    roadmaps.milestone_add(  # the next one is not due to start yet
        by=board_user,
        roadmap=roadmap,
        title="Thi công",
        responsible_name="Ban",
        planned_start=days(30),
        planned_end=days(90),
    )
    zone_page = client.get(reverse("zone_roadmaps", args=[zone.code])).content.decode()
    row = _row(zone_page, "Hạ tầng giai đoạn 2")
    pct = int(re.search(r"(\d+)\s*%", row).group(1))
    assert 0 < pct < 100
    assert 'class="status rm-on_track"' in row and "rm-not_started" not in row
    detail = client.get(reverse("roadmap_detail", args=[roadmap.pk])).content.decode()
    status = re.search(r'data-figure="status">(.*?)</dd>', detail, re.S).group(1)
    assert "rm-on_track" in status


def test_a_roadmap_with_nothing_begun_is_not_started_at_zero(client, zone, board_user):
    roadmap = roadmaps.roadmap_create(
        by=board_user,
        zone=zone,
        kind=RoadmapKind.TASK,
        title_vi="Việc sắp tới",
        owner_kind=OwnerKind.COMMITTEE,
        owner_name="Ban",
    )
    roadmaps.milestone_add(
        by=board_user,
        roadmap=roadmap,
        title="Chuẩn bị",
        responsible_name="Ban",
        planned_start=days(10),
        planned_end=days(40),
    )
    row = _row(client.get(reverse("zone_roadmaps", args=[zone.code])).content.decode(), "Việc sắp tới")
    assert 'class="status rm-not_started"' in row and re.search(r"\b0\s*%", row)


# --- open datasets: rows and sizes ---------------------------------------------------------------


def test_each_dataset_lists_its_rows_and_the_size_of_each_download(client, zone, make_project):
    for i in range(3):
        make_project(zone=zone, name_vi=f"Dự án {i}")
    html = client.get(reverse("opendata_catalogue")).content.decode()
    card = html[html.index('id="projects"') : html.index("</li>", html.index('id="projects"'))]
    assert re.search(r"data-rows>\s*3 dòng", card)
    sizes = {}
    for fmt in ("csv", "xlsx", "json"):
        button = re.search(rf'data-format="{fmt}">{fmt.upper()} <span class="muted">([^<]+)</span>', card)
        assert button, f"no size for {fmt}"
        sizes[fmt] = button.group(1)
    # the sizes are those of the files downloaded
    csv_bytes = b"".join(client.get("/open-data/projects.csv").streaming_content)
    json_bytes = b"".join(client.get("/open-data/projects.json").streaming_content)
    assert len(list(csv.reader(io.StringIO(csv_bytes.decode().lstrip("\ufeff"))))) == 4
    assert len(json.loads(json_bytes)) == 3
    catalog = client.get("/open-data/catalog.jsonld").json()
    projects = next(d for d in catalog["dcat:dataset"] if d["dct:identifier"] == "projects")
    declared = {d["dct:format"]: int(d["dcat:byteSize"]["@value"]) for d in projects["dcat:distribution"]}
    assert declared["CSV"] == len(csv_bytes) and declared["JSON"] == len(json_bytes)
    assert declared["XLSX"] > 1000
    for shown, size in ((sizes["csv"], len(csv_bytes)), (sizes["json"], len(json_bytes))):
        assert shown.replace("\xa0", " ").split()[0] in {f"{size}", f"{size / 1024:.1f}".replace(".", ",")}
    # a new project changes the count
    make_project(zone=zone, name_vi="Dự án mới")
    html = client.get(reverse("opendata_catalogue")).content.decode()
    card = html[html.index('id="projects"') : html.index("</li>", html.index('id="projects"'))]
    assert re.search(r"data-rows>\s*4 dòng", card)


@pytest.mark.django_db(transaction=True)
def test_the_catalogue_never_waits_for_a_dataset_to_be_measured(client, zone, make_project):
    """Measuring a dataset writes its three files (minutes at national scale; 15 s under the
    soak's load made its visitors time out): outside a transaction a thread measures, and the page
    answers at once, without sizes the first time, with the last measure after."""
    from zonedesk.opendata import datasets

    cache.clear()
    for i in range(3):
        make_project(zone=zone, name_vi=f"Dự án {i}")

    def card() -> str:
        html = client.get(reverse("opendata_catalogue")).content.decode()
        return html[html.index('id="projects"') : html.index("</li>", html.index('id="projects"'))]

    def measured() -> None:
        for _ in range(600):
            with datasets._measuring_lock:
                if not datasets._measuring:
                    return
            time.sleep(0.05)
        raise AssertionError("the measuring threads never ended")

    first = card()
    assert "data-rows" not in first and 'data-format="csv">CSV</a>' in first  # the download is there
    measured()
    assert re.search(r"data-rows>\s*3 dòng", card())
    make_project(zone=zone, name_vi="Dự án mới")
    assert re.search(r"data-rows>\s*3 dòng", card())  # the last measure, while the new one is taken
    measured()
    assert re.search(r"data-rows>\s*4 dòng", card())


# --- the conferences' month calendar ------------------------------------------------------------


def _conference(board_user, series, sequence, theme, when: dt.datetime, **extra):
    return dialogue.conference_create(
        by=board_user,
        series=series,
        sequence=sequence,
        theme_vi=theme,
        starts_at=when,
        ends_at=when + dt.timedelta(hours=3),
        venue="Hòa Lạc",
        chair="Trưởng ban",
        **extra,
    )


def test_the_conferences_of_a_month_on_a_calendar(client, board_user):
    series = dialogue.series_create(by=board_user, name_vi="Đối thoại 2026", year=2026, planned_count=6)
    _conference(board_user, series, 1, "Đối thoại tháng Ba", dt.datetime(2026, 3, 12, 8, tzinfo=HANOI))
    _conference(board_user, series, 2, "Đối thoại tháng Tư", dt.datetime(2026, 4, 9, 8, tzinfo=HANOI))
    _conference(board_user, series, 3, "Họp nội bộ", dt.datetime(2026, 3, 20, 8, tzinfo=HANOI), public=False)
    url = reverse("conference_month")
    html = client.get(url, {"month": "2026-03"}).content.decode()
    assert "Hội nghị tháng 03/2026" in html
    # on its day, in a week that starts on Monday; the other month's conference is not there
    cell = next(td for td in html.split("<td ")[1:] if "Đối thoại tháng Ba" in td)
    assert '<span class="day-weekday">Thứ Năm </span>12<span class="day-month">/03</span>' in cell
    assert "Đối thoại tháng Tư" not in html
    assert "Họp nội bộ" not in html  # not on the public calendar
    assert re.search(r"<thead><tr><th scope=\"col\"><abbr title=\"Thứ Hai\">", html)
    # the months before and after, and the list
    assert 'href="?month=2026-02"' in html and 'href="?month=2026-04"' in html
    assert f'href="{reverse("conference_list")}"' in html
    april = client.get(url, {"month": "2026-04"}).content.decode()
    assert "Đối thoại tháng Tư" in april and "Đối thoại tháng Ba" not in april
    # the board sees its own meetings too
    client.force_login(board_user)
    assert "Họp nội bộ" in client.get(url, {"month": "2026-03"}).content.decode()
    # the list links to the calendar
    assert f'href="{url}"' in client.get(reverse("conference_list")).content.decode()


def test_the_calendar_opens_on_this_month_and_says_a_bad_month_is_none(client, db):
    this = TODAY.strftime("%m/%Y")
    for query in ({}, {"month": "2026-13"}, {"month": "abc"}, {"month": "99999-01"}, {"month": "２０２６-03"}):
        response = client.get(reverse("conference_month"), query)
        assert response.status_code == 200
        html = response.content.decode()
        assert f"Hội nghị tháng {this}" in html
        # a month that cannot be read is said, never silently replaced by this one
        assert ('id="not-a-month"' in html) == bool(query), query
        if query:
            assert f"“{query['month']}” không phải là một tháng" in html
    assert 'aria-current="date"' in client.get(reverse("conference_month")).content.decode()


def test_the_admin_pages_are_djangos_with_the_sites_icon(client, admin_user):
    """Our admin/base_site.html extends Django's own: its title and header stay, the icon is added
    (without it every admin page asks for /favicon.ico, a 404)."""
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert 'rel="icon" href="/static/zonedesk/favicon.svg"' in html
    assert '<div id="site-name">' in html and "<title>" in html and "</title>" in html
    assert html.count('rel="icon"') == 1

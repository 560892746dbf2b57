"""The server-rendered pages, through Django's test client on a real database.

Who may see what is the point of most of these tests: the public pages for everyone, the
private figures only for the board and the project's own enterprise, and 404 (not 403) for
another enterprise's private URLs.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from zonedesk.investment import services
from zonedesk.investment.models import PeriodicReport

pytestmark = pytest.mark.django_db

FIGURES = {
    "revenue_vnd": "12.500.000.000",
    "export_vnd": "2500000000",
    "import_vnd": "0",
    "workers_total": "120",
    "workers_degree": "80",
    "rnd_spend_vnd": "300000000",
    "taxes_paid_vnd": "450000000",
    "capital_disbursed_cum_vnd": "40000000000",
}


def last_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    q = (today.month - 1) // 3  # the quarter before the current one
    return (today.year, q) if q else (today.year - 1, 4)


def report_data(project, **overrides) -> dict[str, str]:
    year, quarter = last_quarter()
    data = {"project": project.code, "period_kind": "quarter", "year": str(year), "quarter": str(quarter)}
    return data | FIGURES | overrides


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, f"no figure {name}"
    return match.group(1).strip()


def login(client, user):
    client.force_login(user)
    return client


# --- home ---------------------------------------------------------------------------------


def test_home_shows_the_figures_of_each_zone_and_all_zones(
    client, zone, other_zone, project, other_project, make_project
):
    make_project(zone=zone, capital=1_234_500_000_000, land_area_m2=100_000, certificate_date=dt.date(2021, 5, 4))
    response = client.get(reverse("home"), {"year": 2023})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html  # Vietnamese by default
    # All zones: 3 projects, 100 + 1,234.5 + 100 bn VND, in Vietnamese number format.
    assert figure(html, "projects") == "3"
    assert figure(html, "registered-capital") == "1.434,5"
    assert zone.name_vi in html and other_zone.name_vi in html
    rows = {row["zone"].code: row["figures"] for row in response.context["rows"]}
    assert rows["HHTP"]["projects"] == {"total": 2, "domestic": 2, "foreign": 0}
    assert rows["KCNTL"]["projects"] == {"total": 1, "domestic": 0, "foreign": 1}
    assert response.context["total"]["projects"]["total"] == 3
    assert "1.334,5" in html  # Hoa Lac's row: 1,334.5 bn VND
    # Land registration rate of Hoa Lac: 12 ha of 100 ha.
    assert "12,0%" in html
    # The charts get their data from json_script elements, never from inline scripts.
    for chart in ("chart-capital", "chart-ownership", "chart-sectors"):
        assert f'<script id="{chart}" type="application/json">' in html
        assert f'data-chart="{chart}"' in html
    assert not re.search(r"<script(?![^>]*(src=|application/json))[^>]*>", html), "inline script found"
    assert "http://" not in html.replace("http://www.w3.org", "")  # nothing from another host
    assert not re.search(r"\b2\.02\d\b", html), "a year was printed with a thousands separator"


def test_home_zone_and_year_selection(client, zone, other_zone, project, other_project):
    html = client.get(reverse("home"), {"zone": "KCNTL", "year": 2023}).content.decode()
    assert figure(html, "projects") == "1"
    assert '<option value="KCNTL" selected>' in html
    # Before the projects were registered (2020), nothing is counted.
    html = client.get(reverse("home"), {"year": 2019}).content.decode()
    assert figure(html, "projects") == "0"
    # A bad year falls back to the default instead of failing.
    assert client.get(reverse("home"), {"year": "abc", "zone": "NOPE"}).status_code == 200


def test_home_reads_a_zone_code_in_any_case(client, zone, other_zone, project, other_project):
    html = client.get(reverse("home"), {"zone": "kcntl", "year": 2023}).content.decode()
    assert '<option value="KCNTL" selected>' in html and figure(html, "projects") == "1"


def test_home_marks_synthetic_data(client, zone):
    zone.is_synthetic = True
    zone.save()
    html = client.get(reverse("home")).content.decode()
    assert "badge-synthetic" in html


def test_home_without_any_zone(client, db):
    assert client.get(reverse("home")).status_code == 200


# --- project list -------------------------------------------------------------------------


def test_search_is_accent_insensitive(client, project, other_project):
    response = client.get(reverse("project_list"), {"q": "hoa lac"})
    html = response.content.decode()
    assert project.code in html and "Trung tâm R&amp;D Hòa Lạc" in html
    assert other_project.code not in html
    html = client.get(reverse("project_list"), {"q": "THĂNG LONG"}).content.decode()
    assert other_project.code in html and project.code not in html


def test_project_filters(client, project, other_project):
    def codes(**params):
        page = client.get(reverse("project_list"), params).context["page"]
        return {p.code for p in page.object_list}

    assert codes() == {project.code, other_project.code}
    assert codes(ownership="foreign") == {other_project.code}
    assert codes(ownership="domestic") == {project.code}
    assert codes(zone="KCNTL") == {other_project.code}
    assert codes(status="operating") == set()
    assert codes(sector="software", zone="HHTP") == {project.code}
    # An unknown choice is ignored rather than failing the page.
    assert codes(zone="NOPE") == {project.code, other_project.code}


def test_project_list_paginates_and_keeps_filters(client, zone, make_project, django_assert_max_num_queries):
    for _ in range(27):
        make_project(zone=zone)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("project_list"), {"zone": "HHTP", "q": "du an"})
    page = response.context["page"]
    assert page.paginator.count == 27 and len(page.object_list) == 25
    html = response.content.decode()
    assert re.search(r'href="\?zone=HHTP&amp;q=du\+an&amp;page=2"', html)
    second = client.get(reverse("project_list"), {"zone": "HHTP", "q": "du an", "page": 2})
    assert len(second.context["page"].object_list) == 2


def test_project_list_htmx_returns_only_the_results(client, project):
    response = client.get(
        reverse("project_list"), {"q": "hoa"}, headers={"HX-Request": "true", "HX-Target": "project-results"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="project-results"')
    assert "<html" not in html and project.code in html


# --- project detail -----------------------------------------------------------------------


@pytest.fixture
def filed_report(project, enterprise_user):
    return services.report_submit(
        project=project,
        period_kind="quarter",
        year=2026,
        quarter=1,
        figures={"revenue_vnd": 777_000_000_001, "workers_total": 95, "workers_degree": 40},
        by=enterprise_user,
    )


SECRET = "777.000.000.001"  # the report's revenue, as the page prints it


def test_project_detail_public_fields(client, project):
    html = client.get(reverse("project_detail", args=[project.code])).content.decode()
    assert project.code in html and escape(project.name_vi) in html
    assert project.enterprise.name in html
    assert "100.000.000.000" in html  # capital in VND
    assert "01/03/2020" in html  # certificate date, dd/mm/yyyy
    assert "Nhà đầu tư 1" in html  # the investor with its share
    assert "50,0%" in html


@pytest.mark.parametrize("who", ["board_user", "leader_user", "admin_user", "enterprise_user"])
def test_project_detail_shows_reports_to_board_and_own_enterprise(client, request, project, filed_report, who):
    login(client, request.getfixturevalue(who))
    response = client.get(reverse("project_detail", args=[project.code]))
    assert response.context["show_private"] is True
    html = response.content.decode()
    assert SECRET in html
    assert 'id="private-title"' in html


@pytest.mark.parametrize("who", [None, "agency_user", "other_enterprise_user"])
def test_project_detail_hides_reports_from_others(client, request, project, filed_report, who):
    if who:
        login(client, request.getfixturevalue(who))
    response = client.get(reverse("project_detail", args=[project.code]))
    assert response.status_code == 200  # the public page is for everyone
    html = response.content.decode()
    assert escape(project.name_vi) in html
    assert SECRET not in html
    assert 'id="private-title"' not in html
    assert "project_charts" not in response.context


def test_corrected_versions_stay_visible_as_corrected(client, project, filed_report, enterprise_user):
    services.report_correct(
        report=filed_report, figures={"revenue_vnd": 700_000_000_000}, reason="Typo", by=enterprise_user
    )
    login(client, enterprise_user)
    html = client.get(reverse("project_detail", args=[project.code])).content.decode()
    assert "700.000.000.000" in html and SECRET in html
    assert "is-corrected" in html and "Typo" in html


def test_unknown_project_is_404(client, db):
    response = client.get(reverse("project_detail", args=["NOPE"]))
    assert response.status_code == 404
    assert "404" in response.content.decode()


# --- portal: filing and correcting reports ------------------------------------------------


def test_portal_lists_what_the_enterprise_owes(client, enterprise_user, project):
    response = login(client, enterprise_user).get(reverse("portal"))
    assert response.status_code == 200
    html = response.content.decode()
    assert project.enterprise.name in html and project.code in html
    year, quarter = last_quarter()
    assert f"period_kind=quarter&amp;year={year}&amp;quarter={quarter}" in html
    assert response.context["counts"]["filed"] == 0


def test_portal_needs_an_enterprise_user(client, board_user):
    assert client.get(reverse("portal")).status_code == 302
    assert client.get(reverse("report_new")).status_code == 302
    assert login(client, board_user).get(reverse("portal")).status_code == 403
    assert client.get(reverse("report_new")).status_code == 403


def test_report_form_is_prefilled_from_the_link(client, enterprise_user, project):
    url = reverse("report_new") + f"?project={project.code}&period_kind=quarter&year=2026&quarter=3"
    form = login(client, enterprise_user).get(url).context["form"]
    assert form["project"].value() == project.code
    assert str(form["year"].value()) == "2026" and str(form["quarter"].value()) == "3"


def test_filing_a_report(client, enterprise_user, project):
    login(client, enterprise_user)
    response = client.post(reverse("report_new"), report_data(project))
    assert response.status_code == 302
    report = PeriodicReport.objects.get()
    assert response["Location"] == f"{reverse('portal')}#report-{report.pk}"
    assert report.revenue_vnd == 12_500_000_000 and report.workers_total == 120
    assert report.submitted_by == enterprise_user
    page = client.get(response["Location"])
    html = page.content.decode()
    assert f'id="report-{report.pk}"' in html
    assert "message-success" in html
    assert any(o.report == report and o.state == "filed" for o in page.context["obligations"])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"revenue_vnd": "-5"}, "revenue_vnd"),
        ({"workers_total": "-3"}, "workers_total"),
        ({"year": str(timezone.localdate().year + 1), "quarter": "1"}, "year"),
        ({"year": str(timezone.localdate().year), "quarter": str((timezone.localdate().month + 2) // 3)}, "quarter"),
        ({"period_kind": "year", "year": str(timezone.localdate().year), "quarter": ""}, "year"),
        ({"workers_degree": "500"}, "workers_degree"),
        ({"revenue_vnd": "12.500 tỷ"}, "revenue_vnd"),  # 12,5 tỷ or 12500 tỷ? never guessed
    ],
)
def test_bad_report_input_shows_the_field_error_and_writes_nothing(client, enterprise_user, project, overrides, field):
    login(client, enterprise_user)
    response = client.post(reverse("report_new"), report_data(project, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert PeriodicReport.objects.count() == 0


def test_a_duplicate_period_is_refused(client, enterprise_user, project):
    login(client, enterprise_user)
    assert client.post(reverse("report_new"), report_data(project)).status_code == 302
    response = client.post(reverse("report_new"), report_data(project, revenue_vnd="1"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'class="errorlist nonfield"' in response.content.decode()
    assert PeriodicReport.objects.count() == 1


def test_another_enterprises_project_is_404(client, enterprise_user, project, other_project, other_enterprise_user):
    login(client, enterprise_user)
    assert client.get(reverse("report_new"), {"project": other_project.code}).status_code == 404
    assert client.post(reverse("report_new"), report_data(other_project)).status_code == 404
    assert PeriodicReport.objects.count() == 0


def test_correcting_a_report(client, enterprise_user, project, filed_report):
    login(client, enterprise_user)
    url = reverse("report_correct", args=[filed_report.pk])
    form = client.get(url).context["form"]
    assert form["revenue_vnd"].value() == 777_000_000_001
    data = {f: str(getattr(filed_report, f)) for f in FIGURES} | {"revenue_vnd": "700000000000", "version": "1"}
    # Without a reason nothing is saved.
    response = client.post(url, data | {"correction_reason": ""})
    assert "correction_reason" in response.context["form"].errors
    # With the same figures nothing is saved either.
    same = {f: str(getattr(filed_report, f)) for f in FIGURES} | {"correction_reason": "x", "version": "1"}
    response = client.post(url, same)
    assert response.context["form"].non_field_errors()
    assert PeriodicReport.objects.count() == 1
    response = client.post(url, data | {"correction_reason": "Sai số liệu doanh thu"})
    assert response.status_code == 302
    new = PeriodicReport.objects.get(is_current=True)
    assert new.version == 2 and new.revenue_vnd == 700_000_000_000
    # The earlier version's URL leads to the current one.
    assert client.get(url)["Location"] == reverse("report_correct", args=[new.pk])


def test_another_enterprises_report_is_404(client, filed_report, other_enterprise_user, board_user):
    url = reverse("report_correct", args=[filed_report.pk])
    login(client, other_enterprise_user)
    response = client.get(url)
    assert response.status_code == 404
    assert 'class="error-code">404<' in response.content.decode()
    assert client.post(url, FIGURES | {"correction_reason": "x"}).status_code == 404
    # The board reads reports but does not file them.
    assert login(client, board_user).get(url).status_code == 403
    assert PeriodicReport.objects.count() == 1


# --- dashboard ----------------------------------------------------------------------------


def test_dashboard_access(client, enterprise_user, agency_user, board_user, leader_user):
    url = reverse("dashboard")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    forbidden = login(client, enterprise_user).get(url)
    assert forbidden.status_code == 403
    assert 'class="error-code">403<' in forbidden.content.decode()  # the site's own 403 page
    assert login(client, agency_user).get(url).status_code == 403
    assert login(client, board_user).get(url).status_code == 200
    assert login(client, leader_user).get(url).status_code == 200


def test_dashboard_lists_delays_targets_and_late_reports(client, board_user, zone, make_project):
    today = timezone.localdate()
    late = make_project(
        zone=zone,
        name_vi="Dự án chậm tiến độ",
        target_workers=200,
        target_revenue_vnd=50_000_000_000,
        milestones=[
            {"kind": "construction", "planned_date": today - dt.timedelta(days=400)},
            {"kind": "operation", "planned_date": today - dt.timedelta(days=30)},
        ],
    )
    services.report_submit(
        project=late,
        period_kind="year",
        year=today.year - 1,
        figures={"workers_total": 50, "revenue_vnd": 10_000_000_000},
    )
    response = login(client, board_user).get(reverse("dashboard"), {"zone": zone.code, "year": today.year - 1})
    html = response.content.decode()
    [behind] = response.context["behind"]
    assert behind["project"] == late and behind["days_overdue"] == 400 and behind["serious"]
    assert "row-serious" in html and ">400<" in html.replace(" ", "")
    [result] = response.context["results"]
    assert result["workers"]["pct"].value == 25 and result["revenue"]["pct"].value == 20
    assert '<meter min="0" max="100" low="50" high="90" optimum="100" value="25.0">' in html
    assert response.context["late_total"] > 0
    assert any(r["obligation"].project == late for r in response.context["late"])


# --- layout, language, login --------------------------------------------------------------


def test_language_switch(client, zone):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in html
    with translation.override("vi"):
        assert translation.gettext("Projects") in html and translation.gettext("Projects") != "Projects"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/projects/"})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/projects/").content.decode()
    assert '<html lang="en">' in html and ">Projects</a>" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_nav_follows_capabilities(client, zone, enterprise_user, board_user, admin_user):
    html = client.get(reverse("home")).content.decode()
    assert 'href="/dashboard/"' not in html and 'href="/portal/"' not in html and 'href="/api/v1/docs"' in html
    html = login(client, enterprise_user).get(reverse("home")).content.decode()
    assert 'href="/portal/"' in html and 'href="/dashboard/"' not in html
    assert re.search(r'<form class="logout" action="/logout/" method="post">', html)
    html = login(client, board_user).get(reverse("home")).content.decode()
    assert 'href="/dashboard/"' in html and 'href="/admin/"' not in html
    html = login(client, admin_user).get(reverse("home")).content.decode()
    assert 'href="/admin/"' in html


def test_login_and_logout(client, enterprise_user):
    from tests.conftest import PASSWORD

    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "dn1", "password": "wrong-password"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        reverse("login") + "?next=/portal/", {"username": "dn1", "password": PASSWORD, "next": "/portal/"}
    )
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert client.get(reverse("portal")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("portal")).status_code == 302


def test_vietnamese_first_whatever_the_browser_asks(client, zone):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.headers["Content-Language"] == "vi"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="vi").headers["Content-Language"] == "en"


def test_board_changes_a_project_status_and_only_allowed_changes_pass(client, project, board_user, enterprise_user):
    url = f"/projects/{project.code}/status/"
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 403
    client.force_login(board_user)
    page = client.get(url)
    assert page.status_code == 200
    offered = {value for value, _label in page.context["form"].fields["to_status"].choices}
    assert offered == {"land_handed_over", "under_construction", "suspended", "terminated"}
    refused = client.post(url, {"to_status": "operating", "effective_date": "2026-11-01", "reason": "x"})
    assert refused.status_code == 200 and "to_status" in refused.context["form"].errors
    no_reason = client.post(url, {"to_status": "suspended", "effective_date": "2026-11-01", "reason": ""})
    assert no_reason.status_code == 200 and "reason" in no_reason.context["form"].errors
    project.refresh_from_db()
    assert project.status == "registered"
    assert f'name="version" value="{project.version}"' in page.content.decode()
    done = client.post(
        url,
        {
            "to_status": "suspended",
            "effective_date": "01/11/2026",
            "reason": "Tạm ngừng theo đề nghị",
            "version": project.version,
        },
    )
    assert done.status_code == 302
    project.refresh_from_db()
    assert project.status == "suspended"
    detail = client.get(f"/projects/{project.code}/").content.decode()
    assert "Tạm ngừng theo đề nghị" in detail

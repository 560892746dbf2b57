"""One rule set per record (issue 24, item 4): a rule, its limit and its message are the same on a
page, in the API and in a spreadsheet import; a zone code is read in any case everywhere.

Each test failed on the code before (the petition API answered 404 for "hhtp"; the land area was
limited to 10¹⁰ m² by the API only, with another message, to 10¹² by the import and not at all by
the service; an amount of 2 × 10¹⁶ đồng was filed on the page, in the API and by an import; a
300-character enterprise name was registered by the API and refused by the import with another
message)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from tests.conftest import make_tax_code
from tests.test_pages import report_data
from tests.test_report_import import problems as report_problems
from tests.test_report_import import row as report_row
from tests.test_report_import import xlsx as report_xlsx
from tests.test_sheets import ENTERPRISES, PROJECTS, problems_of, project_row, xlsx
from zonedesk.core.errors import ServiceError
from zonedesk.core.money import MAX_VND
from zonedesk.investment import services
from zonedesk.investment.models import Enterprise, PeriodicReport, Project
from zonedesk.petitions.models import Petition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):  # the language of the pages and the API by default
        yield


TOO_LARGE = "The amount is too large."


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def _project_body(project, code="HL-RULES-1", **over):
    investor = project.enterprise.investors.first()
    return {
        "code": code,
        "name_vi": "Dự án kiểm tra quy tắc",
        "enterprise": project.enterprise_id,
        "sector": "software",
        "shares": [{"investor": investor.pk, "capital_vnd": 1_000_000_000}],
        "registered_capital_vnd": 2_000_000_000,
        "certificate_date": "2024-05-10",
    } | over


# --- zone codes ---------------------------------------------------------------------------------


def test_a_zone_code_in_any_case_is_the_zone_for_a_petition_and_an_enterprise(zone, board_user):
    public = {
        "zone": "hhtp",
        "title": "Đường vào khu chưa có đèn chiếu sáng",
        "body": "Buổi tối đoạn đường vào cổng số 2 rất tối.",
        "category": "infrastructure",
        "petitioner_name": "Trần Thị B",
        "petitioner_email": "b@example.vn",
        "consent_version": 1,
    }
    answer = _post(_client(), "/api/v1/petitions", public)
    assert answer.status_code == 201, answer.content  # was 404: only the planning API read "hhtp"
    assert Petition.objects.get(reference=answer.json()["reference"]).zone == zone
    enterprise = _post(
        _client(board_user),
        "/api/v1/enterprises",
        {"name": "Công ty Chữ Thường", "tax_code": make_tax_code(), "zone": "Hhtp"},
    )
    assert enterprise.status_code == 201, enterprise.content
    assert Enterprise.objects.get(pk=enterprise.json()["id"]).zone == zone
    assert _post(_client(), "/api/v1/petitions", public | {"zone": "nowhere"}).status_code == 404


# --- land area ----------------------------------------------------------------------------------


def test_land_area_has_one_limit_and_one_message_in_the_service_the_api_and_the_import(
    tmp_path, zone, project, board_user
):
    too_large = 2 * 10**10  # m²: a million hectares twice over
    with pytest.raises(ServiceError) as caught:
        services.project_register(
            code="HL-RULES-0",
            name_vi="Dự án quá rộng",
            enterprise=project.enterprise,
            sector="software",
            shares=[(project.enterprise.investors.first(), 1_000_000_000)],
            registered_capital_vnd=2_000_000_000,
            certificate_date=project.certificate_date,
            land_area_m2=too_large,
        )
    message = caught.value.message_dict["land_area_m2"][0]
    assert "10.000.000.000" in message  # the limit is said

    answer = _post(_client(board_user), "/api/v1/projects", _project_body(project, land_area_m2=too_large))
    assert answer.status_code == 422
    assert answer.json()["errors"]["land_area_m2"] == [message]

    path = xlsx(
        tmp_path / "da.xlsx",
        PROJECTS,
        [
            project_row(
                "HL-RULES-2", project.enterprise.tax_code, land_area_m2=too_large, investor_tax_code=make_tax_code()
            )
        ],
    )
    assert (2, "land_area_m2", message) in problems_of("projects", path)

    negative = _post(_client(board_user), "/api/v1/projects", _project_body(project, land_area_m2=-1))
    path = xlsx(
        tmp_path / "am.xlsx",
        PROJECTS,
        [project_row("HL-RULES-3", project.enterprise.tax_code, land_area_m2=-1, investor_tax_code=make_tax_code())],
    )
    assert (2, "land_area_m2", negative.json()["errors"]["land_area_m2"][0]) in problems_of("projects", path)
    assert not Project.objects.filter(code__startswith="HL-RULES").exists()


# --- amounts ------------------------------------------------------------------------------------


def test_an_amount_above_the_limit_is_refused_alike_on_the_page_in_the_api_and_the_import(
    tmp_path, project, enterprise_user, board_user
):
    too_large = 2 * MAX_VND
    assert MAX_VND == 10**16  # one limit, which the 64-bit columns and their sums have room for
    page = _client(enterprise_user).post(
        reverse("report_new"), report_data(project, revenue_vnd="20.000.000.000.000.000")
    )
    assert page.status_code == 200 and escape(gettext(TOO_LARGE)) in page.content.decode()

    year, quarter = report_data(project)["year"], report_data(project)["quarter"]
    answer = _post(
        _client(enterprise_user),
        "/api/v1/reports",
        {
            "project": project.code,
            "period_kind": "quarter",
            "year": int(year),
            "quarter": int(quarter),
            "revenue_vnd": too_large,
        },
    )
    assert answer.status_code == 422 and answer.json()["errors"]["revenue_vnd"] == [gettext(TOO_LARGE)]

    path = report_xlsx(tmp_path / "bc.xlsx", [report_row(project.code, revenue=too_large)])
    assert (2, "revenue_vnd", gettext(TOO_LARGE)) in report_problems(path)

    path = xlsx(
        tmp_path / "da.xlsx",
        PROJECTS,
        [
            project_row(
                "HL-RULES-4",
                project.enterprise.tax_code,
                registered_capital_vnd=too_large,
                investor_tax_code=make_tax_code(),
            )
        ],
    )
    assert (2, "registered_capital_vnd", gettext(TOO_LARGE)) in problems_of("projects", path)
    assert not PeriodicReport.objects.exists()


def test_an_amount_is_read_by_the_import_as_the_page_reads_it(tmp_path, project):
    """'1,5 tỷ' is 1.5 billion đồng on the report page; it is the same in a report file."""
    path = report_xlsx(tmp_path / "bc.xlsx", [report_row(project.code, revenue="1,5 tỷ", workers="1.200")])
    from zonedesk.investment import imports

    imports.import_reports(path)
    report = PeriodicReport.objects.get()
    assert report.revenue_vnd == 1_500_000_000 and report.workers_total == 1200


# --- names --------------------------------------------------------------------------------------


def test_an_enterprise_name_too_long_for_the_registry_is_refused_alike_by_the_api_and_the_import(
    tmp_path, zone, board_user
):
    name = "Công ty " + "rất " * 80  # 328 characters: the registry keeps 255
    answer = _post(
        _client(board_user), "/api/v1/enterprises", {"name": name, "tax_code": make_tax_code(), "zone": "HHTP"}
    )
    assert answer.status_code == 422, answer.content
    message = answer.json()["errors"]["name"][0]
    assert "255" in message
    path = xlsx(tmp_path / "dn.xlsx", ENTERPRISES, [[name, make_tax_code(), "HHTP", ""]])
    assert (2, "name", message) in problems_of("enterprises", path)
    assert not Enterprise.objects.filter(name__startswith="Công ty rất").exists()


# --- layers -------------------------------------------------------------------------------------


def test_the_registry_names_no_app_built_on_it_and_a_roadmap_still_follows_it():
    """investment is the lower layer: roadmaps imports it, never the reverse (a roadmap follows a
    recorded certificate milestone through the hook it registers; tests/test_roadmaps.py checks
    that it still does)."""
    import grimp

    graph = grimp.build_graph("zonedesk")
    assert not graph.direct_import_exists(
        importer="zonedesk.investment", imported="zonedesk.roadmaps", as_packages=True
    )
    assert (
        graph.find_shortest_chain(importer="zonedesk.investment.services", imported="zonedesk.roadmaps.services")
        is None
    )
    from zonedesk.investment.services import MILESTONE_RECORDED
    from zonedesk.roadmaps.services import schedule_recorded

    assert schedule_recorded in MILESTONE_RECORDED

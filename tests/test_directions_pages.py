"""The follow-up pages and the API of directions, as each role uses them."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zonedesk.directions import services
from zonedesk.directions.models import Direction, DirectionKind, Status, Task

pytestmark = pytest.mark.django_db


def _issue(by, leads, *, kind=DirectionKind.NOTICE, deadline=None, title="Kết luận làm việc với các sở ngành"):
    today = timezone.localdate()
    return services.direction_issue(
        by=by,
        kind=kind,
        number="7/TB-BQL",
        title_vi=title,
        date=today - dt.timedelta(days=40),
        at=timezone.now() - dt.timedelta(days=40),
        tasks=[
            {"content": f"Nhiệm vụ số {i + 1}", "lead": lead, "deadline": deadline or today + dt.timedelta(days=20)}
            for i, lead in enumerate(leads)
        ],
    )


def test_a_leader_issues_a_direction_with_three_tasks_from_the_form(client, leader_user, agency, other_agency):
    from zonedesk.procedures.models import Unit

    unit = Unit.objects.create(code="QH", kind=Unit.Kind.DIVISION, name_vi="Phòng Quy hoạch")
    client.force_login(leader_user)
    assert client.get(reverse("direction_new")).status_code == 200
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = {
        "rows": "3",
        "kind": "instruction",
        "number": "",
        "date": timezone.localdate().isoformat(),
        "title_vi": "Chỉ đạo của Trưởng ban về tháo gỡ vướng mắc",
        "task_1_content": "Rà soát thủ tục cấp phép xây dựng",
        "task_1_lead": f"agency:{agency.pk}",
        "task_1_deadline": deadline,
        "task_2_content": "Báo cáo tiến độ giải phóng mặt bằng",
        "task_2_lead": f"unit:{unit.pk}",
        "task_2_support": [f"agency:{other_agency.pk}"],
        "task_3_content": "Theo dõi thường xuyên",
        "task_3_lead": f"agency:{other_agency.pk}",
    }
    response = client.post(reverse("direction_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    direction = Direction.objects.get()
    assert direction.tasks.count() == 3 and direction.tasks.get(number=3).deadline is None
    assert list(direction.tasks.get(number=2).support_agencies.all()) == [other_agency]
    page = client.get(response["Location"]).content.decode()
    assert "Rà soát thủ tục cấp phép xây dựng" in page
    # a row without its lead unit: the form says so, nothing written
    bad = {**data, "task_1_lead": ""}
    assert client.post(reverse("direction_new"), bad).status_code == 400
    assert Direction.objects.count() == 1


def test_the_issue_form_links_tasks_by_reference_and_names_errors_on_their_row(
    client, leader_user, board_user, agency, other_agency, zone, enterprise_user
):
    """A task acts on what the officer types (a petition's reference, a prospect's code, "roadmap:ID"…);
    an unknown reference is refused on its row; a blank row before a faulty one does not move the
    error to another row."""
    from zonedesk.petitions import services as petitions
    from zonedesk.promotion import services as promotion

    petition = petitions.petition_submit(
        zone=zone,
        title="Chậm hoàn thuế",
        body="Hồ sơ hoàn thuế quá hạn.",
        category="tax",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
    )
    prospect = promotion.prospect_create(
        by=board_user, company="Linked KK", country="JP", sector="software", source="forum"
    )
    client.force_login(leader_user)
    base = {
        "rows": "3",
        "kind": "conference",
        "date": timezone.localdate().isoformat(),
        "title_vi": "Kết luận hội nghị đối thoại",
    }
    # row 1 blank, row 2 without its lead unit, row 3 with an unknown reference
    bad = {
        **base,
        "task_2_content": "Trả lời kiến nghị về thuế",
        "task_3_content": "Làm việc với nhà đầu tư",
        "task_3_lead": f"agency:{other_agency.pk}",
        "task_3_links": "PAKN-1999-000001",
    }
    response = client.post(reverse("direction_new"), bad)
    assert response.status_code == 400
    assert "PAKN-1999-000001" in " ".join(response.context["form"].errors["task_3_links"])
    response = client.post(reverse("direction_new"), {**bad, "task_3_links": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert "task_2_lead" in form.errors and "task_1_lead" not in form.errors
    assert not Direction.objects.exists()
    # references typed loosely are read, and links on a row without its content are not dropped
    loose = {
        **bad,
        "task_2_lead": f"agency:{agency.pk}",
        "task_3_links": "",
        "task_1_links": "Petition : " + petition.reference.lower(),
    }
    response = client.post(reverse("direction_new"), loose)
    assert response.status_code == 400 and "task_1_content" in response.context["form"].errors
    assert not Direction.objects.exists()
    good = {**bad, "task_2_lead": f"agency:{agency.pk}", "task_2_links": petition.reference.lower()}
    good["task_3_links"] = f"{prospect.code}, {petition.reference}"
    response = client.post(reverse("direction_new"), good)
    assert response.status_code == 302, response.content.decode()[:2000]
    direction = Direction.objects.get()
    links = {t.content: sorted((link.kind, link.target) for link in t.links.all()) for t in direction.tasks.all()}
    assert links == {
        "Trả lời kiến nghị về thuế": [("petition", petition.reference)],
        "Làm việc với nhà đầu tư": [("petition", petition.reference), ("prospect", str(prospect.pk))],
    }
    page = client.get(direction.get_absolute_url()).content.decode()
    assert "Linked KK" in page and reverse("petition_detail", args=[petition.reference]) in page


def test_a_unit_reports_on_its_page_and_the_board_accepts(client, leader_user, board_user, agency, agency_user):
    task = _issue(leader_user, [agency]).tasks.get()
    client.force_login(agency_user)
    page = client.get(reverse("task_mine")).content.decode()
    assert "Nhiệm vụ số 1" in page
    response = client.post(
        reverse("task_report", args=[task.pk]), {"text": "Đã hoàn thành", "percent": "100", "version": task.version}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Status.REPORTED
    # a stale version: 409, nothing written
    stale = client.post(reverse("task_report", args=[task.pk]), {"text": "x", "percent": "10", "version": "1"})
    assert stale.status_code in {400, 409}
    client.force_login(board_user)
    page = client.get(task.direction.get_absolute_url()).content.decode()
    assert reverse("task_decide", args=[task.pk]) in page
    response = client.post(reverse("task_decide", args=[task.pk]), {"action": "accept", "version": task.version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Status.DONE


def test_a_tasks_reports_are_read_by_the_board_and_its_lead_unit_only(
    client, leader_user, agency, agency_user, other_agency, other_agency_user, enterprise_user
):
    """A published direction is seen by every unit; what a lead unit reports on its task is read by
    that unit and the board's side, never by another unit (page and API)."""
    direction = _issue(leader_user, [agency, other_agency])
    direction = services.direction_publish(
        direction=direction, by=leader_user, published=True, version=direction.version
    )
    task = direction.tasks.get(lead_agency=agency)
    services.task_report(task=task, by=agency_user, text="Đã rà soát 12 hồ sơ thuế", percent=40, version=task.version)
    for user, sees in ((agency_user, True), (leader_user, True), (other_agency_user, False), (enterprise_user, False)):
        client.force_login(user)
        page = client.get(direction.get_absolute_url()).content.decode()
        api = client.get(f"/api/v1/directions/{direction.pk}").json()
        reports = [r["text"] for t in api["task_list"] for r in t["reports"]]
        assert ("Đã rà soát 12 hồ sơ thuế" in page) is sees, user.username
        assert ("Đã rà soát 12 hồ sơ thuế" in reports) is sees, user.username


def test_a_reports_file_is_downloaded_by_those_who_read_the_report(
    client, leader_user, agency, agency_user, other_agency, other_agency_user
):
    """The PDF a lead unit attaches to its report is linked from the direction's page and the unit's
    tasks, and served to the board's side and the lead unit; to another unit of a published
    direction and to the public: not found."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    direction = _issue(leader_user, [agency, other_agency])
    direction = services.direction_publish(
        direction=direction, by=leader_user, published=True, version=direction.version
    )
    task = direction.tasks.get(lead_agency=agency)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    services.task_report(
        task=task,
        by=agency_user,
        text="Biên bản kiểm tra kèm theo",
        percent=60,
        file=SimpleUploadedFile("bien-ban-kiem-tra.pdf", pdf, content_type="application/pdf"),
        version=task.version,
    )
    report = task.reports.get()
    url = reverse("task_report_file", args=[task.pk, report.pk])
    for user, sees in ((agency_user, True), (leader_user, True), (other_agency_user, False), (None, False)):
        client.logout()
        if user is not None:
            client.force_login(user)
        page = client.get(direction.get_absolute_url()).content.decode()
        assert (url in page) is sees
        response = client.get(url)
        assert response.status_code == (200 if sees else 404 if user else 302), user
        if sees:
            assert b"".join(response.streaming_content) == pdf
            assert "bien-ban-kiem-tra.pdf" in response["Content-Disposition"]
    client.force_login(agency_user)
    assert url in client.get(reverse("task_mine")).content.decode()
    assert client.get(reverse("task_report_file", args=[task.pk, report.pk + 999])).status_code == 404


def test_a_report_refused_on_a_stale_version_can_be_sent_again_from_the_page(client, leader_user, agency, agency_user):
    task = _issue(leader_user, [agency]).tasks.get()
    read = task.version
    services.task_report(task=task, by=agency_user, text="Báo cáo tuần 1", percent=20, version=read)  # a colleague
    client.force_login(agency_user)
    url = reverse("task_report", args=[task.pk])
    refused = client.post(url, {"text": "Báo cáo tuần 1 (bản của tôi)", "percent": "25", "version": str(read)})
    assert refused.status_code == 409
    shown = re.search(rf'action="{url}".*?name="version" value="(\d+)"', refused.content.decode(), flags=re.S).group(1)
    task.refresh_from_db()
    assert int(shown) == task.version  # the page now holds what the person has just been shown
    again = client.post(url, {"text": "Báo cáo tuần 1 (bản của tôi)", "percent": "25", "version": shown})
    assert again.status_code == 302


def test_the_follow_up_shows_the_figures_and_an_overdue_task(client, leader_user, agency):
    _issue(leader_user, [agency], deadline=timezone.localdate() - dt.timedelta(days=3))
    client.force_login(leader_user)
    page = client.get(reverse("direction_followup")).content.decode()
    assert 'data-figure="overdue">1<' in page
    assert agency.name in page
    filtered = client.get(reverse("direction_followup"), {"overdue": "1", "status": "bogus", "lead": "agency:x"})
    assert filtered.status_code == 200


def test_the_public_sees_published_directions_without_reports(client, leader_user, agency, agency_user):
    private = _issue(leader_user, [agency], title="Thông báo nội bộ")
    public = _issue(leader_user, [agency], kind=DirectionKind.CONFERENCE, title="Kết luận hội nghị đối thoại")
    task = public.tasks.get()
    services.task_report(task=task, by=agency_user, text="Báo cáo riêng của sở", percent=30, version=task.version)
    listing = client.get(reverse("direction_list")).content.decode()
    assert "Kết luận hội nghị đối thoại" in listing and "Thông báo nội bộ" not in listing
    assert client.get(private.get_absolute_url()).status_code == 404
    page = client.get(public.get_absolute_url()).content.decode()
    assert "Nhiệm vụ số 1" in page and "Báo cáo riêng của sở" not in page
    data = client.get("/api/v1/tasks/figures").json()
    assert data["published_only"] and data["whole"]["set"] == 1


def test_the_api_issues_lists_and_reports(client, leader_user, agency, agency_user, other_agency_user):
    client.force_login(leader_user)
    body = {
        "kind": "notice",
        "date": timezone.localdate().isoformat(),
        "title_vi": "Thông báo kết luận",
        "tasks": [{"content": "Làm ngay", "lead": f"agency:{agency.pk}", "deadline": None}],
    }
    response = client.post("/api/v1/directions", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    direction_id = response.json()["id"]
    bad = {**body, "tasks": [{"content": "x", "lead": "agency:0"}]}
    assert client.post("/api/v1/directions", json.dumps(bad), content_type="application/json").status_code == 422
    client.force_login(agency_user)
    tasks = client.get("/api/v1/tasks").json()
    assert [t["direction"] for t in tasks] == [direction_id]
    task = tasks[0]
    url = f"/api/v1/tasks/{task['id']}/reports"
    ok = client.post(
        url, json.dumps({"text": "Đã làm", "percent": 40, "version": task["version"]}), content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["percent"] == 40
    stale = client.post(
        url, json.dumps({"text": "x", "percent": 50, "version": task["version"]}), content_type="application/json"
    )
    assert stale.status_code == 409
    for hostile in ({"text": "a\x00b", "percent": 1, "version": 2}, {"text": "a", "percent": 10**20, "version": 2}):
        assert client.post(url, json.dumps(hostile), content_type="application/json").status_code in {400, 422}
    client.force_login(other_agency_user)
    assert client.get("/api/v1/tasks").json() == []
    assert (
        client.post(
            url, json.dumps({"text": "x", "percent": 1, "version": 2}), content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/directions/{direction_id}").status_code == 404
    assert Task.objects.get().percent == 40


@pytest.mark.parametrize("text", ["²", "٣", "9" * 40, "-1", "2024-13-45"])
def test_hostile_numbers_and_dates_are_no_500(client, leader_user, agency, text):
    direction = _issue(leader_user, [agency])
    client.force_login(leader_user)
    for url, params in (
        (reverse("direction_list"), {"year": text, "kind": text, "page": text}),
        (reverse("direction_followup"), {"year": text, "lead": f"agency:{text}", "status": text, "page": text}),
        (reverse("direction_new"), {"rows": text}),
    ):
        assert client.get(url, params).status_code == 200, url
    bad = {"rows": "1", "kind": "notice", "date": text, "title_vi": "x", "task_1_content": "y", "task_1_deadline": text}
    assert client.post(reverse("direction_new"), bad).status_code == 400
    task = direction.tasks.get()
    assert client.post(reverse("task_decide", args=[task.pk]), {"action": "accept", "version": text}).status_code in {
        400,
        409,
    }
    assert client.get("/api/v1/tasks", {"year": text}).status_code == 422
    body = {"kind": "notice", "date": text, "title_vi": "x", "tasks": []}
    assert client.post("/api/v1/directions", json.dumps(body), content_type="application/json").status_code == 422
    assert Direction.objects.count() == 1


def test_the_board_publishes_a_direction_for_the_public(client, board_user, leader_user, agency, agency_user):
    direction = _issue(leader_user, [agency], title="Thông báo sẽ công khai")
    assert client.get(direction.get_absolute_url()).status_code == 404
    client.force_login(agency_user)
    url = reverse("direction_publish", args=[direction.pk])
    assert client.post(url, {"published": "on", "version": direction.version}).status_code == 403
    client.force_login(board_user)
    assert client.post(url, {"published": "on", "version": direction.version}).status_code == 302
    assert client.post(url, {"published": "", "version": direction.version}).status_code == 409  # stale
    client.logout()
    assert "Thông báo sẽ công khai" in client.get(reverse("direction_list")).content.decode()
    assert client.get(direction.get_absolute_url()).status_code == 200


def test_a_leader_who_heads_the_lead_unit_reports_as_its_members_do(client, leader_user, board_user):
    """A task led by a unit of the board is reported on by the unit's members, a leader among
    them: the form the page offers is one the server takes (it was offered and then refused)."""
    from zonedesk.procedures.models import Unit, UnitMember

    unit = Unit.objects.create(code="P-KHDT", kind=Unit.Kind.DIVISION, name_vi="Phòng Kế hoạch - Đầu tư")
    UnitMember.objects.create(unit=unit, user=leader_user, is_head=True)
    task = _issue(board_user, [unit]).tasks.get()
    client.force_login(leader_user)
    page = client.get(reverse("task_mine")).content.decode()
    assert reverse("task_report", args=[task.pk]) in page
    response = client.post(
        reverse("task_report", args=[task.pk]),
        {"text": "Đã giao phòng xử lý", "percent": "30", "version": task.version},
    )
    assert response.status_code == 302
    assert task.reports.get().text == "Đã giao phòng xử lý"
    api = client.post(
        f"/api/v1/tasks/{task.pk}/reports",
        {"text": "Tiếp tục", "percent": 40, "version": task.version + 1},
        content_type="application/json",
    )
    assert api.status_code == 201, api.content


def test_a_direction_with_many_tasks_is_read_in_a_few_queries(
    client, leader_user, agency, agency_user, django_assert_max_num_queries
):
    """Thirty tasks, each with a report: the page and the API read the reports in one query, not
    one a task (a conference's conclusions set dozens of tasks)."""
    direction = _issue(leader_user, [agency] * 30)
    for task in direction.tasks.all():
        services.task_report(task=task, by=agency_user, text=f"Báo cáo {task.number}", percent=10, version=task.version)
    for user in (leader_user, agency_user):
        client.force_login(user)
        client.get(direction.get_absolute_url())  # the session and caches warmed
        with django_assert_max_num_queries(30):
            page = client.get(direction.get_absolute_url()).content.decode()
        assert all(f"Báo cáo {n}" in page for n in range(1, 31))
        with django_assert_max_num_queries(30):
            api = client.get(f"/api/v1/directions/{direction.pk}").json()
        assert sum(len(t["reports"]) for t in api["task_list"]) == 30

"""The petition pages through Django's test client on a real database: filing, who sees which
petition (404 for the others), the actions each role is offered, refused and stale writes with
nothing saved, the public answers page without private text, and the throttled public form.

Pages are read in English (the language cookie) so that the checks do not depend on the
Vietnamese translation; the structure is checked through data attributes.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from zonedesk.core.rules import rule_value
from zonedesk.petitions import services
from zonedesk.petitions.models import Answer, AnswerTemplate, Petition, PetitionEvent
from zonedesk.petitions.workflow import allowed_actions

pytestmark = pytest.mark.django_db

TITLE = "Chậm đấu nối điện 22kV cho nhà xưởng số 3"
BODY = "Doanh nghiệp nộp hồ sơ từ tháng 8, chưa được cấp điện; thiệt hại 4,2 tỷ đồng mỗi tháng."


def client_for(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def en(text) -> str:
    with translation.override("en"):
        return str(text)


def offered(html: str) -> set[str]:
    """The lifecycle actions a page offers (each action form carries its name)."""
    return set(re.findall(r'data-action="(\w+)"', html))


def ops(html: str) -> set[str]:
    return set(re.findall(r'data-op="(\w+)"', html))


@pytest.fixture
def petition(zone, project, enterprise_user):
    return services.petition_submit(
        zone=zone,
        title=TITLE,
        body=BODY,
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
        project=project,
    )


def assigned(petition, board_user, agency):
    p = petition
    if p.status == "submitted":
        p = services.petition_act(petition=p, action="triage", by=board_user)
    return services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)


def answered(petition, board_user, agency, agency_user, text="Đã chỉ đạo Điện lực Hòa Lạc đấu nối trong tuần."):
    p = assigned(petition, board_user, agency)
    p = services.petition_act(petition=p, action="start", by=agency_user)
    services.answer_write(petition=p, by=agency_user, body=text, submit=True)
    return services.petition_act(petition=Petition.objects.get(pk=p.pk), action="answer", by=board_user)


# --- filing -------------------------------------------------------------------------------


def test_the_portal_form_files_a_petition_for_the_enterprise(zone, project, enterprise_user):
    client = client_for(enterprise_user)
    page = client.get("/portal/petitions/new/")
    assert page.status_code == 200
    assert 'value="HHTP" selected' in page.content.decode()  # the enterprise's zone is preselected
    r = client.post(
        "/portal/petitions/new/",
        {
            "zone": "HHTP",
            "title": TITLE,
            "body": BODY,
            "category": "infrastructure",
            "priority": "urgent",
            "project": project.code,
            "procedure": "Thỏa thuận đấu nối",
            "publish_allowed": "on",
        },
    )
    p = Petition.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/petitions/{p.reference}/"
    assert (p.enterprise, p.project, p.source, p.priority, p.submitted_by) == (
        enterprise_user.enterprise,
        project,
        "portal",
        "urgent",
        enterprise_user,
    )
    listing = client.get("/portal/petitions/").content.decode()
    assert p.reference in listing and TITLE in listing


def test_filing_with_bad_input_shows_field_errors_and_saves_nothing(zone, project, other_project, enterprise_user):
    client = client_for(enterprise_user)
    r = client.post(
        "/portal/petitions/new/",
        {"zone": "HHTP", "title": "   ", "body": "", "category": "weather", "project": other_project.code},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert Petition.objects.count() == 0
    assert 'id="form-errors"' in html
    for field in ("title", "body", "category", "project"):
        assert f'id="id_{field}_error"' in html, field
    # The service's own checks (what a form field cannot see) come back beside their fields too.
    r = client.post(
        "/portal/petitions/new/",
        {"zone": "HHTP", "title": "x" * 301, "body": BODY, "category": "tax", "priority": "normal"},
    )
    assert 'id="id_title_error"' in r.content.decode() and Petition.objects.count() == 0


def test_the_public_form_shows_the_reference_only_to_its_sender(zone, petition):
    client = client_for()
    data = {
        "petitioner_name": "Nguyễn Văn An",
        "petitioner_email": "an@example.vn",
        "zone": "HHTP",
        "title": "Xin hướng dẫn thủ tục thuê đất",
        "body": "Tôi muốn biết thủ tục thuê đất trong khu công nghệ cao.",
        "category": "land",
        "publish_allowed": "on",
        "consent": "on",
        "consent_version": "1",
    }
    bad = client.post("/petitions/new/", data | {"petitioner_email": "không-phải-email", "petitioner_name": ""})
    assert bad.status_code == 200 and Petition.objects.count() == 1
    html = bad.content.decode()
    assert 'id="id_petitioner_email_error"' in html and 'id="id_petitioner_name_error"' in html

    r = client.post("/petitions/new/", data)
    assert r.status_code == 302 and r["Location"] == "/petitions/new/thanks/"
    mine = Petition.objects.exclude(pk=petition.pk).get()
    assert mine.source == "public" and mine.enterprise is None
    thanks = client.get("/petitions/new/thanks/").content.decode()
    assert mine.reference in thanks
    assert petition.reference not in thanks and TITLE not in thanks and mine.title not in thanks
    # someone else (another session) sees no reference at all
    assert client_for().get("/petitions/new/thanks/").status_code == 302
    # the petitioner cannot open the petition's page: it is not public
    assert client.get(f"/petitions/{mine.reference}/").status_code == 302  # to the login


def test_the_public_form_is_throttled_per_address(zone):
    limit, _window = rule_value("petition.public_throttle")
    client = client_for()
    data = {
        "petitioner_name": "Trần Thị Bình",
        "petitioner_phone": "0912 345 678",
        "zone": "HHTP",
        "title": "Đường vào khu bị ngập",
        "body": "Mỗi khi mưa lớn đường vào khu bị ngập sâu.",
        "category": "infrastructure",
        "consent": "on",
        "consent_version": "1",
    }
    codes = [client.post("/petitions/new/", data, REMOTE_ADDR="203.0.113.7").status_code for _ in range(limit + 1)]
    assert codes == [302] * limit + [429]
    assert Petition.objects.count() == limit
    over = client.post("/petitions/new/", data, REMOTE_ADDR="203.0.113.7")
    assert over.status_code == 429 and "data-throttled" in over.content.decode()
    assert Petition.objects.count() == limit
    assert client.post("/petitions/new/", data, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_officers_do_not_use_the_public_form_and_enterprises_go_to_the_portal(zone, board_user, enterprise_user):
    assert client_for(enterprise_user).get("/petitions/new/")["Location"] == "/portal/petitions/new/"
    r = client_for(board_user).post("/petitions/new/", {"petitioner_name": "X"})
    assert r.status_code == 200 and Petition.objects.count() == 0


# --- who sees what ------------------------------------------------------------------------


def test_another_enterprise_or_agency_gets_404(
    petition, board_user, agency, enterprise_user, agency_user, other_enterprise_user, other_agency_user, leader_user
):
    url = f"/petitions/{petition.reference}/"
    assigned(petition, board_user, agency)
    for user in (enterprise_user, agency_user, board_user, leader_user):
        assert client_for(user).get(url).status_code == 200, user.username
    for user in (other_enterprise_user, other_agency_user):
        client = client_for(user)
        assert client.get(url).status_code == 404, user.username
        assert client.post(f"{url}do/close/", {"version": 1}).status_code == 404
        assert (
            petition.reference
            not in client.get("/petitions/" if user.role == "agency" else "/portal/petitions/").content.decode()
        )
    assert client_for().get(url).status_code == 302  # the public is sent to log in


def test_the_queue_is_for_the_board_and_the_agencies(
    petition, zone, board_user, agency, agency_user, other_agency_user, enterprise_user, leader_user
):
    assigned(petition, board_user, agency)
    assert client_for().get("/petitions/").status_code == 302
    assert client_for(enterprise_user).get("/petitions/").status_code == 403
    assert petition.reference in client_for(agency_user).get("/petitions/").content.decode()
    assert petition.reference not in client_for(other_agency_user).get("/petitions/").content.decode()
    board = client_for(board_user)
    assert petition.reference in board.get("/petitions/").content.decode()
    assert petition.reference in client_for(leader_user).get("/petitions/").content.decode()
    # filters: accent-insensitive search, status, category, agency, overdue
    assert petition.reference in board.get("/petitions/", {"q": "dau noi dien"}).content.decode()
    assert petition.reference not in board.get("/petitions/", {"q": "hải quan"}).content.decode()
    assert (
        petition.reference in board.get("/petitions/", {"status": "assigned", "agency": agency.code}).content.decode()
    )
    assert petition.reference not in board.get("/petitions/", {"category": "tax"}).content.decode()
    assert petition.reference not in board.get("/petitions/", {"overdue": "on"}).content.decode()


def test_the_queue_is_ordered_by_deadline_paginated_and_keeps_its_filters(zone, enterprise_user, board_user):
    for n in range(27):
        services.petition_submit(
            zone=zone, title=f"Vướng mắc số {n}", body="Nội dung", category="tax", enterprise=enterprise_user.enterprise
        )
    client = client_for(board_user)
    first = client.get("/petitions/", {"category": "tax"}).content.decode()
    refs = re.findall(r'data-reference="(PAKN-\d+-\d+)"', first)
    assert len(refs) == 25
    due = dict(Petition.objects.values_list("reference", "answer_due_at"))
    assert [due[r] for r in refs] == sorted(due[r] for r in refs)
    assert "?category=tax&amp;page=2" in first
    second = client.get("/petitions/", {"category": "tax", "page": 2}).content.decode()
    assert len(re.findall(r'data-reference="(PAKN-\d+-\d+)"', second)) == 2


# --- the actions offered ------------------------------------------------------------------


def test_the_actions_offered_per_role_match_allowed_actions(
    petition, board_user, agency, agency_user, enterprise_user, leader_user, other_agency
):
    url = f"/petitions/{petition.reference}/"

    def check(p, users):
        for user in users:
            html = client_for(user).get(url).content.decode()
            fresh = Petition.objects.get(pk=p.pk)
            expected = {t.action for t in allowed_actions(fresh, user)}
            if not fresh.answers.filter(state="submitted", is_contribution=False).exists():
                expected.discard("answer")  # approving waits for an answer: the page says so instead
                if "answer" in {t.action for t in allowed_actions(fresh, user)}:
                    assert escape(en("Waiting for the lead agency's answer.")) in html
            assert offered(html) == expected, (p.status, user.username, offered(html), expected)

    check(petition, [board_user, enterprise_user, leader_user])
    p = services.petition_act(petition=petition, action="triage", by=board_user)
    check(p, [board_user, enterprise_user])
    p = services.petition_act(
        petition=p, action="assign", by=board_user, lead_agency=agency, coordinating_agencies=[other_agency]
    )
    check(p, [board_user, agency_user, enterprise_user])
    p = services.petition_act(petition=p, action="start", by=agency_user)
    services.answer_write(petition=p, by=agency_user, body="Đã xử lý.", submit=True)
    check(p, [board_user, agency_user, enterprise_user])  # the board may now approve it
    p = services.petition_act(petition=Petition.objects.get(pk=p.pk), action="answer", by=board_user)
    check(p, [board_user, agency_user, enterprise_user])
    p = services.petition_act(petition=p, action="publish", by=board_user, public_summary="Đã đấu nối điện.")
    check(p, [board_user, agency_user, enterprise_user])
    p = services.petition_act(petition=p, action="close", by=enterprise_user)
    check(p, [board_user, agency_user, enterprise_user, leader_user])


def test_extras_are_offered_to_whom_the_services_allow(petition, board_user, agency, agency_user, enterprise_user):
    url = f"/petitions/{petition.reference}/"
    p = assigned(petition, board_user, agency)
    AnswerTemplate.objects.create(
        agency=agency, category="infrastructure", title="Mẫu đấu nối", body="Kính gửi Quý doanh nghiệp, ..."
    )
    agency_html = client_for(agency_user).get(url).content.decode()
    assert {"write", "pause", "extend", "transfer", "start"} <= ops(agency_html)
    assert "rate" not in ops(agency_html)
    assert {"pause", "extend"} <= ops(client_for(board_user).get(url).content.decode())
    owner_html = client_for(enterprise_user).get(url).content.decode()
    assert ops(owner_html) == set()  # nothing for the enterprise while the agency works
    # the answer template pre-fills the editor through a GET parameter
    template = AnswerTemplate.objects.get()
    html = client_for(agency_user).get(url, {"template": template.pk}).content.decode()
    assert "Kính gửi Quý doanh nghiệp, ..." in html
    # once answered and published: the enterprise rates and closes
    p = services.petition_act(petition=p, action="start", by=agency_user)
    services.answer_write(petition=p, by=agency_user, body="Đã xử lý.", submit=True)
    services.petition_act(petition=Petition.objects.get(pk=p.pk), action="answer", by=board_user)
    assert {"rate", "close"} == ops(client_for(enterprise_user).get(url).content.decode())


def test_answers_are_shown_by_role(petition, board_user, agency, agency_user, enterprise_user):
    p = assigned(petition, board_user, agency)
    services.answer_write(petition=p, by=agency_user, body="Bản nháp nội bộ chưa gửi", submit=False)
    url = f"/petitions/{p.reference}/"
    assert "Bản nháp nội bộ chưa gửi" in client_for(agency_user).get(url).content.decode()
    assert "Bản nháp nội bộ chưa gửi" in client_for(board_user).get(url).content.decode()
    assert "Bản nháp nội bộ chưa gửi" not in client_for(enterprise_user).get(url).content.decode()


def test_private_fields_are_shown_only_to_whom_they_concern(
    zone, board_user, agency, agency_user, enterprise_user, petition
):
    p = services.petition_act(
        petition=petition, action="triage", by=board_user, confidential_note="Ghi chú mật của Ban"
    )
    assigned(p, board_user, agency)
    url = f"/petitions/{p.reference}/"
    assert "Ghi chú mật của Ban" in client_for(board_user).get(url).content.decode()
    assert "Ghi chú mật của Ban" in client_for(agency_user).get(url).content.decode()
    assert "Ghi chú mật của Ban" not in client_for(enterprise_user).get(url).content.decode()

    public = services.petition_submit(
        zone=zone,
        title="Hỏi về thuế",
        body="Nội dung",
        category="tax",
        source="public",
        consent_version=1,
        petitioner_name="Phạm Văn Công",
        petitioner_email="cong.pham@example.vn",
    )
    assigned(public, board_user, agency)
    url = f"/petitions/{public.reference}/"
    board = client_for(board_user).get(url).content.decode()
    assert "Phạm Văn Công" in board and "cong.pham@example.vn" in board
    officer = client_for(agency_user).get(url).content.decode()
    assert "Phạm Văn Công" not in officer and "cong.pham@example.vn" not in officer


# --- writes through the pages -------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, message",
    [
        ("4,2", "Enter a whole number of đồng, without decimals."),
        ("-5", "Enter a whole number of đồng, without decimals."),
        # a whole number, only above MAX_VND: the words of every amount (core.inputs)
        ("99.999.999.999.999.999", "The amount is too large."),
    ],
)
def test_an_investment_at_risk_is_a_whole_number_of_dong(petition, board_user, amount, message):
    """Read as every amount is (core.inputs), refused beside the field in the page's words."""
    r = client_for(board_user).post(
        f"/petitions/{petition.reference}/do/triage/",
        {
            "version": petition.version,
            "category": "infrastructure",
            "priority": "urgent",
            "impact_investment_vnd": amount,
        },
    )
    assert r.status_code == 200 and message in r.content.decode()
    assert Petition.objects.get(pk=petition.pk).status == petition.status


def test_the_board_triages_and_assigns_through_the_page(petition, board_user, agency, other_agency, project):
    client = client_for(board_user)
    base = f"/petitions/{petition.reference}/do/"
    r = client.post(
        base + "triage/",
        {
            "version": petition.version,
            "category": "infrastructure",
            "priority": "urgent",
            "impact_production_stopped": "on",
            "impact_workers": "120",
            "impact_investment_vnd": "4.200.000.000",
            "project": project.code,
            "parcel_code": "CN-07",
            "procedure": "",
            "confidential_note": "Lỗ 4,2 tỷ/tháng",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    p = Petition.objects.get(pk=petition.pk)
    assert (p.status, p.priority, p.impact_workers, p.impact_investment_vnd, p.parcel_code) == (
        "triaged",
        "urgent",
        120,
        4_200_000_000,
        "CN-07",
    )
    assert p.impact_production_stopped and p.confidential_note == "Lỗ 4,2 tỷ/tháng"
    # assignment without a lead agency: the service's message beside the field, nothing saved
    r = client.post(base + "assign/", {"version": p.version})
    assert r.status_code == 200 and 'id="id_assign_lead_agency_error"' in r.content.decode()
    assert Petition.objects.get(pk=p.pk).status == "triaged"
    r = client.post(
        base + "assign/",
        {"version": p.version, "lead_agency": agency.code, "coordinating_agencies": [other_agency.code]},
    )
    assert r.status_code == 302
    p = Petition.objects.get(pk=p.pk)
    assert p.status == "assigned" and p.lead_agency == agency and list(p.coordinating_agencies.all()) == [other_agency]


def test_a_reason_is_required_to_reject(petition, board_user):
    client = client_for(board_user)
    r = client.post(f"/petitions/{petition.reference}/do/reject/", {"version": petition.version, "reason": " "})
    assert r.status_code == 200 and 'id="id_reject_reason_error"' in r.content.decode()
    assert Petition.objects.get(pk=petition.pk).status == "submitted"


def test_a_refused_transition_shows_a_message_and_changes_nothing(petition, board_user):
    client = client_for(board_user)
    events = PetitionEvent.objects.count()
    r = client.post(
        f"/petitions/{petition.reference}/do/publish/",
        {"version": petition.version, "public_summary": "Tóm tắt"},
    )
    html = r.content.decode()
    assert r.status_code == 409
    assert "data-problem" in html
    message = en("A petition that is “%(status)s” cannot be moved with “%(action)s”.") % {
        "status": en("Submitted"),
        "action": en("Publish the answer"),
    }
    assert message in html
    p = Petition.objects.get(pk=petition.pk)
    assert (p.status, p.version, p.public_summary) == ("submitted", petition.version, "")
    assert PetitionEvent.objects.count() == events


def test_a_stale_version_shows_the_conflict_message(petition, board_user, enterprise_user):
    client = client_for(board_user)
    read = petition.version
    services.petition_act(petition=petition, action="triage", by=board_user, priority="urgent")  # someone else
    r = client.post(f"/petitions/{petition.reference}/do/reject/", {"version": read, "reason": "Ngoài thẩm quyền"})
    html = r.content.decode()
    assert r.status_code == 409 and "data-problem" in html
    assert "changed by someone else" in html
    p = Petition.objects.get(pk=petition.pk)
    assert p.status == "triaged" and p.version == read + 1
    # the form comes back with what was typed and the current version, ready to send again
    assert "Ngoài thẩm quyền" in html and f'name="version" value="{p.version}"' in html


def test_a_stale_answer_or_rating_is_refused_too(petition, board_user, agency, agency_user, enterprise_user):
    """answer_write and petition_rate take no version: the page checks the one it read."""
    p = assigned(petition, board_user, agency)
    url = f"/petitions/{p.reference}/do/"
    agency_client = client_for(agency_user)
    r = agency_client.post(url + "write/", {"version": p.version - 1, "body": "Trả lời", "submit": "1"})
    assert r.status_code == 409 and "changed by someone else" in r.content.decode()
    assert not Answer.objects.exists()
    r = agency_client.post(url + "write/", {"version": p.version, "body": "Trả lời", "submit": "1"})
    assert r.status_code == 302 and Answer.objects.get().state == "submitted"

    p = services.petition_act(petition=Petition.objects.get(pk=p.pk), action="answer", by=board_user)
    r = client_for(enterprise_user).post(url + "rate/", {"version": p.version - 1, "satisfied": "no"})
    assert r.status_code == 409 and Petition.objects.get(pk=p.pk).satisfied is None


def test_the_agency_answers_and_the_board_returns_then_approves(
    petition, board_user, agency, agency_user, enterprise_user
):
    p = assigned(petition, board_user, agency)
    agency_client, board = client_for(agency_user), client_for(board_user)
    url = f"/petitions/{p.reference}/"
    assert agency_client.post(url + "do/start/", {"version": p.version}).status_code == 302
    p.refresh_from_db()
    r = agency_client.post(url + "do/write/", {"version": p.version, "body": "", "submit": "1"})
    assert r.status_code == 200 and 'id="id_write_body_error"' in r.content.decode()
    assert agency_client.post(url + "do/write/", {"version": p.version, "body": "Bản nháp"}).status_code == 302
    assert Answer.objects.get().state == "draft"
    p.refresh_from_db()
    assert (
        agency_client.post(url + "do/write/", {"version": p.version, "body": "Đã đấu nối", "submit": "1"}).status_code
        == 302
    )
    answer = Answer.objects.get()
    assert answer.state == "submitted"
    p.refresh_from_db()
    # returning needs a note
    r = board.post(f"{url}answers/{answer.pk}/return/", {"version": p.version, "note": ""})
    assert r.status_code == 200 and f'id="id_return-{answer.pk}_note_error"' in r.content.decode()
    assert (
        board.post(
            f"{url}answers/{answer.pk}/return/", {"version": p.version, "note": "Ghi rõ ngày đấu nối"}
        ).status_code
        == 302
    )
    answer.refresh_from_db()
    assert answer.state == "returned"
    assert "Ghi rõ ngày đấu nối" not in client_for(enterprise_user).get(url).content.decode()
    p.refresh_from_db()
    agency_client.post(url + "do/write/", {"version": p.version, "body": "Đã đấu nối ngày 20/11", "submit": "1"})
    p.refresh_from_db()
    assert board.post(url + "do/answer/", {"version": p.version}).status_code == 302
    p.refresh_from_db()
    assert p.status == "answered"
    owner = client_for(enterprise_user).get(url).content.decode()
    assert "Đã đấu nối ngày 20/11" in owner


def test_the_enterprise_rates_and_closes(petition, board_user, agency, agency_user, enterprise_user):
    p = answered(petition, board_user, agency, agency_user)
    client = client_for(enterprise_user)
    url = f"/petitions/{p.reference}/do/"
    assert (
        client.post(url + "rate/", {"version": p.version, "satisfied": "yes", "comment": "Cảm ơn"}).status_code == 302
    )
    p.refresh_from_db()
    assert p.satisfied is True
    assert client.post(url + "close/", {"version": p.version}).status_code == 302
    p.refresh_from_db()
    assert p.status == "closed"
    # a reopen needs a reason
    r = client.post(url + "reopen/", {"version": p.version, "reason": ""})
    assert r.status_code == 200 and Petition.objects.get(pk=p.pk).status == "closed"


def test_pause_resume_and_extend(petition, board_user, agency, agency_user):
    p = assigned(petition, board_user, agency)
    client = client_for(agency_user)
    url = f"/petitions/{p.reference}/"
    assert client.post(url + "do/pause/", {"version": p.version, "reason": "Cần bản vẽ mặt bằng"}).status_code == 302
    p.refresh_from_db()
    assert p.paused_at is not None
    assert 'data-badge="paused"' in client.get(url).content.decode()
    assert client.post(url + "do/resume/", {"version": p.version, "reason": ""}).status_code == 302
    p.refresh_from_db()
    assert p.paused_at is None
    assert (
        client.post(url + "do/extend/", {"version": p.version, "reason": "Cần khảo sát", "days": "5"}).status_code
        == 302
    )
    p.refresh_from_db()
    assert p.extended
    assert "extend" not in ops(client.get(url).content.decode())


def test_merge_asks_for_a_known_reference(petition, zone, enterprise_user, board_user):
    other = services.petition_submit(
        zone=zone, title="Trùng", body="Trùng", category="tax", enterprise=enterprise_user.enterprise
    )
    client = client_for(board_user)
    r = client.post(f"/petitions/{other.reference}/do/merge/", {"version": other.version, "into": "PAKN-1999-000009"})
    assert r.status_code == 200 and 'id="id_merge_into_error"' in r.content.decode()
    r = client.post(
        f"/petitions/{other.reference}/do/merge/", {"version": other.version, "into": petition.reference.lower()}
    )
    assert r.status_code == 302
    other.refresh_from_db()
    assert other.status == "merged" and other.merged_into == petition


# --- the public accountability page -------------------------------------------------------


def test_the_public_answers_page_shows_no_private_text(zone, board_user, agency, agency_user, enterprise_user, project):
    public = services.petition_submit(
        zone=zone,
        title="Tiêu đề riêng tư của người dân",
        body="Nội dung riêng tư: số nhà 17 ngõ 5",
        category="land",
        source="public",
        consent_version=1,
        petitioner_name="Lê Thị Riêng",
        petitioner_email="rieng.tu@example.vn",
        petitioner_phone="0987 654 321",
    )
    public = services.petition_act(
        petition=public, action="triage", by=board_user, confidential_note="Ghi chú mật 9,9 tỷ"
    )
    p = answered(public, board_user, agency, agency_user, text="Câu trả lời công khai về giải phóng mặt bằng")
    services.petition_act(petition=p, action="publish", by=board_user, public_summary="Đã bàn giao mặt bằng cho dân")
    unpublished = services.petition_submit(
        zone=zone, title=TITLE, body=BODY, category="infrastructure", enterprise=enterprise_user.enterprise
    )
    r = client_for().get("/answers/")
    html = r.content.decode()
    assert r.status_code == 200
    assert p.reference in html and "Đã bàn giao mặt bằng cho dân" in html
    assert "Câu trả lời công khai về giải phóng mặt bằng" in html
    for private in (
        "Tiêu đề riêng tư",
        "Nội dung riêng tư",
        "Lê Thị Riêng",
        "rieng.tu@example.vn",
        "0987 654 321",
        "Ghi chú mật",
        TITLE,
        BODY,
        enterprise_user.enterprise.name,
        unpublished.reference,
    ):
        assert private not in html, private
    # accent-insensitive search on the public text only
    assert p.reference in client_for().get("/answers/", {"q": "ban giao mat bang"}).content.decode()
    assert p.reference not in client_for().get("/answers/", {"q": "rieng tu"}).content.decode()
    assert p.reference in client_for().get("/answers/", {"q": p.reference}).content.decode()
    # the figures of the year and the charts' data
    year = p.year
    html = client_for().get("/answers/", {"year": year, "zone": "HHTP"}).content.decode()
    assert re.search(r'data-figure="received">\s*2\s*<', html)
    assert re.search(r'data-figure="resolved">\s*1\s*<', html)
    for chart in ("chart-petition-months", "chart-petition-ranking", "chart-petition-categories"):
        assert f'id="{chart}"' in html


def test_a_published_answer_stays_public_after_the_petition_is_closed(
    petition, board_user, agency, agency_user, enterprise_user
):
    p = answered(petition, board_user, agency, agency_user)
    p = services.petition_act(petition=p, action="publish", by=board_user, public_summary="Đã đấu nối điện")
    services.petition_act(petition=p, action="close", by=enterprise_user)
    assert p.reference in client_for().get("/answers/", {"q": "da dau noi"}).content.decode()


def test_the_answers_page_with_nothing_published(db):
    r = client_for().get("/answers/", {"year": "abc", "zone": "NOPE"})
    assert r.status_code == 200


def test_the_nav_links_follow_the_role(db, enterprise_user, agency_user, board_user):
    def nav(user=None) -> str:
        html = client_for(user).get("/").content.decode()
        return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)

    anonymous = nav()
    assert 'href="/answers/"' in anonymous and 'href="/petitions/new/"' in anonymous
    assert 'href="/petitions/"' not in anonymous and 'href="/portal/petitions/"' not in anonymous
    enterprise = nav(enterprise_user)
    assert 'href="/portal/petitions/"' in enterprise and 'href="/petitions/new/"' not in enterprise
    assert 'href="/petitions/"' not in enterprise
    for user in (agency_user, board_user):
        html = nav(user)
        assert 'href="/petitions/"' in html and 'href="/answers/"' in html
        assert 'href="/portal/petitions/"' not in html and 'href="/petitions/new/"' not in html


def test_attaching_a_file_on_the_petition_page(
    zone, project, enterprise_user, other_enterprise_user, client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zonedesk.petitions import services as psvc
    from zonedesk.petitions.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    p = psvc.petition_submit(
        zone=zone,
        title="Hồ sơ PCCC",
        body="Thẩm duyệt chậm",
        category="construction",
        enterprise=enterprise_user.enterprise,
    )
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
        b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n98\n%%EOF\n"
    )
    client.force_login(enterprise_user)
    r = client.post(f"/petitions/{p.reference}/attachments/", {"file": SimpleUploadedFile("bien-ban.pdf", pdf)})
    assert r.status_code == 302
    page = client.get(f"/petitions/{p.reference}/").content.decode()
    assert "bien-ban.pdf" in page and Attachment.objects.get().confidential is False
    fake = client.post(
        f"/petitions/{p.reference}/attachments/",
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200), "confidential": "on"},
    )
    assert fake.status_code == 302 and Attachment.objects.count() == 1
    client.force_login(other_enterprise_user)
    assert (
        client.post(f"/petitions/{p.reference}/attachments/", {"file": SimpleUploadedFile("x.pdf", pdf)}).status_code
        == 404
    )


def test_merged_into_another_enterprises_petition_shows_no_reference(
    zone, enterprise_user, other_enterprise_user, board_user
):
    theirs = services.petition_submit(
        zone=zone,
        title="Mất điện",
        body="Mất điện cả khu",
        category="infrastructure",
        enterprise=other_enterprise_user.enterprise,
        by=other_enterprise_user,
    )
    mine = services.petition_submit(
        zone=zone,
        title="Mất điện xưởng",
        body="Mất điện từ sáng",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
    )
    services.petition_act(petition=mine, action="merge", by=board_user, into=theirs, reason="Cùng sự cố mất điện.")
    page = client_for(enterprise_user).get(f"/petitions/{mine.reference}/").content.decode()
    assert theirs.reference not in page
    assert "another petition on the same difficulty" in page
    board = client_for(board_user).get(f"/petitions/{mine.reference}/").content.decode()
    assert theirs.reference in board


def test_the_boards_return_note_never_reaches_the_enterprise(
    petition, board_user, agency, agency_user, enterprise_user
):
    assigned_petition = assigned(petition, board_user, agency)
    answer = services.answer_write(petition=assigned_petition, by=agency_user, body="Bản nháp thứ nhất.", submit=True)
    services.answer_return(answer=answer, by=board_user, note="NỘI BỘ: thiếu số liệu của Điện lực.")
    services.answer_write(petition=petition, by=agency_user, body="Đã đấu nối xong ngày 20/11.", submit=True)
    services.petition_act(petition=Petition.objects.get(pk=petition.pk), action="answer", by=board_user)
    client = client_for(enterprise_user)
    detail = client.get(f"/api/v1/petitions/{petition.reference}").json()
    assert [(a["body"], a["review_note"]) for a in detail["answers"]] == [("Đã đấu nối xong ngày 20/11.", "")]
    assert "NỘI BỘ" not in client.get(f"/petitions/{petition.reference}/").content.decode()
    board = client_for(board_user).get(f"/api/v1/petitions/{petition.reference}").json()
    assert [a["review_note"] for a in board["answers"]] == ["NỘI BỘ: thiếu số liệu của Điện lực."]

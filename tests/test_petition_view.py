"""A petition read by each role: its page and `GET /api/v1/petitions/{reference}` show the same
answers, the same timeline (with the same reasons), the same private fields and the same files
(`petitions.selectors.petition_view_for`, the one read model both use)."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zonedesk.petitions import attachments, services
from zonedesk.petitions.models import Petition

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n98\n%%EOF\n"
)
NOTE = "Ghi chú mật: thiệt hại 4,2 tỷ đồng mỗi tháng"
RETURNED = "NỘI BỘ: thiếu số liệu của Điện lực"


def client_for(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def page_view(html: str) -> dict:
    """What the petition page shows, read from its markup."""
    return {
        "answers": sorted(int(x) for x in re.findall(r'<article class="answer [^"]*" id="answer-(\d+)"', html)),
        "review_notes": sorted(
            _text(n).removeprefix("Board's note:").strip()
            for n in re.findall(r'<p class="answer-note">(.*?)</p>', html, re.S)
        ),
        "events": re.findall(r'<li data-event="(\w+)"', html),
        "reasons": [_text(r) for r in re.findall(r'<span class="event-reason">(.*?)</span>', html, re.S)],
        "confidential_note": NOTE in html,
        "petitioner": "cong.pham@example.vn" in html,
        "files": sorted(int(x) for x in re.findall(r'href="/api/v1/attachments/(\d+)"', html)),
    }


def api_view(client: Client, reference: str) -> dict:
    """What the API answers for the same petition and reader."""
    detail = client.get(f"/api/v1/petitions/{reference}").json()
    files = client.get(f"/api/v1/petitions/{reference}/attachments").json()
    return {
        "answers": sorted(a["id"] for a in detail["answers"]),
        "review_notes": sorted(a["review_note"] for a in detail["answers"] if a["review_note"]),
        "events": [e["action"] for e in detail["events"]],
        "reasons": [e["reason"] for e in detail["events"] if e["reason"]],
        "confidential_note": bool(detail["confidential_note"]),
        "petitioner": bool(detail["petitioner"]) and detail["petitioner"]["email"] == "cong.pham@example.vn",
        "files": sorted(f["id"] for f in files),
    }


@pytest.fixture
def handled(zone, project, enterprise_user, board_user, agency, agency_user, other_agency, other_agency_user, media):
    """An enterprise's petition in the middle of its handling: a confidential note, a lead and a
    coordinating agency, the coordinating agency's contribution submitted, the lead's answer
    returned by the board with an internal note and submitted again, two files."""
    p = services.petition_submit(
        zone=zone,
        title="Chậm đấu nối điện 22kV cho nhà xưởng số 3",
        body="Doanh nghiệp nộp hồ sơ từ tháng 8, chưa được cấp điện.",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
        project=project,
    )
    attachments.attachment_add(
        petition=p, by=enterprise_user, upload=SimpleUploadedFile("bien-ban.pdf", PDF), confidential=False
    )
    p = services.petition_act(petition=p, action="triage", by=board_user, confidential_note=NOTE)
    p = services.petition_act(
        petition=p, action="assign", by=board_user, lead_agency=agency, coordinating_agencies=[other_agency]
    )
    p = services.petition_act(petition=p, action="start", by=agency_user)
    services.answer_write(
        petition=p, by=other_agency_user, body="Góp ý của EVN: đã có phương án cấp điện.", submit=True
    )
    first = services.answer_write(petition=p, by=agency_user, body="Bản thứ nhất.", submit=True)
    services.answer_return(answer=first, by=board_user, note=RETURNED)
    services.answer_write(petition=p, by=agency_user, body="Đã đấu nối xong ngày 20/11.", submit=True)
    attachments.attachment_add(
        petition=Petition.objects.get(pk=p.pk), by=board_user, upload=SimpleUploadedFile("mat.pdf", PDF)
    )
    return Petition.objects.get(pk=p.pk)


@pytest.mark.parametrize("who", ["board", "leader", "admin", "lead", "coordinating", "owner"])
def test_the_page_and_the_api_show_each_role_the_same_petition(
    request, handled, who, board_user, leader_user, admin_user, agency_user, other_agency_user, enterprise_user
):
    user = {
        "board": board_user,
        "leader": leader_user,
        "admin": admin_user,
        "lead": agency_user,
        "coordinating": other_agency_user,
        "owner": enterprise_user,
    }[who]
    client = client_for(user)
    page = client.get(f"/petitions/{handled.reference}/")
    assert page.status_code == 200
    shown, served = page_view(page.content.decode()), api_view(client, handled.reference)
    assert shown == served, who

    contribution = handled.answers.get(is_contribution=True)
    # the lead agency consolidates the contributions sent to it: it reads them, in both
    assert (contribution.pk in served["answers"]) == (who in {"board", "leader", "admin", "lead", "coordinating"})
    # the enterprise reads no answer before the board approves one, and never the board's internal note
    if who == "owner":
        assert served["answers"] == [] and RETURNED not in served["reasons"] and not served["confidential_note"]
    else:
        assert RETURNED in served["reasons"] and served["confidential_note"]
    assert len(served["files"]) == 2


def test_after_approval_the_page_and_the_api_still_agree(
    handled, board_user, agency_user, other_agency_user, enterprise_user
):
    services.petition_act(petition=handled, action="answer", by=board_user)
    for user in (board_user, agency_user, other_agency_user, enterprise_user):
        client = client_for(user)
        shown = page_view(client.get(f"/petitions/{handled.reference}/").content.decode())
        assert shown == api_view(client, handled.reference), user.username
    owner = api_view(client_for(enterprise_user), handled.reference)
    assert [handled.answers.get(state="approved", is_contribution=False).pk] == owner["answers"]


def test_a_public_petitioners_contact_is_for_the_board_side_in_both(zone, board_user, leader_user, agency, agency_user):
    p = services.petition_submit(
        zone=zone,
        title="Hỏi về thuế",
        body="Nội dung",
        category="tax",
        source="public",
        consent_version=1,
        petitioner_name="Phạm Văn Công",
        petitioner_email="cong.pham@example.vn",
    )
    p = services.petition_act(petition=p, action="triage", by=board_user)
    services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    for user, sees in ((board_user, True), (leader_user, True), (agency_user, False)):
        client = client_for(user)
        shown = page_view(client.get(f"/petitions/{p.reference}/").content.decode())
        served = api_view(client, p.reference)
        assert shown == served and served["petitioner"] is sees, user.username


def test_who_may_not_read_it_gets_nothing_from_either(handled, other_enterprise_user):
    anonymous = client_for()
    assert anonymous.get(f"/petitions/{handled.reference}/").status_code == 302  # to the login page
    assert anonymous.get(f"/api/v1/petitions/{handled.reference}").status_code == 401
    other = client_for(other_enterprise_user)
    assert other.get(f"/petitions/{handled.reference}/").status_code == 404
    assert other.get(f"/api/v1/petitions/{handled.reference}").status_code == 404

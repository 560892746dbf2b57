"""Issue 22, item 8: a petition's public summary is blank until the board writes one.

The title names the enterprise and its project, so it is never the default: the publish form
starts empty and offers a suggestion with the names masked, and publishing without a summary is
refused by the service, on the page and in the API, with a message that says why.
"""

from __future__ import annotations

import html as htmlmod
import json
import re

import pytest
from django.utils import translation

from tests.test_petition_pages import answered, client_for
from zonedesk.petitions import services
from zonedesk.petitions.models import Petition
from zonedesk.petitions.summary import MASK, mask, organisation_names, person_names, suggested_summary

pytestmark = pytest.mark.django_db

NO_SUMMARY = "Not published: the public summary is empty."


@pytest.fixture
def named(zone, project, enterprise_user):
    """A petition whose title names its enterprise, its project and a contact, as titles do."""
    enterprise = enterprise_user.enterprise
    title = f"{enterprise.name} chậm được cấp điện cho {project.name_vi}; liên hệ 0912 345 678, ketoan@so1.example.vn"
    return services.petition_submit(
        zone=zone,
        title=title,
        body="Hồ sơ nộp từ tháng 8, thiệt hại 4,2 tỷ đồng mỗi tháng.",
        category="infrastructure",
        enterprise=enterprise,
        by=enterprise_user,
        project=project,
    )


def _publish_card(html: str) -> str:
    start = html.index('id="act-publish"')
    return html[start : html.index("</section>", start)]


def test_the_publish_form_starts_blank_and_suggests_a_summary_without_names(
    named, project, board_user, agency, agency_user
):
    p = answered(named, board_user, agency, agency_user)
    html = client_for(board_user).get(f"/petitions/{p.reference}/").content.decode()
    card = _publish_card(html)
    field = re.search(r'<textarea name="public_summary"[^>]*>(.*?)</textarea>', card, re.S)
    assert field is not None and field.group(1).strip() == "", "the summary is blank until the board writes it"
    suggestion = htmlmod.unescape(re.search(r"<blockquote>(.*?)</blockquote>", card, re.S).group(1)).strip()
    assert suggestion == f"{MASK} chậm được cấp điện cho {MASK}; liên hệ {MASK}"
    fill = re.search(
        r'<button type="button" class="button" data-fill="id_publish_public_summary" data-text="([^"]*)"', card
    )
    assert fill and htmlmod.unescape(fill.group(1)) == suggestion
    assert "Nothing is published without it." in card


def test_publishing_without_a_summary_is_refused_on_the_page(named, board_user, agency, agency_user):
    p = answered(named, board_user, agency, agency_user)
    client = client_for(board_user)
    r = client.post(f"/petitions/{p.reference}/do/publish/", {"version": p.version, "public_summary": "  "})
    assert r.status_code == 200
    card = _publish_card(r.content.decode())
    assert NO_SUMMARY in htmlmod.unescape(card)
    p = Petition.objects.get(pk=p.pk)
    assert p.status == "answered" and p.published_at is None and p.public_summary == ""
    assert p.reference not in client_for().get("/answers/").content.decode()
    # written by the board, it is published
    r = client.post(
        f"/petitions/{p.reference}/do/publish/",
        {"version": p.version, "public_summary": "Doanh nghiệp chậm được cấp điện cho nhà xưởng."},
    )
    assert r.status_code == 302
    p = Petition.objects.get(pk=p.pk)
    assert p.status == "published" and p.public_summary == "Doanh nghiệp chậm được cấp điện cho nhà xưởng."


def test_publishing_without_a_summary_is_refused_in_the_api(named, board_user, agency, agency_user):
    p = answered(named, board_user, agency, agency_user)
    client = client_for(board_user)
    url = f"/api/v1/petitions/{p.reference}/actions"
    for body in (
        {"action": "publish", "version": p.version},
        {"action": "publish", "version": p.version, "public_summary": ""},
    ):
        r = client.post(url, json.dumps(body), content_type="application/json")
        assert r.status_code == 422, r.content
        assert r.json()["errors"]["public_summary"][0].startswith(NO_SUMMARY)
    p = Petition.objects.get(pk=p.pk)
    assert p.published_at is None and p.public_summary == ""
    r = client.post(
        url,
        json.dumps({"action": "publish", "version": p.version, "public_summary": "Chậm cấp điện cho nhà xưởng."}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "published"


def test_the_refusal_is_in_vietnamese_for_a_vietnamese_reader(named, board_user, agency, agency_user):
    from zonedesk.core.errors import ServiceError

    p = answered(named, board_user, agency, agency_user)
    with translation.override("vi"), pytest.raises(ServiceError) as refused:
        services.petition_act(petition=p, action="publish", by=board_user, public_summary="")
    message = refused.value.message_dict["public_summary"][0]
    assert message.startswith("Chưa công bố") and "tóm tắt" in message


# --- the masking itself -----------------------------------------------------------------


def test_mask_finds_names_in_any_case_with_or_without_accents():
    names = organisation_names("Công ty Cổ phần FPT") | organisation_names("Tập đoàn Vingroup – Công ty Cổ phần")
    names |= organisation_names("Công ty Cổ phần Công nghệ Công nghiệp Bưu chính Viễn thông (VNPT Technology)")
    names |= person_names("Lê Thị Riêng")
    text = (
        "FPT và cong ty co phan fpt, VINGROUP, VNPT Technology cùng bà Riêng (le thi rieng) đề nghị; "
        "gọi +84 912 345 678 hoặc 024.3333.4444; thư: a.b@x.vn"
    )
    assert mask(text, names) == f"{MASK} và {MASK} cùng {MASK} ({MASK}) đề nghị; gọi {MASK} hoặc {MASK}; thư: {MASK}"


def test_mask_leaves_amounts_dates_and_ordinary_words():
    text = "Thiệt hại 4,2 tỷ đồng (1.500.000.000 đồng) từ 15/08/2026, lô CN-05, 0,5 ha tại Hòa Lạc, Việt Nam"
    assert mask(text, organisation_names("Công ty TNHH Nidec Hòa Lạc Việt Nam (minh họa)")) == text
    assert (
        mask("Nidec đề nghị cấp điện", organisation_names("Công ty TNHH Nidec Hòa Lạc")) == f"{MASK} đề nghị cấp điện"
    )


def test_the_suggestion_masks_a_public_petitioners_name(zone):
    p = services.petition_submit(
        zone=zone,
        title="Nguyễn Văn Bình phản ánh ngập nước đường vào khu",
        body="Nội dung",
        category="infrastructure",
        source="public",
        consent_version=1,
        petitioner_name="Nguyễn Văn Bình",
        petitioner_email="binh@example.vn",
    )
    assert suggested_summary(p) == f"{MASK} phản ánh ngập nước đường vào khu"

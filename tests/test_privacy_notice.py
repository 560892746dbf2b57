"""Issue 23, item 1: the privacy notice and the consent of a public petitioner.

The public petition form shows the short notice of the version in force with a link to the full
page and an unticked consent box; a petition is not filed without the box, nor with a version of
the notice that is no longer in force (the person is shown the new one and asked again); the
petition records the version and the time. The board publishes a new version (never edits one)
and earlier consents keep theirs. The privacy page shows the version in force and every earlier
one, and every page's footer links to it. The API and the service refuse a public petition
without consent too.
"""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from zonedesk.core.errors import ConflictError, ServiceError
from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Petition
from zonedesk.privacy import notice_v1
from zonedesk.privacy import services as privacy
from zonedesk.privacy.models import PrivacyNotice

pytestmark = pytest.mark.django_db

FORM = {
    "petitioner_name": "Nguyễn Thị Hoa",
    "petitioner_email": "hoa@example.vn",
    "zone": "HHTP",
    "title": "Đèn chiếu sáng đường nội khu không hoạt động",
    "body": "Đèn đường trên trục chính tắt từ 22 giờ, đề nghị Ban kiểm tra.",
    "category": "infrastructure",
    "publish_allowed": "on",
}


def client_for(user=None, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _hidden_version(html: str) -> str:
    return re.search(r'<input type="hidden" name="consent_version" value="(\d+)"', html).group(1)


def _consent_box(html: str) -> str:
    return re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group(0)


def _publish(by, n: int) -> PrivacyNotice:
    return privacy.notice_publish(
        by=by,
        summary_vi=f"Tóm tắt thông báo phiên bản {n}.",
        summary_en=f"Short notice of version {n}: we changed how long contacts are kept.",
        text_vi=f"## Mục {n}\n\nNội dung đầy đủ của phiên bản {n}.",
        text_en=f"## Part {n}\n\nThe full text of version {n}.",
    )


def test_a_fresh_install_has_version_1_with_real_text_in_both_languages(db):
    notice = privacy.notice_current()
    assert notice.version == 1 and PrivacyNotice.objects.count() == 1
    assert "91/2025/QH15" in notice.text_vi and "356/2025/NĐ-CP" in notice.text_en
    assert "Ban Quản lý" in notice.summary_vi and "quyền" in notice.text_vi and "/privacy/" in notice.text_en
    assert 3 <= len(notice.summary_vi.splitlines()) <= 6 and 3 <= len(notice.summary_en.splitlines()) <= 6


def test_the_form_shows_the_short_notice_and_an_unticked_box(zone):
    html = client_for().get("/petitions/new/").content.decode()
    current = privacy.notice_current()
    assert notice_v1.SUMMARY_EN.splitlines()[0] in html.replace("&#x27;", "'")
    assert 'href="/privacy/"' in html
    assert _hidden_version(html) == str(current.version)
    assert "checked" not in _consent_box(html) and "required" in _consent_box(html)
    vi = client_for(language="vi").get("/petitions/new/").content.decode()
    assert notice_v1.SUMMARY_VI.splitlines()[1] in vi


def test_a_petition_without_the_box_ticked_is_refused_beside_it_and_nothing_is_saved(zone):
    client = client_for()
    version = _hidden_version(client.get("/petitions/new/").content.decode())
    r = client.post("/petitions/new/", FORM | {"consent_version": version})
    assert r.status_code == 200 and Petition.objects.count() == 0
    html = r.content.decode()
    assert 'id="id_consent_error"' in html
    error = re.search(r'<ul class="errorlist" id="id_consent_error"><li>(.*?)</li>', html).group(1)
    assert "Tick the box to agree to the privacy notice" in error
    # in Vietnamese too
    vi = client_for(language="vi").post("/petitions/new/", FORM | {"consent_version": version}).content.decode()
    assert "Đánh dấu vào ô" in re.search(r'id="id_consent_error"><li>(.*?)</li>', vi).group(1)
    assert Petition.objects.count() == 0


def test_a_petition_with_the_box_ticked_records_the_version_and_the_time(zone):
    client = client_for()
    version = _hidden_version(client.get("/petitions/new/").content.decode())
    before = timezone.now()
    r = client.post("/petitions/new/", FORM | {"consent_version": version, "consent": "on"})
    assert r.status_code == 302 and r["Location"] == "/petitions/new/thanks/"
    p = Petition.objects.get()
    assert p.consent_notice == privacy.notice_current() and p.consent_notice.version == int(version)
    assert before <= p.consent_given_at <= timezone.now() and p.consent_given_at == p.received_at
    assert p.consent_withdrawn_at is None


def test_a_version_published_while_the_person_typed_is_refused_and_the_new_notice_shown(zone, board_user):
    client = client_for()
    version = _hidden_version(client.get("/petitions/new/").content.decode())  # version 1
    new = _publish(board_user, 2)
    r = client.post("/petitions/new/", FORM | {"consent_version": version, "consent": "on"})
    assert r.status_code == 200 and Petition.objects.count() == 0
    html = r.content.decode()
    error = re.search(r'id="id_consent_error"><li>(.*?)</li>', html).group(1)
    assert "The privacy notice has changed (version 2)" in error
    assert new.summary_en in html  # the new notice is shown
    assert _hidden_version(html) == "2" and "checked" not in _consent_box(html)  # and asked again
    assert FORM["title"] in html  # what the person typed is kept
    # consenting to the new one files it, with that version
    r = client.post("/petitions/new/", FORM | {"consent_version": "2", "consent": "on"})
    assert r.status_code == 302 and Petition.objects.get().consent_notice == new


def test_publishing_makes_a_new_version_and_earlier_consents_keep_theirs(zone, board_user):
    first = privacy.notice_current()
    assert client_for().post("/petitions/new/", FORM | {"consent_version": "1", "consent": "on"}).status_code == 302
    filed = Petition.objects.get()
    texts = (first.summary_vi, first.summary_en, first.text_vi, first.text_en)
    second = _publish(board_user, 2)
    assert second.version == first.version + 1 and privacy.notice_current() == second
    first.refresh_from_db()
    assert (first.summary_vi, first.summary_en, first.text_vi, first.text_en) == texts  # never edited
    filed.refresh_from_db()
    assert filed.consent_notice == first and filed.consent_notice.version == 1
    # the same text again is not a new version; a stale page is refused
    with pytest.raises(ServiceError):
        privacy.notice_publish(
            by=board_user,
            summary_vi=second.summary_vi,
            summary_en=second.summary_en,
            text_vi=second.text_vi,
            text_en=second.text_en,
        )
    with pytest.raises(ConflictError):
        privacy.notice_publish(by=board_user, summary_vi="a", summary_en="b", text_vi="c", text_en="d", based_on=1)
    assert PrivacyNotice.objects.count() == 2


def test_the_board_publishes_from_its_page_prefilled_with_the_current_text(board_user):
    client = client_for(board_user)
    page = client.get("/privacy/publish/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Publish version 2" in html and "Consents given earlier keep the version" in html
    current = privacy.notice_current()
    assert current.text_en.splitlines()[0].replace("'", "&#x27;") in html
    assert 'name="based_on" value="1"' in html
    data = {
        "summary_vi": current.summary_vi,
        "summary_en": current.summary_en + "\nContact: privacy@bql.example.vn.",
        "text_vi": current.text_vi,
        "text_en": current.text_en,
        "based_on": "1",
    }
    r = client.post("/privacy/publish/", data)
    assert r.status_code == 302 and r["Location"] == "/privacy/"
    notice = privacy.notice_current()
    assert notice.version == 2 and notice.published_by == board_user and "privacy@bql" in notice.summary_en
    # the same page sent again from version 1 is refused: version 2 exists
    again = client.post("/privacy/publish/", data | {"summary_en": "Other"})
    assert again.status_code == 409 and PrivacyNotice.objects.count() == 2


def test_only_board_officers_and_admins_publish(enterprise_user, agency_user, leader_user, admin_user, board_user):
    r = client_for().get("/privacy/publish/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    for user in (enterprise_user, agency_user, leader_user):
        client = client_for(user)
        assert client.get("/privacy/publish/").status_code == 403
        assert client.post("/privacy/publish/", {"summary_vi": "x", "based_on": "1"}).status_code == 403
        with pytest.raises(PermissionDenied):
            _publish(user, 2)
    assert client_for(admin_user).get("/privacy/publish/").status_code == 200
    assert PrivacyNotice.objects.count() == 1


def test_the_privacy_page_shows_the_version_in_force_and_the_earlier_ones(board_user):
    html = client_for().get("/privacy/").content.decode()
    assert 'data-notice-version="1"' in html and "Version 1, published on" in html
    assert "<h2>1. Who is responsible</h2>" in html and "Publish a new version" not in html
    vi = client_for(language="vi").get("/privacy/").content.decode()
    assert "<h2>1. Bên kiểm soát và xử lý dữ liệu</h2>" in vi
    assert "<h2>1. Bên kiểm soát" in client_for().get("/privacy/?text=vi").content.decode()
    _publish(board_user, 2)
    html = client_for().get("/privacy/").content.decode()
    assert 'data-notice-version="2"' in html and "<h2>Part 2</h2>" in html
    assert 'href="/privacy/v1/"' in html
    old = client_for().get("/privacy/v1/").content.decode()
    assert 'data-notice-version="1"' in old and "Earlier version" in old and "<h2>1. Who is responsible</h2>" in old
    assert client_for().get("/privacy/v9/").status_code == 404
    assert "Publish a new version" in client_for(board_user).get("/privacy/").content.decode()


def test_the_footer_links_to_the_privacy_page(zone, board_user):
    footer = re.compile(r'<footer class="site-footer">.*href="/privacy/"', re.S)
    assert footer.search(client_for().get("/").content.decode())
    assert footer.search(client_for().get("/petitions/new/").content.decode())
    assert footer.search(client_for(board_user).get("/dashboard/").content.decode())


def test_the_api_refuses_a_public_petition_without_consent(zone):
    client = client_for()

    def post(data):
        return client.post("/api/v1/petitions", data=json.dumps(data), content_type="application/json")

    body = {k: v for k, v in FORM.items() if k != "publish_allowed"}
    missing = post(body)
    assert missing.status_code == 422 and "consent_version" in missing.json()["errors"]
    stale = post(body | {"consent_version": 7})
    assert stale.status_code == 422 and "version 1" in stale.json()["errors"]["consent_version"][0]
    assert Petition.objects.count() == 0
    notice = client.get("/api/v1/privacy/notice").json()
    assert notice["version"] == 1 and notice["summary_vi"] == notice_v1.SUMMARY_VI
    filed = post(body | {"consent_version": notice["version"]})
    assert filed.status_code == 201
    assert Petition.objects.get().consent_notice.version == 1


def test_the_service_refuses_a_public_petition_without_consent_but_not_an_enterprise_one(zone, enterprise_user):
    fields = {"zone": zone, "title": "Hỏi thủ tục", "body": "Nội dung", "category": "other"}
    contact = {"petitioner_name": "Lê Văn C", "petitioner_phone": "0912345678"}
    with pytest.raises(ServiceError) as refused:
        petitions.petition_submit(source="public", **fields, **contact)
    assert "consent_version" in refused.value.message_dict and Petition.objects.count() == 0
    with pytest.raises(ServiceError):
        petitions.petition_submit(source="public", consent_version=2, **fields, **contact)
    p = petitions.petition_submit(source="public", consent_version=1, **fields, **contact)
    assert p.consent_notice.version == 1 and p.consent_given_at == p.received_at
    mine = petitions.petition_submit(**fields, by=enterprise_user, enterprise=enterprise_user.enterprise)
    assert mine.consent_notice is None and mine.consent_given_at is None


def test_a_database_without_a_notice_gets_version_1_back(db):
    PrivacyNotice.objects.all().delete()
    assert privacy.notice_current().version == 1 and privacy.notice_current().text_vi == notice_v1.TEXT_VI


def test_the_demos_public_petitions_consented_to_version_1_when_filed(demo_everything):
    public = Petition.objects.filter(source="public")
    assert public.exists()
    assert not public.exclude(consent_notice__version=1).exists()
    assert all(p.consent_given_at == p.received_at for p in public)
    assert not Petition.objects.exclude(source="public").filter(consent_notice__isnull=False).exists()


def test_the_privacy_page_says_how_to_use_ones_rights_and_how_long_data_is_kept(board_user, enterprise_user):
    from zonedesk.privacy.retention_services import retention_rule_update

    html = client_for(language="vi").get("/privacy/").content.decode()
    rights = html[html.index('id="rights"') : html.index('id="retention"')]
    assert 'href="/privacy/my-data/"' in rights  # the private link, for someone without an account
    assert 'href="/login/?next=/account/my-data/"' in rights
    assert 'href="/account/my-data/"' in client_for(enterprise_user).get("/privacy/").content.decode()
    kept = re.search(r'<tr data-retention="petitioner_contacts">.*?</tr>', html, re.S).group(0)
    assert "24 tháng" in kept
    # the board's rule in force, not a default written in the page
    retention_rule_update(kind="petitioner_contacts", months=18, by=board_user)
    html = client_for(language="vi").get("/privacy/").content.decode()
    assert "18 tháng" in re.search(r'<tr data-retention="petitioner_contacts">.*?</tr>', html, re.S).group(0)
    assert 'data-retention="rejected_dossier_files"' not in html  # declared, applied to nothing yet

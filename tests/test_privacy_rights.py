"""Issue 23, item 2: a person's rights over their personal data. A public petitioner reaches theirs
through the private link of their e-mails (signed, expiring, killed by a newer link and by the
erasure), sees it, corrects it, withdraws consent, downloads it and has it erased; a person with
an account does the same from their account page, erasure being a request to the board."""

from __future__ import annotations

import inspect
import json
import re
import time

import pytest
from auditlog.models import LogEntry
from django.core import signing
from django.test import Client
from django.utils import timezone

from tests.conftest import stored_files
from tests.test_attachments import make_pdf, upload
from tests.test_petition_background import run_worker, with_worker
from zonedesk.petitions import services
from zonedesk.petitions.models import Attachment, Notification, Petition
from zonedesk.privacy import rights_selectors, rights_services
from zonedesk.privacy.models import PrivacyNotice

EMAIL = "nguyen.thi.hoa@example.vn"
PHONE = "0912 345 678"
LINK = re.compile(r"/privacy/my-data/([^/\s]+)/")


def _notice() -> PrivacyNotice:
    return PrivacyNotice.objects.get_or_create(
        version=1, defaults={"summary_vi": "tóm tắt", "summary_en": "summary", "text_vi": "văn bản", "text_en": "text"}
    )[0]


def file_public(zone, *, email=EMAIL, phone=PHONE, files=(), title="Đèn đường hỏng trước cổng khu", confidential=True):
    """A public petition, filed through the service, with the consent the form records (the
    version of the notice shown, where the service asks for it: issue 23, item 1)."""
    consent = {}
    if "consent_version" in inspect.signature(services.petition_submit).parameters:
        consent["consent_version"] = _notice().version
    p = services.petition_submit(
        **consent,
        zone=zone,
        title=title,
        body="Đoạn đường trước cổng số 2 không có đèn từ tuần trước, công nhân tan ca đêm rất nguy hiểm.",
        category="infrastructure",
        source="public",
        petitioner_name="Nguyễn Thị Hoa",
        petitioner_email=email,
        petitioner_phone=phone,
        attachments=list(files),
        attachments_confidential=confidential,
    )
    Petition.objects.filter(pk=p.pk).update(consent_notice=_notice(), consent_given_at=timezone.now())
    p.refresh_from_db()
    return p


def link_of(petition: Petition) -> str:
    """The path of the private link in the latest e-mail to the petitioner."""
    n = Notification.objects.filter(petition=petition, user__isnull=True).exclude(body="").order_by("-pk").first()
    found = LINK.search(n.body)
    assert found, n.body
    return found.group(0)


def _past_token(petition: Petition, days: int) -> str:
    """A link signed `days` days ago (the signer's own clock, set back)."""

    class Past(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 24 * 3600)

    return Past(salt=rights_selectors.SALT).sign_object(
        {"p": petition.pk, "k": petition.rights_link_key}, compress=True
    )


# --- the link -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_acknowledgement_carries_a_private_link_to_the_persons_data(zone, client):
    p = file_public(zone)
    ack = Notification.objects.get(petition=p, user__isnull=True)
    assert ack.email == EMAIL and "/privacy/my-data/" in ack.body
    r = client.get(link_of(p))
    assert r.status_code == 200
    html = r.content.decode()
    assert EMAIL in html and PHONE in html and "Nguyễn Thị Hoa" in html and p.reference in html
    assert r["Cache-Control"] == "no-store, private" and r["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_a_link_dies_when_expired_tampered_replaced_or_after_erasure(zone, client, settings):
    p = file_public(zone)
    path = link_of(p)
    token = LINK.search(path).group(1)
    assert client.get(path).status_code == 200
    # tampered: one character changed
    bad = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/privacy/my-data/{bad}/").status_code == 410
    # signed with another salt (another use of the site's key)
    other = signing.dumps({"p": p.pk, "k": p.rights_link_key}, salt="another.purpose", compress=True)
    assert client.get(f"/privacy/my-data/{other}/").status_code == 410
    # expired: signed 31 days ago with a 30-day lifetime; 29 days ago still works
    p.refresh_from_db()
    assert client.get(f"/privacy/my-data/{_past_token(p, 29)}/").status_code == 200
    assert client.get(f"/privacy/my-data/{_past_token(p, 31)}/").status_code == 410
    # a new link asked: the old one dies, the new one works
    rights_services.link_request(contact=EMAIL)
    new = link_of(p)
    assert new != path
    assert client.get(path).status_code == 410
    assert client.get(new).status_code == 200
    # after erasure: dead, and what it says is the same as for a forged link
    rights_services.petitioner_erase(petition=Petition.objects.get(pk=p.pk))
    r = client.get(new)
    assert r.status_code == 410 and "data-link-dead" in r.content.decode()
    assert client.post(new.replace("/my-data/", "/my-data/") + "correct/", {"name": "X"}).status_code == 410


@pytest.mark.django_db
def test_asking_a_link_answers_the_same_and_sends_only_for_a_known_contact(zone, client):
    p = file_public(zone)
    phone_only = file_public(zone, email="", phone="0987 654 321")
    before = Notification.objects.count()

    def ask(contact: str) -> str:
        r = client.post("/privacy/my-data/", {"contact": contact})
        assert r.status_code == 200
        html = r.content.decode()
        return re.sub(r'type="hidden" name="[^"]+" value="[^"]*"', "", html)  # the form's one-time tokens

    known, unknown = ask(EMAIL), ask("nobody@example.vn")
    assert known == unknown and "data-link-asked" in known
    assert Notification.objects.count() == before + 1  # one e-mail, for the known address
    sent = Notification.objects.order_by("-pk").first()
    assert sent.email == EMAIL and sent.petition_id == p.pk and LINK.search(sent.body)
    assert sent.user_id is None  # in no one's inbox
    # by phone: the link goes to the e-mail of the petition with that phone ("+84" written either way)
    assert ask("+84 912 345 678") == unknown
    assert Notification.objects.count() == before + 2
    assert Notification.objects.order_by("-pk").first().email == EMAIL
    # a phone-only petitioner: nothing sent anywhere, the same answer, and the page says why
    assert ask("0987654321") == unknown
    assert Notification.objects.count() == before + 2
    assert phone_only.rights_link_key == "" or Petition.objects.get(pk=phone_only.pk).rights_link_key == ""
    assert "SMS" in unknown
    # the address of the requests never enters the audit trail
    assert not LogEntry.objects.filter(changes__icontains="nobody@example.vn").exists()


@pytest.mark.django_db
def test_asking_links_is_rate_limited_per_address_and_per_contact(zone, client, settings):
    settings.PRIVACY_LINK_REQUEST_LIMIT = 2
    file_public(zone)
    codes = [client.post("/privacy/my-data/", {"contact": f"x{i}@example.vn"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]
    # from other addresses, the same contact: stopped after the limit too
    statuses = [
        Client(REMOTE_ADDR=f"10.0.0.{i}").post("/privacy/my-data/", {"contact": EMAIL}).status_code for i in range(3)
    ]
    assert statuses == [200, 200, 429]


# --- the petitioner's page ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_petitioner_corrects_their_phone_audited_without_the_values(zone, client):
    p = file_public(zone)
    path = link_of(p)
    read = p.version  # the version the page was read at (its hidden field)
    assert f'name="version" value="{read}"' in client.get(path).content.decode()
    r = client.post(
        path + "correct/", {"name": "Nguyễn Thị Hoa", "email": EMAIL, "phone": "0913 000 111", "version": read}
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.petitioner_phone == "0913 000 111"
    assert "0913 000 111" in client.get(path).content.decode()
    entry = LogEntry.objects.filter(object_pk=str(p.pk), additional_data__privacy__icontains="corrected").get()
    assert set(entry.changes) == {"petitioner_phone"}
    assert "0913" not in json.dumps(entry.changes) and "345" not in json.dumps(entry.changes)
    assert not LogEntry.objects.filter(changes__icontains="0913 000 111").exists()
    # a bad e-mail is refused beside its field, nothing written
    form = {"name": "Nguyễn Thị Hoa", "email": "not-an-address", "phone": "", "version": p.version}
    r = client.post(path + "correct/", form)
    assert r.status_code == 400 and 'id="id_email_error"' in r.content.decode()
    p.refresh_from_db()
    assert p.petitioner_email == EMAIL and p.petitioner_phone == "0913 000 111"
    # a page read before another change (here the first correction) is refused, nothing written
    r = client.post(
        path + "correct/", {"name": "Nguyễn Thị Hoa", "email": EMAIL, "phone": "0999 888 777", "version": read}
    )
    assert r.status_code == 409 and "tải lại trang" in r.content.decode()
    p.refresh_from_db()
    assert p.petitioner_phone == "0913 000 111"


@pytest.mark.django_db
def test_the_page_refuses_a_post_without_csrf(zone):
    p = file_public(zone)
    path = link_of(p)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(path + "erase/", {"confirm": "on"}).status_code == 403
    assert Petition.objects.get(pk=p.pk).personal_data_erased_at is None


@with_worker
def test_withdrawing_consent_stops_the_emails_but_not_the_petition(zone, board_user, agency, agency_user, mailoutbox):
    p = file_public(zone)
    run_worker()
    assert [m.to for m in mailoutbox] == [[EMAIL]]  # the acknowledgement
    client = Client()
    assert client.post(link_of(p) + "withdraw/").status_code == 302
    p.refresh_from_db()
    assert p.consent_withdrawn_at is not None
    # the petition is still handled, and nothing more reaches the petitioner
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    services.answer_write(petition=p, by=agency_user, body="Đã lắp đèn.", submit=True)
    p = services.petition_act(petition=p, action="answer", by=board_user)
    assert p.status == "answered"
    run_worker()
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert not Notification.objects.filter(petition=p, email=EMAIL, emailed_at__isnull=True).exists()
    # the board sees that the contacts are not used
    board = Client()
    board.force_login(board_user)
    html = board.get(f"/petitions/{p.reference}/").content.decode()
    assert "data-consent-withdrawn" in html and f"mailto:{EMAIL}" not in html


@pytest.mark.django_db
def test_the_json_download_holds_every_item_kept(zone, client, media):
    p = file_public(zone, files=[upload("giay-to.pdf", make_pdf(), "application/pdf")])
    r = client.get(link_of(p) + "export.json")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    data = json.loads(b"".join(r.streaming_content) if r.streaming else r.content)
    assert data["petitioner"] == {"name": "Nguyễn Thị Hoa", "email": EMAIL, "phone": PHONE}
    assert data["petition"]["reference"] == p.reference
    assert data["consent"]["notice_version"] == 1 and data["consent"]["given_at"]
    assert [a["name"] for a in data["attachments"]] == ["giay-to.pdf"]
    assert [n["email"] for n in data["notifications"]] == [EMAIL]


# --- erasure --------------------------------------------------------------------------------


def _answer_and_publish(p, board_user, agency, agency_user, answer="Sở Xây dựng đã lắp bổ sung 12 đèn chiếu sáng."):
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    services.answer_write(petition=p, by=agency_user, body=answer, submit=True)
    p = services.petition_act(petition=p, action="answer", by=board_user)
    return services.petition_act(
        petition=p, action="publish", by=board_user, public_summary="Người dân phản ánh thiếu đèn đường."
    )


@with_worker
def test_erasure_removes_the_contacts_everywhere_and_tells_the_person(zone, board_user, media, mailoutbox):
    p = file_public(zone, files=[upload("cccd-mat-truoc.pdf", make_pdf(), "application/pdf")])
    assert len(stored_files(media)) == 1
    client = Client()
    path = link_of(p)
    run_worker()
    mailoutbox.clear()
    r = client.post(path + "erase/", {})  # not confirmed: nothing erased
    assert r.status_code == 400
    assert Petition.objects.get(pk=p.pk).personal_data_erased_at is None
    r = client.post(path + "erase/", {"confirm": "on"})
    assert r.status_code == 302 and r["Location"] == "/privacy/my-data/erased/"
    assert p.reference in client.get(r["Location"]).content.decode()
    p.refresh_from_db()
    assert (p.petitioner_email, p.petitioner_phone) == ("", "")
    assert "Hoa" not in p.petitioner_name and p.personal_data_erased_at is not None
    assert p.title != "Đèn đường hỏng trước cổng khu" and "cổng số 2" not in p.body  # never published
    assert "cong so 2" not in p.search_text
    assert not Attachment.objects.filter(petition=p).exists() and stored_files(media) == []
    # the last e-mail, sent by the worker to the address they had, with nothing of the petition
    assert mailoutbox == []
    run_worker()
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert "Đèn đường" not in mailoutbox[0].body and "cổng" not in mailoutbox[0].body
    # then the address is kept nowhere
    assert not Notification.objects.filter(email=EMAIL).exists()
    assert not Petition.objects.filter(petitioner_email=EMAIL).exists()
    digits = "0912345678"
    assert not any(
        digits in re.sub(r"\D", "", ph) for ph in Petition.objects.values_list("petitioner_phone", flat=True)
    )
    # the audit trail says that it happened, by the petitioner, with none of the values
    entry = LogEntry.objects.filter(object_pk=str(p.pk), additional_data__privacy__icontains="erased").get()
    assert entry.actor_id is None and entry.object_repr == p.reference
    written = json.dumps(entry.changes, ensure_ascii=False) + (entry.object_repr or "")
    assert EMAIL not in written and "912" not in written and "Hoa" not in written and "Đèn" not in written
    # the board sees on the petition that the data was erased, and when
    board = Client()
    board.force_login(board_user)
    html = board.get(f"/petitions/{p.reference}/").content.decode()
    assert "data-erased" in html and EMAIL not in html


@pytest.mark.django_db
def test_erasure_keeps_the_published_answer_and_the_files_published_with_it(
    zone, board_user, agency, agency_user, media, client
):
    p = file_public(zone, files=[upload("anh-hien-truong.pdf", make_pdf(), "application/pdf")], confidential=False)
    private = file_public(zone, email="khac@example.vn", files=[upload("cccd.pdf", make_pdf(), "application/pdf")])
    p = _answer_and_publish(p, board_user, agency, agency_user)
    rights_services.petitioner_erase(petition=p)
    rights_services.petitioner_erase(petition=private)
    p.refresh_from_db()
    assert p.published_at is not None and p.title == "Đèn đường hỏng trước cổng khu"  # the public record stays
    assert p.published_answer.body.startswith("Sở Xây dựng")
    assert "12 den chieu sang" in p.public_search_text
    assert list(p.attachments.values_list("original_name", flat=True)) == ["anh-hien-truong.pdf"]
    assert not Attachment.objects.filter(petition=private).exists()
    html = client.get("/answers/?q=den chieu sang").content.decode()
    assert "Sở Xây dựng đã lắp bổ sung 12 đèn chiếu sáng." in html
    assert EMAIL not in html


# --- a person with an account --------------------------------------------------------------


@pytest.mark.django_db
def test_an_account_sees_corrects_downloads_and_asks_for_erasure(enterprise_user, admin_user):
    client = Client()
    client.force_login(enterprise_user)
    r = client.get("/account/my-data/")
    assert r.status_code == 200 and enterprise_user.username in r.content.decode()
    assert "data-office-records" in r.content.decode()  # the page says why an account is not erased
    r = client.post("/account/my-data/", {"first_name": "Trần", "last_name": "Minh", "email": "minh@dn.example.vn"})
    assert r.status_code == 302
    enterprise_user.refresh_from_db()
    assert (enterprise_user.first_name, enterprise_user.email) == ("Trần", "minh@dn.example.vn")
    assert not LogEntry.objects.filter(changes__icontains="minh@dn.example.vn").exists()
    assert LogEntry.objects.filter(object_pk=str(enterprise_user.pk), changes__has_key="email").exists()
    data = json.loads(client.get("/account/my-data/export.json").content)
    assert data["account"]["email"] == "minh@dn.example.vn" and data["account"]["username"] == enterprise_user.username
    r = client.post("/account/my-data/erasure/", {"reason": "Tôi đã nghỉ việc ở doanh nghiệp."})
    assert r.status_code == 302
    asked = Notification.objects.get(user=admin_user)
    assert enterprise_user.username in asked.subject and "nghỉ việc" in asked.body
    assert enterprise_user.__class__.objects.filter(pk=enterprise_user.pk, is_active=True).exists()  # not erased
    assert Client().get("/account/my-data/").status_code == 302  # the public is sent to log in

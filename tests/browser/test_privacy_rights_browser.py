"""Issue 23, "Done when": a public petitioner follows the private link of their e-mail in a real
browser, corrects their phone, downloads their data as JSON and asks for erasure; then their
name, e-mail and phone are found in no page a visitor or the board reaches, no export of the
queue, no open dataset, no API answer and no entry of the audit trail, while the published answer
to their petition still shows. Independent of the demo dataset."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from auditlog.models import LogEntry
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import new_visit
from tests.test_attachments import make_pdf, upload
from tests.test_privacy_rights import EMAIL, LINK, PHONE, _answer_and_publish, file_public
from zonedesk.opendata.datasets import DATASETS
from zonedesk.petitions.models import Notification

pytestmark = pytest.mark.browser

NAME = "Nguyễn Thị Hoa"
NEW_PHONE = "0913 000 111"
ANSWER = "Sở Xây dựng đã lắp bổ sung 12 đèn chiếu sáng trước cổng số 2."
SKIP = ("/admin/", "/i18n/", "/static/", "/media/", "/login/", "/logout/", "/healthz", "/readyz", "/privacy/my-data/")
HREF = re.compile(r'href="([^"#]+)"')
MAX_PAGES = 120


def _secrets() -> set[str]:
    """The person's name, e-mail and both phones, as written and as digits, folded."""
    out = {NAME.casefold(), EMAIL.casefold()}
    for phone in (PHONE, NEW_PHONE):
        out |= {phone.casefold(), re.sub(r"\D", "", phone)}
    return out


def _text(response, *, fold: bool = True) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # an XLSX: every part of the archive
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            content = b"".join(z.read(n) for n in z.namelist())
    text = content.decode("utf-8", errors="replace")
    try:  # JSON keeps non-ASCII letters \u-escaped: read it as it says
        text += json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        pass
    return text.casefold() if fold else text


def _crawl(client: Client, starts: list[str], secrets: set[str], read: dict[str, list[str]]) -> int:
    """Follow the links from `starts` (as `client`), breadth first, and each list's exports."""
    queue, seen, pages = deque(starts), set(starts), 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200:
            continue
        pages += 1
        body = _text(response, fold=False)
        read[url] = [s for s in secrets if s in body.casefold()]
        if not response["Content-Type"].startswith("text/html"):
            continue
        for href in HREF.findall(body):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in seen:
                seen.add(path)
                queue.append(path)
    return pages


def test_a_petitioner_follows_the_emailed_link_corrects_downloads_and_erases(
    visit, browser, live_server, zone, board_user, agency, agency_user, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    p = file_public(zone, files=[upload("cccd-mat-truoc.pdf", make_pdf(), "application/pdf")])
    p = _answer_and_publish(p, board_user, agency, agency_user, answer=ANSWER)
    # the acknowledgement e-mail, as the worker would send it: its private link
    ack = Notification.objects.filter(petition=p, user__isnull=True, body__contains="/privacy/my-data/").get()
    assert ack.email == EMAIL
    path = LINK.search(ack.body).group(0)

    # 1. The petitioner opens the link: what is kept about them.
    page = visit.page
    visit.goto(path)
    kept = page.locator("[data-kept]")
    expect(kept.locator("[data-field=email]")).to_have_text(EMAIL)
    expect(kept.locator("[data-field=phone]")).to_have_text(PHONE)
    expect(kept).to_contain_text("cccd-mat-truoc.pdf")
    expect(kept.locator("[data-field=consent]")).to_contain_text("1")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        visit.shot(f"privacy-my-data-{width}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
    page.set_viewport_size({"width": 1366, "height": 900})

    # 2. They correct the phone.
    page.fill("#id_phone", NEW_PHONE)
    with page.expect_navigation():
        page.click("#correct-form button[type=submit]")
    expect(page.locator(".message-success")).to_be_visible()
    expect(kept.locator("[data-field=phone]")).to_have_text(NEW_PHONE)

    # 3. They download everything as JSON.
    with page.expect_download() as download_info:
        page.click("[data-export]")
    download = download_info.value
    assert download.suggested_filename == f"{p.reference}-personal-data.json"
    data = json.loads(open(download.path(), encoding="utf-8").read())
    assert data["petitioner"] == {"name": NAME, "email": EMAIL, "phone": NEW_PHONE}
    assert data["attachments"][0]["name"] == "cccd-mat-truoc.pdf"
    assert data["published_answer"] == ANSWER

    # 4. They ask for erasure (confirmed), and are told.
    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("#erase-form button[type=submit]")
    expect(page.locator("[data-erased]")).to_contain_text(p.reference)
    visit.shot("privacy-erased")
    assert visit.errors == [] and visit.foreign_requests() == []
    response = visit.goto(path)
    assert response.status == 410  # the link is dead
    expect(page.locator("[data-link-dead]")).to_be_visible()

    # the page to ask a new link, at both widths
    small = new_visit(browser, live_server.url, {"width": 390, "height": 844})
    small.goto("/privacy/my-data/")
    small.shot("privacy-ask-link-390")
    assert small.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    small.page.context.close()
    visit.goto("/privacy/my-data/")
    visit.shot("privacy-ask-link-1366")

    # 5. Their name and contacts are nowhere.
    secrets = _secrets()
    read: dict[str, list[str]] = {}
    public, board = Client(), Client()
    board.force_login(board_user)
    assert _crawl(public, ["/", "/answers/", f"/answers/?q={p.reference}"], secrets, read) >= 20
    assert _crawl(board, ["/petitions/", f"/petitions/{p.reference}/", "/audit/", "/"], secrets, read) >= 20
    assert read[f"/petitions/{p.reference}/"] == [] and "/audit/" in read
    # the queue's exports, as the board
    for fmt in ("csv", "xlsx"):
        read[f"board /petitions/?export={fmt}"] = [
            s for s in secrets if s in _text(board.get(f"/petitions/?export={fmt}&q=&status="))
        ]
    # the open datasets
    for slug in DATASETS:
        for fmt in ("csv", "json"):
            r = public.get(f"/open-data/{slug}.{fmt}")
            if r.status_code == 200:
                read[f"/open-data/{slug}.{fmt}"] = [s for s in secrets if s in _text(r)]
    # the API, as the board and as the public
    for client, who in ((board, "board"), (public, "public")):
        for url in (
            "/api/v1/petitions",
            f"/api/v1/petitions/{p.reference}",
            "/api/v1/petitions/published",
            f"/api/v1/petitions/{p.reference}/attachments",
        ):
            r = client.get(url)
            if r.status_code == 200:
                read[f"{who} {url}"] = [s for s in secrets if s in _text(r)]
    assert f"{'board'} /api/v1/petitions/{p.reference}" in read
    leaks = {u: found for u, found in read.items() if found and not u.startswith("/audit/")}
    assert leaks == {}

    # the published answer still shows, to everyone
    r = public.get(f"/answers/?q={p.reference}")
    assert ANSWER in r.content.decode()

    # the audit trail: every column of every entry (and the board's pages of it)
    entries = [json.dumps(row, default=str, ensure_ascii=False).casefold() for row in LogEntry.objects.values()]
    in_trail = {s for s in secrets for e in entries if s in e}
    audit_pages = {u: found for u, found in read.items() if found and u.startswith("/audit/")}
    assert (in_trail, audit_pages) == (set(), {})


@pytest.mark.parametrize("who", ["enterprise_user", "board_user"])
def test_a_person_with_an_account_sees_and_corrects_their_data(who, request, visit, browser, live_server, admin_user):
    from tests.conftest import PASSWORD

    user = request.getfixturevalue(who)
    page = visit.page
    visit.login(user.username, PASSWORD, "/account/my-data/")
    expect(page.locator("h1")).to_be_visible()
    assert page.url.endswith("/account/my-data/")
    expect(page.locator("[data-kept]")).to_contain_text(user.username)
    expect(page.locator("#erasure-title")).to_be_visible()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        visit.shot(f"privacy-account-{who}-{width}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
    page.fill("#id_email", "moi@example.vn")
    with page.expect_navigation():
        page.click("#correct-form button[type=submit]")
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("[data-field=email]")).to_have_text("moi@example.vn")
    with page.expect_navigation():
        page.click("#erasure-form button[type=submit]")
    expect(page.locator(".message-success")).to_be_visible()
    assert Notification.objects.filter(user=admin_user, subject__contains=user.username).exists()
    assert visit.errors == [] and visit.foreign_requests() == []

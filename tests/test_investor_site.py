"""The investor's side of the public site (issue 26): /invest/ pages, the incentives in force by
their dates, the tenant directory's filters, and the English view showing the English the board
wrote, or the Vietnamese with a visible "Vietnamese only" mark where it has not."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from zonedesk.core.models import Zone
from zonedesk.investment.models import BoardContact, Incentive, ZoneProfile

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def incentives(db):
    today = timezone.localdate()
    return {
        "cit": Incentive.objects.create(
            category="cit",
            applies_to="hitech",
            title_vi="Thuế suất thuế TNDN 10% trong 15 năm",
            title_en="10% corporate income tax for 15 years",
            benefit_vi="Thuế suất 10% trong 15 năm; miễn thuế 4 năm, giảm 50% trong 9 năm tiếp theo.",
            benefit_en="A 10% rate for 15 years; exempt for 4 years, then 50% off for the next 9.",
            legal_basis_vi="Luật Thuế thu nhập doanh nghiệp",
            legal_basis_en="Law on Corporate Income Tax",
            effective_from=today - dt.timedelta(days=400),
        ),
        "land": Incentive.objects.create(  # no English written
            category="land",
            applies_to="all",
            title_vi="Miễn tiền thuê đất trong thời gian xây dựng cơ bản",
            benefit_vi="Miễn tiền thuê đất tối đa 3 năm trong thời gian xây dựng.",
            legal_basis_vi="Nghị định 103/2024/NĐ-CP",
            effective_from=today - dt.timedelta(days=30),
        ),
        "ended": Incentive.objects.create(
            category="import",
            title_vi="Ưu đãi đã hết hiệu lực",
            title_en="An incentive that ended",
            benefit_vi="—",
            legal_basis_vi="—",
            effective_from=today - dt.timedelta(days=900),
            effective_until=today - dt.timedelta(days=1),
        ),
        "future": Incentive.objects.create(
            category="other",
            title_vi="Ưu đãi sắp có hiệu lực",
            title_en="An incentive not yet in force",
            benefit_vi="—",
            legal_basis_vi="—",
            effective_from=today + dt.timedelta(days=10),
        ),
    }


def test_the_incentives_page_lists_those_in_force_on_the_day(client, incentives):
    english(client)
    html = client.get("/invest/incentives/").content.decode()
    assert "10% corporate income tax for 15 years" in html
    assert "Law on Corporate Income Tax" in html
    assert "Miễn tiền thuê đất trong thời gian xây dựng cơ bản" in html  # in force, Vietnamese only
    assert "An incentive that ended" not in html and "An incentive not yet in force" not in html
    later = (timezone.localdate() + dt.timedelta(days=11)).isoformat()
    html = client.get("/invest/incentives/", {"on": later}).content.decode()
    assert "An incentive not yet in force" in html
    earlier = (timezone.localdate() - dt.timedelta(days=100)).isoformat()
    html = client.get("/invest/incentives/", {"on": earlier}).content.decode()
    assert "An incentive that ended" in html and "Miễn tiền thuê đất" not in html
    # an industrial zone does not see the hi-tech parks' incentive
    html = client.get("/invest/incentives/", {"for": "industrial"}).content.decode()
    assert "10% corporate income tax" not in html and "Miễn tiền thuê đất" in html
    bad = client.get("/invest/incentives/", {"on": "2026-02-30"})  # said on the page, today's shown
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()


def test_the_english_view_marks_what_the_board_wrote_only_in_vietnamese(client, incentives):
    english(client)
    html = client.get("/invest/incentives/").content.decode()
    block = html[html.index("Miễn tiền thuê đất trong thời gian") - 200 :][:600]
    assert 'lang="vi"' in block and "Vietnamese only" in block
    cit = html[html.index("10% corporate income tax for 15 years") - 300 :][:400]
    assert "Vietnamese only" not in cit
    # the Vietnamese view shows the Vietnamese, never the mark
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    html = client.get("/invest/incentives/").content.decode()
    assert "Thuế suất thuế TNDN 10% trong 15 năm" in html and "Vietnamese only" not in html
    assert "Chỉ có tiếng Việt" not in html


def test_a_park_profile_and_the_contacts(client, zone):
    ZoneProfile.objects.create(
        zone=zone,
        km_noi_bai=37,
        km_hai_phong=150,
        km_hanoi=30,
        power_vi="Trạm 110/22 kV, 2 × 63 MVA",
        power_en="110/22 kV substation, 2 × 63 MVA",
        labour_vi="Gần 10 trường đại học",
        wage_region="I",
        min_wage_vnd=4_960_000,
        min_wage_from=dt.date(2024, 7, 1),
    )
    BoardContact.objects.create(
        zone=None,
        name_vi="Phòng Xúc tiến đầu tư",
        name_en="Investment Promotion Division",
        address_vi="Km 29 Đại lộ Thăng Long",
        phone="024 3368 8888",
        email="xuctien@example.vn",
        hours_vi="Thứ Hai – Thứ Sáu, 8:00–17:00",
        hours_en="Monday – Friday, 8:00–17:00",
    )
    english(client)
    html = client.get(f"/invest/parks/{zone.code}/").content.decode()
    assert "Hoa Lac Hi-Tech Park" in html and "37 km" in html and "150 km" in html
    assert "4,960,000" in html and "110/22 kV substation" in html
    assert "Gần 10 trường đại học" in html and "Vietnamese only" in html  # the labour text, not written in English
    assert "Investment Promotion Division" in html and "mailto:xuctien@example.vn" in html
    contacts = client.get("/invest/contacts/").content.decode()
    assert "024 3368 8888" in contacts and "Monday – Friday" in contacts
    assert client.get("/invest/parks/NOPE/").status_code == 404
    landing = client.get("/invest/").content.decode()
    for url in ("/invest/incentives/", "/invest/parks/", "/invest/tenants/", "/invest/contacts/", "/planning/"):
        assert f'href="{url}"' in landing
    guide = client.get("/invest/procedures/").content.decode()
    assert 'href="/procedures/"' in guide


def test_the_tenant_directory_filters_by_sector_country_and_park(client, zone, other_zone, make_project):
    make_project(zone=zone, sector="software", name_vi="Phần mềm Việt")
    make_project(zone=zone, sector="biotech", foreign=True, name_vi="Sinh học Nhật", name_en="Japanese Biotech")
    make_project(zone=other_zone, sector="electronics", foreign=True, name_vi="Điện tử Nhật")
    ended = make_project(zone=zone, sector="software", name_vi="Dự án đã chấm dứt")
    type(ended).objects.filter(pk=ended.pk).update(status="terminated")
    english(client)

    def listed(**params):
        html = client.get("/invest/tenants/", params).content.decode()
        return html, len(re.findall(r"<tr data-tenant=", html))

    html, n = listed()
    assert n == 3 and "Dự án đã chấm dứt" not in html
    assert "Japanese Biotech" in html and "Japan" in html
    html, n = listed(country="JP")
    assert n == 2 and "Phần mềm Việt" not in html
    html, n = listed(country="jp", sector="biotech")
    assert n == 1 and "Japanese Biotech" in html
    html, n = listed(country="JP", zone=other_zone.code)
    assert n == 1 and "Điện tử Nhật" in html
    html, n = listed(sector="nonsense", country="XX")  # unknown values: no filter
    assert n == 3


def test_zone_names_follow_the_language(client, zone):
    assert Zone.objects.count() == 1
    english(client)
    assert "Hoa Lac Hi-Tech Park" in client.get("/invest/tenants/").content.decode()


# --- datasets label coded values in the reader's language ------------------------------------


def _streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_datasets_label_coded_values_in_the_readers_language(client, zone, make_project):
    import csv
    import io
    import json

    make_project(zone=zone, sector="biotech", name_vi="Dự án sinh học")
    items = json.loads(_streamed(client.get("/open-data/projects.json")))
    assert items[0]["sector"] == "biotech" and items[0]["status"] == "registered"  # the codes stay
    assert items[0]["sector_label"] == "Công nghệ sinh học và dược phẩm"
    assert items[0]["status_label"] == "Đã đăng ký đầu tư"
    english(client)
    items = json.loads(_streamed(client.get("/open-data/projects.json")))
    assert items[0]["sector"] == "biotech"
    assert items[0]["sector_label"] == "Biotechnology and pharmaceuticals"
    assert items[0]["status_label"] == "Registered"
    rows = list(csv.reader(io.StringIO(_streamed(client.get("/open-data/projects.csv")).decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert row[header.index("Sector (code)")] == "biotech"
    assert row[header.index("Sector")] == "Biotechnology and pharmaceuticals"


# --- bilingual content: the English view shows the English, or marks the Vietnamese ------------


def test_a_project_page_in_english_shows_its_english_objectives_or_marks_them(client, zone, make_project):
    written = make_project(
        zone=zone,
        name_vi="Nhà máy vi mạch",
        name_en="Chip plant",
        objectives="Sản xuất vi mạch bán dẫn",
    )
    type(written).objects.filter(pk=written.pk).update(objectives_en="Making semiconductor chips")
    not_written = make_project(zone=zone, name_vi="Trung tâm dữ liệu", objectives="Xây dựng trung tâm dữ liệu")
    english(client)
    html = client.get(f"/projects/{written.code}/").content.decode()
    assert "Making semiconductor chips" in html and "Chip plant" in html
    assert "Vietnamese only" not in html.split("data-objectives", 1)[1][:300]
    html = client.get(f"/projects/{not_written.code}/").content.decode()
    objectives = html.split("data-objectives", 1)[1][:400]
    assert "Xây dựng trung tâm dữ liệu" in objectives and "Vietnamese only" in objectives
    assert 'lang="vi"' in objectives
    heading = html.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "Trung tâm dữ liệu" in heading and "Vietnamese only" in heading


def test_a_decisions_authority_in_english(client, zone, board_user):
    from zonedesk.planning import services as planning

    translated = planning.decision_create(
        zone=zone,
        by=board_user,
        number="899/QĐ-TTg",
        date=dt.date(2016, 5, 27),
        authority="Thủ tướng Chính phủ",
        authority_en="The Prime Minister",
        title="Điều chỉnh quy hoạch chung",
        title_en="Adjusting the general plan",
    )
    bare = planning.decision_create(
        zone=zone, by=board_user, number="12/QĐ-UBND", date=dt.date(2020, 1, 2), authority="UBND thành phố Hà Nội"
    )
    english(client)
    html = client.get(f"/planning/decisions/{translated.pk}/").content.decode()
    assert "The Prime Minister" in html and "Adjusting the general plan" in html
    assert "Thủ tướng Chính phủ" not in html
    html = client.get(f"/planning/decisions/{bare.pk}/").content.decode()
    authority = html.split("data-authority", 1)[1][:300]
    assert "UBND thành phố Hà Nội" in authority and "Vietnamese only" in authority


def test_the_bilingual_tag_escapes_what_the_board_wrote():
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load zonedesk_i18n %}{% bilingual vi en %}|{% bilingual vi en multiline=True %}")
    with translation.override("en"):
        out = template.render(Context({"vi": "<script>x</script>", "en": ""}))
    assert "<script>" not in out and "&lt;script&gt;" in out and "Vietnamese only" in out
    with translation.override("en"):
        out = template.render(Context({"vi": "a", "en": "<b>b</b>\nc"}))
    assert "<b>" not in out and "&lt;b&gt;b&lt;/b&gt;<br>c" in out


def test_the_board_writes_a_projects_english(client, zone, make_project, board_user, enterprise_user):
    project = make_project(
        zone=zone,
        name_vi="Nhà máy cảm biến",
        objectives="Sản xuất cảm biến",
        milestones=[{"kind": "land", "title": "Nhận bàn giao đất", "planned_date": dt.date(2026, 1, 5)}],
    )
    url = f"/projects/{project.code}/english/"
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 403
    client.force_login(board_user)
    page = client.get(url).content.decode()
    assert "Sản xuất cảm biến" in page and "Nhận bàn giao đất" in page  # the Vietnamese beside each field
    sent = {"objectives_en": "Making sensors", "milestone_land": "Land handed over", "version": str(project.version)}
    assert client.post(url, sent).status_code == 302
    assert client.post(url, sent | {"objectives_en": "Stale"}).status_code == 409  # the version read is old
    assert (
        client.post(url, sent | {"objectives_en": "x" * 6000, "version": str(project.version + 1)}).status_code == 400
    )
    # a milestone's title alone changes the project's version: a form read before is refused
    read = project.version + 1
    sent = {"objectives_en": "Making sensors", "milestone_land": "Site handed over", "version": str(read)}
    assert client.post(url, sent).status_code == 302
    assert client.post(url, sent | {"milestone_land": "Older title"}).status_code == 409
    client.logout()
    english(client)
    html = client.get(f"/projects/{project.code}/").content.decode()
    assert "Making sensors" in html and "Site handed over" in html and "Stale" not in html


# --- the board keeps the reference data of these pages ----------------------------------------------


def test_the_board_adds_changes_and_ends_an_incentive_on_the_version_it_read(
    client, board_user, enterprise_user, incentives
):
    """A board officer adds an incentive and changes one from the page; a form read before
    someone else's change is refused (409, nothing written); an end date before the start is
    refused on its field; an enterprise may not; the public page shows the change at once."""
    client.force_login(enterprise_user)
    assert client.get("/invest/incentives/new/").status_code == 403
    client.force_login(board_user)
    page = client.get("/invest/incentives/").content.decode()
    assert "/invest/incentives/new/" in page and f"/invest/incentives/{incentives['cit'].pk}/edit/" in page
    today = timezone.localdate()
    new = {
        "applies_to": "industrial",
        "category": "land",
        "title_vi": "Hỗ trợ chi phí đào tạo lao động",
        "benefit_vi": "Hỗ trợ 50% chi phí đào tạo.",
        "legal_basis_vi": "Nghị quyết của HĐND thành phố",
        "effective_from": today.isoformat(),
        "order": "5",
    }
    assert client.post("/invest/incentives/new/", new).status_code == 302
    added = Incentive.objects.get(title_vi="Hỗ trợ chi phí đào tạo lao động")
    assert added.version == 1
    bad = {**new, "effective_until": (today - dt.timedelta(days=1)).isoformat()}
    response = client.post(f"/invest/incentives/{added.pk}/edit/", {**bad, "version": "1"})
    assert response.status_code == 400 and added.title_vi in response.content.decode()
    url = f"/invest/incentives/{added.pk}/edit/"
    assert client.post(url, {**new, "title_en": "Training costs supported", "version": "1"}).status_code == 302
    assert client.post(url, {**new, "title_en": "A stale change", "version": "1"}).status_code == 409
    added.refresh_from_db()
    assert (added.title_en, added.version) == ("Training costs supported", 2)
    client.logout()
    english(client)
    assert "Training costs supported" in client.get("/invest/incentives/").content.decode()
    # ended by its date, not deleted: gone from today's page, still on a past day's
    client.force_login(board_user)
    ended = {**new, "effective_until": today.isoformat(), "version": "2"}
    assert client.post(url, {**ended, "effective_from": (today - dt.timedelta(days=10)).isoformat()}).status_code == 302
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert "Hỗ trợ chi phí đào tạo lao động" not in client.get("/invest/incentives/", {"on": tomorrow}).content.decode()
    assert "Hỗ trợ chi phí đào tạo lao động" in client.get("/invest/incentives/").content.decode()


def test_the_board_writes_a_parks_profile_and_an_office(client, board_user, agency_user, zone):
    client.force_login(agency_user)
    assert client.get(f"/invest/parks/{zone.code}/edit/").status_code == 403
    client.force_login(board_user)
    assert f"/invest/parks/{zone.code}/edit/" in client.get("/invest/parks/").content.decode()  # no profile yet
    profile = {"km_noi_bai": "37", "km_hanoi": "30", "power_vi": "Trạm 110/22 kV", "wage_region": "I"}
    assert client.post(f"/invest/parks/{zone.code}/edit/", {**profile, "version": "0"}).status_code == 302
    assert client.post(f"/invest/parks/{zone.code}/edit/", {**profile, "version": "0"}).status_code == 409
    assert "Trạm 110/22 kV" in client.get(f"/invest/parks/{zone.code}/").content.decode()
    assert (
        client.post(f"/invest/parks/{zone.code}/edit/", {**profile, "km_hanoi": "-5", "version": "1"}).status_code
        == 400
    )
    assert ZoneProfile.objects.get(zone=zone).km_hanoi == 30
    office = {"name_vi": "Văn phòng một cửa", "address_vi": "Km 29 Đại lộ Thăng Long", "email": "not an e-mail"}
    assert client.post("/invest/contacts/new/", office).status_code == 400
    assert (
        client.post("/invest/contacts/new/", {**office, "email": "motcua@example.vn", "order": "1"}).status_code == 302
    )
    contact = BoardContact.objects.get()
    assert f"/invest/contacts/{contact.pk}/edit/" in client.get("/invest/contacts/").content.decode()
    client.logout()
    page = client.get("/invest/contacts/").content.decode()
    assert "motcua@example.vn" in page and "/edit/" not in page

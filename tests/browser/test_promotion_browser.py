"""A prospect from first contact to licence, in a real browser: a foreign visitor, in English,
asks about a plot and requests a site visit and reads its tracking page; the board sees the
enquiry in the pipeline, records a prospect met at a forum, reads why it scores what it does,
finds land for it and reserves a parcel (the public map's card says "reserved", not for whom),
moves it to a decision; the enterprise's dossier filed at the one-stop desk links itself, and when
its result is returned the prospect shows as licensed with its project, and the figures count it
with realised against projected capital."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_petitions_browser import _logout, _submit, _success
from tests.conftest import PASSWORD
from tests.test_planning import X0, Y0, parcel
from zonedesk.planning import services as planning
from zonedesk.promotion.models import Prospect

pytestmark = pytest.mark.browser


def test_a_prospect_from_the_public_enquiry_and_a_forum_to_its_licence(
    visit, zone, enterprise_user, board_user, one_stop_desk
):
    people, catalogue = one_stop_desk
    planning.revision_create(
        zone=zone,
        layer="parcels",
        features=[
            parcel("CN-01", X0, Y0, side=300, power=True, water=True, drainage=True, telecom=True),
            parcel("CN-02", X0 + 400, Y0, side=100),
        ],
        effective_date=dt.date(2026, 1, 1),
        by=board_user,
    )
    page = visit.page

    # 1. A site selector, in English, asks about a plot and requests a site visit.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": visit.base_url}])
    visit.goto("/invest/enquire/?parcel=HHTP:CN-01")
    expect(page.locator("#id_parcel_wished")).to_have_value("HHTP:CN-01")
    page.fill("#id_company", "Lyon Photonics SAS")
    page.fill("#id_country", "FR")
    page.select_option("#id_sector", "electronics")
    page.fill("#id_land_ha", "2")
    page.fill("#id_contact_name", "Claire Martin")
    page.fill("#id_contact_email", "claire@lyon-photonics.example")
    page.check("#id_site_visit_wished")
    _submit(page, "form.stack-form button[type=submit]")
    expect(page.locator("#enquiry-status")).to_contain_text("Received")
    enquiry = Prospect.objects.get(company="Lyon Photonics SAS")
    expect(page.locator("#reply-due")).to_contain_text(enquiry.reply_due.strftime("%d/%m/%Y"))
    assert enquiry.tracking_token in page.url
    page.context.clear_cookies()

    # 2. The board sees it in the pipeline and records a prospect met at a forum.
    visit.login(board_user.username, PASSWORD, "/prospects/")
    expect(page.locator("#prospects")).to_contain_text("Lyon Photonics SAS")
    _submit(page, "a[href='/prospects/new/']")
    page.fill("#id_company", "Sakura Semiconductor K.K.")
    page.fill("#id_country", "JP")
    page.select_option("#id_sector", "electronics")
    page.select_option("#id_source", "forum")
    page.select_option("#id_enterprise", str(enterprise_user.enterprise_id))
    page.fill("#id_capital_vnd", "500000000000")
    page.fill("#id_land_ha", "5")
    page.check("#id_needs_networks")
    page.fill("#id_jobs", "300")
    page.fill("#id_jobs_with_degrees", "200")
    page.fill("#id_hitech_revenue_pct", "85")
    page.fill("#id_rnd_spending_pct", "1.5")
    page.fill("#id_rnd_staff", "12")
    page.select_option("#id_environment", "low")
    _submit(page, "form.stack-form button[type=submit]")
    _success(page)
    prospect = Prospect.objects.get(company="Sakura Semiconductor K.K.")
    # why it scores what it does: tier 2 (≥ 100 bn VND and ≥ 200 staff), all three criteria met
    expect(page.locator("#scorecard tr[data-criterion=technology]")).to_contain_text("25 / 25")
    expect(page.locator("#score")).to_have_text(str(prospect.score))

    # 3. Qualified; land found from its needs (5 ha, networks ready) and a parcel reserved.
    page.click("#do-qualify summary")
    _submit(page, "#do-qualify button[type=submit]")
    _success(page)
    _submit(page, f"a[href='/prospects/{prospect.pk}/land/']")
    expect(page.locator("#land tbody tr")).to_have_count(1)  # CN-02 is too small
    _submit(page, "#land tr[data-parcel='CN-01'] button[type=submit]")
    _success(page)
    expect(page.locator("#timeline")).to_contain_text("HHTP:CN-01")
    _logout(visit)
    visit.goto("/planning/parcels/HHTP/CN-01/")
    expect(page.locator("main")).to_contain_text("Đã giữ chỗ")  # reserved, for no one the public may know
    assert "Sakura" not in page.locator("main").inner_text()

    # 4. Proposal (the projected capital frozen) and decision.
    visit.login(board_user.username, PASSWORD, f"/prospects/{prospect.pk}/")
    for op in ("propose", "decide"):
        page.click(f"#do-{op} summary")
        _submit(page, f"#do-{op} button[type=submit]")
        _success(page)
    expect(page.locator("#stage")).to_have_text("Quyết định")

    # 5. The enterprise files its certificate at the desk; the desk takes it to its result.
    from zonedesk.procedures import services as desk
    from zonedesk_demo.procedures import files_for

    procedure = catalogue["DT-01"]
    now = timezone.now()
    dossier = desk.dossier_file(
        procedure=procedure,
        by=enterprise_user,
        files=files_for(procedure, timezone.localdate(now)),
        form={
            "project_name": "Nhà máy vi mạch Sakura",
            "sector": "electronics",
            "registered_capital_vnd": 620_000_000_000,
            "objectives": "Sản xuất vi mạch",
            "land_area_m2": 50_000,
            "term_years": 50,
        },
    )
    page.reload()
    expect(page.locator("#stage")).to_have_text("Đã nộp hồ sơ")
    for action, who in (
        ("receive", "motcua"),
        ("forward", "chuyenvien"),
        ("forward", "truongphong"),
        ("sign", "lanhdao"),
        ("return_result", "motcua"),
    ):
        dossier.refresh_from_db()
        desk.act(dossier, action, by=people[who], version=dossier.version)
    page.reload()
    expect(page.locator("#stage")).to_have_text("Đã cấp phép")
    expect(page.locator("#licensed-project")).to_contain_text("620.000.000.000")

    # 6. The figures count it: realised against projected capital.
    visit.goto("/prospects/figures/")
    expect(page.locator("#licensed")).to_contain_text("1")
    expect(page.locator("#capital")).to_contain_text("500.000.000.000 / 620.000.000.000")
    assert not visit.errors, visit.errors

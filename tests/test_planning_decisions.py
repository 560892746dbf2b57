"""Planning decisions: the board records one with its signed PDF (checked by content, stored
under a random name), everyone reads the list, the decision and the document; files that are
not PDFs are refused with nothing written; only the board may record; the revisions shown under
a decision are those the visitor may see."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from shapely.geometry import box

from tests.conftest import stored_files
from tests.test_attachments import make_pdf, make_png
from zonedesk.core.errors import ServiceError
from zonedesk.core.files import KINDS, detect
from zonedesk.planning import geometry, services
from zonedesk.planning.models import PlanningDecision
from zonedesk.planning.services import Feature

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PDF = make_pdf()
NAME = "Quyết định 899-QĐ-TTg.pdf"
X0, Y0 = 552_000, 2_323_000


def pdf(name: str = NAME, data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def english(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(zone, **changes) -> dict:
    return {
        "zone": zone.pk,
        "number": "899/QĐ-TTg",
        "date": "2016-06-20",
        "authority": "Thủ tướng Chính phủ",
        "title": "Điều chỉnh quy hoạch chung Khu công nghệ cao Hòa Lạc",
        "document": pdf(),
    } | changes


def parcels_revision(zone, board_user, *, decision, effective: dt.date, codes=("CN-01",)):
    features = [
        Feature(
            geometry=geometry.to_wgs84(box(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100), 5897),
            code=code,
            properties={"land_use": "CNC"},
        )
        for i, code in enumerate(codes)
    ]
    return services.revision_create(
        zone=zone, layer="parcels", features=features, effective_date=effective, by=board_user, decision=decision
    )


def test_the_minimal_pdf_is_a_pdf():
    with translation.override("en"):
        assert detect(pdf()) == KINDS["pdf"]


def test_the_board_records_a_decision_and_everyone_reads_it_and_its_pdf(zone, board_user, media):
    board = english(board_user)
    assert board.get("/planning/decisions/new/").status_code == 200
    r = board.post("/planning/decisions/new/", form_data(zone), follow=True)
    decision = PlanningDecision.objects.get()
    assert r.redirect_chain[-1][0] == f"/planning/decisions/{decision.pk}/"
    page = r.content.decode()
    assert "Decision 899/QĐ-TTg was recorded." in page
    assert decision.document_name == NAME and decision.title.startswith("Điều chỉnh")
    # stored under a random name, never the sender's
    files = stored_files(media)
    assert len(files) == 1 and files[0].read_bytes() == PDF
    # (the folders below the media root hold no decision number either; the random hex name
    # itself may contain "899" by chance, about once in 150 runs, so it is left out of that check)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", files[0].name) and "899" not in str(files[0].relative_to(media).parent)

    public = english()
    listing = public.get("/planning/decisions/", {"zone": zone.code}).content.decode()
    row = listing[listing.index('data-decision="899/QĐ-TTg"') :]
    row = row[: row.index("</tr>")]
    assert "20/06/2016" in row and "Thủ tướng Chính phủ" in row and "Điều chỉnh quy hoạch chung" in row
    assert f'href="/planning/decisions/{decision.pk}/document"' in row
    assert "Planning decisions" in listing and "Record a decision" not in listing  # the public cannot record
    assert "Record a decision" in board.get("/planning/decisions/").content.decode()  # first zone with one

    detail = public.get(f"/planning/decisions/{decision.pk}/").content.decode()
    assert (
        NAME in detail and "Thủ tướng Chính phủ" in detail and "No revision of the plan cites this decision" in detail
    )

    download = public.get(f"/planning/decisions/{decision.pk}/document")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("inline") and quote(NAME) in disposition
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("quyet-dinh.pdf", make_png(), "This type of file is not accepted. Send the signed decision as a PDF file."),
        ("quyet-dinh.pdf", b"<!DOCTYPE html><html><body>Quyet dinh</body></html>", "Web pages and markup"),
        ("quyet-dinh.pdf", "Quyết định số 1\n".encode(), "This type of file is not accepted. Send the signed"),
        ("quyet-dinh.png", PDF, "The content of the file is PDF but its name ends in “.png”"),
        ("quyet-dinh", PDF, "The content of the file is PDF but its name ends in “(no extension)”"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_written(zone, board_user, media, name, data, expected):
    r = english(board_user).post("/planning/decisions/new/", form_data(zone, document=pdf(name, data)))
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert list(errors) == ["document"] and expected in errors["document"][0]
    assert "The decision was not recorded." in r.content.decode()
    assert not PlanningDecision.objects.exists() and stored_files(media) == []


def test_the_service_checks_the_document_with_the_other_fields(zone, board_user, media, monkeypatch):
    with translation.override("en"):
        with pytest.raises(ServiceError) as caught:
            services.decision_create(
                zone=zone, by=board_user, number=" ", date=dt.date(2026, 1, 1), authority="", document=pdf("a.pdf", b"")
            )
        assert set(caught.value.message_dict) == {"number", "authority", "document"}
        assert caught.value.message_dict["document"] == ["The file is empty."]
        monkeypatch.setattr(services, "DECISION_MAX_BYTES", len(PDF) - 1)
        with pytest.raises(ServiceError) as caught:
            services.decision_create(
                zone=zone, by=board_user, number="1", date=dt.date(2026, 1, 1), authority="UBND", document=pdf()
            )
        assert caught.value.message_dict["document"][0].startswith("The file is too large")
    assert not PlanningDecision.objects.exists() and stored_files(media) == []


def test_a_number_is_once_per_zone(zone, other_zone, board_user, media):
    board = english(board_user)
    assert board.post("/planning/decisions/new/", form_data(zone)).status_code == 302
    again = board.post("/planning/decisions/new/", form_data(zone, date="2017-01-01"))
    assert again.status_code == 200
    assert again.context["form"].errors["number"] == ["This zone already has a decision with this number."]
    assert PlanningDecision.objects.count() == 1 and len(stored_files(media)) == 1  # the refused PDF was not kept
    assert board.post("/planning/decisions/new/", form_data(other_zone)).status_code == 302


def test_only_board_officers_and_admins_record_decisions(
    zone, board_user, admin_user, leader_user, enterprise_user, agency_user, media
):
    anonymous = Client()
    r = anonymous.get("/planning/decisions/new/")
    assert r.status_code == 302 and r["Location"] == "/login/?next=/planning/decisions/new/"
    assert anonymous.post("/planning/decisions/new/", form_data(zone)).status_code == 302
    for user in (enterprise_user, agency_user, leader_user):
        client = english(user)
        assert client.get("/planning/decisions/new/").status_code == 403
        assert client.post("/planning/decisions/new/", form_data(zone)).status_code == 403
        assert "Record a decision" not in client.get("/planning/decisions/").content.decode()
    assert not PlanningDecision.objects.exists() and stored_files(media) == []
    assert english(admin_user).get("/planning/decisions/new/", {"zone": zone.code}).status_code == 200
    with pytest.raises(PermissionDenied):
        services.decision_create(zone=zone, by=enterprise_user, number="1", date=dt.date(2026, 1, 1), authority="x")


def test_a_decision_shows_the_revisions_the_visitor_may_see(zone, board_user):
    today = timezone.localdate()
    decision = services.decision_create(
        zone=zone, by=board_user, number="12/QĐ-BQL", date=today - dt.timedelta(days=60), authority="Ban Quản lý"
    )
    in_force = parcels_revision(zone, board_user, decision=decision, effective=today - dt.timedelta(days=30))
    tomorrow = parcels_revision(
        zone, board_user, decision=decision, effective=today + dt.timedelta(days=1), codes=("CN-01", "CN-02")
    )

    public = english()
    page = public.get(f"/planning/decisions/{decision.pk}/").content.decode()
    assert f'data-revision="{in_force.pk}"' in page and f'data-revision="{tomorrow.pk}"' not in page
    assert "In force" in page and "Not attached." in page
    listing = public.get("/planning/decisions/", {"zone": zone.code}).content.decode()
    assert f'data-revision="{in_force.pk}"' in listing and f'data-revision="{tomorrow.pk}"' not in listing

    board = english(board_user)
    page = board.get(f"/planning/decisions/{decision.pk}/").content.decode()
    assert f'data-revision="{tomorrow.pk}"' in page and "Not yet in force" in page

    # the history pages link to the decisions
    revision = public.get(f"/planning/revisions/{in_force.pk}/").content.decode()
    assert f'<a href="/planning/decisions/{decision.pk}/" data-decision-link>12/QĐ-BQL</a>' in revision
    history = public.get("/planning/revisions/", {"zone": zone.code}).content.decode()
    assert f'href="/planning/decisions/?zone={zone.code}"' in history
    assert f'href="/planning/decisions/{decision.pk}/"' in history


def test_missing_decisions_documents_and_zones_are_404(zone, other_zone, board_user):
    decision = services.decision_create(
        zone=zone, by=board_user, number="5/QĐ-UBND", date=dt.date(2020, 1, 1), authority="UBND TP Hà Nội"
    )
    client = Client()
    assert client.get(f"/planning/decisions/{decision.pk}/document").status_code == 404
    assert client.get("/planning/decisions/999999/").status_code == 404
    assert client.get("/planning/decisions/999999/document").status_code == 404
    assert client.get("/planning/decisions/", {"zone": "NOPE"}).status_code == 404
    empty = english().get("/planning/decisions/", {"zone": other_zone.code}).content.decode()
    assert "No planning decision of this zone is recorded yet." in empty


def test_a_zone_code_in_another_case_leads_to_the_canonical_address(zone):
    client = Client()
    for path in ("/planning/decisions/", "/planning/revisions/"):
        response = client.get(path, {"zone": zone.code.lower(), "layer": "parcels"})
        assert response.status_code == 302
        assert f"zone={zone.code}" in response["Location"] and "layer=parcels" in response["Location"]
        assert client.get(response["Location"]).status_code == 200


def test_the_list_does_not_query_per_decision(zone, board_user):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert Client().get("/planning/decisions/", {"zone": zone.code}).status_code == 200
        return len(queries)

    first = services.decision_create(zone=zone, by=board_user, number="1", date=dt.date(2020, 1, 1), authority="x")
    parcels_revision(zone, board_user, decision=first, effective=dt.date(2020, 2, 1))
    one = count()
    for n in range(2, 7):
        d = services.decision_create(zone=zone, by=board_user, number=str(n), date=dt.date(2020, n, 1), authority="x")
        parcels_revision(zone, board_user, decision=d, effective=dt.date(2020, n, 2))
    assert count() == one


def test_the_document_can_be_added_later_and_replaced(zone, board_user, media, django_capture_on_commit_callbacks):
    decision = services.decision_create(zone=zone, by=board_user, number="7", date=dt.date(2021, 1, 1), authority="x")
    with translation.override("en"), pytest.raises(ServiceError) as caught:
        services.decision_attach_document(decision=decision, by=board_user, upload=pdf("a.pdf", make_png()))
    assert "document" in caught.value.message_dict and stored_files(media) == []

    with django_capture_on_commit_callbacks(execute=True):
        services.decision_attach_document(decision=decision, by=board_user, upload=pdf("first.pdf"))
    first = stored_files(media)
    assert len(first) == 1
    second_pdf = make_pdf(padding=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_attach_document(decision=decision, by=board_user, upload=pdf("second.pdf", second_pdf))
    decision.refresh_from_db()
    assert decision.document_name == "second.pdf"
    files = stored_files(media)
    assert len(files) == 1 and files != first and files[0].read_bytes() == second_pdf
    download = Client().get(f"/planning/decisions/{decision.pk}/document")
    assert 'filename="second.pdf"' in download["Content-Disposition"]


def test_the_board_attaches_the_pdf_later_on_the_decision_page(
    zone, board_user, enterprise_user, media, django_capture_on_commit_callbacks
):
    decision = services.decision_create(zone=zone, by=board_user, number="8", date=dt.date(2021, 1, 1), authority="x")
    url = f"/planning/decisions/{decision.pk}/document/attach"
    assert "data-attach" not in Client().get(f"/planning/decisions/{decision.pk}/").content.decode()
    assert english(enterprise_user).post(url, {"document": pdf(), "version": 1}).status_code == 403

    board = english(board_user)
    page = board.get(f"/planning/decisions/{decision.pk}/").content.decode()
    assert "data-attach" in page and "Attach the signed document" in page
    assert f'name="version" value="{decision.version}"' in page
    scan = pdf("scan.pdf", b"<html><script>alert(1)</script></html>")
    refused = board.post(url, {"document": scan, "version": decision.version})
    assert refused.status_code == 400 and "not accepted" in refused.content.decode()
    assert stored_files(media) == []

    with django_capture_on_commit_callbacks(execute=True):
        done = board.post(url, {"document": pdf(), "version": decision.version}, follow=True)
    assert done.redirect_chain[-1][0] == f"/planning/decisions/{decision.pk}/"
    assert "Replace the signed document" in done.content.decode()
    download = Client().get(f"/planning/decisions/{decision.pk}/document")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("inline;")
    assert b"".join(download.streaming_content) == PDF


def test_a_decision_number_is_once_per_zone_whatever_its_case(zone, board_user, media):
    services.decision_create(zone=zone, by=board_user, number="899/QĐ-TTg", date=dt.date(2016, 6, 20), authority="x")
    with pytest.raises(ServiceError) as caught:
        services.decision_create(
            zone=zone, by=board_user, number="899/qđ-ttg", date=dt.date(2016, 6, 20), authority="x"
        )
    assert "number" in caught.value.message_dict
    assert PlanningDecision.objects.count() == 1

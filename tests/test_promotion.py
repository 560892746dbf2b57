"""The promotion pipeline through its services, on SQLite and PostgreSQL: stages and their
reasons, the projected figures frozen at the proposal, stale versions, a parcel reserved for a
prospect (expiry, a parcel taken, two reservations at once), the prospect licensed when the result
of its dossier is returned through the one-stop desk's own services, next-step reminders on the
working-day clock, and an agency that sees only the prospects it helps with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from tests.races import race
from tests.test_planning import X0, Y0, parcel
from zonedesk.core.errors import ConflictError, ServiceError, TransitionError
from zonedesk.planning import reservations, selectors
from zonedesk.planning import services as planning
from zonedesk.planning.models import ParcelReservation
from zonedesk.procedures import services as desk_services
from zonedesk.promotion import services
from zonedesk.promotion.models import Contact, Prospect, Stage
from zonedesk_demo.procedures import files_for

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def at(day: str, hm: str = "09:00") -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(hm), TZ)


def new_prospect(by, **extra):
    values = {
        "company": "Sakura Semiconductor K.K.",
        "country": "JP",
        "sector": "electronics",
        "capital_vnd": 2_400_000_000_000,
        "capital_usd": 100_000_000,
        "land_ha": Decimal("6"),
        "jobs": 800,
        "jobs_with_degrees": 500,
        "source": "forum",
        **extra,
    }
    return services.prospect_create(by=by, **values)


def act(p, action, by, **kw):
    p.refresh_from_db()
    return services.prospect_act(p, action, by=by, version=p.version, **kw)


@pytest.fixture
def plan(zone, board_user):
    return planning.revision_create(
        zone=zone,
        layer="parcels",
        features=[
            parcel("CN-01", X0, Y0, side=300, power=True, water=True, drainage=True, telecom=True),
            parcel("CN-02", X0 + 400, Y0, side=300),
            parcel("CN-03", X0 + 800, Y0, side=100, occupancy="leased"),
        ],
        effective_date=dt.date(2026, 1, 1),
        by=board_user,
    )


def test_a_prospect_moves_through_its_stages_and_the_proposal_freezes_what_was_projected(board_user, leader_user):
    p = new_prospect(board_user)
    assert p.code.startswith("XT-") and p.stage == Stage.ENQUIRY and p.manager == board_user
    with pytest.raises(PermissionDenied):  # leaders read the pipeline; they do not move it
        act(p, "qualify", leader_user)
    with pytest.raises(TransitionError):  # no proposal from an enquiry not yet qualified
        act(p, "propose", board_user)
    p = act(p, "qualify", board_user)
    p = act(p, "visit", board_user)
    p = act(p, "propose", board_user)
    assert (p.projected_capital_vnd, p.projected_jobs) == (2_400_000_000_000, 800)
    # the investor's figures change later; what was projected at the proposal does not
    p = services.prospect_update(p, by=board_user, version=p.version, capital_vnd=3_000_000_000_000, jobs=1200)
    assert p.projected_capital_vnd == 2_400_000_000_000 and p.capital_vnd == 3_000_000_000_000
    # only the system says a prospect is licensed
    with pytest.raises(PermissionDenied):
        act(p, "license", board_user)
    with pytest.raises(ServiceError) as no_reason:
        act(p, "lose", board_user)
    assert "reason" in no_reason.value.message_dict
    p = act(p, "lose", board_user, reason="Chose a site in Bac Ninh")
    assert p.stage == Stage.LOST and p.lost_reason == "Chose a site in Bac Ninh"
    p = act(p, "reopen", board_user, reason="Came back after the forum")
    assert p.stage == Stage.ENQUIRY and p.lost_reason == ""
    assert [e.action for e in p.events.order_by("at", "id")] == [
        "create",
        "qualify",
        "visit",
        "propose",
        "edit",
        "lose",
        "reopen",
    ]


def test_a_stale_version_is_refused_and_nothing_moves(board_user):
    p = new_prospect(board_user)
    old = p.version
    services.prospect_update(p, by=board_user, version=old, jobs=900)
    with pytest.raises(ConflictError):
        services.prospect_act(p, "qualify", by=board_user, version=old)
    assert Prospect.objects.get(pk=p.pk).stage == Stage.ENQUIRY


def test_bad_input_is_refused_field_by_field(board_user):
    with pytest.raises(ServiceError) as bad:
        new_prospect(
            board_user,
            country="Japan",
            sector="mining",
            capital_vnd=-5,
            land_ha="1e9",
            jobs_with_degrees=900,
            hitech_revenue_pct=140,
            company="\x00",
        )
    assert {"country", "sector", "capital_vnd", "land_ha", "jobs_with_degrees", "hitech_revenue_pct"} <= set(
        bad.value.message_dict
    )
    assert not Prospect.objects.exists()


def test_an_agency_sees_only_the_prospects_it_was_asked_to_help_with(
    board_user, agency_user, agency, other_agency_user
):
    helped = new_prospect(board_user, agencies=[agency])
    new_prospect(board_user, company="Other Co")
    assert list(Prospect.objects.restrict(agency_user)) == [helped]
    assert not Prospect.objects.restrict(other_agency_user).exists()
    with pytest.raises(PermissionDenied):
        new_prospect(agency_user)


def test_a_document_is_checked_by_its_content(board_user, media):
    p = new_prospect(board_user)
    fake = SimpleUploadedFile("loi.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ServiceError) as bad:
        services.document_add(p, by=board_user, title="Letter of intent", upload=fake)
    assert "file" in bad.value.message_dict and not p.documents.exists()
    good = SimpleUploadedFile("loi.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    doc = services.document_add(p, by=board_user, title="Letter of intent", upload=good)
    assert doc.content_type == "application/pdf" and doc.file.name.startswith("promotion/")


# --- land -----------------------------------------------------------------------------------------


def test_a_reserved_parcel_shows_as_reserved_for_no_one_and_is_released_at_its_date(plan, zone, board_user):
    p = new_prospect(board_user)
    today = timezone.localdate()
    services.reserve(p, by=board_user, zone=zone, parcel_code="CN-01", until=today + dt.timedelta(days=30))
    feature = selectors.current_features("parcels", zone=zone).get(code="CN-01")
    props = selectors.properties(feature, "parcels")
    assert props["occupancy"] == "reserved"
    assert "Sakura" not in str(props) and p.code not in str(props)
    # the finder no longer offers it
    assert "CN-01" not in [x.code for x in selectors.vacant_parcels(zone=zone)]
    # past its date it reads as released at once, before the job marks it
    r = ParcelReservation.objects.get()
    ParcelReservation.objects.filter(pk=r.pk).update(until=today - dt.timedelta(days=1))
    feature = selectors.current_features("parcels", zone=zone).get(code="CN-01")
    assert selectors.properties(feature, "parcels")["occupancy"] == "vacant"
    assert "CN-01" in [x.code for x in selectors.vacant_parcels(zone=zone)]
    assert reservations.reservations_expire() == 1
    assert ParcelReservation.objects.get().release_reason == "expired"
    # and another prospect may have it now
    q = new_prospect(board_user, company="Hanwha Aero")
    services.reserve(q, by=board_user, zone=zone, parcel_code="CN-01", until=today + dt.timedelta(days=10))


def test_the_ogc_api_shows_a_reservation_at_once_and_its_release(plan, zone, board_user, client):
    """The OGC API keeps its answers under the plan's generation: a reservation made or released
    changes what it shows at once, not the next day."""

    def occupancy() -> str:
        answer = client.get("/ogc/collections/parcels/items", {"zone": zone.code}, HTTP_ACCEPT="application/json")
        return next(f["properties"]["occupancy"] for f in answer.json()["features"] if f["id"].endswith("CN-01"))

    assert occupancy() == "vacant"  # read once: the answer is kept
    p = new_prospect(board_user)
    services.reserve(p, by=board_user, zone=zone, parcel_code="CN-01", until=timezone.localdate())
    assert occupancy() == "reserved"
    services.release(p, by=board_user, reservation=ParcelReservation.objects.get())
    assert occupancy() == "vacant"


def test_a_page_of_parcels_says_which_are_reserved_without_a_query_a_parcel(
    zone, board_user, client, django_assert_max_num_queries
):
    """Sixty parcels, two reserved: an OGC page of all of them (a new bbox: no cached answer) and
    the map's GeoJSON read whether each is reserved with the page (it was asked again for every
    parcel: the uncached OGC items fell from 3 times pygeoapi's throughput to a quarter of it)."""
    planning.revision_create(
        zone=zone,
        layer="parcels",
        features=[parcel(f"CN-{i:02d}", X0 + 150 * (i % 10), Y0 + 150 * (i // 10)) for i in range(60)],
        effective_date=dt.date(2026, 1, 1),
        by=board_user,
    )
    until = timezone.localdate() + dt.timedelta(days=30)
    for code in ("CN-07", "CN-42"):
        services.reserve(
            new_prospect(board_user, company=code), by=board_user, zone=zone, parcel_code=code, until=until
        )
    with django_assert_max_num_queries(20):
        answer = client.get(
            "/ogc/collections/parcels/items", {"limit": 100, "bbox": "-180,-90,180,90"}, HTTP_ACCEPT="application/json"
        )
    shown = {f["id"].rsplit("-", 1)[-1]: f["properties"]["occupancy"] for f in answer.json()["features"]}
    assert len(shown) == 60
    assert {k for k, v in shown.items() if v == "reserved"} == {"07", "42"}
    with django_assert_max_num_queries(20):
        geojson = client.get("/planning/map.json", {"zone": zone.code}).json()
    parcels = geojson["layers"]["parcels"]["features"]
    assert sum(1 for f in parcels if f["properties"].get("occupancy") == "reserved") == 2


def test_a_parcel_taken_is_refused(plan, zone, board_user):
    p = new_prospect(board_user)
    until = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(ServiceError) as leased:
        services.reserve(p, by=board_user, zone=zone, parcel_code="CN-03", until=until)
    assert "parcel" in leased.value.message_dict
    services.reserve(p, by=board_user, zone=zone, parcel_code="CN-02", until=until)
    q = new_prospect(board_user, company="Hanwha Aero")
    with pytest.raises(ServiceError) as held:
        services.reserve(q, by=board_user, zone=zone, parcel_code="CN-02", until=until)
    assert "reserved already" in held.value.message_dict["parcel"][0]
    with pytest.raises(ServiceError):
        services.reserve(q, by=board_user, zone=zone, parcel_code="CN-99", until=until)
    with pytest.raises(ServiceError) as past:
        services.reserve(q, by=board_user, zone=zone, parcel_code="CN-01", until=until - dt.timedelta(days=60))
    assert "until" in past.value.message_dict
    # a lost prospect lets its parcels go
    act(p, "lose", board_user, reason="No budget")
    services.reserve(q, by=board_user, zone=zone, parcel_code="CN-02", until=until)


def test_two_reservations_of_one_parcel_at_once_exactly_one_is_held(plan, zone, board_user):
    """The constraint decides, not a check before writing: the second row (as if written by a
    transaction that checked at the same moment) is refused by the database."""
    until = timezone.localdate() + dt.timedelta(days=30)
    ParcelReservation.objects.create(
        zone=zone, parcel_code="CN-01", until=until, holder="promotion.Prospect:1", reserved_at=timezone.now()
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ParcelReservation.objects.create(
            zone=zone, parcel_code="CN-01", until=until, holder="promotion.Prospect:2", reserved_at=timezone.now()
        )
    assert ParcelReservation.objects.filter(released_at__isnull=True).count() == 1
    # through the service the loser reads the refusal a person understands
    p = new_prospect(board_user)
    with pytest.raises(ServiceError):
        reservations.reserve(zone=zone, parcel_code="CN-01", until=until, holder=p.holder_key, by=board_user)


# --- the one-stop desk ---------------------------------------------------------------------------------


def _walk_to_result(dossier, people):
    def step(d, action, who, when):
        d.refresh_from_db()
        return desk_services.act(d, action, by=people[who], version=d.version, at=when)

    dossier = step(dossier, "receive", "motcua", at("2026-11-02", "10:00"))
    dossier = step(dossier, "forward", "chuyenvien", at("2026-11-04"))
    dossier = step(dossier, "forward", "truongphong", at("2026-11-05"))
    dossier = step(dossier, "sign", "lanhdao", at("2026-11-06"))
    return dossier, step


def test_a_prospect_whose_dossier_is_filed_and_returned_is_licensed_with_its_project(
    one_stop_desk, enterprise_user, board_user
):
    people, catalogue = one_stop_desk
    p = services.prospect_create(
        by=board_user,
        company="Sakura Semiconductor K.K.",
        country="JP",
        sector="electronics",
        capital_vnd=500_000_000_000,
        jobs=300,
        source="roadshow",
        enterprise=enterprise_user.enterprise,
        at=at("2026-06-01"),
    )
    for action in ("qualify", "propose", "decide"):
        p = act(p, action, board_user, at=at("2026-07-01"))
    procedure = catalogue["DT-01"]
    dossier = desk_services.dossier_file(
        procedure=procedure,
        by=enterprise_user,
        files=files_for(procedure, dt.date(2026, 11, 2)),
        form={
            "project_name": "Nhà máy vi mạch Sakura",
            "sector": "electronics",
            "registered_capital_vnd": 620_000_000_000,
            "objectives": "Sản xuất vi mạch",
            "land_area_m2": 60_000,
            "term_years": 50,
        },
        at=at("2026-11-02"),
    )
    p.refresh_from_db()
    assert p.stage == Stage.DOSSIER_FILED and p.dossier == dossier  # the system linked it
    assert p.events.filter(action="file_dossier", actor__isnull=True).exists()
    dossier, step = _walk_to_result(dossier, people)
    p.refresh_from_db()
    assert p.stage == Stage.DOSSIER_FILED  # signed, not yet returned
    step(dossier, "return_result", "motcua", at("2026-11-06", "15:00"))
    p.refresh_from_db()
    assert p.stage == Stage.LICENSED and p.project is not None
    assert p.project.registered_capital_vnd == 620_000_000_000 and p.project.enterprise == enterprise_user.enterprise
    assert p.projected_capital_vnd == 500_000_000_000


def test_a_dossier_of_another_enterprise_is_not_linked(
    one_stop_desk, enterprise_user, other_enterprise_user, board_user
):
    people, catalogue = one_stop_desk
    p = new_prospect(board_user, enterprise=other_enterprise_user.enterprise)
    for action in ("qualify", "propose"):
        p = act(p, action, board_user)
    procedure = catalogue["DT-03"]
    project = enterprise_user.enterprise.projects.first()
    dossier = desk_services.dossier_file(
        procedure=procedure,
        by=enterprise_user,
        project=project,
        files=files_for(procedure, timezone.localdate()),
        form={"registered_capital_vnd": project.registered_capital_vnd + 1, "objectives": "x", "reason": "y"},
    )
    p.refresh_from_db()
    assert p.stage == Stage.PROPOSAL and p.dossier is None
    with pytest.raises(ServiceError) as other:
        act(p, "file_dossier", board_user, dossier=dossier)
    assert "dossier" in other.value.message_dict


# --- reminders ----------------------------------------------------------------------------------------


def test_an_overdue_next_step_is_reminded_once_on_a_working_day(board_user, leader_user):
    from zonedesk.petitions.models import Notification

    p = new_prospect(board_user, manager=leader_user)
    # the next step is due on Friday 13 Nov 2026
    services.contact_add(
        p,
        by=board_user,
        date=dt.date(2026, 11, 10),
        kind="meeting",
        summary="Met at the forum",
        next_step="Send the land offer",
        next_step_due=dt.date(2026, 11, 13),
        at=at("2026-11-10", "16:00"),
    )
    assert services.next_steps_remind(now=at("2026-11-13", "16:59")) == 0  # still due today
    assert services.next_steps_remind(now=at("2026-11-14", "10:00")) == 0  # Saturday: not a working day
    assert services.next_steps_remind(now=at("2026-11-16", "08:30")) == 1  # Monday
    assert services.next_steps_remind(now=at("2026-11-17", "08:30")) == 0  # once per next step
    notice = Notification.objects.get(user=leader_user)
    assert "Send the land offer" in notice.body and "13/11/2026" in notice.body
    # a new contact closes the step and sets the next one
    services.contact_add(
        p, by=board_user, date=dt.date(2026, 11, 17), kind="letter", summary="Offer sent", at=at("2026-11-17")
    )
    assert Contact.objects.filter(prospect=p, done_at__isnull=False).count() == 1
    p.refresh_from_db()
    assert p.next_step == "" and p.next_step_due is None


def test_a_next_step_due_on_a_day_off_is_overdue_after_the_next_working_day(board_user):
    p = new_prospect(board_user)
    services.contact_add(
        p,
        by=board_user,
        date=dt.date(2026, 11, 10),
        kind="call",
        summary="Call",
        next_step="Send the brochure",
        next_step_due=dt.date(2026, 11, 14),  # a Saturday
        at=at("2026-11-10"),
    )
    assert services.next_steps_remind(now=at("2026-11-16", "16:00")) == 0  # Monday is the day it is due
    assert services.next_steps_remind(now=at("2026-11-17", "08:30")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_reserving_one_parcel_at_the_same_moment_one_wins(zone, board_user):
    """Two transactions that each find the parcel free and write at once (PostgreSQL: real
    concurrency; SQLite writes one at a time, the constraint test above covers it)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL")
    planning.revision_create(
        zone=zone,
        layer="parcels",
        features=[parcel("CN-01", X0, Y0)],
        effective_date=dt.date(2026, 1, 1),
        by=board_user,
    )
    until = timezone.localdate() + dt.timedelta(days=30)

    def attempt(i: int) -> str:
        reservations.reserve(zone=zone, parcel_code="CN-01", until=until, holder=f"promotion.Prospect:{i}", by=None)
        return "won"

    assert race(4, attempt, refused=(ServiceError,), told="refused") == ["refused", "refused", "refused", "won"]
    assert ParcelReservation.objects.filter(released_at__isnull=True).count() == 1

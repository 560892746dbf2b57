"""Roadmaps: statuses derived over dates, the rules of dependencies (no cycle, nothing finishes
before what it depends on), site-clearance figures and hand-over updating the parcels of the
plan, who may see and change what, late milestones told to their responsible party, and the
pages people read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from tests.conftest import _user
from tests.test_planning import X0, Y0, parcel
from zonedesk.core.errors import ServiceError, TransitionError
from zonedesk.core.generations import generation
from zonedesk.core.models import Agency
from zonedesk.petitions.models import Notification
from zonedesk.planning import services as planning
from zonedesk.planning.models import Occupancy, Parcel
from zonedesk.planning.selectors import PLAN_GENERATION
from zonedesk.roadmaps import selectors, services
from zonedesk.roadmaps.models import ClearanceProgress, Milestone, OwnerKind, Roadmap, RoadmapKind
from zonedesk.roadmaps.status import Status, expected_progress, milestone_status

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TODAY_IS_TODAY = True  # read again as each test starts (tests/conftest.py)
D = dt.timedelta


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages checked below are the English msgids
        yield


def days(n: int) -> dt.date:
    return TODAY + D(days=n)


@pytest.fixture
def commune(db, zone) -> Agency:
    a = Agency.objects.create(code="UBND-HOALAC", kind=Agency.Kind.COMMUNE, name_vi="UBND xã Hòa Lạc")
    a.zones.add(zone)
    return a


@pytest.fixture
def task(zone, board_user) -> Roadmap:
    return services.roadmap_create(
        by=board_user,
        zone=zone,
        kind=RoadmapKind.TASK,
        title_vi="Nhiệm vụ trọng điểm",
        owner_kind=OwnerKind.COMMITTEE,
        owner_name="Ban Chỉ đạo",
    )


def add(roadmap, by, title, start, end, **kw) -> Milestone:
    return services.milestone_add(
        by=by,
        roadmap=roadmap,
        title=title,
        responsible_name="Ban",
        planned_start=days(start),
        planned_end=days(end),
        **kw,
    )


# --- statuses over dates ---------------------------------------------------------------------


def status(start, end, progress=0, actual_start=None, actual_end=None, today=dt.date(2026, 6, 1)):
    return milestone_status(
        planned_start=start,
        planned_end=end,
        actual_start=actual_start,
        actual_end=actual_end,
        progress_pct=progress,
        today=today,
    )


def test_status_follows_the_calendar():
    start, end = dt.date(2026, 5, 1), dt.date(2026, 7, 30)  # 91 days
    assert status(start, end, today=dt.date(2026, 4, 30)) == Status.NOT_STARTED
    # a few days in, nothing done yet: not started, not yet behind
    assert status(start, end, today=dt.date(2026, 5, 10)) == Status.NOT_STARTED
    # a third of the time gone, nothing done: at risk
    assert expected_progress(start, end, dt.date(2026, 5, 31)) == 34  # 31 of 91 days, by the end of the day
    ten = (dt.date(2026, 5, 1), dt.date(2026, 5, 10))
    assert [expected_progress(*ten, dt.date(2026, 5, d)) for d in (1, 9, 10)] == [10, 90, 100]
    assert status(start, end, today=dt.date(2026, 5, 31)) == Status.AT_RISK
    assert status(start, end, progress=20, actual_start=start, today=dt.date(2026, 5, 31)) == Status.ON_TRACK
    # the last planned day is still on time; the next one is late
    assert status(start, end, progress=90, actual_start=start, today=end) == Status.ON_TRACK
    assert status(start, end, progress=90, actual_start=start, today=end + D(days=1)) == Status.LATE
    # done is done, even after the planned end
    assert (
        status(start, end, 100, actual_start=start, actual_end=end + D(days=9), today=dt.date(2027, 1, 1))
        == Status.DONE
    )


# --- dependencies ----------------------------------------------------------------------------


def test_a_milestone_cannot_depend_on_itself_or_close_a_cycle(task, board_user):
    a = add(task, board_user, "A", -30, 10)
    b = add(task, board_user, "B", 0, 40, depends_on=[a])
    c = add(task, board_user, "C", 20, 80, depends_on=[b])
    with pytest.raises(ServiceError) as caught:
        services.milestone_plan(
            by=board_user, milestone=a, planned_start=days(-30), planned_end=days(10), depends_on=[a]
        )
    assert "itself" in caught.value.message_dict["depends_on"][0]
    with pytest.raises(ServiceError) as caught:  # A -> C -> B -> A
        services.milestone_plan(
            by=board_user, milestone=a, planned_start=days(-30), planned_end=days(10), depends_on=[c]
        )
    assert "cycle" in caught.value.message_dict["depends_on"][0]
    assert list(a.depends_on.all()) == []
    # a dependency that closes no cycle is fine
    d = add(task, board_user, "D", 0, 5)
    services.milestone_plan(by=board_user, milestone=c, planned_start=days(20), planned_end=days(80), depends_on=[b, d])
    assert set(c.depends_on.all()) == {b, d}


def test_a_milestone_cannot_finish_before_what_it_depends_on(task, board_user):
    a = add(task, board_user, "A", -60, -10)
    b = add(task, board_user, "B", -20, 30, depends_on=[a])
    with pytest.raises(ServiceError) as caught:  # A has not finished
        services.milestone_progress(by=board_user, milestone=b, progress_pct=100, actual_end=days(-1))
    assert "has not finished" in caught.value.message_dict["actual_end"][0]
    services.milestone_progress(
        by=board_user, milestone=a, progress_pct=100, actual_start=days(-60), actual_end=days(-5)
    )
    with pytest.raises(ServiceError) as caught:  # earlier than A
        services.milestone_progress(
            by=board_user, milestone=b, progress_pct=100, actual_start=days(-20), actual_end=days(-8)
        )
    assert "cannot finish earlier" in caught.value.message_dict["actual_end"][0]
    b = services.milestone_progress(
        by=board_user, milestone=b, progress_pct=100, actual_start=days(-20), actual_end=days(-5)
    )
    assert b.actual_end == days(-5)
    # and A cannot then be moved to finish after B, nor be reopened
    a.refresh_from_db()
    with pytest.raises(ServiceError):
        services.milestone_progress(
            by=board_user, milestone=a, progress_pct=100, actual_start=days(-60), actual_end=days(-2)
        )
    with pytest.raises(ServiceError):
        services.milestone_progress(by=board_user, milestone=a, progress_pct=90)


def test_progress_input_is_checked_and_nothing_is_written(task, board_user):
    m = add(task, board_user, "A", -10, 10)
    bad = [
        ({"progress_pct": 101}, "progress_pct"),
        ({"progress_pct": 100}, "actual_end"),  # 100% needs the day it finished
        ({"progress_pct": 50, "actual_end": days(-1)}, "progress_pct"),
        ({"progress_pct": 10, "actual_start": days(3)}, "actual_start"),  # in the future
        ({"progress_pct": 100, "actual_start": days(-2), "actual_end": days(-4)}, "actual_end"),
    ]
    for kwargs, field in bad:
        with pytest.raises(ServiceError) as caught:
            services.milestone_progress(by=board_user, milestone=m, **kwargs)
        assert field in caught.value.message_dict, kwargs
    m.refresh_from_db()
    assert (m.progress_pct, m.actual_start, m.actual_end, m.version) == (0, None, None, 1)
    # progress without a start starts it today
    m = services.milestone_progress(by=board_user, milestone=m, progress_pct=40)
    assert m.actual_start == TODAY
    with pytest.raises(ServiceError) as caught:
        add(task, board_user, "", 5, 1)
    assert set(caught.value.message_dict) == {"title", "planned_end"}


# --- site clearance --------------------------------------------------------------------------


@pytest.fixture
def plan(zone, board_user, project) -> dict[str, Parcel]:
    rev = planning.revision_create(
        zone=zone,
        layer="parcels",
        features=[
            parcel("CN-01", X0, Y0, occupancy="clearance"),
            parcel("CN-02", X0 + 200, Y0, occupancy="clearance", project=project.code),
            parcel("CN-03", X0 + 400, Y0, occupancy="leased", project=project.code),
            parcel("CN-04", X0 + 600, Y0, occupancy="clearance"),
        ],
        effective_date=dt.date(2026, 1, 1),
        by=board_user,
    )
    return {p.code: p for p in Parcel.objects.filter(revision=rev)}


@pytest.fixture
def clearance(zone, commune, board_user) -> Roadmap:
    return services.roadmap_create(
        by=board_user,
        zone=zone,
        kind=RoadmapKind.CLEARANCE,
        title_vi="Giải phóng mặt bằng xã Hòa Lạc",
        owner_kind=OwnerKind.COMMUNE,
        owner_agency=commune,
        key_task=True,
    )


@pytest.fixture
def package(clearance, plan, board_user, commune):
    return services.package_create(
        by=board_user,
        roadmap=clearance,
        code="GPMB-01",
        title="Gói 1",
        responsible_name="UBND xã Hòa Lạc",
        responsible_agency=commune,
        planned_start=days(-100),
        planned_end=days(100),
        area_to_clear_m2=Decimal("30000"),
        households_affected=40,
        compensation_approved_vnd=80_000_000_000,
        resettlement_households=5,
        parcels=[plan["CN-01"], plan["CN-02"], plan["CN-03"]],
    )


def test_recorded_figures_move_the_package_and_its_milestone(package, board_user):
    services.package_record(
        by=board_user,
        package=package,
        on=days(-90),
        area_handed_over_m2=Decimal("7500"),
        households_agreed=12,
        compensation_paid_vnd=20_000_000_000,
    )
    services.package_record(
        by=board_user,
        package=package,
        on=days(-10),
        area_handed_over_m2="19999.9",
        households_agreed=30,
        compensation_paid_vnd=61_000_000_000,
    )
    package.refresh_from_db()
    m = package.milestone
    m.refresh_from_db()
    assert (package.area_handed_over_m2, package.households_agreed) == (Decimal("19999.9"), 30)
    assert m.progress_pct == 66  # 19,999.9 of 30,000 m², rounded down
    assert m.actual_start == days(-90) and m.actual_end is None
    history = selectors.clearance_history(user=board_user, roadmap=package.milestone.roadmap)
    assert [(r["on"], r["area_m2"], r["households_agreed"]) for r in history] == [
        (days(-90), Decimal("7500.0"), 12),
        (days(-10), Decimal("19999.9"), 30),
    ]
    totals = selectors.clearance_totals(user=board_user, roadmap=package.milestone.roadmap)
    assert (totals.area_pct, totals.households_pct, totals.paid_pct) == (66, 75, 76)


def test_impossible_figures_are_refused(package, board_user):
    cases = [
        ({"area_handed_over_m2": "30000.1"}, "area_handed_over_m2"),
        ({"households_agreed": 41}, "households_agreed"),
        ({"compensation_paid_vnd": 80_000_000_001}, "compensation_paid_vnd"),
        ({"on": days(1)}, "on"),
        ({"area_handed_over_m2": "abc"}, "area_handed_over_m2"),
    ]
    base = {"on": days(-5), "area_handed_over_m2": "100", "households_agreed": 1, "compensation_paid_vnd": 0}
    for change, field in cases:
        with pytest.raises(ServiceError) as caught:
            services.package_record(by=board_user, package=package, **(base | change))
        assert field in caught.value.message_dict, change
    assert not ClearanceProgress.objects.exists()
    services.package_record(by=board_user, package=package, **base)
    with pytest.raises(ServiceError) as caught:  # before the last record
        services.package_record(by=board_user, package=package, **(base | {"on": days(-6)}))
    assert "on" in caught.value.message_dict


def test_an_area_is_read_as_everywhere_and_told_in_the_pages_words(package, board_user):
    """The area of a record is read by core.inputs (a Vietnamese decimal comma too), and refused
    with what the roadmap pages say."""
    base = {"on": days(-5), "households_agreed": 1, "compensation_paid_vnd": 0}
    with translation.override("en"):
        for area in ("-1", "100000000.1"):
            with pytest.raises(ServiceError) as caught:
                services.package_record(by=board_user, package=package, area_handed_over_m2=area, **base)
            assert caught.value.message_dict["area_handed_over_m2"] == ["Enter an area from 0 to 100,000,000 m²."]
        with pytest.raises(ServiceError) as caught:
            services.package_record(by=board_user, package=package, area_handed_over_m2=None, **base)
        assert caught.value.message_dict["area_handed_over_m2"] == ["Enter an area in square metres."]
    services.package_record(by=board_user, package=package, area_handed_over_m2="1500,25", **base)
    assert ClearanceProgress.objects.get().area_handed_over_m2 == Decimal("1500.2")


def test_hand_over_frees_the_parcels_under_clearance_and_tells_the_map(package, plan, board_user, client):
    gen = generation(PLAN_GENERATION)
    url = "/ogc/collections/parcels/items?f=json&limit=100"
    etag = client.get(url)["ETag"]
    services.package_hand_over(by=board_user, package=package, on=days(-1))
    occupancy = dict(Parcel.objects.values_list("code", "occupancy"))
    assert occupancy == {
        "CN-01": Occupancy.VACANT,  # cleared, ready for an investor
        "CN-02": Occupancy.RESERVED,  # cleared for the project that holds it
        "CN-03": Occupancy.LEASED,  # was not under clearance: untouched
        "CN-04": Occupancy.CLEARANCE,  # not in the package
    }
    assert generation(PLAN_GENERATION) != gen
    answer = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 200 and answer["ETag"] != etag  # a client's copy is stale
    by_code = {f["properties"]["code"]: f["properties"]["occupancy"] for f in answer.json()["features"]}
    assert by_code["CN-01"] == "vacant"
    package.refresh_from_db()
    package.milestone.refresh_from_db()
    assert package.area_handed_over_m2 == package.area_to_clear_m2
    assert package.milestone.actual_end == days(-1) and package.milestone.progress_pct == 100
    with pytest.raises(TransitionError):
        services.package_record(
            by=board_user,
            package=package,
            on=TODAY,
            area_handed_over_m2="1",
            households_agreed=1,
            compensation_paid_vnd=0,
        )
    with pytest.raises(TransitionError):
        services.package_hand_over(by=board_user, package=package, on=TODAY)


def test_a_package_is_handed_over_only_after_what_it_depends_on(clearance, package, board_user, plan):
    second = services.package_create(
        by=board_user,
        roadmap=clearance,
        code="GPMB-02",
        title="Gói 2",
        responsible_name="UBND xã",
        planned_start=days(-50),
        planned_end=days(50),
        area_to_clear_m2=10_000,
        households_affected=10,
        parcels=[plan["CN-04"]],
        depends_on=[package.milestone],
    )
    with pytest.raises(ServiceError) as caught:
        services.package_hand_over(by=board_user, package=second, on=days(-1))
    assert "has not finished" in caught.value.message_dict["on"][0]
    assert Parcel.objects.get(code="CN-04").occupancy == Occupancy.CLEARANCE
    with pytest.raises(ServiceError) as caught:  # codes are unique in a zone
        services.package_create(
            by=board_user,
            roadmap=clearance,
            code="GPMB-02",
            title="x",
            responsible_name="x",
            planned_start=days(0),
            planned_end=days(1),
            area_to_clear_m2=0,
            households_affected=1,
            resettlement_households=2,
        )
    assert {"code", "area_to_clear_m2", "resettlement_households"} <= set(caught.value.message_dict)


# --- who may see and change ------------------------------------------------------------------


SCHEDULE = [
    {"kind": "land", "planned_date": dt.date(2020, 6, 1), "actual_date": dt.date(2020, 7, 1)},
    {"kind": "construction", "planned_date": dt.date(2021, 3, 1)},
    {"kind": "operation", "planned_date": dt.date(2027, 1, 1)},
]


@pytest.fixture
def scheduled(project, make_project, zone):
    """A second project of the enterprise user's firm, with the schedule of its certificate."""
    return make_project(zone=zone, enterprise=project.enterprise, milestones=SCHEDULE)


@pytest.fixture
def own_roadmap(scheduled, enterprise_user) -> Roadmap:
    return services.roadmap_from_project(by=enterprise_user, project=scheduled)


def test_an_enterprise_keeps_only_its_own_roadmap(
    own_roadmap, enterprise_user, other_enterprise_user, other_project, task, board_user
):
    assert own_roadmap.public is False and own_roadmap.owner_enterprise == enterprise_user.enterprise
    m = add(own_roadmap, enterprise_user, "Mở rộng giai đoạn 2", -10, 300)
    services.milestone_progress(by=enterprise_user, milestone=m, progress_pct=20)
    for by, roadmap in [(other_enterprise_user, own_roadmap), (enterprise_user, task)]:
        with pytest.raises(PermissionDenied):
            add(roadmap, by, "X", 0, 1)
    with pytest.raises(PermissionDenied):
        services.milestone_progress(by=other_enterprise_user, milestone=m, progress_pct=50)
    with pytest.raises(PermissionDenied):  # nor another enterprise's project
        services.roadmap_from_project(by=enterprise_user, project=other_project)
    with pytest.raises(PermissionDenied):  # nor a roadmap of the board's kind
        services.roadmap_create(
            by=enterprise_user,
            zone=own_roadmap.zone,
            kind=RoadmapKind.CLEARANCE,
            title_vi="X",
            owner_kind=OwnerKind.ENTERPRISE,
            owner_enterprise=enterprise_user.enterprise,
        )
    add(own_roadmap, board_user, "Board adds", 0, 10)  # the board keeps every roadmap


def test_private_roadmaps_are_not_shown_to_others(
    own_roadmap, enterprise_user, other_enterprise_user, task, board_user
):
    url = f"/roadmaps/{own_roadmap.pk}/"
    public, other, own, board = Client(), Client(), Client(), Client()
    other.force_login(other_enterprise_user)
    own.force_login(enterprise_user)
    board.force_login(board_user)
    assert public.get(url).status_code == 404
    assert other.get(url).status_code == 404
    assert own.get(url).status_code == 200 and board.get(url).status_code == 200
    listing = public.get("/roadmaps/").content.decode()
    assert task.title_vi in listing and own_roadmap.title_vi not in listing
    assert own_roadmap.title_vi in own.get("/roadmaps/").content.decode()
    # forms: the public is sent to log in, another enterprise is refused
    m = own_roadmap.milestones.first()
    assert public.get(f"/roadmaps/milestones/{m.pk}/progress/").status_code == 302
    assert other.get(f"/roadmaps/milestones/{m.pk}/progress/").status_code == 404
    assert own.get(f"/roadmaps/milestones/{m.pk}/progress/").status_code == 200


def test_an_agency_sees_the_roadmaps_it_answers_for(task, board_user, agency_user, own_roadmap):
    hidden = services.roadmap_create(
        by=board_user,
        zone=task.zone,
        kind=RoadmapKind.TASK,
        title_vi="Nội bộ",
        owner_kind=OwnerKind.BOARD,
        public=False,
    )
    c = Client()
    c.force_login(agency_user)
    assert c.get(f"/roadmaps/{hidden.pk}/").status_code == 404
    add(hidden, board_user, "Thuế xác nhận", 0, 10, responsible_agency=agency_user.agency)
    assert c.get(f"/roadmaps/{hidden.pk}/").status_code == 200
    assert c.get(f"/roadmaps/{own_roadmap.pk}/").status_code == 404


# --- late milestones are told ----------------------------------------------------------------


def test_a_late_milestone_is_told_once_to_its_responsible_party(task, board_user, agency_user, client):
    late = add(task, board_user, "Xác nhận nghĩa vụ thuế", -40, -1, responsible_agency=agency_user.agency)
    add(task, board_user, "Chưa đến hạn", -5, 30, responsible_agency=agency_user.agency)
    assert services.milestones_notify_overdue(today=TODAY) == 1
    assert services.milestones_notify_overdue(today=TODAY) == 0  # once per deadline
    notes = list(Notification.objects.all())
    assert [n.user for n in notes] == [agency_user]
    assert "Xác nhận nghĩa vụ thuế" in notes[0].subject
    client.force_login(agency_user)
    opened = client.post(f"/inbox/{notes[0].pk}/")
    assert opened.status_code == 302 and opened["Location"] == f"/roadmaps/{task.pk}/"
    # a new planned end makes its lateness news again when it passes
    services.milestone_plan(by=board_user, milestone=late, planned_start=days(-40), planned_end=days(3))
    assert services.milestones_notify_overdue(today=days(4)) == 1
    # a finished one is never told
    services.milestone_progress(
        by=board_user, milestone=late, progress_pct=100, actual_start=days(-40), actual_end=TODAY
    )
    late.refresh_from_db()
    assert late.actual_end == TODAY


# --- the enterprises' development roadmaps ---------------------------------------------------


def test_a_roadmap_made_from_the_certificate_and_reviewed_this_year(
    scheduled, enterprise_user, board_user, zone, make_project
):
    project = scheduled
    schedule = list(project.milestones.order_by("planned_date"))
    c = Client()
    c.force_login(enterprise_user)
    portal = c.get("/portal/").content.decode()
    assert f'action="/roadmaps/from-project/{project.code}/"' in portal  # the portal offers to make it
    made = c.post(f"/roadmaps/from-project/{project.code}/")
    roadmap = Roadmap.objects.get(project=project)
    assert made["Location"] == f"/roadmaps/{roadmap.pk}/"
    milestones = list(roadmap.milestones.order_by("position"))
    assert [m.schedule_milestone for m in milestones] == schedule
    assert [(m.planned_end, m.actual_end, m.progress_pct) for m in milestones] == [
        (dt.date(2020, 6, 1), dt.date(2020, 7, 1), 100),
        (dt.date(2021, 3, 1), None, 0),
        (dt.date(2027, 1, 1), None, 0),
    ]
    assert c.post(f"/roadmaps/from-project/{project.code}/")["Location"] == made["Location"]  # not twice
    assert f'href="/roadmaps/{roadmap.pk}/"' in c.get("/portal/").content.decode()
    make_project(zone=zone)  # an enterprise that has not reviewed anything
    rows = selectors.enterprise_reviews(zone=zone, year=TODAY.year)
    assert [r["reviewed"] for r in rows] == [False, False]
    c.post(f"/roadmaps/{roadmap.pk}/review/", {"note": "Cập nhật tiến độ"})
    rows = {r["enterprise"].pk: r for r in selectors.enterprise_reviews(zone=zone, year=TODAY.year)}
    assert rows[project.enterprise_id]["reviewed"] and rows[project.enterprise_id]["last_review"] == TODAY
    assert sum(r["reviewed"] for r in rows.values()) == 1
    board = Client()
    board.force_login(board_user)
    page = board.get(f"/roadmaps/reviews/?zone={zone.code}").content.decode()
    assert "1 trên 2 doanh nghiệp" in page  # the pages speak Vietnamese first
    assert enterprise_user.enterprise.name in page


# --- pages -----------------------------------------------------------------------------------


def test_the_pages_show_statuses_timeline_and_what_needs_attention(task, board_user, package, client):
    late = add(task, board_user, "Việc đã trễ", -60, -3)
    add(task, board_user, "Việc đúng hạn", -10, 200)
    detail = client.get(f"/roadmaps/{task.pk}/").content.decode()
    assert "Việc đã trễ" in detail and 'class="status rm-late"' in detail
    assert detail.count('class="gantt-planned') == 2 and "gantt-today" in detail
    attention = client.get("/roadmaps/attention/").content.decode()
    assert "Việc đã trễ" in attention and "Việc đúng hạn" not in attention
    assert attention.index("Việc đã trễ") < attention.index("Gói 1") or "Gói 1" not in attention
    zone_page = client.get(f"/roadmaps/zone/{task.zone.code}/").content.decode()
    assert task.title_vi in zone_page and package.milestone.roadmap.title_vi in zone_page
    with translation.override("vi"):
        assert [m.title for m in selectors.attention(user=board_user, today=TODAY)][0] == late.title


@pytest.mark.django_db(transaction=True)
def test_the_worker_tells_late_milestones(zone, board_user, agency_user):
    task = services.roadmap_create(
        by=board_user, zone=zone, kind=RoadmapKind.TASK, title_vi="Nhiệm vụ", owner_kind=OwnerKind.BOARD
    )
    add(task, board_user, "Đã trễ", -30, -2, responsible_agency=agency_user.agency)
    call_command("worker", "--once", verbosity=0)
    assert list(Notification.objects.values_list("user__username", flat=True)) == [agency_user.username]


# --- what the review found -------------------------------------------------------------------


def test_only_the_enterprise_reviews_its_roadmap(own_roadmap, board_user, enterprise_user, zone):
    with pytest.raises(PermissionDenied):  # a board officer's click must not count as the firm's review
        services.roadmap_review(by=board_user, roadmap=own_roadmap)
    board = Client()
    board.force_login(board_user)
    assert "I have reviewed" not in board.get(f"/roadmaps/{own_roadmap.pk}/").content.decode()
    assert board.post(f"/roadmaps/{own_roadmap.pk}/review/").status_code == 403
    services.roadmap_review(by=enterprise_user, roadmap=own_roadmap)
    services.roadmap_review(by=enterprise_user, roadmap=own_roadmap, note="lần hai")  # the same day: one review
    assert own_roadmap.reviews.count() == 1 and own_roadmap.reviews.get().note == "lần hai"


def test_a_parcel_is_cleared_by_one_open_package_only(clearance, package, plan, board_user):
    with pytest.raises(ServiceError) as caught:
        services.package_create(
            by=board_user,
            roadmap=clearance,
            code="GPMB-09",
            title="Trùng lô",
            responsible_name="UBND xã",
            planned_start=days(0),
            planned_end=days(30),
            area_to_clear_m2=1000,
            households_affected=1,
            parcels=[plan["CN-02"], plan["CN-04"]],
        )
    assert "CN-02" in caught.value.message_dict["parcels"][0]


def test_hand_over_changes_the_parcels_of_the_plan_in_force(package, plan, board_user, zone):
    newer = planning.revision_create(
        zone=zone,
        layer="parcels",
        features=[
            parcel("CN-01", X0, Y0, occupancy="clearance"),
            parcel("CN-02", X0 + 200, Y0, occupancy="clearance"),
            parcel("CN-04", X0 + 600, Y0, occupancy="clearance"),
        ],
        effective_date=TODAY - D(days=2),
        by=board_user,
    )
    services.package_hand_over(by=board_user, package=package, on=days(-1))
    now = dict(Parcel.objects.filter(revision=newer).values_list("code", "occupancy"))
    assert now == {"CN-01": "vacant", "CN-02": "vacant", "CN-04": "clearance"}
    # the superseded revision is history: left as it was
    assert Parcel.objects.get(pk=plan["CN-01"].pk).occupancy == "clearance"


def test_a_commune_keeps_its_site_clearance(package, commune, agency_user):
    commune_officer = _user("xahoalac", "agency", agency=commune)
    services.package_record(
        by=commune_officer,
        package=package,
        on=days(-3),
        area_handed_over_m2="3000",
        households_agreed=4,
        compensation_paid_vnd=1_000_000_000,
    )
    with pytest.raises(PermissionDenied):  # another agency may not
        services.package_record(
            by=agency_user,
            package=package,
            on=days(-2),
            area_handed_over_m2="3000",
            households_agreed=4,
            compensation_paid_vnd=1_000_000_000,
        )


def test_the_roadmap_follows_the_registry_and_only_the_board_writes_it(
    scheduled, enterprise_user, own_roadmap, board_user
):
    from zonedesk.investment import services as registry

    building, operating = list(own_roadmap.milestones.filter(actual_end__isnull=True).order_by("planned_end"))
    registry.milestone_record(milestone=building.schedule_milestone, actual_date=dt.date(2021, 4, 1))
    building.refresh_from_db()
    assert (building.actual_end, building.progress_pct) == (dt.date(2021, 4, 1), 100)
    # the enterprise's own word moves its roadmap, never the registry of its certificate
    services.milestone_progress(
        by=enterprise_user, milestone=operating, progress_pct=100, actual_start=days(-100), actual_end=days(-1)
    )
    operating.schedule_milestone.refresh_from_db()
    assert operating.schedule_milestone.actual_date is None
    # the board's record is the registry's too
    services.milestone_progress(
        by=board_user, milestone=operating, progress_pct=100, actual_start=days(-100), actual_end=days(-2)
    )
    operating.schedule_milestone.refresh_from_db()
    assert operating.schedule_milestone.actual_date == days(-2)


def test_a_late_milestone_without_people_to_tell_goes_to_the_board(task, board_user, commune):
    add(task, board_user, "Không ai nhận", -30, -2, responsible_agency=commune)  # the commune has no account
    assert services.milestones_notify_overdue(today=TODAY) == 1
    assert list(Notification.objects.values_list("user", flat=True)) == [board_user.pk]


def test_the_timeline_never_draws_a_bar_off_the_axis(task, board_user):
    m = add(task, board_user, "Bắt đầu muộn", -60, -55)
    services.milestone_progress(by=board_user, milestone=m, progress_pct=10, actual_start=days(-5))
    milestones, _summary = selectors.roadmap_milestones(task, TODAY)
    axis = selectors.timeline(milestones, TODAY)
    for row in axis["rows"]:
        for bar in (row["planned"], row["actual"]):
            assert 0 <= bar.left <= 100 and 0 < bar.width <= 100 - bar.left + 0.001


def test_the_board_builds_a_roadmap_and_its_packages_in_pages(zone, commune, board_user, plan):
    c = Client()
    c.force_login(board_user)
    made = c.post(
        "/roadmaps/new/",
        {
            "zone": zone.code,
            "kind": "clearance",
            "title_vi": "Giải phóng mặt bằng giai đoạn 2",
            "owner_kind": "commune",
            "owner_agency": commune.pk,
            "key_task": "on",
            "public": "on",
        },
    )
    roadmap = Roadmap.objects.get(title_vi="Giải phóng mặt bằng giai đoạn 2")
    assert made["Location"] == f"/roadmaps/{roadmap.pk}/" and roadmap.key_task
    form = {
        "code": "GPMB-21",
        "title": "Gói 21",
        "responsible_name": "UBND xã",
        "planned_start": days(-10).isoformat(),
        "planned_end": days(200).isoformat(),
        "area_to_clear_m2": "20000",
        "households_affected": "12",
        "parcels": "CN-01, CN-99",
    }
    refused = c.post(f"/roadmaps/{roadmap.pk}/packages/new/", form)
    assert refused.status_code == 200 and "CN-99" in refused.content.decode()
    assert not roadmap.milestones.exists()
    added = c.post(f"/roadmaps/{roadmap.pk}/packages/new/", form | {"parcels": "CN-01\nCN-04"})
    assert added.status_code == 302
    package = roadmap.milestones.get().package
    assert sorted(package.parcels.values_list("code", flat=True)) == ["CN-01", "CN-04"]
    # its plan changes, and it is linked to a condition of the ecosystem
    from zonedesk.ecosystem.models import Condition

    m = package.milestone
    changed = c.post(
        f"/roadmaps/milestones/{m.pk}/plan/",
        {
            "title": "Gói 21 (điều chỉnh)",
            "responsible_name": "UBND xã",
            "planned_start": days(-10).isoformat(),
            "planned_end": days(260).isoformat(),
            "condition": Condition.objects.get(number=6).pk,
            "version": "²",  # not a version this page gave: refused (reload), never a crash
        },
    )
    assert changed.status_code == 409  # shown again with the conflict on top, as the API answers
    m.refresh_from_db()
    assert m.title == "Gói 21"
    changed = c.post(
        f"/roadmaps/milestones/{m.pk}/plan/",
        {
            "title": "Gói 21 (điều chỉnh)",
            "responsible_name": "UBND xã",
            "planned_start": days(-10).isoformat(),
            "planned_end": days(260).isoformat(),
            "condition": Condition.objects.get(number=6).pk,
            "version": m.version,
        },
    )
    assert changed.status_code == 302
    m.refresh_from_db()
    assert (m.title, m.planned_end, m.condition.number) == ("Gói 21 (điều chỉnh)", days(260), 6)


def test_an_enterprise_sees_a_roadmap_it_answers_for(task, board_user, enterprise_user):
    hidden = services.roadmap_create(
        by=board_user,
        zone=task.zone,
        kind=RoadmapKind.TASK,
        title_vi="Nội bộ",
        owner_kind=OwnerKind.BOARD,
        public=False,
    )
    add(hidden, board_user, "Doanh nghiệp nộp hồ sơ", 0, 10, responsible_enterprise=enterprise_user.enterprise)
    c = Client()
    c.force_login(enterprise_user)
    assert c.get(f"/roadmaps/{hidden.pk}/").status_code == 200


def test_a_roadmap_is_changed_in_its_page_and_a_stale_form_is_refused(task, board_user, enterprise_user):
    c = Client()
    c.force_login(board_user)
    page = c.get(f"/roadmaps/{task.pk}/edit/").content.decode()
    assert f'name="version" value="{task.version}"' in page
    form = {
        "title_vi": "Nhiệm vụ trọng điểm 2027",
        "owner_name": "Ban Chỉ đạo",
        "public": "on",
        "version": task.version,
    }
    assert c.post(f"/roadmaps/{task.pk}/edit/", form).status_code == 302
    task.refresh_from_db()
    assert task.title_vi == "Nhiệm vụ trọng điểm 2027" and not task.key_task
    stale = c.post(f"/roadmaps/{task.pk}/edit/", form | {"title_vi": "Cũ"})  # the version read before the save
    assert stale.status_code == 409
    # shown again, the page still holds the version its reader saw: a second click is refused too
    assert f'name="version" value="{form["version"]}"' in stale.content.decode()
    assert c.post(f"/roadmaps/{task.pk}/edit/", form | {"title_vi": "Cũ"}).status_code == 409
    task.refresh_from_db()
    assert task.title_vi == "Nhiệm vụ trọng điểm 2027"
    with pytest.raises(ServiceError):  # a committee needs its name
        services.roadmap_update(by=board_user, roadmap=task, owner_name="")
    other = Client()
    other.force_login(enterprise_user)
    assert other.get(f"/roadmaps/{task.pk}/edit/").status_code == 403


def test_only_the_board_names_a_key_local_task(own_roadmap, enterprise_user, board_user):
    with pytest.raises(PermissionDenied):
        services.roadmap_update(by=enterprise_user, roadmap=own_roadmap, key_task=True)
    c = Client()
    c.force_login(enterprise_user)
    assert 'name="key_task"' not in c.get(f"/roadmaps/{own_roadmap.pk}/edit/").content.decode()
    services.roadmap_update(by=board_user, roadmap=own_roadmap, key_task=True)


def test_every_form_page_is_closed_to_those_who_may_not_change(
    clearance, package, task, board_user, enterprise_user, agency_user, commune
):
    from zonedesk.ecosystem import services as ecosystem

    fund = ecosystem.actor_create(by=board_user, zone=task.zone, kind="fund", name_vi="Quỹ", fund_kind="public")
    m = add(task, board_user, "Việc", -5, 5)
    board_only = ["/roadmaps/new/", "/roadmaps/reviews/", f"/ecosystem/actors/{fund.pk}/end/"]
    owner_or_board = [
        f"/roadmaps/{task.pk}/edit/",
        f"/roadmaps/{task.pk}/milestones/new/",
        f"/roadmaps/{clearance.pk}/packages/new/",
        f"/roadmaps/milestones/{m.pk}/plan/",
        f"/roadmaps/milestones/{m.pk}/progress/",
        f"/roadmaps/packages/{package.pk}/record/",
        f"/roadmaps/packages/{package.pk}/hand-over/",
    ]
    public, firm, officer, board = Client(), Client(), Client(), Client()
    firm.force_login(enterprise_user)
    officer.force_login(agency_user)
    board.force_login(board_user)
    for url in board_only + owner_or_board:
        assert public.get(url).status_code == 302, url  # sent to log in
        assert firm.get(url).status_code in {403, 404}, url
        assert officer.get(url).status_code in {403, 404}, url
        assert board.get(url).status_code == 200, url
    registry = public.get(f"/ecosystem/actors/?zone={task.zone.code}")  # the registry is public to read
    assert registry.status_code == 200 and "Quỹ" in registry.content.decode()
    assert f"/ecosystem/actors/{fund.pk}/end/" not in registry.content.decode()  # without the board's buttons
    # a commune officer keeps its own site clearance, nothing else
    commune_officer = Client()
    commune_officer.force_login(_user("xahoalac", "agency", agency=commune))
    assert commune_officer.get(f"/roadmaps/packages/{package.pk}/record/").status_code == 200
    assert commune_officer.get(f"/roadmaps/{task.pk}/edit/").status_code in {403, 404}


def test_the_hand_over_and_milestone_pages_write_through_their_services(task, package, board_user):
    c = Client()
    c.force_login(board_user)
    refused = c.post(
        f"/roadmaps/packages/{package.pk}/hand-over/",
        {"on": days(1).isoformat(), "version": package.milestone.version},  # tomorrow: refused
    )
    assert refused.status_code == 200
    package.refresh_from_db()
    assert package.handed_over_on is None
    done = c.post(
        f"/roadmaps/packages/{package.pk}/hand-over/",
        {"on": days(-1).isoformat(), "version": package.milestone.version},
    )
    assert done.status_code == 302
    package.refresh_from_db()
    assert package.handed_over_on == days(-1)
    added = c.post(
        f"/roadmaps/{task.pk}/milestones/new/",
        {
            "title": "Mốc mới",
            "responsible_name": "Ban",
            "planned_start": days(0).isoformat(),
            "planned_end": days(9).isoformat(),
        },
    )
    assert added.status_code == 302 and task.milestones.filter(title="Mốc mới").exists()
    bad = c.post(
        f"/roadmaps/{task.pk}/milestones/new/",
        {
            "title": "Ngược",
            "responsible_name": "Ban",
            "planned_start": days(9).isoformat(),
            "planned_end": days(0).isoformat(),
        },
    )
    assert bad.status_code == 200 and not task.milestones.filter(title="Ngược").exists()


def test_a_new_package_tells_every_mistake_at_once(clearance, board_user):
    with pytest.raises(ServiceError) as caught:
        services.package_create(
            by=board_user,
            roadmap=clearance,
            code="",
            title="",
            responsible_name="UBND xã",
            planned_start=days(10),
            planned_end=days(0),
            area_to_clear_m2=0,
            households_affected=1,
        )
    assert {"code", "title", "planned_end", "area_to_clear_m2"} <= set(caught.value.message_dict)
    assert not clearance.milestones.exists()


def test_a_zone_code_in_another_case_names_the_same_zone(task, board_user, other_zone, client):
    """As in the planning API: /roadmaps/zone/hhtp/ is HHTP's page, ?zone=hhtp filters by HHTP."""
    add(task, board_user, "Việc đã trễ", -60, -3)
    page = client.get(f"/roadmaps/zone/{task.zone.code.lower()}/")
    assert page.status_code == 200 and task.title_vi in page.content.decode()
    assert client.get("/roadmaps/zone/nope/").status_code == 404
    export = client.get("/roadmaps/attention/?zone=hhtp&export=csv")
    assert "milestones-late-at-risk-HHTP-" in export["Content-Disposition"]
    assert "Việc đã trễ" in b"".join(export.streaming_content).decode("utf-8-sig")
    elsewhere = client.get(f"/roadmaps/attention/?zone={other_zone.code.lower()}&export=csv")
    assert f"-{other_zone.code}-" in elsewhere["Content-Disposition"]
    assert "Việc đã trễ" not in b"".join(elsewhere.streaming_content).decode("utf-8-sig")

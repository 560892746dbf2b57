"""The Hoa Lac demo's roadmaps and ecosystem: the site clearance of Hoa Lac commune with packages
in every state, the board's key task, enterprises' development roadmaps (some reviewed this
year), and the seven conditions with their actors, targets and measurements of the last three
whole years."""

from __future__ import annotations

import datetime as dt

import pytest

from zonedesk.ecosystem import selectors as ecosystem
from zonedesk.ecosystem.models import Actor
from zonedesk.planning.models import Occupancy, Parcel
from zonedesk.roadmaps import selectors
from zonedesk.roadmaps.models import ClearancePackage, Roadmap, RoadmapKind
from zonedesk.roadmaps.status import Status, status_of
from zonedesk_demo.roadmaps import build_roadmaps_demo


@pytest.fixture
def built(demo_everything, db):
    """The whole demo of the run (tests/conftest.py)."""
    return {"today": demo_everything.today}


@pytest.fixture
def today(built, db):
    return built["today"]


def test_the_site_clearance_of_hoa_lac_commune(built, today):
    roadmap = Roadmap.objects.get(kind=RoadmapKind.CLEARANCE, zone__code="HHTP")
    assert roadmap.key_task and roadmap.public and roadmap.owner_agency.code == "UBND-HOALAC"
    packages = list(ClearancePackage.objects.filter(milestone__roadmap=roadmap).select_related("milestone"))
    assert {status_of(p.milestone, today) for p in packages} == set(Status)
    # the packages under way hold every parcel still under clearance; the demo frees none
    held = {p.pk for pkg in packages if pkg.handed_over_on is None for p in pkg.parcels.all()}
    assert Parcel.objects.filter(occupancy=Occupancy.CLEARANCE).count() == len(held)
    totals = selectors.clearance_totals(user=None, roadmap=roadmap)
    assert totals.handed_over == 1 and 0 < totals.area_pct < 100
    history = selectors.clearance_history(user=None, roadmap=roadmap)
    assert len(history) >= 10 and history[-1]["area_m2"] == totals.area_handed_over_m2


def test_enterprises_roadmaps_and_their_reviews(built, today):
    roadmaps = list(Roadmap.objects.filter(kind=RoadmapKind.ENTERPRISE).select_related("owner_enterprise"))
    names = {r.owner_enterprise.name for r in roadmaps}
    assert {"Công ty Cổ phần FPT", "Công ty TNHH Hanwha Aero Engines"} <= names and len(roadmaps) == 4
    assert not any(r.public for r in roadmaps)
    rows = selectors.enterprise_reviews(zone=roadmaps[0].zone, year=today.year)
    reviewed = {r["enterprise"].name for r in rows if r["reviewed"]}
    # reviewed 20 and 35 days before the demo's today (a third one last November)
    expected = sum((today - dt.timedelta(days=n)).year == today.year for n in (20, 35))
    assert len(reviewed) == expected
    assert len(rows) > len(roadmaps)  # most enterprises have not started one: the board sees who


def test_a_second_build_changes_nothing(built, today):
    before = Roadmap.objects.count()
    assert build_roadmaps_demo(today=today) == 0
    assert Roadmap.objects.count() == before == 6


def test_the_ecosystem_of_hoa_lac(built, today):
    zone = Roadmap.objects.get(kind=RoadmapKind.CLEARANCE).zone
    years = [today.year - 3, today.year - 2, today.year - 1]  # the last three whole years
    assert ecosystem.years_with_data(zone) == years
    card = ecosystem.scorecard(zone=zone, year=years[-1])
    assert all(c.score is not None for c in card["conditions"])
    assert card["missing"] >= 1  # a measurement the demo leaves out, shown as not scored
    trend = ecosystem.trend(zone=zone, years=years)
    assert all(len(row["scores"]) == 3 for row in trend)
    nic = Actor.objects.get(name_en="National Innovation Center (NIC)")
    assert not nic.is_synthetic and nic.active_from.isoformat() == "2023-10-28"  # FACTS.md
    assert (
        Actor.objects.filter(is_synthetic=True, name_vi__contains="minh họa").count()
        == Actor.objects.filter(is_synthetic=True).count()
    )
    actions = ecosystem.actions(user=None, zone=zone, today=today)
    assert len(actions[card["conditions"][5].condition.pk]) == 2  # infrastructure: two milestones act on it

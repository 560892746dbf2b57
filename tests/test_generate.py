"""`zonedesk generate`: the synthetic national dataset, at the tiny scale, then the app on it.

The rows are written in bulk, not by the services, so these tests check them against the
services' own rules (folded search text, deadlines from `petitions.sla` on the calendar, the
lifecycle of `petitions.workflow`, geometry from `planning.geometry`), then use the app on
them: dashboards, a petition's page, an agency's queue, the OGC API, a new petition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from io import StringIO

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Sum
from django.utils import timezone

from zonedesk.core.calendar import add_working_hours, working_hours_between
from zonedesk.core.models import Agency, Counter, Role, User, Zone
from zonedesk.core.text import fold
from zonedesk.investment.models import Enterprise, Investor, PeriodicReport, Project
from zonedesk.investment.selectors import projects_in_force, zone_figures
from zonedesk.petitions import services, sla
from zonedesk.petitions.models import OPEN_STATUSES, Petition, PetitionEvent
from zonedesk.petitions.workflow import TRANSITIONS
from zonedesk.planning import geometry
from zonedesk.planning.models import Layer, Parcel, PlanRevision
from zonedesk.planning.selectors import land_rate_from_parcels

DAY = "2026-06-30"  # the day of generation: histories stop the day before


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate", "--scale", "tiny", "--today", DAY, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def generated(db) -> str:
    return generate()


def _in_force() -> list[int]:
    """The parcels revision in force today of every zone, found without the app's selectors."""
    today = timezone.localdate()
    best: dict[int, tuple] = {}
    for pk, zone, effective, number in PlanRevision.objects.filter(layer=Layer.PARCELS).values_list(
        "pk", "zone", "effective_date", "number"
    ):
        if effective <= today and (zone not in best or (effective, number) > best[zone][0]):
            best[zone] = ((effective, number), pk)
    return [pk for _key, pk in best.values()]


# --- the rows ---------------------------------------------------------------------------------


def test_tiny_has_its_rows_and_reports_its_time(generated):
    assert Zone.objects.count() == 4 and not Zone.objects.filter(is_synthetic=False).exists()
    assert Enterprise.objects.count() == 60 and Project.objects.count() == 80
    assert Petition.objects.count() == 300
    assert PeriodicReport.objects.count() >= 600
    assert (
        Parcel.objects.filter(revision__in=_in_force()).count() == 240
        or PlanRevision.objects.filter(layer=Layer.PARCELS, effective_date__gt=DAY).exists()
    )  # a revision generated "not yet in force" may be in force by the day the tests run
    assert PetitionEvent.objects.count() > 5 * 300
    for name in ("investment_project", "petitions_petitionevent", "planning_parcel", "ANALYZE"):
        assert name in generated
    assert "tiny" in generated


def test_folded_search_columns_are_the_services(generated):
    for p in Project.objects.select_related("enterprise"):
        assert p.search_text == fold(" ".join([p.code, p.name_vi, p.name_en, p.enterprise.name]))[:1000]
    for e in Enterprise.objects.all():
        assert e.name_folded == fold(e.name)
    for i in Investor.objects.all():
        assert i.name_folded == fold(i.name)
    for p in Petition.objects.select_related("published_answer"):
        assert p.search_text == fold(f"{p.title} {p.body}")
        if p.published_answer is not None:
            assert p.public_search_text == fold(f"{p.public_summary} {p.published_answer.body}")
        else:
            assert p.public_search_text == "" and p.published_at is None
    assert Project.objects.filter(search_text__contains="minh hoa").count() == 80  # accents folded


def test_references_are_numbered_per_year_and_the_counters_follow(generated):
    last: dict[int, int] = {}
    for p in Petition.objects.order_by("received_at", "pk"):
        year = timezone.localtime(p.received_at).year
        assert (p.year, p.reference) == (year, f"PAKN-{year}-{p.sequence:06d}")
        assert p.sequence == last.get(year, 0) + 1
        last[year] = p.sequence
    assert dict(Counter.objects.filter(key__startswith="petition-").values_list("key", "value")) == {
        f"petition-{y}": n for y, n in last.items()
    }


def test_histories_follow_the_lifecycle_and_the_deadlines(generated):  # noqa: C901 - one replay
    """Replay every petition's events with the app's own rules: each move allowed by the workflow
    from the status it had, the deadlines recomputed by `petitions.sla` and the calendar, the
    petition's columns as the last events left them."""
    checked_resume = checked_extension = 0
    for p in Petition.objects.prefetch_related("events", "answers"):
        events = list(p.events.all())
        received = p.received_at
        day = timezone.localdate(received)
        raised = any(e.action == "triage" and "priority" in e.data["changed"] for e in events)
        first_priority = "normal" if raised else p.priority  # the board may find it urgent at triage
        policy = sla.policy_for(category=p.category, priority=first_priority, on=day)
        assert p.acknowledge_due_at == add_working_hours(received, policy.acknowledge_hours)
        due = sla.answer_due(policy, received)
        status, level, paused, transfer_due = "submitted", 0, None, None
        assert events[0].action == "submit" and events[0].at == received
        acknowledged = None
        for e in events[1:]:
            assert e.at >= received
            if e.to_status:
                t = TRANSITIONS[e.action]
                assert e.from_status == status and status in t.sources and e.to_status == t.target, (p.reference, e)
                status = e.to_status
                if acknowledged is None and e.action != "close":
                    acknowledged = e.at
            if e.action == "triage" and "priority" in e.data["changed"]:
                due = sla.answer_due(sla.policy_for(category=p.category, priority=p.priority, on=day), received)
            elif e.action == "assign":
                now_policy = sla.policy_for(category=p.category, priority=p.priority, on=timezone.localdate(e.at))
                transfer_due = sla.due_after_days(e.at, now_policy.transfer_days)
                agency = Agency.objects.get(code=e.data["lead_agency"])
            elif e.action == "transfer":
                assert e.data["late"] == (e.at > transfer_due)
                transfer_due = None
            elif e.action == "request_info":
                paused = e.at
            elif e.action == "info_supplied":
                due = add_working_hours(due, working_hours_between(paused, e.at))
                paused = None
                checked_resume += 1
            elif e.action == "extend":
                assert dt.datetime.fromisoformat(e.data["old_due"]) == due
                due = sla.end_of_working_day(sla.add_working_days(timezone.localdate(due), e.data["days"]))
                checked_extension += 1
            elif e.action == "answer":
                assert e.data["on_time"] == (e.at <= due)
                assert p.answers.get(pk=e.data["answer"]).state == "approved"
            elif e.action == "reopen":
                now_policy = sla.policy_for(category=p.category, priority=p.priority, on=timezone.localdate(e.at))
                due = sla.answer_due(now_policy, e.at)
            elif e.action == "escalate":
                assert status in OPEN_STATUSES and paused is None and e.at > due
                assert e.data["level"] == level + 1
                level += 1
        assert (p.status, p.answer_due_at, p.escalation_level, p.paused_at) == (status, due, level, paused)
        assert p.acknowledged_at == acknowledged
        assert p.transfer_due_at == (transfer_due if p.lead_agency_id else None)
        if p.lead_agency_id:
            assert p.lead_agency == agency
        assert p.version >= len(events)
        answered = [e.at for e in events if e.action == "answer"]
        assert p.answered_at == (answered[-1] if answered else None)
        closes = [e.at for e in events if e.action == "close"]
        assert p.closed_at == (closes[-1] if status == "closed" else None)
        assert p.reopen_count == sum(1 for e in events if e.action == "reopen")
        if p.status == "merged":
            assert p.merged_into.received_at < p.received_at and p.merged_into.merged_into_id is None
        assert (p.enterprise_id is not None) or p.petitioner_name
    assert checked_resume and checked_extension  # the tiny seed has both


def test_parcels_carry_their_bbox_and_geodesic_area_and_match_the_registry(generated):
    revisions = _in_force()
    for parcel in Parcel.objects.filter(revision__in=revisions).select_related("land_use"):
        shape = geometry.parse(parcel.geometry)
        assert shape.geom_type == "Polygon" and shape.is_valid
        snapped = shapely.set_precision(shape, 10**-geometry.PRECISION)  # what `geometry.dumps` keeps
        assert shapely.equals_exact(shapely.normalize(snapped), shapely.normalize(shape), tolerance=0)
        assert geometry.bbox(shape) == (parcel.minx, parcel.miny, parcel.maxx, parcel.maxy)
        assert geometry.area_m2(shape) == parcel.area_m2
    land = dict(
        Parcel.objects.filter(revision__in=revisions, project__isnull=False)
        .values("project")
        .annotate(s=Sum("area_m2"))
        .values_list("project", "s")
    )
    for project in Project.objects.all():
        assert project.land_area_m2 == land.get(project.pk, 0)
    today = timezone.localdate()
    for zone in Zone.objects.all():
        figures = zone_figures(zone=zone, year=today.year)
        assert figures["land_registration_rate"] == pytest.approx(land_rate_from_parcels(zone), abs=0.002)


# --- the app on the data ----------------------------------------------------------------------


def _board() -> User:
    return User.objects.filter(role=Role.BOARD).order_by("pk").first()


def test_dashboard_and_figures_of_a_zone_and_the_country(generated, client):
    big = max(Zone.objects.all(), key=lambda z: z.projects.count())
    as_of = dt.date(2025, 12, 31)
    answer = client.get(f"/api/v1/zones/{big.code}/figures", {"year": 2025}).json()
    assert answer["projects"]["total"] == projects_in_force(zone=big, as_of=as_of).count() > 0
    assert answer["revenue_vnd"] > 0 and answer["workers"] > 0
    country = client.get("/api/v1/figures", {"year": 2025}).json()
    assert country["projects"]["total"] == projects_in_force(as_of=as_of).count()
    public = client.get("/api/v1/petitions/figures", {"year": 2025}).json()
    assert public["received"] == Petition.objects.filter(year=2025).exclude(status="merged").count() > 0
    client.force_login(_board())
    for query in ({"zone": big.code, "year": 2025}, {"year": 2025}):
        page = client.get("/dashboard/", query)
        assert page.status_code == 200


def test_the_board_reads_a_generated_petition(generated, client):
    client.force_login(_board())
    for petition in (
        Petition.objects.filter(status="closed", published_at__isnull=False).first(),
        Petition.objects.filter(status__in=OPEN_STATUSES).first(),
    ):
        page = client.get(f"/petitions/{petition.reference}/")
        assert page.status_code == 200
        assert petition.reference in page.content.decode()
        detail = client.get(f"/api/v1/petitions/{petition.reference}").json()
        assert [e["action"] for e in detail["events"]] == list(petition.events.values_list("action", flat=True))


def test_an_agency_reads_its_queue_by_deadline(generated, client):
    open_petitions = Petition.objects.filter(status__in=OPEN_STATUSES, lead_agency__isnull=False)
    busiest = open_petitions.values("lead_agency").annotate(n=Count("pk")).order_by("-n", "lead_agency")
    agency_id = busiest[0]["lead_agency"]
    officer = User.objects.filter(agency_id=agency_id).first()
    client.force_login(officer)
    rows = client.get("/api/v1/petitions", {"status": "open", "page_size": 100}).json()
    expected = Petition.objects.restrict(officer).filter(status__in=OPEN_STATUSES).order_by("answer_due_at", "pk")[:100]
    assert [r["reference"] for r in rows["items"]] == [p.reference for p in expected]
    assert any(r["lead_agency"] == Agency.objects.get(pk=agency_id).code for r in rows["items"])
    # the page opens on what needs action now: what was newly assigned to the agency, then the
    # API's order (issue 22)
    page = client.get("/petitions/")
    mine = Petition.objects.restrict(officer).order_by("answer_due_at", "pk")
    first = mine.filter(status="assigned").first() or mine.filter(status__in=OPEN_STATUSES).first()
    assert page.status_code == 200
    assert re.findall(r'data-reference="([^"]+)"', page.content.decode())[0] == first.reference


def test_ogc_items_in_a_bbox_are_those_a_brute_force_finds(generated, client):
    parcels = list(Parcel.objects.filter(revision__in=_in_force()).select_related("zone"))
    zone = max({p.zone for p in parcels}, key=lambda z: sum(1 for p in parcels if p.zone == z))
    mine = [p for p in parcels if p.zone == zone]
    west, south = min(p.minx for p in mine), min(p.miny for p in mine)
    east, north = max(p.maxx for p in mine), max(p.maxy for p in mine)
    box = (west, south, (west + east) / 2, (south + north) / 2)  # a quarter of the zone, cutting lots
    hits = shapely.intersects(shapely.from_geojson([p.geometry for p in parcels]), shapely.box(*box))
    expected = {f"{p.zone.code}-{p.code}" for p, hit in zip(parcels, hits, strict=True) if hit}
    answer = client.get(
        "/ogc/collections/parcels/items", {"bbox": ",".join(map(str, box)), "limit": 1000, "f": "json"}
    ).json()
    assert answer["numberMatched"] == len(expected) > 0
    assert {f["id"] for f in answer["features"]} == expected
    assert len(expected) < len(mine)


def test_a_petition_filed_afterwards_takes_the_next_reference(generated):
    enterprise = Enterprise.objects.order_by("pk").first()
    user = User.objects.get(enterprise=enterprise)
    year = timezone.localdate().year
    last = Petition.objects.filter(year=year).aggregate(m=Max("sequence"))["m"] or 0
    petition = services.petition_submit(
        zone=enterprise.zone, title="Mất điện kéo dài", body="Nhà máy mất điện hai ngày.", category="infrastructure",
        enterprise=enterprise, by=user,
    )  # fmt: skip
    assert petition.reference == f"PAKN-{year}-{last + 1:06d}"
    assert petition.pk == Petition.objects.aggregate(m=Max("pk"))["m"]


# --- safety and determinism ---------------------------------------------------------------------


def test_refuses_a_database_with_registry_data_unless_replace(db, zone, admin_user):
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert Zone.objects.get() == zone and not Project.objects.exists()
    generate("--replace")
    assert not Zone.objects.filter(code=zone.code).exists() and Zone.objects.count() == 4
    assert User.objects.filter(pk=admin_user.pk).exists()  # other people's accounts stay
    with pytest.raises(CommandError, match="--replace"):
        generate()  # and generated data counts as data


def _checksum() -> str:
    digest = hashlib.sha256()
    from zonedesk.directions.models import Direction, Task
    from zonedesk.promotion.models import Prospect

    for model in (
        Zone,
        Enterprise,
        Project,
        PeriodicReport,
        Parcel,
        Petition,
        PetitionEvent,
        User,
        Prospect,
        Direction,
        Task,
    ):
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_rows(db):
    from zonedesk.directions.models import Direction

    generate()
    first = _checksum()
    generate("--replace")
    assert _checksum() == first
    assert Direction.objects.count() == 20  # replaced, not added to
    generate("--replace", "--seed", "7")
    assert _checksum() != first


def test_refuses_a_day_in_the_future(db):
    with pytest.raises(CommandError):
        call_command(
            "generate", "--scale", "tiny", "--today", (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        )
    assert not Zone.objects.exists()


def test_big_tables_lose_and_regain_their_indexes_and_foreign_keys(db, monkeypatch):
    """At national scale the loader drops the secondary indexes and foreign keys of the big
    tables and rebuilds them (PostgreSQL); here every table counts as big, after a --replace."""
    from django.db import connection

    from zonedesk_demo.scale import load

    def catalogue() -> set:
        if connection.vendor != "postgresql":
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() UNION ALL "
                "SELECT conname FROM pg_constraint WHERE contype = 'f'"
            )
            return {name for (name,) in cursor.fetchall()}

    before = catalogue()
    generate()
    monkeypatch.setattr(load, "DEFER_FROM_ROWS", 0)
    output = generate("--replace")
    assert catalogue() == before
    if connection.vendor == "postgresql":
        assert "foreign keys" in output
    test_references_are_numbered_per_year_and_the_counters_follow(output)


# --- the one-stop desk's dossiers (issue 25) ------------------------------------------------------------------


def test_dossiers_follow_the_desk_clock_and_the_figures_lookup_and_queue_read_them(generated, client):
    """The generated dossiers are what the services would have written: codes numbered by day,
    the appointment counted from receipt on the working-day calendar (moved by the time the clock
    stood still), on time against the first appointment, working days without the stopped time,
    a timeline whose statuses chain, a control slip with one open step for an open dossier."""
    from zonedesk.core.calendar import working_hours_between
    from zonedesk.core.models import Counter
    from zonedesk.procedures import figures
    from zonedesk.procedures.models import CLOSED_STATUSES, Dossier, DossierEvent, DossierStep, UnitMember
    from zonedesk.procedures.services import _due

    dossiers = list(Dossier.objects.select_related("procedure_version").order_by("pk"))
    assert len(dossiers) == 400
    statuses = {d.status for d in dossiers}
    assert {"returned", "refused"} <= statuses and statuses & {"received", "processing", "supplement", "fees_due"}
    by_day: dict[str, list[int]] = {}
    for d in dossiers:
        agency, day, number = d.code.rsplit("-", 2)
        assert day == timezone.localtime(d.filed_at).strftime("%y%m%d")
        by_day.setdefault(day, []).append(int(number))
    for day, numbers in by_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert Counter.objects.get(key=f"dossier:20{day}").value == len(numbers)
    checked = 0
    for d in dossiers:
        events = list(DossierEvent.objects.filter(dossier=d).order_by("at", "id"))
        assert events[0].action == "file" and events[0].at == d.filed_at
        chain = [e for e in events if e.to_status]
        for before, after in zip(chain, chain[1:], strict=False):
            assert after.from_status == before.to_status, (d.code, before.action, after.action)
        assert chain[-1].to_status == d.status
        steps = list(DossierStep.objects.filter(dossier=d).order_by("started_at", "id"))
        open_steps = [s for s in steps if s.ended_at is None]
        assert len(open_steps) == (
            1 if d.status in {"filed", "received", "processing", "supplement", "fees_due"} else 0
        )
        if d.received_at is None:
            continue
        v = d.procedure_version
        first = _due(d.received_at, v.processing_time, v.time_kind)
        if not d.paused_hours:
            assert d.original_due_at == first, d.code
        if d.status == "returned":
            hours = working_hours_between(d.received_at, d.closed_at) - d.paused_hours
            assert d.working_days == max(0, round(hours / 8)), d.code
            assert d.on_time == (d.closed_at <= d.original_due_at)
            checked += 1
        if d.apologies:
            assert d.due_at > d.original_due_at
    assert checked > 50
    assert (
        Dossier.objects.exclude(status__in=CLOSED_STATUSES).filter(paused_at__isnull=False, status="processing").count()
        == 0
    )
    # the public figures count them, as the API says
    year = 2025
    f = figures.compute(year=year)
    assert f["received"] == Dossier.objects.filter(received_at__year=year).count() > 0
    assert client.get("/api/v1/dossiers/figures", {"year": year}).json()["received"] == f["received"]
    # the public lookup of a code, and a unit's queue for one of its members
    some = dossiers[-1]
    found = client.get("/api/v1/dossiers/lookup", {"code": some.code}).json()
    assert (found["code"], found["status"]) == (some.code, some.status)
    held = Dossier.objects.exclude(status__in=CLOSED_STATUSES).exclude(status="filed").first()
    member = UnitMember.objects.filter(unit=held.unit).select_related("user").first()
    client.force_login(member.user)
    queue = client.get("/api/v1/dossiers", {"waiting_for_me": "true"}).json()
    waiting = Dossier.objects.filter(unit=member.unit).exclude(status__in=CLOSED_STATUSES)
    assert {r["code"] for r in queue} == set(waiting.values_list("code", flat=True)) != set()


# --- the promotion pipeline and the follow-up of directions (issue 26) --------------------------------


def test_prospects_and_tasks_are_what_the_services_would_write_and_the_figures_read_them(generated, client):
    """Prospect codes numbered per year (a prospect recorded afterwards takes the next), stages
    reached by the workflow's moves in order with the timeline ending at the stage, the score the
    scorecard gives, the services' folded search text, a licensed prospect the investor of a
    project certified after its dossier went in; tasks whose status follows their reports and whose
    "on time" is the accepted report against the deadline; the figures and the API read them."""
    from zonedesk.core.calendar import working_days_between
    from zonedesk.core.rules import rule_value
    from zonedesk.directions import figures as task_figures
    from zonedesk.directions.models import Task, TaskEvent
    from zonedesk.promotion import screening
    from zonedesk.promotion import services as promotion
    from zonedesk.promotion.models import OPEN_STAGES, Prospect, ProspectEvent
    from zonedesk.promotion.workflow import PROSPECT

    prospects = list(Prospect.objects.select_related("project").order_by("pk"))
    assert len(prospects) == 120
    stages = {p.stage for p in prospects}
    assert {"lost", "licensed"} <= stages and stages & {"enquiry", "qualified", "site_visit", "proposal"}
    moves = {(t.action, frozenset(t.sources), t.target) for t in PROSPECT.transitions}
    by_year: dict[str, list[int]] = {}
    for p in prospects:
        _xt, year, number = p.code.split("-")
        by_year.setdefault(year, []).append(int(number))
        assert p.score == screening.scorecard(p).score, p.code
        assert p.search_text == promotion.search_text_of(p.code, p.company)
        chain = list(ProspectEvent.objects.filter(prospect=p).order_by("at", "id"))
        assert chain[0].action == "create" and chain[-1].to_status == p.stage
        for before, after in zip(chain, chain[1:], strict=False):
            assert after.from_status == before.to_status and after.at >= before.at, p.code
            assert any(a == after.action and after.from_status in s and t == after.to_status for a, s, t in moves)
        if p.stage == "lost":
            assert p.lost_reason
        if p.project_id:
            filed = next(e for e in chain if e.to_status == "dossier_filed")
            assert p.stage in {"licensed", "aftercare"} and p.project.certificate_date > filed.at.date()
            assert p.enterprise_id == p.project.enterprise_id and p.projected_capital_vnd
    for year, numbers in by_year.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert Counter.objects.get(key=f"prospect-code:{year}").value == len(numbers)
    board = User.objects.filter(role=Role.BOARD).first()
    assert promotion.prospect_create(by=board, company="Sau Co", country="JP", sector="software", source="forum").code
    client.force_login(board)
    f = client.get("/api/v1/prospects/figures").json()
    licensed = [p for p in prospects if p.project_id]
    assert f["licensed"] == len(licensed) > 0
    assert f["realised_capital_vnd"] > 0 and f["projected_capital_vnd"] == sum(
        p.projected_capital_vnd for p in licensed
    )
    page = client.get("/api/v1/prospects", {"stage": "open", "page_size": 100}).json()
    assert page["count"] == Prospect.objects.filter(stage__in=OPEN_STAGES).count() > 0

    tasks = list(Task.objects.order_by("pk"))
    assert {t.status for t in tasks} >= {"done", "in_progress", "reported"}
    today = timezone.localdate()
    assert any(t.is_overdue(today) for t in tasks)
    for t in tasks:
        events = list(TaskEvent.objects.filter(task=t).order_by("at", "id"))
        assert events[0].action == "issue" and events[-1].to_status == t.status, t.pk
        reports = list(t.reports.order_by("created_at"))
        assert [r.percent for r in reports] == sorted(r.percent for r in reports)
        if t.status == "done":
            done = reports[-1]
            assert done.done and t.done_at > done.created_at
            assert t.on_time == (t.deadline is None or timezone.localdate(done.created_at) <= t.deadline)
    day = dt.date.fromisoformat(DAY)  # the day of generation: the levels are those of that day
    steps = [int(d) for d in rule_value("directions.escalation_days", on=day)]
    for t in tasks:  # the level the service's rule gives an overdue task, never one beyond it
        if t.is_overdue(day) and t.status != "reported":
            late = working_days_between(t.deadline, day)
            assert t.escalation_level == sum(1 for d in steps if d == 0 or late >= d), t.pk
        assert t.escalation_level <= len(steps)
    year = max(d.year for d in Task.objects.dates("direction__date", "year"))
    whole = task_figures.compute(year=year)["whole"]
    rows = Task.objects.filter(direction__date__year=year)
    assert whole["set"] == rows.count()
    assert whole["overdue"] == sum(1 for t in rows if t.is_overdue(today))
    assert client.get("/api/v1/tasks/figures", {"year": year}).json()["whole"]["set"] == rows.count()  # the board
    client.logout()
    public = client.get("/api/v1/tasks/figures", {"year": year}).json()["whole"]
    assert public["set"] == rows.filter(direction__published=True).count()

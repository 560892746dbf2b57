"""Dossiers of the one-stop desk with their histories: each one filed, received and taken through
the steps of its procedure version (desk → specialist division → head → the board's leader signs
→ the desk returns the result) as far as its story goes by the day of generation, the way
`zonedesk_demo.procedures` walks the demo's dossiers through the services, but written as rows:
the dossier, its timeline (`DossierEvent`) and its processing-control slip (`DossierStep`).

What the services would record, the generator records: codes `{agency}-{yymmdd}-{nnnn}`
numbered by filing within each day (the counters `dossier:YYYYMMDD` advanced after them), the
appointment on the working-day calendar counted from receipt (an online dossier filed after
hours is received at the next opening), each step's own deadline (the shares of the steps up to
it), the clock stopped while a fee is due or a supplement is awaited (the appointment, the first
appointment and the open step's deadline moved by the office time it stood still), apologies
with a new appointment, refusals and withdrawals with their reasons, `on_time` against the first
appointment and `working_days` without the stopped time, the enterprise's rating.

No result PDFs and no files: a dossier's parts and its signed result are the services' work (and
the demo's); the figures, the public lookup and the units' queues read none of them.

The catalogue (units, procedures, versions, steps) comes first, through the demo's own
`build_catalogue`; the board officers of the generated provinces become members of its units.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from zonedesk.core.bulk import Table, table_of
from zonedesk.core.rules import rule_value
from zonedesk.procedures.models import Dossier, DossierEvent, DossierStep, UnitMember
from zonedesk_demo.scale.clock import HOUR
from zonedesk_demo.scale.plans import Step, aware

if TYPE_CHECKING:
    from zonedesk_demo.scale.plans import World

DOSSIERS = table_of(Dossier)
STEPS = table_of(DossierStep)
EVENTS = table_of(DossierEvent)
MEMBERS = table_of(UnitMember)

# how often each procedure is asked for (work permits and hi-tech confirmations lead)
WEIGHTS = {"LD-01": 40, "CN-01": 15, "DT-03": 14, "DT-01": 8, "DT-02": 6, "DT-04": 5, "DT-05": 6, "DT-06": 2}
EMPTY = "{}"
REFUSE_EARLY = "Hồ sơ không thuộc thẩm quyền giải quyết của Ban Quản lý."
REFUSE_LATE = "Dự án không đáp ứng điều kiện theo quy định; đề nghị nhà đầu tư hoàn thiện và nộp lại."
WITHDRAW = "Doanh nghiệp thay đổi kế hoạch đầu tư."
SUPPLEMENT = "Đề nghị bổ sung, hoàn thiện thành phần hồ sơ theo thông báo."
APOLOGY = "Hồ sơ cần lấy ý kiến các sở, ngành liên quan."


class _Stop(Exception):
    """The next step of a walk would fall on or after the day of generation."""


class _Version:
    __slots__ = ("id", "effective", "time", "kind", "fee", "steps")

    def __init__(self, row: Any, steps: list[tuple[int, str, int, int]]) -> None:
        self.id, self.effective, self.time, self.kind, self.fee = row
        self.steps = steps  # (order, kind, unit id, time)


class Desk:
    """The catalogue as the walks read it, the units' members, and the rows of the dossiers
    walked, until the loader takes them."""

    def __init__(self, gen: World) -> None:
        from zonedesk.core.models import User
        from zonedesk.procedures.models import Procedure, ProcedureVersion, Unit, VersionStep
        from zonedesk_demo.procedures import build_catalogue

        self.gen = gen
        self.clock = gen.ctx.clock
        self.now = gen.now
        self.rng = gen.rng("dossiers")
        build_catalogue()
        self.agency_code = str(rule_value("procedures.agency_code", on=gen.today))
        self.receipt_seconds = int(float(rule_value("procedures.receipt_hours", on=gen.today)) * HOUR)
        units = {u.code: u for u in Unit.objects.all()}
        self.desk_unit = next(u.pk for u in units.values() if u.kind == Unit.Kind.DESK)
        steps: dict[int, list[tuple[int, str, int, int]]] = {}
        for version, order, kind, unit, time in VersionStep.objects.order_by("version_id", "order").values_list(
            "version_id", "order", "kind", "unit_id", "time"
        ):
            steps.setdefault(version, []).append((order, kind, unit, time))
        self.procedures: list[tuple[int, str, bool, list[_Version]]] = []
        for p in Procedure.objects.filter(active=True).order_by("order", "code"):
            versions = [
                _Version(row, steps.get(row[0], []))
                for row in ProcedureVersion.objects.filter(procedure=p)
                .order_by("effective_from")
                .values_list("id", "effective_from", "processing_time", "time_kind", "fee_vnd")
            ]
            versions = [v for v in versions if len(v.steps) >= 2]
            if versions:
                self.procedures.append((p.pk, p.code, p.needs_project, versions))
        weights = [WEIGHTS.get(code, 3) for _pk, code, _n, _v in self.procedures]
        self.procedure_cum = _cumulative(weights)
        # the members of the units: each province's first officer at the desk, the second in a division
        # (its head), the first officers of three provinces in the board's leadership
        divisions = sorted(u.pk for u in units.values() if u.kind == Unit.Kind.DIVISION)
        leadership = [u.pk for u in units.values() if u.kind == Unit.Kind.LEADERSHIP]
        self.members: dict[int, list[int]] = {u.pk: [] for u in units.values()}
        taken = set(UnitMember.objects.values_list("unit_id", "user_id"))
        members: list[UnitMember] = []

        def join(unit: int, user: int, head: bool) -> None:
            self.members[unit].append(user)
            if (unit, user) not in taken:
                taken.add((unit, user))
                members.append(UnitMember(unit_id=unit, user_id=user, is_head=head))

        for i, code in enumerate(sorted(gen.board)):
            officers = gen.board[code]
            join(self.desk_unit, officers[0], False)
            if len(officers) > 1 and divisions:
                join(divisions[i % len(divisions)], officers[1], True)
            if i < 3 and leadership:
                join(leadership[0], officers[0], True)
        UnitMember.objects.bulk_create(members)
        for users in self.members.values():  # a unit nobody of the generated provinces joined
            if not users:
                users.extend(User.objects.filter(role__in=["board", "leader"]).values_list("pk", flat=True)[:1])
        self.zone_cum = _cumulative([z.weight if z.enterprise_list else 0 for z in gen.zones])
        self.firms = {z.id: sorted(z.enterprise_list, key=lambda e: (e.first, e.id)) for z in gen.zones}
        self.firm_days = {z: [e.first for e in firms] for z, firms in self.firms.items()}
        self.ids = {"dossier": 0, "event": 0, "step": 0}
        self.dossiers: list[tuple] = []
        self.events: list[tuple] = []
        self.steps: list[tuple] = []

    # -- the clock of a procedure

    def due(self, start: int, amount: int, kind: str) -> int:
        """`services._due`: the moment `amount` of the version's kind of time after `start`."""
        clock = self.clock
        if kind == "working_hours":
            return clock.add(start, amount * HOUR)
        day = clock.local_day(start)
        if kind == "calendar_days":
            later = day + dt.timedelta(days=amount)
            i = bisect.bisect_left(clock.working_days, later)
            return clock.closing[clock.working_days[min(i, len(clock.working_days) - 1)]]
        return clock.closing[clock.add_working_days(day, amount)]

    def share_seconds(self, time: int, kind: str) -> int:
        return time * HOUR if kind == "working_hours" else time * 8 * HOUR

    # -- receipts

    def receipts(self) -> Iterator[tuple[dt.date, list[int]]]:
        """Each working day of the period, with the moments its dossiers were filed (in order): a
        few more each year (30% over the period); most in office hours, a sixth online in the
        evening (received at the next opening)."""
        clock, gen = self.clock, self.gen
        start = gen.today - dt.timedelta(days=365 * gen.scale.petition_years)
        days = [d for d in clock.working_days if start <= d < gen.today]
        if not days:
            return
        weights = [1 + 0.3 * i / len(days) for i in range(len(days))]
        total_w = sum(weights)
        rng = gen.rng("dossier-receipts")
        left, placed = gen.scale.dossiers, 0.0
        for i, day in enumerate(days):
            placed += gen.scale.dossiers * weights[i] / total_w
            n = min(left, round(placed) - (gen.scale.dossiers - left))
            left -= n
            blocks = clock.office_blocks(day)
            span = sum(b - a for a, b in blocks)
            moments = []
            for _j in range(n):
                if rng.random() < 0.85:
                    offset = rng.randrange(span)
                    for a, b in blocks:
                        if offset < b - a:
                            moments.append(a + offset)
                            break
                        offset -= b - a
                else:
                    moments.append(clock.at(day, 17) + rng.randrange(5 * HOUR))
            moments = [t for t in moments if t < self.now]
            moments.sort()
            yield day, moments

    # -- a walk

    def walk(self, code: str, t0: int, day0: dt.date) -> None:  # noqa: C901 - one story, in order
        rng, clock, gen = self.rng, self.clock, self.gen
        self.ids["dossier"] += 1
        pk = self.ids["dossier"]
        z = gen.zones[bisect.bisect_left(self.zone_cum, rng.random() * self.zone_cum[-1])]
        firms = self.firms[z.id]
        known = bisect.bisect_right(self.firm_days[z.id], day0) or len(firms)
        firm = firms[rng.randrange(known)]
        procedure, _code, needs_project, versions = self.procedures[
            bisect.bisect_left(self.procedure_cum, rng.random() * self.procedure_cum[-1])
        ]
        version = versions[0]
        for v in versions:
            if v.effective <= day0:
                version = v
        project = None
        if needs_project:
            mine = [p for p in firm.projects if p.certificate <= day0] or firm.projects
            project = mine[0].id if mine else None
            if project is None:
                needs_project = False
        online = bool(firm.user) and rng.random() < 0.88
        desk = self.members[self.desk_unit]
        officer = rng.choice(desk)
        filer = firm.user if online else officer
        channel = "online" if online else "paper"

        status, n_version = "filed", 1
        events: list[tuple] = []
        steps: list[list] = []  # order, kind, unit, holder, started, due, ended, outcome
        received = due = original = paused_at = processed = closed = None
        paused = 0  # office seconds the clock stood still
        on_time = working_days = rating = None
        supplements = apologies = 0
        reason = resume = ""
        unit = self.desk_unit
        at_step = version.steps[0][0]

        def event(t: int, by: int | None, action: str, frm: str, to: str, why: str = "", data: str = EMPTY) -> None:
            events.append((t, by, action, frm, to, why, data))

        def later(t: int, low: float, high: float) -> int:
            t = clock.add(t, int(rng.uniform(low, high) * HOUR))
            if t >= self.now:
                raise _Stop
            return t

        event(t0, filer, "file", "", "filed", "", f'{{"channel": "{channel}"}}')
        steps.append(
            [at_step, version.steps[0][1], self.desk_unit, None, t0, clock.add(t0, self.receipt_seconds), None, ""]
        )
        try:
            t = later(t0, 0.5, 6)
            if rng.random() < 0.02:  # refused at the desk before receipt: not its competence
                steps[-1][3], steps[-1][6], steps[-1][7] = officer, t, "refuse"
                event(t, officer, "refuse", status, "refused", REFUSE_EARLY)
                status, closed, reason, n_version = "refused", t, REFUSE_EARLY, n_version + 1
                raise _Stop
            received = t  # in office hours: `clock.add` ends in a block
            due = original = self.due(received, version.time, version.kind)
            steps[-1][3], steps[-1][6], steps[-1][7] = officer, t, "received"
            n_version += 1

            def open_step(i: int, t: int) -> None:
                nonlocal at_step, unit
                order, kind, step_unit, _time = version.steps[i]
                share = sum(s[3] for s in version.steps[: i + 1])
                step_due = self.due(received, share, version.kind)
                if paused:
                    step_due = clock.add(step_due, paused)
                steps.append([order, kind, step_unit, None, t, step_due, None, ""])
                at_step, unit = order, step_unit

            open_step(1, t)
            if version.fee:  # the clock waits for the fee
                event(t, officer, "receive", "filed", "fees_due", "", json.dumps({"due": _iso(due)}))
                status, resume = "fees_due", "received"
                paused_at = t
                t = later(t, 1, 16)
                waited = clock.between(paused_at, t)
                paused += waited
                due, original = clock.add(due, waited), clock.add(original, waited)
                steps[-1][5] = clock.add(steps[-1][5], waited)
                paused_at = None
                event(t, officer, "pay", "fees_due", "received")
                status, n_version = "received", n_version + 1
            else:
                event(t, officer, "receive", "filed", "received", "", json.dumps({"due": _iso(due)}))
                status = "received"
            late = rng.random() < 0.12
            ask = rng.random() < 0.08
            for i in range(1, len(version.steps)):
                order, kind, step_unit, time = version.steps[i]
                holder = rng.choice(self.members.get(step_unit) or desk)
                share = self.share_seconds(time, version.kind)
                if kind == "division" and ask:  # everything missing at once; the clock stops until the answer
                    asked = later(t, 0.2 * share / HOUR, 0.5 * share / HOUR + 0.01)
                    event(asked, holder, "request_supplement", status, "supplement", SUPPLEMENT, '{"request": 1}')
                    resume, status, paused_at = status, "supplement", asked
                    supplements, n_version = 1, n_version + 1
                    t = later(asked, 4, 60)
                    waited = clock.between(asked, t)
                    paused += waited
                    due, original = clock.add(due, waited), clock.add(original, waited)
                    steps[-1][5] = clock.add(steps[-1][5], waited)
                    paused_at = None
                    event(t, firm.user or officer, "supplement", "supplement", resume, "", '{"request": 1}')
                    status, n_version = resume, n_version + 1
                if kind == "division" and late:
                    spend = share * rng.uniform(1.3, 2.6)
                    if rng.random() < 0.75:  # the head sees it will be late: an apology, a new appointment
                        when = later(t, 0.7 * share / HOUR, 0.9 * share / HOUR + 0.01)
                        new_due = clock.closing[clock.add_working_days(clock.local_day(due), rng.randint(3, 10))]
                        due = new_due
                        apologies, n_version = 1, n_version + 1
                        event(when, holder, "apologise", "", "", APOLOGY, json.dumps({"due": _iso(due)}))
                else:
                    spend = share * rng.uniform(0.25, 0.95)
                if kind == "division" and rng.random() < 0.01:  # the enterprise withdraws it
                    t = later(t, 2, 30)
                    by = firm.user or officer
                    event(t, by, "withdraw", status, "withdrawn", WITHDRAW)
                    steps[-1][3], steps[-1][6], steps[-1][7] = by, t, "withdraw"
                    status, closed, reason, n_version = "withdrawn", t, WITHDRAW, n_version + 1
                    raise _Stop
                t = later(t, max(spend, 0.5 * HOUR) / HOUR, max(spend, 0.5 * HOUR) / HOUR + 0.01)
                if kind == "head" and rng.random() < 0.04:  # refused with its reasons
                    event(t, holder, "refuse", status, "refused", REFUSE_LATE)
                    steps[-1][3], steps[-1][6], steps[-1][7] = holder, t, "refuse"
                    status, closed, reason, n_version = "refused", t, REFUSE_LATE, n_version + 1
                    raise _Stop
                steps[-1][3], steps[-1][6] = holder, t
                n_version += 1
                if i == len(version.steps) - 1:
                    steps[-1][7] = "signed"
                    event(t, holder, "sign", status, "processed")
                    status, processed, unit, at_step = "processed", t, self.desk_unit, version.steps[0][0]
                else:
                    steps[-1][7] = "done"
                    event(t, holder, "forward", status, "processing")
                    status = "processing"
                    open_step(i + 1, t)
            t = later(t, 0.5, 8)
            on_time = t <= original
            working_days = max(0, round((clock.between(received, t) / HOUR - paused / HOUR) / 8))
            event(t, officer, "return_result", "processed", "returned", "", f'{{"on_time": {_json(on_time)}}}')
            status, closed, n_version = "returned", t, n_version + 1
            if firm.user and rng.random() < 0.6:
                t += rng.randint(HOUR, 5 * 24 * HOUR)
                if t < self.now:
                    rating = rng.choice((5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1))
                    event(t, firm.user, "rate", "", "", "", f'{{"rating": {rating}}}')
                    n_version += 1
        except _Stop:
            pass
        if status == "supplement":  # asked and not yet answered: the clock stands still since then
            paused_at = events[-1][0]

        for t, by, action, frm, to, why, data in events:
            self.ids["event"] += 1
            self.events.append((self.ids["event"], pk, aware(t), by, None, action, frm, to, why, data))
        for order, kind, step_unit, holder, started, step_due, ended, outcome in steps:
            self.ids["step"] += 1
            self.steps.append(
                (
                    self.ids["step"],
                    pk,
                    order,
                    kind,
                    step_unit,
                    holder,
                    aware(started),
                    aware(step_due),
                    aware(ended),
                    outcome,
                )
            )
        self.dossiers.append(
            (
                pk,
                code,
                procedure,
                version.id,
                firm.id,
                project if needs_project else None,
                z.id,
                channel,
                status,
                EMPTY,
                aware(t0),
                filer,
                aware(received),
                aware(due),
                aware(original),
                aware(paused_at),
                paused / HOUR,
                resume if status in {"supplement", "fees_due"} else "",
                at_step,
                unit,
                aware(processed),
                aware(closed),
                reason,
                on_time,
                working_days,
                supplements,
                apologies,
                rating,
                "",
                n_version,
            )
        )


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _iso(t: int) -> str:
    return aware(t).isoformat()  # type: ignore[union-attr]


def _json(value: bool) -> str:
    return "true" if value else "false"


def dossiers_step(gen: World) -> Step:
    def batches() -> Iterator[tuple[Table, list[tuple], int]]:
        if not gen.scale.dossiers:
            return
        from zonedesk.core.generations import generation_bump
        from zonedesk.procedures.figures import PROCEDURE_FIGURES_GENERATION

        desk = Desk(gen)
        # the rows go in around the services: no figure cached before them may be served (in the
        # load's transaction, before this step's first write)
        generation_bump(PROCEDURE_FIGURES_GENERATION)
        done = 0
        for day, moments in desk.receipts():
            for n, t in enumerate(moments, 1):
                desk.walk(f"{desk.agency_code}-{day:%y%m%d}-{n:04d}", t, day)
            if moments:
                gen.counters[f"dossier:{day:%Y%m%d}"] = len(moments)
            done += len(moments)
            if done >= gen.BATCH:
                yield from _flush(desk, done)
                done = 0
        yield from _flush(desk, done)

    return Step("dossiers", _("dossiers with their histories"), _("dossiers"), gen.scale.dossiers, batches())


def _flush(desk: Desk, done: int) -> Iterator[tuple[Table, list[tuple], int]]:
    yield DOSSIERS, desk.dossiers, done
    yield STEPS, desk.steps, 0
    yield EVENTS, desk.events, 0
    desk.dossiers, desk.steps, desk.events = [], [], []


def estimated_rows(gen: World) -> dict[str, int]:
    n = gen.scale.dossiers
    return {DOSSIERS.name: n, STEPS.name: 4 * n, EVENTS.name: 7 * n}

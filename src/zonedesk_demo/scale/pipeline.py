"""The promotion pipeline and the follow-up of directions at scale (issue 26): prospects with their
timelines and contacts, and directions with their tasks, progress reports and timelines, as the
services would have written them over the years before the day of generation.

What the services would record, the generator records:

* a prospect's code `XT-YYYY-NNNN` numbered by its recording within each year (the counters
  `prospect-code:YYYY` advanced after them); its stage reached by the moves of
  `promotion.workflow` in order (enquiry → qualified → site visit → proposal → decision →
  dossier filed → licensed → aftercare, or lost with a reason), each move in its timeline; the
  capital and jobs frozen at the proposal; the score from `promotion.screening` with the weights
  in force; the folded search text of `promotion.services`; the next step of its last contact;
* a licensed prospect is the investor of a generated project certified after its dossier went in:
  the prospect names that project and its enterprise, and is licensed on the certificate's day,
  so the funnel's realised capital and jobs are the registry's. (The generated desk's dossiers
  are walks of the procedures, not tied to prospects: a generated prospect names no dossier.)
* a direction's tasks with one lead agency each, a deadline (or none: a regular task), progress
  reports by the lead agency's officers, and a status that follows them: done (accepted by the
  board, on time or late against the deadline), reported and awaiting acceptance, returned, under
  way or newly assigned, overdue when open past its deadline, escalated one step a week after it.

Sizes: `Scale.prospects` and `Scale.directions` (about six tasks each).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zonedesk.core.bulk import Table, table_of
from zonedesk.core.calendar import working_days_between
from zonedesk.core.models import Agency
from zonedesk.core.rules import rule_value
from zonedesk.directions.models import Direction, DirectionKind, ProgressReport, Task, TaskEvent
from zonedesk.investment.models import Sector
from zonedesk.promotion.models import Contact, Environment, Prospect, ProspectEvent, Source
from zonedesk_demo.scale import names
from zonedesk_demo.scale.plans import SYNTHETIC, Step, aware

if TYPE_CHECKING:
    from zonedesk_demo.scale.plans import World

PROSPECTS = table_of(Prospect)
PROSPECT_EVENTS = table_of(ProspectEvent)
CONTACTS = table_of(Contact)
DIRECTIONS = table_of(Direction)
TASKS = table_of(Task)
TASK_EVENTS = table_of(TaskEvent)
REPORTS = table_of(ProgressReport)
TABLES = (PROSPECTS, PROSPECT_EVENTS, CONTACTS, DIRECTIONS, TASKS, TASK_EVENTS, REPORTS)

DAY = 86_400
EMPTY = "{}"
# the chance of each move forward (the rest are lost there), and the days it takes
FORWARD = [
    ("qualify", "enquiry", "qualified", 0.85, (5, 30)),
    ("visit", "qualified", "site_visit", 0.8, (10, 45)),
    ("propose", "site_visit", "proposal", 0.8, (15, 60)),
    ("decide", "proposal", "decision", 0.8, (10, 45)),
    ("file_dossier", "decision", "dossier_filed", 0.85, (15, 90)),
    ("license", "dossier_filed", "licensed", 1.0, (0, 0)),  # on the certificate's day
    ("aftercare", "licensed", "aftercare", 0.8, (60, 180)),
]
LOSABLE = {"enquiry", "qualified", "site_visit", "proposal", "decision"}  # the workflow's "lose"
LOST_REASONS = [
    "Nhà đầu tư chọn địa điểm ở nước khác trong khu vực.",
    "Nhà đầu tư tạm dừng kế hoạch mở rộng sản xuất.",
    "Không có quỹ đất phù hợp với nhu cầu của nhà đầu tư.",
    "Dự án không đáp ứng tiêu chí công nghệ cao.",
]
CONTACT_KINDS = ["meeting", "visit", "letter", "call"]
NEXT_STEPS = [
    "Gửi thông tin quỹ đất và giá thuê",
    "Bố trí khảo sát hiện trường",
    "Gửi đề xuất ưu đãi đầu tư",
    "Hướng dẫn lập hồ sơ dự án",
    "Làm việc với nhà đầu tư về tiến độ",
]
SOURCES = [(Source.FORUM, 25), (Source.ROADSHOW, 15), (Source.EMBASSY, 15), (Source.FDI_GROUP, 15)]
SOURCES += [(Source.REFERRAL, 10), (Source.PUBLIC_SITE, 20)]
DIRECTION_KINDS = [
    (DirectionKind.NOTICE, "TB-BQL", "Thông báo kết luận của Trưởng ban tại buổi làm việc", 40),
    (DirectionKind.MEMORANDUM, "BB-BQL", "Biên bản làm việc với các sở, ngành", 20),
    (DirectionKind.CONFERENCE, "TB-UBND", "Kết luận của Chủ tịch UBND tại hội nghị đối thoại doanh nghiệp", 20),
    (DirectionKind.INSTRUCTION, "CĐ-BQL", "Chỉ đạo của lãnh đạo Ban", 20),
]
TASK_TEXTS = [
    "Rà soát, tháo gỡ vướng mắc về giải phóng mặt bằng",
    "Hướng dẫn doanh nghiệp hoàn thiện thủ tục môi trường",
    "Đẩy nhanh tiến độ đấu nối hạ tầng điện, nước",
    "Tổng hợp kiến nghị của doanh nghiệp, báo cáo Trưởng ban",
    "Phối hợp kiểm tra tiến độ thực hiện dự án",
    "Xây dựng kế hoạch xúc tiến đầu tư năm tới",
    "Trả lời kiến nghị về thủ tục phòng cháy, chữa cháy",
    "Đề xuất cơ chế hỗ trợ doanh nghiệp công nghệ cao",
]
REPORT_TEXTS = ["Đang triển khai theo kế hoạch.", "Đã làm việc với các đơn vị liên quan.", "Đã hoàn thành nhiệm vụ."]


def _rows(table: Table, values: dict[str, Any]) -> tuple:
    """A row of `table` from its values, the model's defaults for the rest."""
    fields = {f.attname: f for f in table.model._meta.concrete_fields}
    out = []
    for name in table.columns:
        if name in values:
            out.append(values[name])
        else:
            f = fields[name]
            out.append(None if f.null and not f.has_default() else f.get_default())
    return tuple(out)


def _pick(rng: Any, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


class Pipeline:
    """The prospects and directions of the generated world, as rows."""

    def __init__(self, gen: World) -> None:
        from zonedesk.promotion import screening
        from zonedesk.promotion.services import search_text_of

        self.gen = gen
        self.clock = gen.ctx.clock
        self.first = gen.today - dt.timedelta(days=365 * gen.scale.petition_years)
        self.span = (gen.today - self.first).days
        self.weights = screening.weights_on(gen.today)
        self.escalation_days = [int(d) for d in rule_value("directions.escalation_days", on=gen.today)]
        self.scorecard = screening.scorecard
        self.search_text_of = search_text_of
        self.managers = sorted(u for users in gen.board.values() for u in users)
        # the generated projects by certificate day, for the prospects that became one
        self.projects = sorted(
            (p for p in gen.projects if p.certificate >= self.first), key=lambda p: (p.certificate, p.id)
        )
        self.project_days = [p.certificate for p in self.projects]
        self.taken: set[int] = set()
        self.ids = {t.name: 0 for t in TABLES}

    def next_id(self, table: Table) -> int:
        self.ids[table.name] += 1
        return self.ids[table.name]

    def at(self, day: dt.date, rng: Any) -> int:
        """A moment of the office day (8:00 to 16:00)."""
        return self.clock.at(day, 8) + rng.randrange(8 * 3600)

    # -- prospects

    def prospects(self) -> Iterator[tuple[Table, list[tuple], int]]:
        gen = self.gen
        rng = gen.rng("prospects")
        n = gen.scale.prospects
        days = sorted(self.first + dt.timedelta(days=rng.randrange(self.span)) for _ in range(n))
        rows: list[tuple] = []
        events: list[tuple] = []
        contacts: list[tuple] = []
        for i, day in enumerate(days, 1):
            key = f"prospect-code:{day:%Y}"
            gen.counters[key] = number = gen.counters.get(key, 0) + 1
            self._prospect(rng, f"XT-{day:%Y}-{number:04d}", day, rows, events, contacts)
            if len(rows) >= 5_000 or i == n:
                yield PROSPECTS, rows, len(rows)
                yield PROSPECT_EVENTS, events, 0
                yield CONTACTS, contacts, 0
                rows, events, contacts = [], [], []

    def _prospect(self, rng: Any, code: str, day: dt.date, rows: list, events: list, contacts: list) -> None:
        gen = self.gen
        pk = self.next_id(PROSPECTS)
        manager = rng.choice(self.managers) if self.managers else None
        t = self.at(day, rng)
        source = _pick(rng, SOURCES)
        foreign = rng.random() < 0.75
        country = _pick(rng, list(names.FOREIGN_WEIGHTS.items())) if foreign else "VN"
        sector = rng.choice(Sector.values)
        capital = rng.choice([5, 10, 20, 50, 100, 300, 1_000, 3_000]) * 10**9 * rng.randint(1, 4)
        land = Decimal(rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40])) / 2
        jobs = rng.randint(20, 2_000)
        company = (
            f"{rng.choice(names.FOREIGN_WORDS)} {rng.choice(names.FOREIGN_WORDS)} {rng.choice(names.FOREIGN_FORMS)}"
            + SYNTHETIC
        )
        values: dict[str, Any] = {
            "id": pk,
            "code": code,
            "company": company,
            "country": country,
            "sector": sector,
            "project_name": f"Dự án {sector}{SYNTHETIC}",
            "capital_vnd": capital,
            "capital_usd": capital // 25_000 if foreign else 0,
            "land_ha": land,
            "jobs": jobs,
            "jobs_with_degrees": int(jobs * rng.uniform(0.2, 0.95)),
            "value_added_vnd": int(capital * rng.uniform(0.1, 0.6)),
            "rnd_spending_pct": Decimal(rng.randint(0, 120)) / 10,
            "rnd_staff": int(jobs * rng.uniform(0, 0.2)),
            "hitech_revenue_pct": Decimal(rng.randint(0, 90)),
            "exports_pct": Decimal(rng.randint(0, 95)),
            "environment": rng.choice(Environment.values),
            "local_suppliers_pct": Decimal(rng.randint(0, 60)),
            "source": source,
            "manager_id": manager,
            "created_at": aware(t),
            "created_by_id": manager,
            "tracking_token": rng.getrandbits(192).to_bytes(24, "big").hex(),
        }
        if source == Source.PUBLIC_SITE:
            reply = self.clock.add_working_days(day, 3)
            values |= {"reply_due": reply, "message": "Chúng tôi muốn tìm hiểu quỹ đất và ưu đãi." + SYNTHETIC}
            if reply < gen.today:
                values["replied_at"] = aware(self.at(reply, rng))
        prospect = Prospect(**{k: v for k, v in values.items() if not k.endswith("_id")})
        values["score"] = self.scorecard(prospect, weights=self.weights, explain=False).score
        values["search_text"] = self.search_text_of(code, company)

        def event(t: int, action: str, frm: str, to: str, by: int | None, reason: str = "", data: str = EMPTY) -> None:
            events.append(
                _rows(
                    PROSPECT_EVENTS,
                    {
                        "id": self.next_id(PROSPECT_EVENTS),
                        "prospect_id": pk,
                        "at": aware(t),
                        "actor_id": by,
                        "action": action,
                        "from_status": frm,
                        "to_status": to,
                        "reason": reason,
                        "data": data,
                    },
                )
            )

        event(t, "create", "", "enquiry", manager)
        stage, since = "enquiry", t
        for action, _frm, to, chance, (lo, hi) in FORWARD:
            if action == "license":
                project = self._project_after(self.clock.local_day(since))
                if project is None:
                    break
                moved = self.clock.at(project.certificate, 10)
                values |= {
                    "project_id": project.id,
                    "enterprise_id": project.enterprise.id,
                    "company": project.enterprise.name,
                    "country": project.enterprise.nationality,
                    "licensed_at": aware(moved),
                    "search_text": self.search_text_of(code, project.enterprise.name),
                }
                by = None
            else:
                moved = since + rng.randint(lo, hi) * DAY
                by = None if action == "file_dossier" and rng.random() < 0.5 else manager
            if moved >= gen.now:
                break
            if rng.random() >= chance:
                if stage not in LOSABLE:  # a licensed prospect stays licensed
                    break
                lost = min(moved, gen.now - DAY)
                if lost > since:
                    event(lost, "lose", stage, "lost", manager, rng.choice(LOST_REASONS))
                    stage, since = "lost", lost
                    values["lost_reason"] = events[-1][PROSPECT_EVENTS.columns.index("reason")]
                break
            event(moved, action, stage, to, by)
            stage, since = to, moved
            if to == "proposal":
                values |= {
                    "projected_capital_vnd": values["capital_vnd"],
                    "projected_jobs": values["jobs"],
                    "proposal_at": aware(moved),
                }
        values |= {"stage": stage, "stage_since": aware(since)}
        # the contacts: one at each few weeks of its life, the last one's next step its own
        last = self.clock.local_day(since if stage in {"lost", "licensed", "aftercare"} else gen.now - DAY)
        when = day
        count = 0
        while when <= last and count < 6:
            count += 1
            contact = {
                "id": self.next_id(CONTACTS),
                "prospect_id": pk,
                "date": when,
                "kind": rng.choice(CONTACT_KINDS),
                "summary": "Trao đổi về nhu cầu đầu tư của nhà đầu tư." + SYNTHETIC,
                "by_id": manager,
                "recorded_at": aware(self.at(when, rng)),
            }
            nxt = when + dt.timedelta(days=rng.randint(7, 40))
            if stage not in {"lost", "aftercare"}:
                contact |= {"next_step": rng.choice(NEXT_STEPS), "next_step_due": nxt}
                if nxt <= last:
                    contact["done_at"] = aware(self.at(min(nxt, last), rng))
                elif nxt < gen.today:
                    contact["reminded_at"] = aware(self.clock.at(nxt + dt.timedelta(days=1), 7))
                values |= {"next_step": contact["next_step"], "next_step_due": nxt}
            contacts.append(_rows(CONTACTS, contact))
            when = nxt
        rows.append(_rows(PROSPECTS, values))

    def _project_after(self, day: dt.date) -> Any:
        """A generated project certified 20 to 120 days after `day` and before the day of
        generation, not yet any prospect's."""
        i = bisect.bisect_left(self.project_days, day + dt.timedelta(days=20))
        end = day + dt.timedelta(days=120)
        while i < len(self.projects) and self.project_days[i] <= end and self.project_days[i] < self.gen.today:
            p = self.projects[i]
            if p.id not in self.taken:
                self.taken.add(p.id)
                return p
            i += 1
        return None

    # -- directions and tasks

    def directions(self) -> Iterator[tuple[Table, list[tuple], int]]:
        gen = self.gen
        rng = gen.rng("directions")
        n = gen.scale.directions
        agencies = sorted(a for a, kind in gen.agency_kind.items() if kind != Agency.Kind.BOARD) or sorted(
            gen.agency_kind
        )
        leaders = self.managers
        days = sorted(self.first + dt.timedelta(days=rng.randrange(self.span)) for _ in range(n))
        out: dict[str, list[tuple]] = {t.name: [] for t in TABLES}
        numbers: dict[tuple[str, int], int] = {}
        for i, day in enumerate(days, 1):
            kind, symbol, title, _w = _pick(rng, [(k, k[3]) for k in DIRECTION_KINDS])
            numbers[(symbol, day.year)] = number = numbers.get((symbol, day.year), 0) + 1
            pk = self.next_id(DIRECTIONS)
            t = self.at(day, rng)
            out[DIRECTIONS.name].append(
                _rows(
                    DIRECTIONS,
                    {
                        "id": pk,
                        "kind": kind,
                        "number": f"{number}/{symbol}",
                        "date": day,
                        "issuer": "Trưởng ban" if kind != DirectionKind.CONFERENCE else "Chủ tịch UBND tỉnh",
                        "issued_by_id": None,
                        "title_vi": f"{title} ngày {day:%d/%m/%Y}{SYNTHETIC}",
                        "published": kind == DirectionKind.CONFERENCE or rng.random() < 0.3,
                        "created_at": aware(t),
                    },
                )
            )
            for number in range(1, rng.randint(3, 9) + 1):
                lead = rng.choice(agencies)
                self._task(rng, pk, number, day, t, lead, gen.officers.get(lead) or leaders, leaders, out)
            if i % 2_000 == 0 or i == n:
                yield DIRECTIONS, out[DIRECTIONS.name], len(out[DIRECTIONS.name])
                for table in (TASKS, REPORTS, TASK_EVENTS):
                    yield table, out[table.name], 0
                out = {t.name: [] for t in TABLES}

    def _task(
        self,
        rng: Any,
        direction: int,
        number: int,
        day: dt.date,
        t: int,
        lead: int,
        reporters: list[int],
        board: list[int],
        out: dict[str, list[tuple]],
    ) -> None:
        gen = self.gen
        pk = self.next_id(TASKS)
        regular = rng.random() < 0.1
        deadline = None if regular else self.clock.add_working_days(day, rng.choice([10, 15, 20, 30, 45, 60, 90]))
        events = out[TASK_EVENTS.name]
        reporter = rng.choice(reporters) if reporters else None
        accepter = rng.choice(board) if board else None

        def event(t: int, action: str, frm: str, to: str, by: int | None, data: dict | None = None) -> None:
            events.append(
                _rows(
                    TASK_EVENTS,
                    {
                        "id": self.next_id(TASK_EVENTS),
                        "task_id": pk,
                        "at": aware(t),
                        "actor_id": by,
                        "action": action,
                        "from_status": frm,
                        "to_status": to,
                        "data": json.dumps(data) if data else EMPTY,
                    },
                )
            )

        event(t, "issue", "", "assigned", board[0] if board else None)
        values: dict[str, Any] = {
            "id": pk,
            "direction_id": direction,
            "number": number,
            "content": rng.choice(TASK_TEXTS) + SYNTHETIC,
            "lead_agency_id": lead,
            "deadline": deadline,
            "assigned_at": aware(t),
        }
        # when its work is done: before the deadline mostly, after it for some, never for others
        horizon = deadline or day + dt.timedelta(days=60)
        finish = horizon + dt.timedelta(days=-rng.randint(7, 30) if rng.random() < 0.7 else rng.randint(1, 60))
        finish = max(finish, day + dt.timedelta(days=3))
        stalled = rng.random() < 0.12  # never reported done
        status, percent, since = "assigned", 0, t
        report_day = day + dt.timedelta(days=7)
        last_report = None
        made = 0
        while report_day < gen.today and made < 12:  # a stalled task stops reporting too
            made += 1
            done = not stalled and report_day >= finish
            percent = 100 if done else min(90, percent + rng.choice([10, 20, 30]))
            moment = self.at(report_day, rng)
            out[REPORTS.name].append(
                _rows(
                    REPORTS,
                    {
                        "id": self.next_id(REPORTS),
                        "task_id": pk,
                        "author_id": reporter,
                        "text": REPORT_TEXTS[2 if done else rng.randrange(2)],
                        "percent": percent,
                        "done": done,
                        "created_at": aware(moment),
                    },
                )
            )
            to = "reported" if done else "in_progress"
            event(moment, "report", status, to, reporter, {"percent": percent, "done": done})
            status, last_report, since = to, moment, moment
            if done:
                break
            report_day += dt.timedelta(days=rng.choice([7, 7, 14]))
        values |= {"percent": percent, "last_report_at": aware(last_report)}
        if status == "reported":
            values["reported_done_at"] = aware(since)
            accept_day = self.clock.local_day(since) + dt.timedelta(days=rng.randint(1, 6))
            if accept_day < gen.today and rng.random() < 0.9:
                accepted = self.at(accept_day, rng)
                event(accepted, "accept", "reported", "done", accepter)
                status = "done"
                values |= {"done_at": aware(accepted)}
                values["on_time"] = deadline is None or self.clock.local_day(since) <= deadline
        if status in {"assigned", "in_progress"} and deadline is not None and deadline < gen.today:
            # the level the service's rule gives (`directions.escalation_days`, working days late)
            late = working_days_between(deadline, gen.today)
            values["escalation_level"] = sum(1 for d in self.escalation_days if d == 0 or late >= d)
        values["status"] = status
        out[TASKS.name].append(_rows(TASKS, values))


def pipeline_step(gen: World) -> Step:
    def batches() -> Iterator[tuple[Table, list[tuple], int]]:
        s = gen.scale
        if not (s.prospects or s.directions):
            return
        from zonedesk.core.generations import generation_bump
        from zonedesk.directions.figures import TASK_FIGURES_GENERATION
        from zonedesk.promotion.figures import PROMOTION_FIGURES_GENERATION

        for name in (TASK_FIGURES_GENERATION, PROMOTION_FIGURES_GENERATION):
            generation_bump(name)  # nothing cached before these rows may be served
        pipeline = Pipeline(gen)
        yield from pipeline.prospects()
        yield from pipeline.directions()

    total = gen.scale.prospects + gen.scale.directions
    return Step("pipeline", _("prospects, directions and tasks"), _("rows"), total, batches())


def estimated_rows(gen: World) -> dict[str, int]:
    p, d = gen.scale.prospects, gen.scale.directions
    return {
        PROSPECTS.name: p,
        PROSPECT_EVENTS.name: 4 * p,
        CONTACTS.name: 3 * p,
        DIRECTIONS.name: d,
        TASKS.name: 6 * d,
        TASK_EVENTS.name: 24 * d,
        REPORTS.name: 18 * d,
    }


def models_written() -> list[type[models.Model]]:
    return [t.model for t in TABLES]

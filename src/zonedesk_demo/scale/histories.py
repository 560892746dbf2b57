"""Petitions with their histories: each one walked through the lifecycle of
`petitions.workflow` as far as its story goes by the day of generation, the way
`petitions.demo.walk` does it through the services, but written as rows.

A walk records what the services would record: the events (who, when, which agency, from and
to which status, why, and the data the services attach: `{"on_time": ...}` on an approval,
`{"level": ...}` on an escalation; the most frequent written by hand as `json.dumps` writes them,
which is the one cost of a walk that shows), the answers with their states, the coordinating agencies,
and the petition's own columns: deadlines from `clock.Deadlines` (an approval is on time when
it comes by the deadline in force), the version raised by every write, acknowledged at the first
action, answered, published, closed and rated when those happened. The periodic work of the
worker is there too: escalations a few minutes after each step of `petition.escalation_days`
while a petition is overdue and open, and the automatic close of an answered petition nobody
confirmed within `petition.autoclose_days`.

Texts come from the corpus of the petitions demo (`zonedesk_demo.corpus`: about two hundred
hand-written Vietnamese difficulties, varied with the places of each zone), drawn from a pool
per zone of about one text for every twenty petitions: realistic repetition, and the folded
search text is computed once per text.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import math
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from zonedesk.core.bulk import Table, table_of
from zonedesk.core.models import Agency
from zonedesk.petitions.models import Answer, Petition, PetitionEvent
from zonedesk_demo import corpus
from zonedesk_demo.petitions import ANSWERS
from zonedesk_demo.scale import names
from zonedesk_demo.scale.clock import HOUR
from zonedesk_demo.scale.plans import Step, ZonePlan, aware

if TYPE_CHECKING:
    from zonedesk_demo.scale.plans import EnterprisePlan, World

PETITIONS = table_of(Petition)
COORDINATING = table_of(Petition.coordinating_agencies.through)
ANSWERS_TABLE = table_of(Answer)
EVENTS = table_of(PetitionEvent)

K = Agency.Kind
LEAD_KIND = {
    "investment": K.BOARD,
    "tax": K.TAX,
    "customs": K.CUSTOMS,
    "labour": K.LABOUR,
    "environment": K.ENVIRONMENT,
    "security": K.POLICE,
    "other": K.BOARD,
}
OPEN = frozenset({"submitted", "triaged", "assigned", "in_progress", "transferred", "reopened"})
EMPTY = "{}"

REJECT = "Nội dung không thuộc phạm vi giải quyết của các cơ quan nhà nước tại địa phương."
MERGE = "Trùng nội dung với kiến nghị đã tiếp nhận."
TRANSFER = "Nội dung không thuộc thẩm quyền của đơn vị, đề nghị chuyển cơ quan chuyên môn."
REQUEST_INFO = "Đề nghị doanh nghiệp bổ sung hồ sơ, tài liệu liên quan."
EXTEND = "Nội dung phức tạp, cần lấy ý kiến các sở, ngành: gia hạn thời gian trả lời."
RETURN = [
    "Đề nghị nêu rõ căn cứ pháp lý và thời hạn giải quyết cụ thể.",
    "Đề nghị bổ sung ý kiến của cơ quan phối hợp trước khi trả lời doanh nghiệp.",
    "Câu trả lời chưa đi vào vướng mắc doanh nghiệp nêu; đề nghị trả lời cụ thể.",
]
REOPEN = "Nội dung trả lời chưa giải quyết được vướng mắc thực tế của doanh nghiệp."
NO_REPLY = "Không có phản hồi của người kiến nghị."
CONTRIBUTIONS = [
    "Đơn vị thống nhất với hướng giải quyết của cơ quan chủ trì và sẽ phối hợp thực hiện trong phạm vi "
    "chức năng, nhiệm vụ được giao.",
    "Đơn vị đã rà soát hồ sơ liên quan; đề nghị cơ quan chủ trì tổng hợp nội dung trả lời theo quy định.",
    "Đơn vị không có ý kiến khác; đề nghị doanh nghiệp liên hệ bộ phận một cửa để được hướng dẫn.",
]


class _Text:
    """One text of a zone's pool, with what its base petition says about the difficulty."""

    __slots__ = (
        "title", "body", "category", "urgent", "stop", "workers", "at_risk", "procedure", "note", "kind", "search",
        "summary",
    )  # fmt: skip

    def __init__(self, item: dict, kind: str, search: str) -> None:
        impact = item["impact"]
        self.title, self.body = item["title"], item["body"]
        self.category, self.urgent = item["category"], item["urgent"]
        self.stop = impact["production_stopped"]
        self.workers = impact["workers_affected"]
        self.at_risk = impact["investment_at_risk_vnd"]
        self.procedure, self.note = item["procedure"], item["confidential_note"]
        self.kind = kind  # of the agency that leads the answer
        self.search = search  # the folded title and body
        self.summary = f"{corpus.CATEGORIES[self.category][0]}: {self.title}"  # what the board publishes


class _Stop(Exception):
    """The next step of a walk would fall on or after the day of generation."""


class _State:
    """A petition while it is walked: what `petition_act` and the other services change."""

    __slots__ = (
        "status", "version", "events", "acknowledged", "priority", "lead", "coordinating", "transfer_due",
        "due", "paused", "extended", "level", "answered", "published", "closed", "reopens", "satisfied",
        "rated", "published_answer", "summary", "public_search", "merged_into", "triage", "windows",
    )  # fmt: skip

    def __init__(self) -> None:
        self.status = "submitted"
        self.version = 1
        self.events: list[tuple] = []
        self.acknowledged = self.lead = self.transfer_due = self.due = self.paused = None
        self.answered = self.published = self.closed = self.satisfied = self.rated = None
        self.published_answer = self.merged_into = None
        self.priority = "normal"
        self.coordinating: list[int] = []
        self.extended = False
        self.level = self.reopens = 0
        self.summary = self.public_search = ""
        self.triage: dict = {}
        self.windows: list[tuple[int, int]] = []  # (deadline, end): while overdue and open


class Histories:
    """Walks the petitions of the dataset in the order they were received and keeps their rows
    until the loader takes them."""

    def __init__(self, gen: World) -> None:
        self.gen = gen
        self.clock = gen.ctx.clock
        self.deadlines = gen.ctx.deadlines
        self.now = gen.now
        self.rng = gen.rng("histories")
        self.pools: dict[int, list[_Text]] = {}
        self.bases = [b for b in corpus.all_bases() if not b.zones]
        self.last: dict[tuple[int, str], tuple[int, str]] = {}  # (zone, category) -> the newest not merged
        self.user_agency = {u: a for a, users in gen.officers.items() for u in users}
        self.firms = {z.id: sorted(z.enterprise_list, key=lambda e: (e.first, e.id)) for z in gen.zones}
        self.firm_days = {z: [e.first for e in firms] for z, firms in self.firms.items()}
        self.parcels = {e.id: [c for p in e.projects for c in p.parcels] for e in gen.enterprises}
        self.ids = {"answer": 0, "event": 0, "link": 0}
        self.petitions: list[tuple] = []
        self.events: list[tuple] = []
        self.answers: list[tuple] = []
        self.links: list[tuple] = []
        self.answer_bodies = {c: texts for c, texts in ANSWERS.items()}
        self._notice: int | None = None

    def _notice_id(self) -> int:
        if self._notice is None:
            from zonedesk.privacy.services import notice_current

            self._notice = notice_current().pk
        return self._notice

    # -- texts

    def _places(self, z: ZonePlan) -> dict:
        """The places a petition of this zone may mention (`demo_corpus` placeholders)."""
        r = self.gen.rng("places", z.code)

        def place() -> str:
            return " ".join(r.sample(names.SYLLABLES, 2))

        province = z.province.name
        return {
            "zone": z.name_vi,
            "zone_s": [z.short, z.name_vi],
            "roads": [
                f"Quốc lộ {r.randint(1, 80)}",
                f"Tỉnh lộ {r.randint(200, 999)}",
                f"đường {place()}",
                f"đường D{r.randint(1, 9)}",
                f"đường N{r.randint(1, 9)}",
            ],
            "communes": [f"xã {place()}" for _i in range(4)] + [f"phường {place()}"],
            "localities": [place() for _i in range(3)],
            "plot_prefixes": z.land_uses or ["CN"],
            "hubs": [f"trung tâm {province}", f"thị xã {place()}", f"khu đô thị {place()}"],
            "substations": [f"trạm biến áp 110kV {z.short}", f"trạm biến áp 110kV {place()}"],
            "water_plants": [f"nhà máy nước {place()}", f"hệ thống cấp nước {place()}"],
        }

    def pool(self, z: ZonePlan) -> list[_Text]:
        """The texts of a zone: one for about every twenty petitions (at least forty)."""
        found = self.pools.get(z.id)
        if found is None:
            rng = self.gen.rng("texts", z.code)
            places = self._places(z)
            found = []
            for _i in range(min(z.petitions, max(40, z.petitions // 20))):
                base = rng.choice(self.bases)
                item = corpus._compose(base, rng, places)  # the corpus's own composition
                search = self.gen.fold.join([item["title"], item["body"]])
                found.append(_Text(item, _lead_kind(base), search))
            self.pools[z.id] = found
        return found

    # -- receipts

    def receipts(self) -> list[tuple[int, int]]:
        """(moment, zone index) of every petition, in the order received. Most come through the
        portal in office hours; a sixth at any time of the day, any day. A few more each year."""
        clock, days = self.clock, 365 * self.gen.scale.petition_years
        start = self.gen.today - dt.timedelta(days=days)
        working = clock.working_days
        blocks_of: dict[dt.date, list[tuple[int, int]]] = {}
        out = []
        for index, z in enumerate(self.gen.zones):
            rng = self.gen.rng("receipts", z.code)
            for _i in range(z.petitions):
                # a few more every year: density growing by 30% over the period
                day = start + dt.timedelta(days=int(days * math.log1p(0.3 * rng.random()) / math.log(1.3)))
                if rng.random() < 0.85:  # office hours of the first working day from then
                    day = working[min(bisect.bisect_left(working, day), len(working) - 1)]
                    blocks = blocks_of.get(day) or blocks_of.setdefault(day, clock.office_blocks(day))
                    span = sum(b - a for a, b in blocks)
                    offset = rng.randrange(span)
                    for a, b in blocks:
                        if offset < b - a:
                            t = a + offset
                            break
                        offset -= b - a
                else:
                    t = clock.at(day, 6) + rng.randrange(17 * HOUR)
                if t >= self.now:
                    t = self.now - rng.randint(HOUR, 20 * HOUR)
                out.append((t, index))
        out.sort()
        return out

    # -- a walk

    def walk(self, pk: int, reference: str, t0: int, z: ZonePlan) -> None:  # noqa: C901 - one story, in order
        rng, clock, dl = self.rng, self.clock, self.deadlines
        text = rng.choice(self.pool(z))
        category = text.category
        s = _State()
        s.priority = "urgent" if text.urgent else "normal"
        board = self.gen.board[z.province.code]
        day0 = clock.local_day(t0)

        # who raises it
        firms, firm_days = self.firms[z.id], self.firm_days[z.id]
        known = bisect.bisect_right(firm_days, day0)
        enterprise: EnterprisePlan | None = None
        name = email = phone = ""
        project = None
        roll = rng.random()
        if roll < 0.15 or not known:
            source, submitted_by = "public", None
            name = f"{rng.choice(names.SURNAMES)} {rng.choice(names.MIDDLE_NAMES)} {rng.choice(names.GIVEN_NAMES)}"
            if rng.random() < 0.7:
                email = f"nguoidan{rng.randint(1000, 99999)}@{rng.choice(names.PUBLIC_EMAIL_DOMAINS)}"
            else:
                phone = f"09{rng.randint(10_000_000, 99_999_999)}"
        else:
            enterprise = firms[rng.randrange(known)]
            source, submitted_by = ("board", rng.choice(board)) if roll < 0.18 else ("portal", enterprise.user)
            if rng.random() < 0.5:
                mine = [p for p in enterprise.projects if p.certificate <= day0]
                project = rng.choice(mine).id if mine else None
        owner = enterprise.user if enterprise is not None else None
        publish_allowed = rng.random() < 0.85
        policy = dl.policy(category, s.priority, day0)
        acknowledge_due = dl.acknowledge(policy, t0)
        s.due = dl.answer(policy, t0)
        s.events.append((t0, submitted_by, None, "submit", "", "submitted", "", EMPTY))
        answer_rows: list[list] = []

        def act(t: int, by: int | None, action: str, to: str, reason: str = "", data: str = EMPTY) -> None:
            s.events.append((t, by, self.user_agency.get(by), action, s.status, to, reason, data))  # type: ignore[arg-type]
            s.status = to
            s.version += 1
            if s.acknowledged is None and action != "close":
                s.acknowledged = t

        def note(t: int, by: int | None, action: str, reason: str = "", data: str = EMPTY) -> None:
            s.events.append((t, by, self.user_agency.get(by), action, "", "", reason, data))  # type: ignore[arg-type]

        def step(t: int, low: float, high: float) -> int:
            t = clock.add(t, rng.randint(int(low * HOUR), int(high * HOUR)))
            if t >= self.now:
                raise _Stop
            return t

        def answer(agency: int, author: int, body: str, contribution: bool, t: int, state: str) -> list:
            self.ids["answer"] += 1
            row = [self.ids["answer"], pk, agency, author, contribution, body, state, None, None, "", t, t]
            answer_rows.append(row)
            return row

        def cycle(t: int, first: bool) -> int:
            """Assign, handle, answer, approve, publish, close: one round of a petition. Answers
            the moment it ended (closed)."""
            kind = text.kind
            lead = self.gen.lead_agency(z, kind)
            first_lead = lead
            if first and rng.random() < 0.06:  # routed to the wrong agency first
                others = [a for (code, _k), a in self.gen.agency_by.items() if code == z.province.code and a != lead]
                first_lead = rng.choice(others)
            coordinating = []
            if first and rng.random() < 0.15:
                others = [a for (code, _k), a in self.gen.agency_by.items() if code == z.province.code and a != lead]
                coordinating = rng.sample(others, min(len(others), rng.randint(1, 2)))

            def assign(t: int, agency: int, partners: list[int]) -> None:
                policy = dl.policy(category, s.priority, clock.local_day(t))
                s.lead, s.coordinating = agency, partners
                s.transfer_due = dl.transfer(policy, t)
                codes = [self.gen.agency_code[a] for a in partners]
                data = json.dumps({"lead_agency": self.gen.agency_code[agency], "coordinating": codes})
                act(t, rng.choice(board), "assign", "assigned", "", data)

            t = step(t, 1, 12)
            assign(t, first_lead, [] if first_lead != lead else coordinating)
            if first_lead != lead:
                t = step(t, 4, 30)
                late = t > s.transfer_due
                data = json.dumps({"from_agency": self.gen.agency_code[first_lead], "late": late})
                act(t, rng.choice(self.gen.officers[first_lead]), "transfer", "transferred", TRANSFER, data)
                s.lead = s.transfer_due = None
                s.coordinating = []
                t = step(t, 1, 8)
                assign(t, lead, coordinating)
            officer = rng.choice(self.gen.officers[lead])
            t = step(t, 1, 16)
            act(t, officer, "start", "in_progress")
            started = t
            if first and rng.random() < 0.1:  # the clock stops while the enterprise supplies documents
                paused = step(t, 4, 20)
                if paused < s.due:
                    note(paused, officer, "request_info", REQUEST_INFO)
                    s.paused = paused
                    s.version += 1
                    t = step(paused, 8, 40)
                    s.due = clock.add(s.due, clock.between(paused, t))
                    s.paused = None
                    note(t, rng.choice(board), "info_supplied")
                    s.version += 1
            if first and rng.random() < 0.03:  # extended once, with a reason
                t = step(t, 2, 24)
                if t < s.due and not s.extended:
                    old = s.due
                    s.due = dl.extend(old, self.gen.ctx.extension_days)
                    s.extended = True
                    old_due = aware(old).isoformat()  # type: ignore[union-attr]
                    data = json.dumps({"days": self.gen.ctx.extension_days, "old_due": old_due})
                    note(t, officer, "extend", EXTEND, data)
                    s.version += 1
            for partner in s.coordinating:
                t = step(t, 4, 40)
                contributor = rng.choice(self.gen.officers[partner])
                answer(partner, contributor, rng.choice(CONTRIBUTIONS), True, t, "submitted")
                note(t, contributor, "answer_submitted", "", '{"contribution": true}')
                s.version += 1
            draft = None
            if rng.random() < 0.3:
                t = step(t, 2, 30)
                draft = answer(lead, officer, rng.choice(self.answer_bodies[category]), False, t, "draft")
                s.version += 1
            if rng.random() < 0.02:  # never answered: stays with the agency, overdue
                raise _Stop
            # most agencies answer in time (the board approves a few hours later); one in seven late,
            # by up to ten working days
            left = clock.between(started, s.due)
            if rng.random() < 0.85:
                handling = int(left * rng.uniform(0.2, 0.9))
            else:
                handling = left + rng.randint(HOUR, 80 * HOUR)
            answered = clock.add(started, max(handling, 4 * HOUR))
            t = answered if answered > t else clock.add(t, rng.randint(HOUR, 8 * HOUR))
            if t >= self.now:
                raise _Stop
            body = rng.choice(self.answer_bodies[category])
            lead_answer = draft or answer(lead, officer, body, False, t, "submitted")
            lead_answer[5], lead_answer[6], lead_answer[11] = body, "submitted", t
            note(t, officer, "answer_submitted", "", '{"contribution": false}')
            s.version += 1
            if rng.random() < 0.05:  # the board sends it back once
                t = step(t, 1, 8)
                reviewer = rng.choice(board)
                lead_answer[6:10] = ["returned", reviewer, t, rng.choice(RETURN)]
                lead_answer[11] = t
                note(t, reviewer, "answer_returned", lead_answer[9])
                s.version += 1
                t = step(t, 2, 16)
                lead_answer[6], lead_answer[11] = "submitted", t
                note(t, officer, "answer_submitted", "", '{"contribution": false}')
                s.version += 1
            t = step(t, 1, 10)
            approver = rng.choice(board)
            for row in answer_rows:  # contributions are approved by a bulk update: no new updated_at
                if row[6] == "submitted":
                    row[6], row[7], row[8] = "approved", approver, t
            lead_answer[11] = t
            s.windows.append((s.due, t))
            s.answered = t
            act(
                t, approver, "answer", "answered", "", f'{{"answer": {lead_answer[0]}, "on_time": {_json(t <= s.due)}}}'
            )
            if publish_allowed and rng.random() < (0.75 if first else 0.5):
                t = step(t, 2, 20)
                s.summary = text.summary
                s.published, s.published_answer = t, lead_answer[0]
                s.public_search = self.gen.fold.join([text.summary, lead_answer[5]])
                act(t, approver, "publish", "published", "", f'{{"answer": {lead_answer[0]}}}')
            autoclose = s.answered + self.gen.ctx.autoclose_days * 86400 + rng.randint(60, 600)
            if owner is not None and rng.random() < 0.7:
                t = step(t, 4, 40)
                if rng.random() < 0.75:
                    s.satisfied = rng.random() < 0.8
                    s.rated = t
                    note(t, owner, "rate", "", f'{{"satisfied": {_json(s.satisfied)}}}')
                    s.version += 1
                s.closed = t
                act(t, owner, "close", "closed", "", '{"confirmed_by": "enterprise"}')
            else:
                if autoclose >= self.now:
                    raise _Stop
                t = s.closed = autoclose
                act(t, None, "close", "closed", NO_REPLY, '{"confirmed_by": "no reply"}')
            return t

        try:
            t = step(t0, 0.5, 7)
            earlier = self.last.get((z.id, category))
            roll = rng.random()
            if roll < 0.03:
                act(t, rng.choice(board), "reject", "rejected", REJECT)
            elif roll < 0.07 and earlier is not None:
                s.merged_into = earlier[0]
                act(t, rng.choice(board), "merge", "merged", MERGE, json.dumps({"into": earlier[1]}))
            else:
                triage = {"impact_production_stopped": text.stop}
                if text.workers:
                    triage["impact_workers"] = text.workers
                if text.at_risk:
                    triage["impact_investment_vnd"] = text.at_risk
                if text.note:
                    triage["confidential_note"] = text.note
                if category in ("land", "construction") and enterprise is not None and self.parcels[enterprise.id]:
                    triage["parcel_code"] = self.parcels[enterprise.id][0]
                if s.priority == "normal" and rng.random() < 0.02:  # the board finds it urgent
                    triage["priority"] = s.priority = "urgent"
                    s.due = dl.answer(dl.policy(category, s.priority, day0), t0)
                s.triage = triage
                act(t, rng.choice(board), "triage", "triaged", "", _changed(tuple(sorted(triage))))
                t = cycle(t, True)
                if owner is not None and s.satisfied is False and s.closed == t and rng.random() < 0.4:
                    t = step(t, 8, 60)
                    s.reopens += 1
                    s.closed = None
                    s.due = dl.answer(dl.policy(category, s.priority, clock.local_day(t)), t)
                    act(t, owner, "reopen", "reopened", REOPEN)
                    if rng.random() < 0.85:  # handled again
                        t = step(t, 1, 7)
                        act(t, rng.choice(board), "triage", "triaged", "", '{"changed": []}')
                        cycle(t, False)
                    else:
                        s.windows.append((s.due, self.now))
        except _Stop:  # still open on the day of generation (unless it waits for the enterprise)
            if s.status in OPEN and s.paused is None:
                s.windows.append((s.due, self.now))
        if s.merged_into is None:
            self.last[(z.id, category)] = (pk, reference)
        self._escalate(s, rng)

        # the rows
        s.events.sort(key=lambda e: e[0])
        for t, by, agency, action, frm, to, reason, data in s.events:
            self.ids["event"] += 1
            self.events.append((self.ids["event"], pk, aware(t), by, agency, action, frm, to, reason, data))
        for row in answer_rows:
            row[8], row[10], row[11] = aware(row[8]), aware(row[10]), aware(row[11])
            self.answers.append(tuple(row))
        for agency in s.coordinating:
            self.ids["link"] += 1
            self.links.append((self.ids["link"], pk, agency))
        tr = s.triage
        public = source == "public"
        self.petitions.append(
            (
                pk,
                # a public petitioner consented to the notice in force (version 1 on a fresh install)
                self._notice_id() if public else None,
                aware(t0) if public else None,
                None,  # consent withdrawn
                None,  # personal data erased
                "",  # the key of the petitioner's private link (none issued)
                reference,
                day0.year,
                int(reference.rsplit("-", 1)[1]),
                text.title,
                text.body,
                text.search,
                category,
                s.priority,
                z.id,
                source,
                enterprise.id if enterprise is not None else None,
                submitted_by,
                name,
                email,
                phone,
                publish_allowed,
                s.status,
                s.lead,
                project,
                tr.get("parcel_code", ""),
                text.procedure,
                tr.get("impact_production_stopped", False),
                tr.get("impact_workers"),
                tr.get("impact_investment_vnd"),
                tr.get("confidential_note", ""),
                s.summary,
                s.published_answer,
                s.public_search,
                s.merged_into,
                None,
                "",
                "",
                aware(t0),
                aware(acknowledge_due),
                aware(s.acknowledged),
                aware(s.transfer_due),
                aware(s.due),
                aware(s.paused),
                s.extended,
                s.level,
                aware(s.answered),
                aware(s.published),
                aware(s.closed),
                s.reopens,
                s.satisfied,
                aware(s.rated),
                s.version,
            )
        )

    def _escalate(self, s: _State, rng: random.Random) -> None:
        """What `petitions_escalate` would have done on its rounds: each step of the rule once,
        a few minutes after the day it is due, while the petition was overdue and still open."""
        steps = self.gen.ctx.escalation_days
        for due, end in s.windows:
            due_day = self.clock.local_day(due)
            for level, days in enumerate(steps, 1):
                if level <= s.level:
                    continue
                when = due if days == 0 else self.clock.at(self.deadlines.working_days_after(due_day, days))
                when += rng.randint(60, 300)
                if when <= due or when >= end:
                    break
                s.level = level
                s.events.append((when, None, None, "escalate", "", "", "", f'{{"level": {level}}}'))
                s.version += 1


def _json(value: bool) -> str:
    return "true" if value else "false"


@functools.cache
def _changed(fields: tuple[str, ...]) -> str:
    return json.dumps({"changed": list(fields)})


def _lead_kind(base: corpus.Base) -> str:
    """The kind of agency that leads the answer to a corpus petition, from the sub-kind the corpus
    gives it (as `corpus.base_agency` routes it in Hanoi)."""
    if base.category == "land":
        return K.COMMUNE if base.sub == "clearance" else K.ENVIRONMENT
    if base.category == "construction":
        return K.PLANNING if base.sub == "plan" else K.CONSTRUCTION
    if base.category == "infrastructure":
        return K.UTILITY if base.sub == "power" else K.BOARD
    return LEAD_KIND.get(base.category, K.BOARD)


def petitions_step(gen: World) -> Step:
    histories = Histories(gen)

    def batches() -> Iterator[tuple[Table, list[tuple], int]]:
        receipts = histories.receipts()
        sequence: dict[int, int] = {}
        done = 0
        for pk, (t, zone_index) in enumerate(receipts, 1):
            year = histories.clock.local_day(t).year
            n = sequence[year] = sequence.get(year, 0) + 1
            histories.walk(pk, f"PAKN-{year}-{n:06d}", t, gen.zones[zone_index])
            done += 1
            if done >= gen.BATCH:
                yield from _flush(histories, done)
                done = 0
        yield from _flush(histories, done)
        gen.counters.update({f"petition-{year}": n for year, n in sequence.items()})

    return Step("petitions", _("petitions with their histories"), _("petitions"), gen.scale.petitions, batches())


def _flush(h: Histories, done: int) -> Iterator[tuple[Table, list[tuple], int]]:
    for table, attr in ((PETITIONS, "petitions"), (COORDINATING, "links"), (ANSWERS_TABLE, "answers")):
        yield table, getattr(h, attr), done if table is PETITIONS else 0
        setattr(h, attr, [])
    yield EVENTS, h.events, 0
    h.events = []

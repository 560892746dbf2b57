"""Two years of petitions for every zone of the demo, walked through their lifecycle by the services.

Everything is relative to the demo's `today`: petitions are received over the 24 months that end
the working day before it (a little more often lately, as a channel gains users), and each is
taken as far along its story as that story goes by `demo_now(today)`, the start of today's office
day. So the newest are still waiting to be triaged, a share of the open ones is overdue by days
or weeks, and a petition reopened long ago has since been answered again. The enterprises that
have demo accounts (FPT, Hanwha) and the agencies that have one (tax, Hoa Lac commune) get a few
petitions of their own in chosen states, so that each account has something to act on.

Deterministic (fixed seed and `today`). The texts come from `demo_corpus` (hand-written
Vietnamese difficulties with light variation); the answers from the small bank below, which also
becomes the agencies' answer templates. Some petitions are overdue, some reopened, some merged,
some transferred; everything is synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.calendar import add_working_hours, is_working_day
from zonedesk.core.models import Agency, Role, User, Zone
from zonedesk.investment.models import Enterprise
from zonedesk.petitions import notifications, services
from zonedesk.petitions.models import AnswerTemplate, Petition
from zonedesk.petitions.summary import suggested_summary
from zonedesk.planning.selectors import current_features
from zonedesk.privacy import services as privacy
from zonedesk_demo import corpus
from zonedesk_demo.investment import demo_now

SEED = 20240510  # the day of the second Hoa Lac dialogue conference
WINDOW_DAYS = 730  # the petitions of the last 24 months
PER_ZONE = {"HHTP": 330}
OTHER_ZONES = 70
FRESH_WORKING_DAYS = 2  # petitions of the last working day are not triaged yet, half of the day before's

EXTRA_AGENCIES = [
    {
        "code": "NNMT-HN",
        "kind": Agency.Kind.ENVIRONMENT,
        "name_vi": "Sở Nông nghiệp và Môi trường Hà Nội",
        "name_en": "Hanoi Department of Agriculture and Environment",
    },
]

# category -> answers an agency gives (also its answer templates)
ANSWERS: dict[str, list[str]] = {
    "land": [
        "Ủy ban nhân dân xã đã rà soát hồ sơ, hoàn thành kiểm đếm và phê duyệt phương án bồi thường; "
        "việc bàn giao mặt bằng cho doanh nghiệp dự kiến trong 30 ngày tới.",
        "Sở đã hướng dẫn doanh nghiệp bổ sung hồ sơ đăng ký biến động đất đai; thủ tục được giải quyết "
        "trong thời hạn quy định kể từ ngày nhận đủ hồ sơ hợp lệ.",
    ],
    "construction": [
        "Sở đã cấp giấy phép xây dựng sau khi doanh nghiệp bổ sung văn bản thẩm duyệt phòng cháy chữa cháy.",
        "Nội dung điều chỉnh quy hoạch tổng mặt bằng phù hợp quy hoạch chi tiết được duyệt; Sở đã có văn bản "
        "chấp thuận để doanh nghiệp triển khai các bước tiếp theo.",
    ],
    "investment": [
        "Ban Quản lý đã điều chỉnh Giấy chứng nhận đăng ký đầu tư theo đề nghị của doanh nghiệp.",
        "Ban Quản lý đã hướng dẫn trình tự, hồ sơ điều chỉnh dự án theo Luật Đầu tư 2025 và cử cán bộ "
        "hỗ trợ doanh nghiệp hoàn thiện hồ sơ.",
    ],
    "tax": [
        "Cơ quan thuế đã hoàn thành kiểm tra hồ sơ và ban hành quyết định hoàn thuế giá trị gia tăng.",
        "Doanh nghiệp đáp ứng điều kiện hưởng ưu đãi thuế thu nhập doanh nghiệp đối với dự án công nghệ cao; "
        "cơ quan thuế đã hướng dẫn kê khai ưu đãi trong quyết toán năm.",
    ],
    "customs": [
        "Chi cục Hải quan đã hướng dẫn doanh nghiệp khai bổ sung và thông quan lô hàng máy móc nhập khẩu.",
        "Hàng hóa thuộc diện miễn thuế nhập khẩu tạo tài sản cố định của dự án; hải quan đã cập nhật danh mục.",
    ],
    "labour": [
        "Sở đã cấp giấy phép lao động cho chuyên gia nước ngoài sau khi doanh nghiệp bổ sung giấy tờ chứng minh "
        "kinh nghiệm.",
        "Sở đã hướng dẫn thủ tục gia hạn giấy phép lao động và giải quyết trong thời hạn quy định.",
    ],
    "infrastructure": [
        "Điện lực đã hoàn thành đấu nối và cấp điện cho nhà xưởng; đã lắp thêm thiết bị bảo vệ để hạn chế "
        "mất điện đột xuất.",
        "Ban Quản lý đã chỉ đạo đơn vị duy tu sửa chữa mặt đường, nạo vét hệ thống thoát nước nội khu.",
    ],
    "environment": [
        "Sở đã thẩm định và cấp giấy phép môi trường cho dự án.",
        "Sở đã hướng dẫn doanh nghiệp thực hiện quan trắc môi trường định kỳ theo quy định.",
    ],
    "security": [
        "Công an xã đã tăng cường tuần tra khu vực, xử lý các trường hợp vi phạm trật tự.",
        "Công an thành phố đã hướng dẫn thủ tục cấp thẻ tạm trú cho chuyên gia nước ngoài.",
    ],
    "other": [
        "Ban Quản lý ghi nhận kiến nghị và sẽ tổng hợp báo cáo Ủy ban nhân dân thành phố.",
        "Ban Quản lý đã phối hợp với các sở, ngành giải quyết và thông báo kết quả cho doanh nghiệp.",
    ],
}

NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Minh Châu",
    "Phạm Quốc Dũng",
    "Hoàng Thu Hà",
    "Vũ Đức Hải",
    "Đỗ Thị Lan",
    "Bùi Văn Long",
    "Ngô Thanh Mai",
    "Đặng Quang Minh",
    "Dương Thị Ngọc",
    "Lý Văn Phúc",
]


def people_of(agency_codes: list[str]) -> dict[str, Any]:
    """The officers who act in the demo's history: the demo accounts where they exist, else
    users with no usable password, which cannot log in."""

    def user(username: str, **fields) -> Any:
        u = User.objects.filter(username=username).first()
        if u is None:
            u = User(username=username, **fields)  # history only: no password, never logs in
            u.set_unusable_password()
            u.save()
        return u

    people = {
        "board": User.objects.filter(role=Role.BOARD).order_by("pk").first() or user("demo-board", role=Role.BOARD)
    }
    for code in agency_codes:
        agency = Agency.objects.get(code=code)
        people[code] = User.objects.filter(agency=agency).order_by("pk").first() or user(
            f"demo-{code.lower()}", role=Role.AGENCY, agency=agency
        )
    return people


def _enterprise_user(enterprise: Enterprise) -> Any:
    """Someone of the enterprise to confirm, rate and reopen: its demo account, else an internal
    user that cannot log in."""
    user = User.objects.filter(enterprise=enterprise).order_by("pk").first()
    if user is None:
        user = User(username=f"demo-dn-{enterprise.pk}", role=Role.ENTERPRISE, enterprise=enterprise)
        user.set_unusable_password()
        user.save()
    return user


def _office_moment(rng: random.Random, day: dt.date) -> dt.datetime:
    tz = timezone.get_default_timezone()
    return dt.datetime.combine(day, dt.time(rng.choice([8, 9, 10, 11, 13, 14, 15, 16]), rng.randint(0, 59)), tz)


def _working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_day_before(day: dt.date, n: int = 1) -> dt.date:
    """The working day `n` working days before `day`."""
    while n > 0:
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def received_days(rng: random.Random, count: int, today: dt.date) -> list[dt.date]:
    """`count` working days of receipt over the 24 months before `today`, oldest first: evenly
    spread with a third of them more likely lately, none on `today` itself (its office day has
    not begun), the newest on the last working day."""
    last = working_day_before(today)
    start = today - dt.timedelta(days=WINDOW_DAYS)
    days = []
    for _i in range(count):
        offset = rng.triangular(0, WINDOW_DAYS, WINDOW_DAYS) if rng.random() < 0.35 else rng.uniform(0, WINDOW_DAYS)
        day = _working_day_on_or_after(start + dt.timedelta(days=int(offset)))
        days.append(min(day, last))
    days.sort()
    if days:
        days[-1] = last  # every zone has one from the last working day, still to triage
    return days


def build_petitions_demo(*, today: dt.date | None = None, stdout: TextIO | None = None) -> int:
    """Two years of petitions in every zone of the demo; nothing if the database has petitions."""
    today = today or timezone.localdate()
    if Petition.objects.exists() or not Zone.objects.exists():
        return 0
    rng = random.Random(SEED)
    with transaction.atomic(), notifications.muted():
        for a in EXTRA_AGENCIES:
            if not Agency.objects.filter(code=a["code"]).exists():
                agency = Agency.objects.create(**a)
                agency.zones.set(Zone.objects.all())
        codes = sorted(set(Agency.objects.values_list("code", flat=True)))
        people = people_of(codes)
        for category, texts in ANSWERS.items():
            for i, text in enumerate(texts, 1):
                label = corpus.CATEGORIES[category][0]
                AnswerTemplate.objects.create(category=category, title=f"{label} – mẫu {i}", body=text)
        total = 0
        for zone in Zone.objects.order_by("code"):
            items = corpus.generate(seed=SEED, count=PER_ZONE.get(zone.code, OTHER_ZONES), zone_code=zone.code)
            enterprises = list(Enterprise.objects.filter(zone=zone).order_by("pk"))
            for item, day in zip(items, received_days(rng, len(items), today), strict=True):
                walk(rng, item, zone, enterprises, people, _office_moment(rng, day), today)
                total += 1
        total += build_account_stories(today=today, people=people)
        services.petitions_escalate(now=demo_now(today))
    if stdout is not None:
        stdout.write(_("  %(n)s petitions with their history") % {"n": total} + "\n")
    return total


def walk(rng, item, zone, enterprises, people, received, today, *, create=None, public_share: float = 0.15) -> Any:
    """File one petition of the corpus and take it as far along its lifecycle as its story goes
    by now: most are answered in time, some late, some rejected, merged, transferred, reopened."""
    return _one(rng, item, zone, enterprises, people, received, today, create=create, public_share=public_share)


def _one(rng, item, zone, enterprises, people, received, today, *, create=None, public_share=0.15):  # noqa: C901
    now_limit = demo_now(today)
    # the last working day's petitions wait for the board's triage, and some of the day before's
    fresh = received.date() >= working_day_before(today, FRESH_WORKING_DAYS) and (
        rng.random() < 0.5 or received.date() == working_day_before(today)
    )
    public = not enterprises or rng.random() < public_share
    enterprise = None if public else rng.choice(enterprises)
    name = rng.choice(NAMES)
    number = rng.randint(100, 999) if public else 0  # the same draws as before phones were added
    # a public petition was filed with consent to the notice then in force (version 1 on a fresh install)
    consent = {"consent_version": privacy.notice_current().version} if public else {}
    p = (create or services.petition_submit)(
        zone=zone,
        title=item["title"],
        body=item["body"],
        category=item["category"],
        priority="urgent" if item["urgent"] else "normal",
        source="public" if public else "portal",
        enterprise=enterprise,
        petitioner_name=name if public else "",
        petitioner_email=f"nguoidan{number}@example.vn" if public else "",
        petitioner_phone=f"0912 000 {number}" if public else "",
        publish_allowed=rng.random() < 0.85,
        procedure=item["procedure"],
        received_at=received,
        **consent,
    )
    owner = _enterprise_user(enterprise) if enterprise else None
    board = people["board"]

    def step(hours: float) -> dt.datetime:
        nonlocal received
        received = add_working_hours(received, hours)
        return received

    def past(moment: dt.datetime) -> bool:
        return moment < now_limit

    t = step(rng.uniform(0.5, 7))
    if fresh or not past(t):  # the newest wait for the board's triage
        return p
    roll = rng.random()
    if roll < 0.03:
        services.petition_act(
            petition=p,
            action="reject",
            by=board,
            now=t,
            reason="Nội dung không thuộc phạm vi giải quyết của các cơ quan thành phố.",
        )
        return p
    if roll < 0.07:
        earlier = (
            Petition.objects.filter(
                zone=zone, category=p.category, merged_into__isnull=True, received_at__lt=p.received_at
            )
            .exclude(pk=p.pk)
            .order_by("-received_at")
            .first()
        )
        if earlier is not None:
            services.petition_act(
                petition=p,
                action="merge",
                by=board,
                now=t,
                into=earlier,
                reason="Trùng nội dung với kiến nghị đã tiếp nhận.",
            )
            return p
    impact = item["impact"]
    triage = {"impact_production_stopped": bool(impact.get("production_stopped"))}
    if impact.get("workers_affected"):
        triage["impact_workers"] = int(impact["workers_affected"])
    if impact.get("investment_at_risk_vnd"):
        triage["impact_investment_vnd"] = int(impact["investment_at_risk_vnd"])
    if item["confidential_note"]:
        triage["confidential_note"] = item["confidential_note"]
    if p.category in {"land", "construction"} and p.enterprise_id:  # a parcel the enterprise leases in the plan
        parcel = current_features("parcels", zone=zone).filter(project__enterprise_id=p.enterprise_id).first()
        if parcel is not None:
            triage["parcel_code"] = parcel.code
    p = services.petition_act(petition=p, action="triage", by=board, now=t, **triage)
    lead = item["agency"]
    first = lead
    if rng.random() < 0.06:  # routed to the wrong agency first
        first = rng.choice([c for c in people if c not in {"board", lead}])
    t = step(rng.uniform(1, 12))
    if not past(t):
        return p
    p = services.petition_act(petition=p, action="assign", by=board, now=t, lead_agency=Agency.objects.get(code=first))
    if first != lead:
        t = step(rng.uniform(4, 30))
        if not past(t):
            return p
        p = services.petition_act(
            petition=p,
            action="transfer",
            by=people[first],
            now=t,
            reason="Nội dung không thuộc thẩm quyền của đơn vị, đề nghị chuyển cơ quan chuyên môn.",
        )
        t = step(rng.uniform(1, 8))
        if not past(t):
            return p
        p = services.petition_act(
            petition=p, action="assign", by=board, now=t, lead_agency=Agency.objects.get(code=lead)
        )
    officer = people[lead]
    t = step(rng.uniform(1, 16))
    if not past(t):
        return p
    p = services.petition_act(petition=p, action="start", by=officer, now=t)
    # most are answered within the deadline (15 working days = 120 office hours); some are late
    hours = rng.uniform(16, 110) if rng.random() < 0.8 else rng.uniform(125, 260)
    if rng.random() < 0.1:
        services.petition_request_info(
            petition=p,
            by=officer,
            reason="Đề nghị doanh nghiệp bổ sung hồ sơ, tài liệu liên quan.",
            now=step(rng.uniform(4, 20)),
        )
        t = step(rng.uniform(8, 40))
        if not past(t):
            return p
        p = services.petition_info_supplied(petition=p, by=board, now=t)
    t = step(hours)
    if not past(t):
        return p  # still being handled (overdue if its deadline passed)
    answer = rng.choice(ANSWERS[p.category])
    services.answer_write(petition=p, by=officer, body=answer, submit=True, now=t)
    t = step(rng.uniform(1, 10))
    if not past(t):
        return p
    p = services.petition_act(petition=p, action="answer", by=board, now=t)
    if p.publish_allowed and rng.random() < 0.75:
        t = step(rng.uniform(2, 20))
        if not past(t):
            return p
        summary = f"{corpus.CATEGORIES[p.category][0]}: {suggested_summary(p)}"  # the board's, names masked
        p = services.petition_act(petition=p, action="publish", by=board, now=t, public_summary=summary)
    if owner is None:
        if t + dt.timedelta(days=16) < now_limit:
            services.petition_act(
                petition=p,
                action="close",
                by=None,
                now=t + dt.timedelta(days=16),
                reason="Không có phản hồi của người kiến nghị.",
            )
        return p
    satisfied = rng.random() < 0.8
    t = step(rng.uniform(4, 40))
    if not past(t):
        return p
    if rng.random() < 0.75:
        services.petition_rate(petition=p, by=owner, satisfied=satisfied, now=t)
    p = services.petition_act(petition=p, action="close", by=owner, now=t)
    if not satisfied and rng.random() < 0.4:
        t = step(rng.uniform(8, 60))
        if not past(t):
            return p
        p = services.petition_act(
            petition=p,
            action="reopen",
            by=owner,
            now=t,
            reason="Nội dung trả lời chưa giải quyết được vướng mắc thực tế của doanh nghiệp.",
        )
        return _second_round(rng, p, people, owner, board, t, now_limit)
    return p


def _second_round(rng, p, people, owner, board, t, now_limit):
    """A reopened petition is triaged, handled and answered again, as far as time allows: only
    the recently reopened are still open."""

    def step(hours: float) -> dt.datetime:
        nonlocal t
        t = add_working_hours(t, hours)
        return t

    if not step(rng.uniform(1, 8)) < now_limit:
        return p
    p = services.petition_act(petition=p, action="triage", by=board, now=t)
    if not step(rng.uniform(1, 8)) < now_limit:
        return p
    p = services.petition_act(petition=p, action="assign", by=board, now=t, lead_agency=p.lead_agency)
    officer = people[p.lead_agency.code]
    if not step(rng.uniform(1, 16)) < now_limit:
        return p
    p = services.petition_act(petition=p, action="start", by=officer, now=t)
    if not step(rng.uniform(24, 100) if rng.random() < 0.8 else rng.uniform(125, 200)) < now_limit:
        return p
    body = "Sau khi rà soát lại theo đề nghị của doanh nghiệp: " + rng.choice(ANSWERS[p.category])
    services.answer_write(petition=p, by=officer, body=body, submit=True, now=t)
    if not step(rng.uniform(1, 10)) < now_limit:
        return p
    p = services.petition_act(petition=p, action="answer", by=board, now=t)
    if not step(rng.uniform(4, 40)) < now_limit:
        return p
    services.petition_rate(petition=p, by=owner, satisfied=rng.random() < 0.7, now=t)
    return services.petition_act(petition=p, action="close", by=owner, now=t)


# --- what the demo accounts find on their desk ----------------------------------------------

# (whose: the index of the demo enterprise, category, lead agency, the story as (action, working
# days before today, hour)). A story stops where the account has to act: the enterprise rates or
# supplies, the board triages, the agency starts and answers before the deadline.
ACCOUNT_STORIES = [
    # an answer to read, rate and close
    (
        0,
        "investment",
        "BQL-HN",
        [
            ("submit", 14, 9),
            ("triage", 14, 14),
            ("assign", 13, 9),
            ("start", 13, 10),
            ("write", 3, 15),
            ("answer", 2, 10),
            ("publish", 2, 11),
        ],
    ),
    (
        1,
        "customs",
        "HQ-HN",
        [
            ("submit", 11, 10),
            ("triage", 11, 15),
            ("assign", 10, 9),
            ("start", 10, 14),
            ("write", 2, 16),
            ("answer", 1, 9),
        ],
    ),
    # the tax officer's: one due in three working days, one to start, one overdue
    (0, "tax", "THUE-HN", [("submit", 12, 10), ("triage", 12, 15), ("assign", 11, 9), ("start", 10, 14)]),
    (1, "tax", "THUE-HN", [("submit", 4, 9), ("triage", 4, 14), ("assign", 3, 10)]),
    (1, "tax", "THUE-HN", [("submit", 18, 9), ("triage", 18, 11), ("assign", 17, 9), ("start", 16, 10)]),
    # the commune's: site clearance of the enterprises' plots
    (0, "land", "UBND-HOALAC", [("submit", 9, 14), ("triage", 9, 16), ("assign", 8, 10), ("start", 7, 9)]),
    (1, "land", "UBND-HOALAC", [("submit", 3, 10), ("triage", 3, 15), ("assign", 2, 9)]),
    # waiting for the enterprise's documents
    (
        0,
        "labour",
        "SNV-HN",
        [("submit", 8, 9), ("triage", 8, 11), ("assign", 8, 15), ("start", 7, 9), ("request_info", 1, 16)],
    ),
    # new: for the board to triage
    (0, "infrastructure", "EVN-HN", [("submit", 1, 15)]),
    (1, "security", "CA-HN", [("submit", 1, 10)]),
    # reopened a few days after closing: back on the board's desk
    (
        1,
        "construction",
        "SXD-HN",
        [
            ("submit", 24, 9),
            ("triage", 24, 14),
            ("assign", 23, 9),
            ("start", 23, 11),
            ("write", 12, 15),
            ("answer", 11, 10),
            ("close", 8, 9),  # within the days an enterprise may reopen, even across Tết
            ("reopen", 2, 14),
        ],
    ),
    # the history: answered, rated and closed
    (
        0,
        "customs",
        "HQ-HN",
        [
            ("submit", 60, 9),
            ("triage", 60, 13),
            ("assign", 59, 9),
            ("start", 59, 10),
            ("write", 50, 15),
            ("answer", 49, 10),
            ("publish", 49, 14),
            ("rate", 47, 9),
        ],
    ),
    (
        1,
        "labour",
        "SNV-HN",
        [
            ("submit", 75, 9),
            ("triage", 75, 13),
            ("assign", 74, 9),
            ("start", 73, 10),
            ("write", 66, 15),
            ("answer", 65, 10),
            ("rate", 63, 9),
        ],
    ),
]


def _demo_enterprises() -> list[Enterprise]:
    """The enterprises of the demo accounts (FPT, Hanwha), in that order; those that exist."""
    from zonedesk_demo.investment import ACCOUNT_ENTERPRISES

    found = {e.name: e for e in Enterprise.objects.filter(name__in=ACCOUNT_ENTERPRISES.values())}
    return [found[name] for name in ACCOUNT_ENTERPRISES.values() if name in found]


def build_account_stories(*, today: dt.date, people: dict[str, Any]) -> int:
    """The petitions of `ACCOUNT_STORIES` for the enterprises of the demo accounts (in demo mode or not:
    outside it, someone of the enterprise who cannot log in plays the account)."""
    enterprises = _demo_enterprises()
    if not enterprises:
        return 0
    tz = timezone.get_default_timezone()
    moment = demo_now(today)
    written = 0
    for k, enterprise in enumerate(enterprises):
        stories = [s for s in ACCOUNT_STORIES if s[0] == min(k, 1)]
        bank = corpus.generate(seed=SEED + k, count=80, zone_code=enterprise.zone.code)
        for _whose, category, agency_code, steps in stories:
            item = next(i for i in bank if i["category"] == category)
            bank.remove(item)
            if agency_code not in people:
                continue
            board, officer = people["board"], people[agency_code]
            owner = _enterprise_user(enterprise)

            def at(days: int, hour: int) -> dt.datetime:
                return dt.datetime.combine(working_day_before(today, days), dt.time(hour, 7 * days % 60), tz)

            p = None
            for action, days, hour in steps:
                now = at(days, hour)
                if now >= moment:
                    break
                if action == "submit":
                    p = services.petition_submit(
                        zone=enterprise.zone,
                        title=item["title"],
                        body=item["body"],
                        category=category,
                        source="portal",
                        enterprise=enterprise,
                        by=owner,
                        procedure=item["procedure"],
                        received_at=now,
                    )
                elif action == "triage":
                    p = services.petition_act(petition=p, action="triage", by=board, now=now)
                elif action == "assign":
                    lead = Agency.objects.get(code=agency_code)
                    p = services.petition_act(petition=p, action="assign", by=board, now=now, lead_agency=lead)
                elif action == "start":
                    p = services.petition_act(petition=p, action="start", by=officer, now=now)
                elif action == "write":
                    body = rng_answer(category, days)
                    services.answer_write(petition=p, by=officer, body=body, submit=True, now=now)
                elif action == "answer":
                    p = services.petition_act(petition=p, action="answer", by=board, now=now)
                elif action == "publish":
                    summary = f"{corpus.CATEGORIES[category][0]}: {p.title}"
                    p = services.petition_act(petition=p, action="publish", by=board, now=now, public_summary=summary)
                elif action == "request_info":
                    p = services.petition_request_info(
                        petition=p,
                        by=officer,
                        reason="Đề nghị doanh nghiệp bổ sung hồ sơ, tài liệu liên quan.",
                        now=now,
                    )
                elif action == "rate":
                    p = services.petition_rate(petition=p, by=owner, satisfied=True, now=now)
                    p = services.petition_act(petition=p, action="close", by=owner, now=now)
                elif action == "close":
                    p = services.petition_act(petition=p, action="close", by=owner, now=now)
                elif action == "reopen":
                    p = services.petition_act(
                        petition=p,
                        action="reopen",
                        by=owner,
                        now=now,
                        reason="Doanh nghiệp đã nộp hồ sơ theo hướng dẫn nhưng đến nay chưa được giải quyết.",
                    )
            written += p is not None
    return written


def rng_answer(category: str, days: int) -> str:
    """One of the category's answers, chosen by the day (no draw from the demo's random stream)."""
    answers = ANSWERS[category]
    return answers[days % len(answers)]

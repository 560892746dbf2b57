"""A year of investment promotion ending today: a forum with the National Innovation Center, a
roadshow in Japan and Korea, the FDI working group's leads, delegations and site visits; about 40
prospects across the stages, each moved through the services on its own dates; two licensed
through a dossier at the one-stop desk (filed, received, appraised, signed and returned through
the procedures services, so the links are the system's); one parcel reserved; a few enquiries
through the public site."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.cases.notifications import muted
from zonedesk.core.calendar import add_working_hours, is_working_day
from zonedesk.core.models import Agency, User, Zone
from zonedesk.procedures import services as desk
from zonedesk.procedures.models import Channel, Dossier, Procedure
from zonedesk.promotion import services
from zonedesk.promotion.models import PromotionEvent, Prospect, ScreeningWeight

BN = 1_000_000_000

# company, country, sector, capital (bn VND), land (ha), jobs, degrees %, hi-tech %, R&D %, R&D staff %, exports %, env, local %
COMPANIES = [
    ("Sakura Semiconductor K.K.", "JP", "electronics", 2400, 6, 800, 70, 85, 3.0, 6, 90, "medium", 25),
    ("Hanmi Precision Co., Ltd.", "KR", "mechatronics", 900, 4, 450, 45, 72, 1.2, 3, 80, "medium", 30),
    ("Nordic Biologics AB", "SE", "biotech", 1500, 3, 220, 80, 90, 6.0, 12, 70, "low", 15),
    ("Lotus AI Labs Pte. Ltd.", "SG", "software", 300, 0.5, 400, 95, 100, 8.0, 20, 60, "low", 10),
    ("Fraunhofer-Partner Optics GmbH", "DE", "materials", 700, 2.5, 180, 60, 75, 2.5, 6, 85, "medium", 20),
    ("Taipei Display Components", "TW", "electronics", 3600, 12, 2400, 35, 78, 0.8, 1.5, 95, "high", 20),
    ("Osaka Robotics Inc.", "JP", "mechatronics", 1200, 5, 600, 55, 80, 2.0, 4, 75, "medium", 35),
    ("Seoul Battery Materials", "KR", "materials", 6500, 20, 3200, 30, 71, 0.6, 1.2, 90, "high", 30),
    ("Vietnam Chip Design JSC", "VN", "electronics", 150, 0.3, 150, 90, 95, 10.0, 30, 40, "low", 50),
    ("Green Data Center Holdings", "SG", "services", 2000, 4, 120, 60, 40, 0.5, 2, 10, "medium", 40),
    ("Kyoto Pharma Research", "JP", "biotech", 800, 2, 160, 85, 88, 5.0, 10, 65, "low", 15),
    ("US Aerospace Parts LLC", "US", "aerospace", 2600, 8, 900, 50, 76, 1.5, 3, 92, "medium", 20),
    ("Busan Smart Factory Co.", "KR", "manufacturing", 1100, 10, 1500, 20, 40, 0.3, 0.5, 70, "high", 45),
    ("Hanoi EdTech Academy", "VN", "education", 120, 1, 200, 90, 60, 1.0, 5, 5, "low", 60),
    ("Dutch Semicon Equipment B.V.", "NL", "electronics", 1800, 3, 350, 75, 92, 4.0, 9, 88, "low", 15),
]
PROJECT_KIND = {
    "electronics": "điện tử, bán dẫn",
    "mechatronics": "cơ điện tử, tự động hóa",
    "biotech": "công nghệ sinh học",
    "software": "phần mềm, trí tuệ nhân tạo",
    "materials": "vật liệu mới",
    "services": "trung tâm dữ liệu",
    "aerospace": "linh kiện hàng không",
    "manufacturing": "sản xuất thông minh",
    "education": "đào tạo công nghệ",
}
SUFFIX = ["", " (phase 2)", " R&D centre", " Vietnam"]
# where each stage's prospects are, of 40 (the rest are open at the early stages)
PLAN = (
    ["enquiry"] * 7
    + ["qualified"] * 7
    + ["site_visit"] * 6
    + ["proposal"] * 5
    + ["decision"] * 4
    + ["dossier_filed"] * 1
    + ["aftercare"] * 1
    + ["lost"] * 7
)
ORDER = ["qualify", "visit", "propose", "decide"]
STAGE_AFTER = {"qualify": "qualified", "visit": "site_visit", "propose": "proposal", "decide": "decision"}
LOST_REASONS = [
    "Chọn địa điểm tại Bắc Ninh vì giá thuê đất thấp hơn",
    "Tập đoàn mẹ hoãn kế hoạch đầu tư ra nước ngoài",
    "Không đáp ứng tiêu chí công nghệ cao",
    "Nhu cầu đất lớn hơn quỹ đất sạch hiện có",
]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, 0), timezone.get_default_timezone())


def _events(today: dt.date, by: Any) -> dict[str, PromotionEvent]:
    make = services.event_save
    return {
        "forum": make(
            by=by,
            kind="forum",
            title="Diễn đàn Đầu tư Công nghệ cao Hòa Lạc 2026 (phối hợp với Trung tâm Đổi mới sáng tạo Quốc gia)",
            date=today - dt.timedelta(days=300),
            place="Trung tâm Đổi mới sáng tạo Quốc gia (NIC), Hòa Lạc",
            organisers="Ban Quản lý; Trung tâm Đổi mới sáng tạo Quốc gia (Bộ Kế hoạch và Đầu tư)",
            follow_up="Gửi hồ sơ giới thiệu khu cho các nhà đầu tư quan tâm; tổ chức khảo sát thực địa trong quý.",
        ),
        "roadshow": make(
            by=by,
            kind="roadshow",
            title="Xúc tiến đầu tư tại Nhật Bản và Hàn Quốc (Tokyo, Osaka, Seoul)",
            date=today - dt.timedelta(days=200),
            place="Tokyo, Osaka, Seoul",
            organisers="UBND Thành phố Hà Nội; Ban Quản lý; JETRO; KOTRA",
            follow_up="Theo dõi 12 nhà đầu tư tiềm năng; mời đoàn khảo sát sang Hòa Lạc.",
        ),
        "fdi_group": make(
            by=by,
            kind="delegation",
            title="Tổ công tác FDI: làm việc với các nhà đầu tư bán dẫn",
            date=today - dt.timedelta(days=120),
            place="Trụ sở Ban Quản lý, Hà Nội",
            organisers="Tổ công tác thu hút đầu tư nước ngoài của Thành phố",
            follow_up="Rà soát quỹ đất có hạ tầng đồng bộ từ 3 ha trở lên.",
        ),
        "visit": make(
            by=by,
            kind="site_visit",
            title="Đoàn khảo sát thực địa của các nhà đầu tư Hàn Quốc",
            date=today - dt.timedelta(days=60),
            place="Khu Công nghệ cao Hòa Lạc",
            organisers="Ban Quản lý",
        ),
    }


def _source_of(i: int) -> tuple[str, str]:
    return [
        ("forum", "forum"),
        ("roadshow", "roadshow"),
        ("fdi_group", "fdi_group"),
        ("embassy", ""),
        ("referral", ""),
    ][i % 5]


def _walk(p: Prospect, target: str, by: Any, start: dt.date, today: dt.date, rng: random.Random) -> Prospect:
    """Move the prospect from enquiry to `target` on dates between `start` and today."""
    steps = [] if target in {"enquiry", "lost"} else ORDER[: ORDER.index(_action_to(target)) + 1]
    if target == "lost":
        steps = ORDER[: rng.randint(0, 2)]
    span = max(1, (today - start).days - 5)
    for n, action in enumerate(steps, start=1):
        day = start + dt.timedelta(days=span * n // (len(steps) + 1))
        if action == "visit" and p.stage != "qualified":
            continue
        p = services.prospect_act(p, action, by=by, version=p.version, at=_at(day, 10))
    if target == "lost":
        p = services.prospect_act(
            p,
            "lose",
            by=by,
            version=p.version,
            reason=rng.choice(LOST_REASONS),
            at=_at(today - dt.timedelta(days=3), 11),
        )
    return p


def _action_to(stage: str) -> str:
    return {v: k for k, v in STAGE_AFTER.items()}.get(stage, "decide")


def _contact(
    p: Prospect, by: Any, day: dt.date, today: dt.date, now: dt.datetime, rng: random.Random, overdue: bool
) -> None:
    due = today - dt.timedelta(days=rng.randint(3, 12)) if overdue else today + dt.timedelta(days=rng.randint(3, 20))
    services.contact_add(
        p,
        by=by,
        date=min(day, today),
        kind=rng.choice(["meeting", "call", "letter", "visit"]),
        summary=rng.choice(
            [
                "Trao đổi nhu cầu đất và hạ tầng điện, nước",
                "Giới thiệu chính sách ưu đãi khu công nghệ cao",
                "Nhà đầu tư gửi bản đề xuất dự án sơ bộ",
                "Làm rõ tiêu chí công nghệ cao theo Quyết định 10/2021",
            ]
        ),
        next_step=rng.choice(["Gửi phương án mặt bằng", "Hẹn lịch khảo sát", "Gửi dự thảo thư mời đầu tư"]),
        next_step_due=max(due, min(day, today)),
        at=min(_at(min(day, today), 15), now),
    )


# two domestic investors licensed through the desk, leasing ready-built factories (the plan's
# parcels stay as the plan says)
LICENSED = {
    "chip": {
        "investor": ("Công ty Cổ phần Thiết kế Vi mạch Việt Nam", "0110999909"),
        "enterprise": ("Công ty TNHH Vi mạch Việt Nam Hòa Lạc", "0110999916"),
        "company": "Vietnam Chip Design JSC",
        "sector": "electronics",
        "capital": 450,
        "registered": 520,
        "jobs": 300,
        "source": "forum",
        "project_name": "Trung tâm thiết kế và kiểm thử vi mạch Hòa Lạc",
        "objectives": "Thiết kế, kiểm thử vi mạch bán dẫn tại nhà xưởng xây sẵn",
        "days": 330,
        "filed": 40,
    },
    "bio": {
        "investor": ("Công ty Cổ phần Dược phẩm Sinh học Thăng Long", "0110999923"),
        "enterprise": ("Công ty TNHH Công nghệ Sinh học Hòa Lạc", "0110999930"),
        "company": "Thang Long Biopharma JSC",
        "sector": "biotech",
        "capital": 800,
        "registered": 760,
        "jobs": 220,
        "source": "fdi_group",
        "project_name": "Nhà máy vắc-xin và sinh phẩm Hòa Lạc",
        "objectives": "Nghiên cứu, sản xuất vắc-xin và sinh phẩm tại nhà xưởng xây sẵn",
        "days": 250,
        "filed": 28,
    },
}


def _licensed(
    kind: str, by: Any, desk_people: dict[str, User], zone: Zone, today: dt.date, now: dt.datetime
) -> Prospect | None:
    """A prospect licensed through a dossier: a new enterprise of a domestic investor registers a
    new project (DT-01, brought to the desk on paper), its result returned through the desk's steps."""
    from zonedesk.investment import services as registry

    spec = LICENSED[kind]
    investor = registry.investor_create(name=spec["investor"][0], nationality="VN", tax_code=spec["investor"][1])
    enterprise = registry.enterprise_create(
        name=spec["enterprise"][0], tax_code=spec["enterprise"][1], zone=zone, investors=[investor]
    )
    procedure = Procedure.objects.get(code="DT-01")
    company, country, jobs, source = spec["company"], "VN", spec["jobs"], spec["source"]
    capital = spec["capital"] * BN
    project = None
    form = {
        "project_name": spec["project_name"],
        "sector": spec["sector"],
        "registered_capital_vnd": spec["registered"] * BN,
        "objectives": spec["objectives"],
        "land_area_m2": 0,  # a ready-built factory leased in the park: no land of its own
        "term_years": 50,
    }
    start = today - dt.timedelta(days=spec["days"])
    p = services.prospect_create(
        by=by,
        company=company,
        country=country,
        sector=spec["sector"],
        project_name=spec["project_name"],
        capital_vnd=capital,
        capital_usd=capital // 25_000,
        land_ha=Decimal(0),  # a ready-built factory (the plan's parcels stay as the plan says)
        jobs=jobs,
        jobs_with_degrees=jobs * 6 // 10,
        hitech_revenue_pct=85,
        rnd_spending_pct=Decimal("2.5"),
        rnd_staff=jobs // 20,
        exports_pct=90,
        local_suppliers_pct=25,
        value_added_vnd=capital // 3,
        published=True,  # the investor agreed: shown on the public page with how far it is
        source=source,
        enterprise=enterprise,
        at=_at(start),
    )
    for n, action in enumerate(["qualify", "visit", "propose", "decide"], start=1):
        p = services.prospect_act(p, action, by=by, version=p.version, at=_at(start + dt.timedelta(days=25 * n)))
    # the dossier, filed at the desk on paper: the hook links it to the prospect
    day = today - dt.timedelta(days=spec["filed"])
    filed = _at(day, 9)
    files = desk_files(procedure, day)
    d = desk.dossier_file(
        procedure=procedure,
        by=desk_people["motcua"],
        enterprise=enterprise,
        project=project,
        channel=Channel.PAPER,
        files=files,
        form=form,
        at=filed,
    )
    t = filed
    for action, who in (
        ("receive", "motcua"),
        ("forward", "chuyenvien"),
        ("forward", "truongphong"),
        ("sign", "lanhdao"),
        ("return_result", "motcua"),
    ):
        t = add_working_hours(t, 14)
        if t >= now:
            break
        d = Dossier.objects.get(pk=d.pk)
        d = desk.act(d, action, by=desk_people[who], version=d.version, at=t)
    p.refresh_from_db()
    return p


def desk_files(procedure: Procedure, day: dt.date) -> dict[int, Any]:
    from zonedesk_demo.procedures import files_for

    return files_for(procedure, day)


def build_promotion_demo(*, today: dt.date | None = None, stdout: TextIO | None = None, count: int = 40) -> int:
    """The promotion year (once: nothing when a prospect exists, or without the board's people)."""
    from zonedesk_demo.investment import demo_now

    today = today or timezone.localdate()
    by = User.objects.filter(username="bql").first()
    people = {
        u.username: u for u in User.objects.filter(username__in=["motcua", "chuyenvien", "truongphong", "lanhdao"])
    }
    zone = Zone.objects.filter(code="HHTP").first()
    if Prospect.objects.exists() or by is None or len(people) < 4 or zone is None:
        return 0
    rng = random.Random(26)
    now = demo_now(today)
    managers = [by, *User.objects.filter(role="board").exclude(pk=by.pk).order_by("username")[:2]]
    # the tax department (the demo's agency account) and the next agencies are asked to help some
    thue = User.objects.filter(username="thue").select_related("agency").first()
    agencies = [a for a in [thue.agency if thue else None] if a is not None]
    agencies += list(Agency.objects.exclude(pk__in=[a.pk for a in agencies]).order_by("code")[:2])
    with transaction.atomic(), muted():
        ScreeningWeight.objects.create(
            criterion="value_added_per_ha",
            points=20,
            target=100 * BN,
            effective_from=today - dt.timedelta(days=180),
            note="Nghị quyết 50-NQ/TW: ưu tiên dự án ít đất, giá trị gia tăng lớn",
        )
        events = _events(today, by)
        made = []
        for i, target in enumerate(PLAN[: max(0, count - 2)]):
            c = COMPANIES[i % len(COMPANIES)]
            name = c[0] + SUFFIX[(i // len(COMPANIES)) % len(SUFFIX)]
            source, event = _source_of(i)
            start = today - dt.timedelta(days=int(360 * (len(PLAN) - i) / len(PLAN)) + 5)
            capital = c[3] * BN
            p = services.prospect_create(
                by=by,
                company=name,
                country=c[1],
                sector=c[2],
                project_name=f"Dự án {PROJECT_KIND[c[2]]} của {c[0]}",
                capital_vnd=capital,
                capital_usd=capital // 25_000,
                land_ha=Decimal(str(c[4])),
                jobs=c[5],
                jobs_with_degrees=c[5] * c[6] // 100,
                hitech_revenue_pct=c[7],
                rnd_spending_pct=Decimal(str(c[8])),
                rnd_staff=int(c[5] * c[9] / 100),
                exports_pct=c[10],
                environment=c[11],
                local_suppliers_pct=c[12],
                value_added_vnd=capital // rng.choice([3, 4, 6]),
                source=source,
                source_event=events.get(event),
                manager=managers[i % len(managers)],
                agencies=[agencies[i % len(agencies)]] if agencies and i % 4 == 0 else [],
                published=target in {"decision", "dossier_filed"},  # those who agreed to be named
                at=_at(start),
            )
            if event:
                events[event].prospects.add(p)
            p = _walk(
                p, target if target != "aftercare" and target != "dossier_filed" else "decision", by, start, today, rng
            )
            if target in {"enquiry", "qualified", "site_visit", "proposal", "decision"}:
                _contact(p, by, start + dt.timedelta(days=20), today, now, rng, overdue=i % 5 == 1)
            made.append(p)
        for kind in LICENSED:
            p = _licensed(kind, by, people, zone, today, now)
            if p is not None:
                made.append(p)
                events["forum" if kind == "chip" else "fdi_group"].prospects.add(p)
        licensed = [p for p in made if p.stage == "licensed"]
        if licensed:  # the first one licensed is handed over to aftercare
            first = licensed[-1]
            services.prospect_act(
                first, "aftercare", by=by, version=first.version, at=_at(today - dt.timedelta(days=5))
            )
        # a parcel reserved for the most advanced open prospect with land to find
        from zonedesk.promotion.selectors import land_for

        for p in sorted(made, key=lambda p: -p.score):
            p.refresh_from_db()
            if p.stage in {"proposal", "decision"} and p.land_ha > 0:
                found = land_for(p, zone).first() or land_for(p).first()
                if found is None:
                    p.needs_networks = False
                    found = land_for(p).first()
                if found is not None:
                    services.reserve(
                        p, by=by, zone=found.zone, parcel_code=found.code, until=today + dt.timedelta(days=60), at=now
                    )
                    break
        # enquiries through the public site
        for company, country, sector, ha in (
            ("Melbourne MedTech Pty Ltd", "AU", "biotech", "1.5"),
            ("Lyon Photonics SAS", "FR", "electronics", "2"),
        ):
            services.enquiry_submit(
                company=company,
                country=country,
                sector=sector,
                land_ha=Decimal(ha),
                contact_name="Investor Relations",
                contact_email=f"ir@{company.split()[0].lower()}.example",
                message="We are looking for a site for a production and R&D facility; please send terms.",
                site_visit_wished=True,
                at=_at(today - dt.timedelta(days=2), 14),
            )
    if stdout is not None:
        stdout.write(_("  promotion: %(n)s prospects") % {"n": Prospect.objects.count()} + "\n")
    return len(made)


__all__ = ["build_promotion_demo"]

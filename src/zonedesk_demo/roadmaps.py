"""The roadmaps of the Hoa Lac demo: the site clearance of Hoa Lac commune, a key task of the
board, and a few enterprises' development roadmaps.

Public facts (DESIGN.md): site clearance in Hoa Lac commune needs a roadmap right away and is
a key local task; enterprises in the park must review their own development roadmaps.
Synthetic (labelled so): every package, its parcels, households, compensation and dates, the
milestones of the board's task and the enterprises' progress and reviews. Dates are placed
around the demo's "today", so the statuses (done, on track, at risk, late, not started) stay
what they are meant to show whatever day the demo is built.

The packages under way hold the parcels the planning demo left under site clearance; the
package already handed over holds parcels that are vacant now (cleared earlier), so building
this demo changes no parcel of the plan.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.models import Agency, Zone
from zonedesk.investment.models import Project
from zonedesk.petitions import notifications
from zonedesk.planning.models import Layer, Occupancy
from zonedesk.planning.selectors import current_features
from zonedesk.roadmaps import services
from zonedesk.roadmaps.models import OwnerKind, Roadmap, RoadmapKind

HHTP = "HHTP"
COMMUNE = "UBND-HOALAC"
COMMUNE_NAME = "UBND xã Hòa Lạc"
D = dt.timedelta


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


# code, title, planned start and end (days from today), households, compensation approved (VND),
# to resettle, progress records as (day, share of the area, households agreed, compensation paid),
# handed over on (day) or None, the package it depends on
PACKAGES = [
    (
        "GPMB-01",
        "Gói 1: khu nghiên cứu và triển khai 2, phía đông",
        -720,
        -400,
        46,
        96_500_000_000,
        4,
        [
            (-700, 0.1, 10, 18_000_000_000),
            (-600, 0.45, 28, 52_000_000_000),
            (-480, 0.9, 44, 90_000_000_000),
            (-430, 1.0, 46, 96_500_000_000),
        ],
        -420,
        None,
    ),
    (
        "GPMB-02",
        "Gói 2: khu công nghiệp công nghệ cao 3, phía tây",
        -300,
        90,
        88,
        185_000_000_000,
        9,
        [
            (-280, 0.05, 12, 20_000_000_000),
            (-200, 0.3, 41, 70_000_000_000),
            (-120, 0.55, 60, 118_000_000_000),
            (-40, 0.72, 74, 150_000_000_000),
        ],
        None,
        "GPMB-01",
    ),
    (
        "GPMB-03",
        "Gói 3: khu công nghiệp công nghệ cao 3, phía đông",
        -200,
        60,
        64,
        142_000_000_000,
        7,
        [(-150, 0.05, 6, 9_000_000_000), (-60, 0.18, 19, 30_000_000_000)],
        None,
        None,
    ),
    (
        "GPMB-04",
        "Gói 4: khu nghiên cứu và triển khai 2, phía tây",
        -420,
        -30,
        52,
        120_000_000_000,
        5,
        [(-390, 0.1, 9, 15_000_000_000), (-250, 0.35, 25, 55_000_000_000), (-90, 0.6, 37, 80_000_000_000)],
        None,
        None,
    ),
    (
        "GPMB-05",
        "Gói 5: hành lang hạ tầng kỹ thuật và tái định cư",
        30,
        330,
        30,
        70_000_000_000,
        12,
        [],
        None,
        "GPMB-03",
    ),
]

# the board's key task: (title, responsible, start, end (days from today), progress, done on (day) or None)
TASK = [
    ("Phê duyệt phương án tổng thể bồi thường, hỗ trợ, tái định cư", "UBND xã Hòa Lạc", -760, -700, 100, -705),
    ("Hoàn thành khu tái định cư tập trung", "Ban Quản lý dự án xây dựng", -500, 120, 70, None),
    ("Bàn giao mặt bằng sạch cho nhà đầu tư thứ cấp", "Ban Quản lý các KCNC và KCN", -100, 300, 10, None),
]

ENTERPRISE_PROJECTS = 4  # Hoa Lac projects given a development roadmap, the first two reviewed this year
FIRST_ENTERPRISES = ("Công ty Cổ phần FPT", "Công ty TNHH Hanwha Aero Engines")  # the demo accounts' firms
# the next stage each one plans: (title, start, end (days from today), progress)
GROWTH = [
    ("Mở rộng giai đoạn 2 (minh họa)", -120, 420, 30),
    ("Đầu tư dây chuyền sản xuất mới (minh họa)", -200, 60, 25),
    ("Xây dựng trung tâm R&D (minh họa)", 60, 540, 0),
    ("Nâng công suất giai đoạn 3 (minh họa)", -300, -20, 80),
]


def _enterprise_projects(zone: Zone) -> list[Project]:
    """A project of each demo account's enterprise, then the biggest others, under way or operating."""
    under_way = (
        Project.objects.filter(zone=zone, milestones__isnull=False, status__in=["under_construction", "operating"])
        .distinct()
        .select_related("enterprise", "zone")
        .order_by("-registered_capital_vnd", "code")
    )
    chosen: list[Project] = []
    for name in FIRST_ENTERPRISES:
        p = under_way.filter(enterprise__name=name).first()
        if p is not None:
            chosen.append(p)
    for p in under_way.exclude(enterprise__name__in=FIRST_ENTERPRISES):
        if len(chosen) >= ENTERPRISE_PROJECTS:
            break
        if all(c.enterprise_id != p.enterprise_id for c in chosen):
            chosen.append(p)
    return chosen


def _clearance_parcels(zone: Zone, today: dt.date) -> tuple[list, list]:
    parcels = list(current_features(Layer.PARCELS, zone=zone, on=today).filter(area_m2__gt=0).order_by("code"))
    under = [p for p in parcels if p.occupancy == Occupancy.CLEARANCE]
    vacant = [p for p in parcels if p.occupancy == Occupancy.VACANT and p.code.startswith(("NC2", "CNC3"))]
    return under, vacant


def _split(items: list, parts: int) -> list[list]:
    size = max(1, -(-len(items) // parts)) if items else 0
    return [items[i * size : (i + 1) * size] for i in range(parts)] if size else [[] for _i in range(parts)]


def build_roadmaps_demo(*, today: dt.date | None = None, stdout: TextIO | None = None) -> int:
    """The demo roadmaps, once (nothing when a roadmap exists or there is no HHTP zone)."""
    today = today or timezone.localdate()
    zone = Zone.objects.filter(code=HHTP).first()
    commune = Agency.objects.filter(code=COMMUNE).first()
    if zone is None or commune is None or Roadmap.objects.exists():
        return 0

    def day(n: int) -> dt.date:
        return today + D(days=n)

    with transaction.atomic(), notifications.muted():
        clearance = services.roadmap_create(
            by=None,
            zone=zone,
            kind=RoadmapKind.CLEARANCE,
            title_vi="Lộ trình giải phóng mặt bằng xã Hòa Lạc",
            title_en="Site clearance roadmap of Hoa Lac commune",
            description=(
                "Nhiệm vụ trọng điểm của địa phương: giải phóng mặt bằng phần còn lại của Khu Công nghệ cao "
                "Hòa Lạc trên địa bàn xã Hòa Lạc. Số liệu gói thầu, hộ dân và bồi thường là dữ liệu minh họa."
            ),
            owner_kind=OwnerKind.COMMUNE,
            owner_agency=commune,
            key_task=True,
            is_synthetic=True,
        )
        under, vacant = _clearance_parcels(zone, today)
        shares = _split(under, 3)  # packages 2, 3 and 4 hold the parcels still under clearance
        holdings = {"GPMB-01": vacant[:3], "GPMB-02": shares[0], "GPMB-03": shares[1], "GPMB-04": shares[2]}
        packages = {}
        for code, title, start, end, households, approved, resettle, records, handed, after in PACKAGES:
            parcels = holdings.get(code, [])
            area = sum((p.area_m2 for p in parcels), Decimal(0)) or Decimal(households * 1_800)
            package = services.package_create(
                by=None,
                roadmap=clearance,
                code=code,
                title=title,
                responsible_name=COMMUNE_NAME,
                responsible_agency=commune,
                planned_start=day(start),
                planned_end=day(end),
                area_to_clear_m2=area,
                households_affected=households,
                compensation_approved_vnd=approved,
                resettlement_households=resettle,
                resettlement_note="Tái định cư tại khu tái định cư tập trung xã Hòa Lạc (minh họa)."
                if resettle
                else "",
                parcels=parcels,
                depends_on=[packages[after].milestone] if after else [],
            )
            for n, share, agreed, paid in records:
                services.package_record(
                    by=None,
                    package=package,
                    on=day(n),
                    area_handed_over_m2=(area * Decimal(str(share))).quantize(Decimal("0.1")),
                    households_agreed=agreed,
                    compensation_paid_vnd=paid,
                )
            if handed is not None:
                services.package_hand_over(
                    by=None, package=package, on=day(handed), note="Biên bản bàn giao (minh họa)."
                )
            packages[code] = package

        task = services.roadmap_create(
            by=None,
            zone=zone,
            kind=RoadmapKind.TASK,
            title_vi="Tái định cư và bàn giao mặt bằng cho nhà đầu tư",
            title_en="Resettlement and hand-over of land to investors",
            owner_kind=OwnerKind.COMMITTEE,
            owner_name="Ban Chỉ đạo giải phóng mặt bằng Khu CNC Hòa Lạc (minh họa)",
            key_task=True,
            is_synthetic=True,
        )
        previous = None
        for title, who, start, end, progress, done in TASK:
            m = services.milestone_add(
                by=None,
                roadmap=task,
                title=title,
                responsible_name=who,
                planned_start=day(start),
                planned_end=day(end),
                depends_on=[previous] if previous else [],
            )
            services.milestone_progress(
                by=None,
                milestone=m,
                progress_pct=progress,
                actual_start=day(start + 5),
                actual_end=day(done) if done is not None else None,
            )
            previous = m

        for i, project in enumerate(_enterprise_projects(zone)):
            roadmap = services.roadmap_from_project(by=None, project=project)
            title, start, end, progress = GROWTH[i % len(GROWTH)]
            m = services.milestone_add(
                by=None,
                roadmap=roadmap,
                title=title,
                responsible_name=project.enterprise.name,
                responsible_enterprise=project.enterprise,
                planned_start=day(start),
                planned_end=day(end),
            )
            if progress:
                services.milestone_progress(by=None, milestone=m, progress_pct=progress, actual_start=day(start))
            if i < 2:
                services.roadmap_review(
                    by=None, roadmap=roadmap, on=today - D(days=20 + 15 * i), note="Cập nhật tiến độ (minh họa)."
                )
            elif i == 2:
                services.roadmap_review(by=None, roadmap=roadmap, on=dt.date(today.year - 1, 11, 20))
    _say(
        stdout,
        _("  roadmaps: %(n)s, site-clearance packages: %(p)s") % {"n": Roadmap.objects.count(), "p": len(packages)},
    )
    return Roadmap.objects.count()

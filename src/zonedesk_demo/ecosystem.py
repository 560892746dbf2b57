"""The innovation ecosystem of the Hoa Lac demo: the actors, yearly targets and measurements of
the last three whole years before the demo's today, and a few roadmap milestones acting on the
conditions.

Real (public facts): the National Innovation Center (NIC) in the park, inaugurated on 28 October
2023; FPT University's Hoa Lac campus; the R&D and manufacturing of Viettel, Nissan Techno and
the other investors of the registry demo; the Thăng Long avenue to the city. Everything else is
synthetic and labelled so: researchers, funds and their capital, sandbox pilots and their legal
basis, infrastructure works, travel times, targets and measurements.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.models import Zone
from zonedesk.ecosystem import services
from zonedesk.ecosystem.models import Actor, ActorKind, Condition, Indicator
from zonedesk.investment.models import Project

HHTP = "HHTP"
SOURCE = "Báo cáo của Ban Quản lý (số liệu minh họa)"


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


# kind, name (vi), name (en), the registry project it is (by name) or None, foreign, researchers,
# fund kind, capital committed (VND), legal basis, from, until, synthetic
ACTORS = [
    (
        "university",
        "Trường Đại học FPT – cơ sở Hòa Lạc",
        "FPT University, Hoa Lac campus",
        "Trường Đại học FPT – cơ sở Hòa Lạc",
        False,
        220,
        "",
        None,
        "",
        dt.date(2010, 9, 1),
        None,
        False,
    ),
    (
        "university",
        "Đại học Quốc gia Hà Nội – khu Hòa Lạc (minh họa)",
        "Vietnam National University, Hanoi – Hoa Lac (illustrative)",
        None,
        False,
        480,
        "",
        None,
        "",
        dt.date(2022, 9, 1),
        None,
        True,
    ),
    (
        "institute",
        "Viện Công nghệ vũ trụ (minh họa)",
        "Space Technology Institute (illustrative)",
        None,
        False,
        150,
        "",
        None,
        "",
        dt.date(2019, 1, 1),
        None,
        True,
    ),
    (
        "institute",
        "Viện nghiên cứu vật liệu tiên tiến (minh họa)",
        "Advanced Materials Institute (illustrative)",
        None,
        False,
        60,
        "",
        None,
        "",
        dt.date(2025, 3, 1),
        None,
        True,
    ),
    (
        "rd_centre",
        "Trung tâm nghiên cứu và sản xuất thiết bị công nghệ cao Viettel",
        "Viettel high-tech R&D and manufacturing centre",
        "Trung tâm nghiên cứu và sản xuất thiết bị công nghệ cao Viettel",
        False,
        900,
        "",
        None,
        "",
        dt.date(2013, 1, 1),
        None,
        False,
    ),
    (
        "rd_centre",
        "Trung tâm thiết kế và phát triển kỹ thuật ô tô Nissan Techno Việt Nam",
        "Nissan Techno Vietnam automotive design centre",
        "Trung tâm thiết kế và phát triển kỹ thuật ô tô Nissan Techno Việt Nam",
        True,
        600,
        "",
        None,
        "",
        dt.date(2014, 1, 1),
        None,
        False,
    ),
    (
        "rd_centre",
        "Khu nghiên cứu và sản xuất công nghệ cao Phenikaa",
        "Phenikaa hi-tech research and production area",
        "Khu nghiên cứu và sản xuất công nghệ cao Phenikaa",
        False,
        180,
        "",
        None,
        "",
        dt.date(2020, 1, 1),
        None,
        False,
    ),
    (
        "rd_centre",
        "Trung tâm R&D vật liệu bán dẫn (minh họa)",
        "Semiconductor materials R&D centre (illustrative)",
        None,
        True,
        90,
        "",
        None,
        "",
        dt.date(2025, 6, 1),
        None,
        True,
    ),
    (
        "incubator",
        "Trung tâm Đổi mới sáng tạo Quốc gia (NIC)",
        "National Innovation Center (NIC)",
        None,
        False,
        None,
        "",
        None,
        "",
        dt.date(2023, 10, 28),
        None,
        False,
    ),
    (
        "accelerator",
        "Chương trình tăng tốc khởi nghiệp Hòa Lạc (minh họa)",
        "Hoa Lac start-up accelerator (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        dt.date(2024, 4, 1),
        None,
        True,
    ),
    (
        "tto",
        "Văn phòng chuyển giao công nghệ Hòa Lạc (minh họa)",
        "Hoa Lac technology-transfer office (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        dt.date(2024, 9, 1),
        None,
        True,
    ),
    (
        "fund",
        "Quỹ đổi mới công nghệ của thành phố (minh họa)",
        "City technology innovation fund (illustrative)",
        None,
        False,
        None,
        "public",
        500_000_000_000,
        "",
        dt.date(2023, 1, 1),
        None,
        True,
    ),
    (
        "fund",
        "Quỹ đầu tư mạo hiểm Hòa Lạc (minh họa)",
        "Hoa Lac venture fund (illustrative)",
        None,
        False,
        None,
        "venture",
        350_000_000_000,
        "",
        dt.date(2024, 6, 1),
        None,
        True,
    ),
    (
        "fund",
        "Quỹ đầu tư mạo hiểm châu Á (minh họa)",
        "Asian venture fund (illustrative)",
        None,
        True,
        None,
        "venture",
        900_000_000_000,
        "",
        dt.date(2025, 5, 1),
        None,
        True,
    ),
    (
        "sandbox",
        "Thử nghiệm máy bay không người lái giao hàng (minh họa)",
        "Delivery drone pilot (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "Quyết định cho phép thử nghiệm của UBND thành phố (minh họa)",
        dt.date(2024, 7, 1),
        dt.date(2026, 6, 30),
        True,
    ),
    (
        "sandbox",
        "Thử nghiệm xe tự hành trong khu (minh họa)",
        "Autonomous shuttle pilot (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "Quyết định cho phép thử nghiệm của UBND thành phố (minh họa)",
        dt.date(2025, 9, 1),
        None,
        True,
    ),
    (
        "infrastructure",
        "Nhà máy xử lý nước thải tập trung số 1 (minh họa)",
        "Central wastewater plant 1 (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        dt.date(2012, 1, 1),
        None,
        True,
    ),
    (
        "infrastructure",
        "Trạm biến áp 110 kV khu công nghệ cao (minh họa)",
        "110 kV substation of the park (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        dt.date(2016, 1, 1),
        None,
        True,
    ),
    (
        "infrastructure",
        "Nhà máy xử lý nước thải số 2 (minh họa)",
        "Wastewater plant 2 (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        dt.date(2024, 11, 1),
        None,
        True,
    ),
    (
        "infrastructure",
        "Đường trục phía nam khu nghiên cứu 2 (minh họa)",
        "Southern trunk road of research area 2 (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        dt.date(2025, 8, 1),
        None,
        True,
    ),
    (
        "infrastructure",
        "Hệ thống điện mặt trời mái nhà dùng chung (minh họa)",
        "Shared rooftop solar (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        None,
        None,
        True,
    ),
    (
        "infrastructure",
        "Nhà máy nước sạch giai đoạn 2 (minh họa)",
        "Water plant, phase 2 (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        None,
        None,
        True,
    ),
    (
        "transport",
        "Đại lộ Thăng Long",
        "Thang Long avenue",
        None,
        False,
        None,
        "",
        None,
        "",
        dt.date(2010, 10, 1),
        None,
        False,
    ),
    (
        "transport",
        "Tuyến buýt nhanh Hòa Lạc – trung tâm (minh họa)",
        "Hoa Lac – city centre express bus (illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        dt.date(2024, 3, 1),
        None,
        True,
    ),
    (
        "transport",
        "Đường sắt đô thị đến Hòa Lạc (quy hoạch, minh họa)",
        "Urban railway to Hoa Lac (planned, illustrative)",
        None,
        False,
        None,
        "",
        None,
        "",
        None,
        None,
        True,
    ),
]


def measured_years(today: dt.date) -> tuple[int, int, int]:
    """The three years the demo measures: the last three whole years before `today`'s."""
    return (today.year - 3, today.year - 2, today.year - 1)


# indicator: targets for the three years, measurements for the three years (None: not measured)
MEASURED = {
    "U3": ((10, 14, 18), (8, 12, 19)),
    "I2": ((20, 30, 40), (14, 31, 36)),
    "I3": ((5, 8, 12), (3, 6, 11)),
    "F3": ((2, 4, 6), (1, 3, None)),
    "S2": ((1, 2, 3), (0, 1, 3)),
    "H2": ((90, 95, 100), (82, 91, 97)),
    "H3": ((5, 8, 12), (3, 6, 7)),
    "T2": ((75, 65, 55), (90, 70, 62)),  # minutes: lower is better
    "T3": ((40, 35, 30), (45, 38, 35)),
}
COUNTED = {  # targets of the indicators the registry counts
    "U1": (3, 3, 4),
    "U2": (150, 160, 175),
    "R1": (3, 4, 5),
    "R2": (1, 1, 2),
    "R3": (5.0, 6.0, 7.0),
    "I1": (1, 2, 3),
    "F1": (1, 2, 3),
    "F2": (500, 800, 1500),
    "S1": (1, 2, 2),
    "H1": (60, 70, 80),
    "T1": (1, 2, 3),
}
# roadmap milestones acting on a condition: (condition, roadmap title (vi), milestone title)
ACTIONS = [
    (6, "Tái định cư và bàn giao mặt bằng cho nhà đầu tư", "Bàn giao mặt bằng sạch cho nhà đầu tư thứ cấp"),
    (6, "Lộ trình giải phóng mặt bằng xã Hòa Lạc", "Gói 5: hành lang hạ tầng kỹ thuật và tái định cư"),
]


def build_ecosystem_demo(*, today: dt.date | None = None, stdout: TextIO | None = None) -> int:
    """The demo ecosystem of Hoa Lac, once (nothing when an actor exists or there is no HHTP zone)."""
    today = today or timezone.localdate()
    zone = Zone.objects.filter(code=HHTP).first()
    if zone is None or Actor.objects.exists():
        return 0
    years = measured_years(today)
    projects = {p.name_vi: p for p in Project.objects.filter(zone=zone)}
    indicators = {i.code: i for i in Indicator.objects.all()}
    with transaction.atomic():
        for kind, vi, en, project, foreign, researchers, fund, capital, basis, start, end, synthetic in ACTORS:
            services.actor_create(
                by=None,
                zone=zone,
                kind=ActorKind(kind),
                name_vi=vi,
                name_en=en,
                project=projects.get(project) if project else None,
                foreign=foreign,
                researchers=researchers,
                fund_kind=fund,
                capital_committed_vnd=capital,
                legal_basis=basis,
                active_from=start,
                active_until=end,
                is_synthetic=synthetic,
            )
        for code, (targets, values) in MEASURED.items():
            for year, target, value in zip(years, targets, values, strict=True):
                services.target_set(by=None, indicator=indicators[code], zone=zone, year=year, value=target)
                if value is not None:
                    services.measurement_record(
                        by=None, indicator=indicators[code], zone=zone, year=year, value=value, source=SOURCE
                    )
        for code, targets in COUNTED.items():
            for year, target in zip(years, targets, strict=True):
                services.target_set(by=None, indicator=indicators[code], zone=zone, year=year, value=target)
        _link_actions(zone)
    n = Actor.objects.filter(zone=zone).count()
    _say(
        stdout,
        _("  ecosystem: %(n)s actors, targets and measurements of %(years)s")
        % {"n": n, "years": f"{years[0]}–{years[-1]}"},
    )
    return n


def _link_actions(zone: Zone) -> None:
    from zonedesk.roadmaps.models import Milestone
    from zonedesk.roadmaps.services import milestone_link_condition

    conditions = {c.number: c for c in Condition.objects.all()}
    for number, roadmap, title in ACTIONS:
        for m in Milestone.objects.filter(roadmap__zone=zone, roadmap__title_vi=roadmap, title=title):
            milestone_link_condition(by=None, milestone=m, condition=conditions[number])

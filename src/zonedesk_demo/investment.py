"""The demo dataset: Hoa Lac Hi-Tech Park and three industrial zones of the same board.

`build_demo()` writes a deterministic registry through the investment services (every
investor, enterprise, project, amendment, status change, milestone and report goes through
`zonedesk.investment.services`) and, in demo mode, one demo account per role.

What is real and what is not
----------------------------
* The Hoa Lac zone (HHTP) is real: area, functional-zone areas and the published totals come
  from /work/shared/FACTS.md (press, official portals). The registry is built so that
  `selectors.zone_figures(zone=HHTP, year=2023)` reproduces the published figures exactly:
  109 projects (95 domestic, 14 foreign-invested), 115,500 bn VND registered capital,
  14,500 workers, 30,000 bn VND revenue in 2023, a land registration rate of 40%. The
  history follows the published milestones: 28 projects and US$587m by Aug 2008, 94 projects
  and 89,300 bn VND by Jul 2020, 104 projects and 100,000 bn VND by Jul 2023.
* The tenants in `REAL_TENANTS` are well-known investors of the park named in the press; their
  certificate dates are approximate and their figures synthetic, except the registered
  capital of Hanwha Aero Engines (US$200m) and Nidec (US$400m).
* Everything else is synthetic and marked so (`is_synthetic=True`, "(minh họa)" in names).
  The industrial zones' areas are plausible defaults [uncertain], see their descriptions.

The same seed and the same `today` give the same rows, every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from stdnum.vn import mst

from zonedesk.core import twofactor
from zonedesk.core.models import Agency, Role, User, Zone
from zonedesk.investment import services
from zonedesk.investment.models import (
    Amendment,
    Enterprise,
    Investor,
    PeriodicReport,
    PeriodKind,
    Project,
    ProjectStatus,
    ScheduleMilestone,
    Sector,
    StatusChange,
    period_end,
)

SEED = 20240510  # 10 May 2024: the dialogue conference with the Hoa Lac enterprises
DEMO_PASSWORD = settings.DEMO_PASSWORD  # the published password of the demo accounts (the login page shows it)
HHTP = "HHTP"
BN = 1_000_000_000  # one billion đồng (tỷ đồng)
MILLION = 1_000_000
D = dt.date

# --- zones ----------------------------------------------------------------------------------

# Land for investment projects in Hoa Lac (Decision 899/QĐ-TTg, 2016), the basis of the
# land registration rate: software park + R&D + education and training + hi-tech industry.
HHTP_LEASABLE_HA = Decimal("55.93") + Decimal("263.15") + Decimal("123.53") + Decimal("391.01")  # 833.62

ZONES: list[dict[str, Any]] = [
    {
        "code": HHTP,
        "kind": Zone.Kind.HITECH,
        "name_vi": "Khu Công nghệ cao Hòa Lạc",
        "name_en": "Hoa Lac Hi-Tech Park",
        "province": "Hà Nội",
        "area_ha": Decimal("1586"),
        "leasable_area_ha": HHTP_LEASABLE_HA,
        "is_synthetic": False,
        "description": (
            "Khoảng 1.586 ha tại Thạch Thất và Quốc Oai (Hà Nội); quy hoạch chung điều chỉnh theo "
            "Quyết định 899/QĐ-TTg (2016). Chuyển từ Bộ Khoa học và Công nghệ về TP Hà Nội từ tháng "
            "11/2023. Đất dành cho dự án đầu tư 833,62 ha = khu phần mềm 55,93 ha + nghiên cứu và "
            "triển khai 263,15 ha + giáo dục và đào tạo 123,53 ha + công nghiệp công nghệ cao "
            "391,01 ha; đây là mẫu số của tỷ lệ lấp đầy.\n"
            "About 1,586 ha; land for investment projects 833.62 ha = software park 55.93 + R&D "
            "263.15 + education 123.53 + hi-tech industry 391.01 ha (the basis of the land "
            "registration rate). Zone figures are public; the project rows of the demo are "
            "synthetic, built to match the published totals (109 projects, 115,500 bn VND, "
            "14,500 workers, 30,000 bn VND revenue in 2023, ~40% land registered)."
        ),
    },
    {
        "code": "KCNTL",
        "kind": Zone.Kind.INDUSTRIAL,
        "name_vi": "Khu công nghiệp Thăng Long",
        "name_en": "Thang Long Industrial Park",
        "province": "Hà Nội",
        "area_ha": Decimal("274"),
        "leasable_area_ha": Decimal("197"),
        "is_synthetic": True,
        "description": (
            "Đông Anh, Hà Nội. Diện tích và đất cho thuê là số liệu giả định hợp lý [chưa chắc chắn]; "
            "dự án là dữ liệu minh họa.\n"
            "Area and leasable land are plausible defaults [uncertain]; the projects are synthetic."
        ),
    },
    {
        "code": "KCNNB",
        "kind": Zone.Kind.INDUSTRIAL,
        "name_vi": "Khu công nghiệp Nội Bài",
        "name_en": "Noi Bai Industrial Park",
        "province": "Hà Nội",
        "area_ha": Decimal("114"),
        "leasable_area_ha": Decimal("82"),
        "is_synthetic": True,
        "description": (
            "Sóc Sơn, Hà Nội. Diện tích và đất cho thuê là số liệu giả định hợp lý [chưa chắc chắn]; "
            "dự án là dữ liệu minh họa.\n"
            "Area and leasable land are plausible defaults [uncertain]; the projects are synthetic."
        ),
    },
    {
        "code": "KCNSDB",
        "kind": Zone.Kind.INDUSTRIAL,
        "name_vi": "Khu công nghiệp Sài Đồng B",
        "name_en": "Sai Dong B Industrial Park",
        "province": "Hà Nội",
        "area_ha": Decimal("97.5"),
        "leasable_area_ha": Decimal("68"),
        "is_synthetic": True,
        "description": (
            "Long Biên, Hà Nội. Diện tích và đất cho thuê là số liệu giả định hợp lý [chưa chắc chắn]; "
            "dự án là dữ liệu minh họa.\n"
            "Area and leasable land are plausible defaults [uncertain]; the projects are synthetic."
        ),
    },
]

# One digit per zone for the 10-digit project codes: <zone><year of certificate><sequence>.
ZONE_DIGIT = {HHTP: "1", "KCNTL": "2", "KCNNB": "3", "KCNSDB": "4"}

# --- agencies -------------------------------------------------------------------------------

ALL_ZONES = [z["code"] for z in ZONES]
AGENCIES: list[dict[str, Any]] = [
    {
        "code": "BQL-HN",
        "kind": Agency.Kind.BOARD,
        "name_vi": "Ban Quản lý các Khu công nghệ cao và Khu công nghiệp TP Hà Nội",
        "name_en": "Hanoi Management Board of High-Tech Parks and Industrial Zones",
        "zones": ALL_ZONES,
    },
    {
        "code": "THUE-HN",
        "kind": Agency.Kind.TAX,
        "name_vi": "Thuế TP Hà Nội",
        "name_en": "Hanoi Tax Department",
        "zones": ALL_ZONES,
    },
    {
        "code": "HQ-HN",
        "kind": Agency.Kind.CUSTOMS,
        "name_vi": "Hải quan TP Hà Nội",
        "name_en": "Hanoi Customs",
        "zones": ALL_ZONES,
    },
    {
        "code": "QHKT-HN",
        "kind": Agency.Kind.PLANNING,
        "name_vi": "Sở Quy hoạch – Kiến trúc Hà Nội",
        "name_en": "Hanoi Department of Planning and Architecture",
        "zones": ALL_ZONES,
    },
    {
        "code": "SXD-HN",
        "kind": Agency.Kind.CONSTRUCTION,
        "name_vi": "Sở Xây dựng Hà Nội",
        "name_en": "Hanoi Department of Construction",
        "zones": ALL_ZONES,
    },
    {
        "code": "UBND-HOALAC",
        "kind": Agency.Kind.COMMUNE,
        "name_vi": "Ủy ban nhân dân xã Hòa Lạc",
        "name_en": "Hoa Lac Commune People's Committee",
        "zones": [HHTP],
    },
    {
        "code": "CA-HN",
        "kind": Agency.Kind.POLICE,
        "name_vi": "Công an TP Hà Nội",
        "name_en": "Hanoi Police",
        "zones": ALL_ZONES,
    },
    {
        "code": "SNV-HN",
        "kind": Agency.Kind.LABOUR,
        "name_vi": "Sở Nội vụ Hà Nội (lao động, việc làm)",
        "name_en": "Hanoi Department of Home Affairs (labour and employment)",
        "zones": ALL_ZONES,
    },
    {
        "code": "EVN-HN",
        "kind": Agency.Kind.UTILITY,
        "name_vi": "Tổng công ty Điện lực TP Hà Nội (EVNHANOI)",
        "name_en": "Hanoi Power Corporation (EVNHANOI)",
        "zones": ALL_ZONES,
    },
]

# --- the real tenants of Hoa Lac ------------------------------------------------------------
# Names: FACTS.md (press coverage of the park: Viettel, FPT, VNPT, Vingroup/VinSmart, Hanwha
# Aero Engines, Nidec, Nissan Techno, Phenikaa). Certificate dates are approximate; capital is
# synthetic except Hanwha (US$200m) and Nidec (US$400m), the published figures. `cohort` places
# the project in the published history (A: by Aug 2008, B: by Jul 2020).


@dataclass(frozen=True)
class Tenant:
    key: str
    investor: str
    nationality: str
    enterprise: str
    name_vi: str
    name_en: str
    sector: str
    certificate: dt.date
    capital_bn: int | None = None  # VND, billions (domestic)
    capital_usd_m: int | None = None  # USD, millions (foreign)
    land_weight: float = 1.0


REAL_TENANTS: list[Tenant] = [
    Tenant(
        key="nidec",
        investor="Nidec Corporation",
        nationality="JP",
        enterprise="Công ty TNHH Nidec Hòa Lạc",
        name_vi="Nhà máy sản xuất động cơ điện chính xác Nidec",
        name_en="Nidec precision motor factory",
        sector=Sector.MECHATRONICS,
        certificate=D(2007, 5, 16),
        capital_usd_m=400,
        land_weight=4.0,
    ),
    Tenant(
        key="fpt_uni",
        investor="Công ty Cổ phần FPT",
        nationality="VN",
        enterprise="Công ty Cổ phần FPT",
        name_vi="Trường Đại học FPT – cơ sở Hòa Lạc",
        name_en="FPT University, Hoa Lac campus",
        sector=Sector.EDUCATION,
        certificate=D(2008, 3, 20),
        capital_bn=900,
        land_weight=5.0,
    ),
    Tenant(
        key="fpt_soft",
        investor="Công ty Cổ phần FPT",
        nationality="VN",
        enterprise="Công ty Cổ phần FPT",
        name_vi="Khu phần mềm FPT (F-Ville) Hòa Lạc",
        name_en="FPT software campus (F-Ville), Hoa Lac",
        sector=Sector.SOFTWARE,
        certificate=D(2010, 6, 8),
        capital_bn=1_500,
        land_weight=3.0,
    ),
    Tenant(
        key="viettel",
        investor="Tập đoàn Công nghiệp – Viễn thông Quân đội (Viettel)",
        nationality="VN",
        enterprise="Tổng Công ty Công nghiệp Công nghệ cao Viettel",
        name_vi="Trung tâm nghiên cứu và sản xuất thiết bị công nghệ cao Viettel",
        name_en="Viettel high-tech R&D and manufacturing centre",
        sector=Sector.TELECOM,
        certificate=D(2012, 4, 12),
        capital_bn=8_200,
        land_weight=4.0,
    ),
    Tenant(
        key="nissan",
        investor="Nissan Techno Co., Ltd.",
        nationality="JP",
        enterprise="Công ty TNHH Nissan Techno Việt Nam",
        name_vi="Trung tâm thiết kế và phát triển kỹ thuật ô tô Nissan Techno Việt Nam",
        name_en="Nissan Techno Vietnam automotive engineering centre",
        sector=Sector.RESEARCH,
        certificate=D(2014, 3, 24),
        capital_usd_m=12,
        land_weight=0.6,
    ),
    Tenant(
        key="vnpt",
        investor="Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT)",
        nationality="VN",
        enterprise="Công ty Cổ phần Công nghệ Công nghiệp Bưu chính Viễn thông (VNPT Technology)",
        name_vi="Tổ hợp công nghiệp công nghệ cao VNPT",
        name_en="VNPT hi-tech industrial complex",
        sector=Sector.ELECTRONICS,
        certificate=D(2016, 5, 18),
        capital_bn=2_100,
        land_weight=2.0,
    ),
    Tenant(
        key="hanwha",
        investor="Hanwha Aerospace Co., Ltd.",
        nationality="KR",
        enterprise="Công ty TNHH Hanwha Aero Engines",
        name_vi="Nhà máy sản xuất linh kiện động cơ máy bay Hanwha Aero Engines",
        name_en="Hanwha Aero Engines aircraft engine parts factory",
        sector=Sector.AEROSPACE,
        certificate=D(2017, 9, 6),
        capital_usd_m=200,
        land_weight=3.0,
    ),
    Tenant(
        key="vinsmart",
        investor="Tập đoàn Vingroup – Công ty Cổ phần",
        nationality="VN",
        enterprise="Công ty TNHH Nghiên cứu và Sản xuất VinSmart",
        name_vi="Tổ hợp nghiên cứu và sản xuất thiết bị điện tử VinSmart",
        name_en="VinSmart electronics research and manufacturing complex",
        sector=Sector.ELECTRONICS,
        certificate=D(2018, 6, 21),
        capital_bn=3_900,
        land_weight=3.0,
    ),
    Tenant(
        key="phenikaa",
        investor="Công ty Cổ phần Tập đoàn Phenikaa",
        nationality="VN",
        enterprise="Công ty Cổ phần Tập đoàn Phenikaa",
        name_vi="Khu nghiên cứu và sản xuất công nghệ cao Phenikaa",
        name_en="Phenikaa hi-tech research and production park",
        sector=Sector.MATERIALS,
        certificate=D(2019, 8, 14),
        capital_bn=1_800,
        land_weight=2.0,
    ),
]

# --- the published history of Hoa Lac (FACTS.md) --------------------------------------------
# (cohort, projects certified in it, first and last certificate date, cumulative registered
# capital at its end in VND incl. amendments dated up to then, foreign-invested projects).
US587M_IN_2008 = 587 * MILLION * 16_000  # US$587m at about 16,000 VND/USD
HHTP_COHORTS = [
    ("A", 28, D(2000, 3, 1), D(2008, 8, 15), US587M_IN_2008, 2),
    ("B", 66, D(2008, 9, 1), D(2020, 7, 20), 89_300 * BN, 8),
    ("C", 10, D(2020, 8, 10), D(2023, 7, 20), 100_000 * BN, 2),
    ("D", 5, D(2023, 8, 10), D(2023, 12, 26), 115_500 * BN, 2),
]
COHORT_END = {"A": D(2008, 8, 31), "B": D(2020, 7, 31), "C": D(2023, 7, 31), "D": D(2023, 12, 31)}
HHTP_PROJECTS_2023 = 109
HHTP_WORKERS_2023 = 14_500
HHTP_REVENUE_2023 = 30_000 * BN
HHTP_LAND_RATE = Decimal("0.40")

# Capital increases of Hoa Lac projects (project key or cohort of a synthetic one, date,
# change in billions VND). Domestic projects only: an amendment changes the VND capital only.
HHTP_CAPITAL_INCREASES: list[tuple[str, dt.date, int, str]] = [
    ("fpt_soft", D(2015, 8, 20), 600, "Tăng vốn đầu tư giai đoạn 2 khu phần mềm"),
    ("A", D(2011, 5, 9), 180, "Bổ sung dây chuyền sản xuất, tăng vốn đầu tư"),
    ("B", D(2016, 10, 3), 450, "Mở rộng quy mô, tăng vốn đầu tư"),
    ("B", D(2018, 12, 11), 720, "Bổ sung mục tiêu nghiên cứu, tăng vốn đầu tư"),
    ("viettel", D(2019, 11, 5), 2_400, "Bổ sung mục tiêu sản xuất thiết bị mạng 5G, tăng vốn đầu tư"),
    ("B", D(2021, 6, 15), 1_150, "Mở rộng nhà xưởng, tăng vốn đầu tư"),
    ("vnpt", D(2022, 3, 28), 500, "Bổ sung dây chuyền sản xuất thiết bị IoT, tăng vốn đầu tư"),
    ("A", D(2022, 11, 2), 260, "Nâng cấp phòng thí nghiệm, tăng vốn đầu tư"),
    ("phenikaa", D(2023, 10, 16), 1_500, "Bổ sung mục tiêu nghiên cứu vật liệu bán dẫn, tăng vốn đầu tư"),
    ("B", D(2023, 11, 21), 2_000, "Mở rộng giai đoạn 2, tăng vốn đầu tư"),
    # after 2023: they change the current figures, not the 2023 ones
    ("viettel", D(2024, 8, 19), 3_000, "Bổ sung mục tiêu thiết kế và sản xuất chip, tăng vốn đầu tư"),
    ("C", D(2025, 4, 7), 800, "Mở rộng quy mô sản xuất, tăng vốn đầu tư"),
    ("fpt_uni", D(2025, 9, 12), 400, "Xây dựng thêm ký túc xá và giảng đường, tăng vốn đầu tư"),
]
NON_CAPITAL_AMENDMENTS = [
    "Điều chỉnh tên dự án",
    "Điều chỉnh mục tiêu và quy mô dự án",
    "Thay đổi nhà đầu tư góp vốn",
    "Điều chỉnh địa điểm thực hiện (lô đất)",
]

# Hoa Lac projects behind schedule: (cohort, milestone stuck, "serious" or "mild").
HHTP_BEHIND = [
    ("B", "land", "serious"),  # site clearance in Hòa Lạc commune not finished
    ("B", "construction", "serious"),
    ("B", "operation", "mild"),
    ("B", "operation", "mild"),
    ("B", "operation", "mild"),
    ("C", "capital", "mild"),
    ("C", "operation", "mild"),
    ("C", "construction", "mild"),
    ("D", "land", "mild"),
    ("D", "land", "mild"),
]

# Projects certified after 2023 (after the May 2024 count of 109): (date, foreign nationality or "").
HHTP_LATER = [(D(2024, 9, 17), ""), (D(2025, 3, 11), "KR"), (D(2025, 10, 22), "")]
LATER_EVERY_DAYS = 270  # then one about every nine months, up to the demo's today
LATER_NATIONALITIES = ["", "JP", "", "SG"]


def later_certificates(today: dt.date) -> list[tuple[dt.date, str]]:
    """The Hoa Lac certificates after 2023 that are before `today`: the ones above, then one
    about every nine months (on a weekday), the newest at least three weeks before `today`
    (these rent offices: no land of their own)."""
    dates = list(HHTP_LATER)
    day = dates[-1][0]
    while True:
        day += dt.timedelta(days=LATER_EVERY_DAYS)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        if day > today - dt.timedelta(days=21):
            break
        dates.append((day, LATER_NATIONALITIES[len(dates) % len(LATER_NATIONALITIES)]))
    return [(d, n) for d, n in dates if d < today]


# The industrial zones: (code, projects, first and last certificate year, foreign nationalities
# to draw from, share of foreign-invested projects).
OTHER_ZONES = [
    ("KCNTL", 24, 1998, 2022, ["JP"] * 6 + ["KR"] * 2 + ["TW", "SG"], 0.8),
    ("KCNNB", 16, 1997, 2021, ["KR"] * 4 + ["JP"] * 3 + ["TW", "CN"], 0.6),
    ("KCNSDB", 12, 2001, 2020, ["JP"] * 3 + ["KR"] * 2 + ["MY"], 0.5),
]

# VND per USD at the time of a certificate (approximate yearly averages).
USD_RATE = {
    1996: 11_000,
    1997: 11_700,
    1998: 13_300,
    1999: 13_900,
    2000: 14_100,
    2001: 14_700,
    2002: 15_300,
    2003: 15_500,
    2004: 15_700,
    2005: 15_850,
    2006: 15_950,
    2007: 16_000,
    2008: 16_500,
    2009: 17_800,
    2010: 18_600,
    2011: 20_500,
    2012: 20_800,
    2013: 21_000,
    2014: 21_150,
    2015: 21_700,
    2016: 22_300,
    2017: 22_700,
    2018: 23_000,
    2019: 23_200,
    2020: 23_200,
    2021: 23_100,
    2022: 23_600,
    2023: 24_000,
    2024: 25_000,
    2025: 26_000,
    2026: 26_300,
}


def usd_rate(year: int) -> int:
    """VND per USD in a year; the last known rate for a year after the table."""
    return USD_RATE.get(year) or USD_RATE[max(USD_RATE)]


# --- synthetic names ------------------------------------------------------------------------

VN_SYLLABLES_1 = [
    "An",
    "Bảo",
    "Đông",
    "Hòa",
    "Hưng",
    "Khánh",
    "Lạc",
    "Minh",
    "Nam",
    "Phú",
    "Quang",
    "Sơn",
    "Tân",
    "Thành",
    "Trí",
    "Việt",
    "Vĩnh",
    "Xuân",
    "Ba Vì",
    "Tản Viên",
    "Kim",
    "Ngọc",
]
VN_SYLLABLES_2 = [
    "Phát",
    "Long",
    "Tiến",
    "Thịnh",
    "Hải",
    "Việt",
    "An",
    "Đức",
    "Hà",
    "Khoa",
    "Nguyên",
    "Tín",
    "Quang",
    "Sáng",
    "Trường",
    "Hưng",
]
JP_NAMES = [
    "Kitaura",
    "Minase",
    "Hoshida",
    "Takumi",
    "Sakurazaka",
    "Aozora",
    "Kawabe",
    "Morinaga",
    "Tsukide",
    "Yamabuki",
    "Shirane",
    "Hinoki",
    "Asagiri",
    "Kazahana",
]
KR_NAMES = ["Daeseong", "Hanbit", "Seonjin", "Mirae", "Saebom", "Haneul", "Gaon", "Dasom", "Nuri", "Bitnara"]
OTHER_FOREIGN_NAMES = {
    "US": ["Redwood", "Lakeshore", "Bluepeak", "Cedarline"],
    "SG": ["Merlion", "Straits", "Kallang"],
    "TW": ["Jadeview", "Formosa Bay", "Yushan", "Sun Moon", "Tamsui"],
    "DE": ["Rheinwerk", "Elbtal"],
    "CN": ["Jinhe", "Qinglan", "Baiyun"],
    "MY": ["Seri Teknik", "Lembah"],
}
FOREIGN_SUFFIX = {
    Sector.ELECTRONICS: "Electronics",
    Sector.MECHATRONICS: "Precision",
    Sector.MATERIALS: "Materials",
    Sector.BIOTECH: "Biotech",
    Sector.SOFTWARE: "Software",
    Sector.RESEARCH: "Technology",
    Sector.TELECOM: "Telecom",
    Sector.AEROSPACE: "Aero",
    Sector.MANUFACTURING: "Industries",
    Sector.EDUCATION: "Education",
    Sector.SERVICES: "Services",
}
VN_KIND = {
    Sector.SOFTWARE: ("Công ty Cổ phần Phần mềm", "Soft"),
    Sector.ELECTRONICS: ("Công ty TNHH Điện tử", "Electronics"),
    Sector.TELECOM: ("Công ty Cổ phần Viễn thông", "Telecom"),
    Sector.BIOTECH: ("Công ty Cổ phần Công nghệ Sinh học", "Bio"),
    Sector.MATERIALS: ("Công ty TNHH Vật liệu mới", "Materials"),
    Sector.MECHATRONICS: ("Công ty TNHH Cơ điện tử", "Mechatronics"),
    Sector.AEROSPACE: ("Công ty Cổ phần Công nghệ Hàng không", "Aero"),
    Sector.RESEARCH: ("Công ty TNHH Công nghệ", "Tech"),
    Sector.EDUCATION: ("Công ty Cổ phần Giáo dục", "Education"),
    Sector.MANUFACTURING: ("Công ty TNHH Sản xuất", "Manufacturing"),
    Sector.SERVICES: ("Công ty Cổ phần Hạ tầng và Dịch vụ", "Services"),
}
PROJECT_NAMES = {
    Sector.SOFTWARE: ("Trung tâm phát triển phần mềm {b}", "{b} software development centre"),
    Sector.ELECTRONICS: ("Nhà máy sản xuất linh kiện điện tử {b}", "{b} electronic components factory"),
    Sector.TELECOM: ("Trung tâm nghiên cứu thiết bị viễn thông {b}", "{b} telecom equipment R&D centre"),
    Sector.BIOTECH: ("Nhà máy dược phẩm công nghệ cao {b}", "{b} hi-tech pharmaceutical plant"),
    Sector.MATERIALS: ("Nhà máy vật liệu mới {b}", "{b} advanced materials plant"),
    Sector.MECHATRONICS: ("Nhà máy thiết bị cơ điện tử {b}", "{b} mechatronics factory"),
    Sector.AEROSPACE: ("Xưởng chế tạo linh kiện hàng không {b}", "{b} aerospace parts workshop"),
    Sector.RESEARCH: ("Trung tâm nghiên cứu và triển khai {b}", "{b} research and development centre"),
    Sector.EDUCATION: ("Cơ sở đào tạo công nghệ cao {b}", "{b} hi-tech training campus"),
    Sector.MANUFACTURING: ("Nhà máy sản xuất {b}", "{b} manufacturing plant"),
    Sector.SERVICES: ("Trung tâm dịch vụ và hạ tầng kỹ thuật {b}", "{b} technical services centre"),
}
HHTP_SECTORS = (
    [Sector.SOFTWARE] * 5
    + [Sector.RESEARCH] * 5
    + [Sector.ELECTRONICS] * 4
    + [Sector.BIOTECH] * 3
    + [Sector.MATERIALS] * 2
    + [Sector.MECHATRONICS] * 2
    + [Sector.TELECOM] * 2
    + [Sector.EDUCATION] * 2
    + [Sector.SERVICES, Sector.AEROSPACE]
)
INDUSTRIAL_SECTORS = (
    [Sector.ELECTRONICS] * 4
    + [Sector.MECHATRONICS] * 3
    + [Sector.MANUFACTURING] * 4
    + [Sector.MATERIALS] * 2
    + [Sector.BIOTECH, Sector.SERVICES]
)
LOT_PREFIX = {Sector.SOFTWARE: "PM", Sector.RESEARCH: "NC", Sector.BIOTECH: "NC", Sector.EDUCATION: "GD"}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Minh Châu",
    "Quốc Dũng",
    "Thu Hà",
    "Đức Huy",
    "Thanh Lan",
    "Hải Nam",
    "Ngọc Mai",
    "Gia Phong",
]

MILESTONE_TITLES = {
    "capital": "Góp đủ vốn điều lệ",
    "land": "Nhận bàn giao đất",
    "construction": "Khởi công xây dựng",
    "operation": "Đưa dự án vào hoạt động",
}
STAGES = ["land", "construction", "operation"]
STATUS_OF_STAGE = {
    "land": (ProjectStatus.LAND_HANDED_OVER, "Đã nhận bàn giao đất tại thực địa"),
    "construction": (ProjectStatus.UNDER_CONSTRUCTION, "Khởi công xây dựng công trình"),
    "operation": (ProjectStatus.OPERATING, "Dự án hoàn thành, đưa vào hoạt động"),
}

# --- demo accounts --------------------------------------------------------------------------
# (username, role, first name, last name); the enterprise or agency is attached in `_ensure_accounts`.
DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, "Quản trị", "hệ thống"),
    ("bql", Role.BOARD, "Cán bộ", "Ban Quản lý"),
    ("lanhdao", Role.LEADER, "Lãnh đạo", "Ban Quản lý"),
    ("motcua", Role.BOARD, "Cán bộ", "Bộ phận Một cửa"),
    ("chuyenvien", Role.BOARD, "Chuyên viên", "Phòng Quản lý Đầu tư"),
    ("truongphong", Role.BOARD, "Trưởng phòng", "Quản lý Đầu tư"),
    ("thue", Role.AGENCY, "Cán bộ", "Thuế TP Hà Nội"),
    ("xahoalac", Role.AGENCY, "Cán bộ", "UBND xã Hòa Lạc"),
    ("fpt", Role.ENTERPRISE, "Doanh nghiệp", "FPT"),
    ("hanwha", Role.ENTERPRISE, "Doanh nghiệp", "Hanwha Aero Engines"),
]


# the enterprise of each enterprise account (in Hoa Lac)
ACCOUNT_ENTERPRISES = {"fpt": "Công ty Cổ phần FPT", "hanwha": "Công ty TNHH Hanwha Aero Engines"}


def _account_description(username: str) -> str:
    return {
        "admin": _("Administrator: users, roles and reference data (Django admin too)"),
        "bql": _("Board officer: keeps the registry, triages and routes"),
        "lanhdao": _("Leader: reads every dashboard, signs the one-stop desk's results"),
        "motcua": _("One-stop desk: receives dossiers and returns results"),
        "chuyenvien": _("Specialist of the investment division: appraises dossiers"),
        "truongphong": _("Head of the investment division: reviews dossiers, signs apologies"),
        "thue": _("Agency officer of Hanoi Tax"),
        "xahoalac": _("Agency officer of Hoa Lac commune: land petitions and the site clearance roadmap"),
        "fpt": _("Enterprise user of FPT (Hoa Lac): sees only FPT's private data"),
        "hanwha": _("Enterprise user of Hanwha Aero Engines: a second enterprise, to show isolation"),
    }[username]


@dataclass
class DemoResult:
    created: bool
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, password, role, what
    counts: dict[str, int] = field(default_factory=dict)
    demo_mode: bool = True
    today: dt.date | None = None
    seconds: float = 0.0


# --- the plan: every row decided before anything is written ---------------------------------


@dataclass
class Plan:
    zone: str
    key: str
    cohort: str
    name_vi: str
    name_en: str
    sector: str
    enterprise: str  # enterprise key
    investors: list[str]  # investor keys, the first one the main one
    foreign: bool
    certificate: dt.date
    capital: int = 0
    usd: int | None = None
    land_m2: int = 0
    land_weight: float = 1.0
    real: bool = False
    behind: tuple[str, str] | None = None  # (stage, "serious", "mild" or "terminated")
    milestones: list[dict[str, Any]] = field(default_factory=list)
    amendments: list[tuple[dt.date, str, int]] = field(default_factory=list)
    terminated: dt.date | None = None
    code: str = ""
    objectives: str = ""
    # economics
    revenue_potential: float = 0.0
    workers_potential: float = 0.0
    growth: float = 1.08
    staff_before_operation: int = 5
    export_share: float = 0.0
    import_share: float = 0.0
    rnd_share: float = 0.02
    tax_share: float = 0.05
    degree_share: float = 0.5
    disbursed_final: float = 0.6
    disbursed_years: float = 6.0
    equity_share: float = 0.3
    targets: dict[str, int | None] = field(default_factory=dict)
    reports: list[dict[str, Any]] = field(default_factory=list)

    def stage_date(self, stage: str) -> dt.date | None:
        for m in self.milestones:
            if m["kind"] == stage:
                return m["actual"]
        return None

    def operating_on(self, day: dt.date) -> bool:
        op = self.stage_date("operation")
        return op is not None and op <= day

    def capital_on(self, day: dt.date) -> int:
        return self.capital + sum(change for date, _s, change in self.amendments if date <= day)


@dataclass
class Party:
    key: str
    name: str
    nationality: str = "VN"
    kind: str = Investor.Kind.ORGANISATION
    zone: str = ""
    address: str = ""
    investors: list[str] = field(default_factory=list)


class _Planner:
    def __init__(self, today: dt.date):
        self.rng = random.Random(SEED)
        self.today = today
        self.investors: dict[str, Party] = {}
        self.enterprises: dict[str, Party] = {}
        self.projects: list[Plan] = []
        self.used_names: set[str] = set()

    # -- helpers

    def days(self, lo: int, hi: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(lo, hi))

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def brand(self) -> str:
        while True:
            name = f"{self.rng.choice(VN_SYLLABLES_1)} {self.rng.choice(VN_SYLLABLES_2)}"
            if name not in self.used_names and name.split()[0] != name.split()[-1]:
                self.used_names.add(name)
                return name

    def foreign_brand(self, nationality: str) -> str:
        pool = {"JP": JP_NAMES, "KR": KR_NAMES}.get(nationality) or OTHER_FOREIGN_NAMES[nationality]
        for _i in range(100):
            name = self.rng.choice(pool)
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        name = f"{self.rng.choice(pool)} {len(self.used_names)}"
        self.used_names.add(name)
        return name

    def address(self, zone: str, sector: str) -> str:
        zone_name = next(z["name_vi"] for z in ZONES if z["code"] == zone)
        prefix = LOT_PREFIX.get(sector, "CN") if zone == HHTP else "CN"
        return f"Lô {prefix}-{self.rng.randint(1, 40):02d}, {zone_name}, Hà Nội"

    # -- parties

    def synthetic_parties(self, zone: str, sector: str, nationality: str) -> tuple[str, list[str], str, str]:
        """A synthetic enterprise with its investors; returns keys and a brand for the project name."""
        if nationality == "VN":
            brand = self.brand()
            kind_vi, kind_en = VN_KIND[sector]
            inv_key = f"inv:{brand}"
            self.investors[inv_key] = Party(inv_key, f"Công ty Cổ phần Đầu tư {brand} (minh họa)")
            investors = [inv_key]
            if self.rng.random() < 0.25:  # a founder who also contributes capital
                person = f"{self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)} (minh họa)"
                p_key = f"person:{brand}"
                self.investors[p_key] = Party(p_key, person, kind=Investor.Kind.INDIVIDUAL)
                investors.append(p_key)
            ent_name = f"{kind_vi} {brand} (minh họa)"
            display = f"{brand} {kind_en}"
        else:
            brand = self.foreign_brand(nationality)
            suffix = FOREIGN_SUFFIX[sector]
            inv_key = f"inv:{brand}"
            self.investors[inv_key] = Party(inv_key, f"{brand} {suffix} Co., Ltd. (illustrative)", nationality)
            investors = [inv_key]
            if self.rng.random() < 0.2:  # a Vietnamese partner in a joint venture
                partner = self.brand()
                p_key = f"inv:{partner}"
                self.investors[p_key] = Party(p_key, f"Công ty Cổ phần Đầu tư {partner} (minh họa)")
                investors.append(p_key)
            ent_name = f"Công ty TNHH {brand} {suffix} Việt Nam (minh họa)"
            display = f"{brand} {suffix}"
        ent_key = f"ent:{zone}:{brand}"
        self.enterprises[ent_key] = Party(
            ent_key, ent_name, zone=zone, address=self.address(zone, sector), investors=list(investors)
        )
        return ent_key, investors, brand, display

    def new_project(self, zone: str, cohort: str, certificate: dt.date, nationality: str, sectors: list[str]) -> Plan:
        sector = self.rng.choice(sectors)
        if nationality != "VN" and sector in (Sector.EDUCATION, Sector.SERVICES):
            sector = Sector.ELECTRONICS
        ent_key, investors, brand, display = self.synthetic_parties(zone, sector, nationality)
        name_vi, name_en = PROJECT_NAMES[sector]
        plan = Plan(
            zone=zone,
            key=f"{zone}:{brand}",
            cohort=cohort,
            name_vi=name_vi.format(b=brand) + " (minh họa)",
            name_en=name_en.format(b=display) + " (illustrative)",
            sector=sector,
            enterprise=ent_key,
            investors=investors,
            foreign=nationality != "VN",
            certificate=certificate,
            land_weight=self.rng.lognormvariate(0, 0.5),
        )
        self.projects.append(plan)
        return plan

    def real_project(self, t: Tenant, cohort: str) -> Plan:
        inv_key = f"real:{t.investor}"
        self.investors.setdefault(inv_key, Party(inv_key, t.investor, t.nationality))
        ent_key = f"real-ent:{t.enterprise}"
        if ent_key not in self.enterprises:
            self.enterprises[ent_key] = Party(
                ent_key, t.enterprise, zone=HHTP, address=self.address(HHTP, t.sector), investors=[inv_key]
            )
        plan = Plan(
            zone=HHTP,
            key=t.key,
            cohort=cohort,
            name_vi=t.name_vi,
            name_en=t.name_en,
            sector=t.sector,
            enterprise=ent_key,
            investors=[inv_key],
            foreign=t.nationality != "VN",
            certificate=t.certificate,
            land_weight=t.land_weight,
            real=True,
        )
        if t.capital_usd_m:
            plan.usd = t.capital_usd_m * MILLION
            plan.capital = plan.usd * usd_rate(t.certificate.year)
        else:
            plan.capital = t.capital_bn * BN
        self.projects.append(plan)
        return plan

    # -- Hoa Lac

    def plan_hhtp(self) -> None:
        rng = self.rng
        foreign_pool = ["JP", "KR", "JP", "KR", "US", "SG", "JP", "KR", "TW", "JP", "KR", "DE"]
        by_cohort: dict[str, list[Plan]] = {}
        for cohort, count, start, end, _capital, foreign in HHTP_COHORTS:
            tenants = [t for t in REAL_TENANTS if start <= t.certificate <= end]
            plans = [self.real_project(t, cohort) for t in tenants]
            foreign_left = foreign - sum(p.foreign for p in plans)
            n_synthetic = count - len(plans)
            flags = ["F"] * foreign_left + ["V"] * (n_synthetic - foreign_left)
            rng.shuffle(flags)
            for flag in flags:
                certificate = self.date_between(start, end)
                nationality = foreign_pool.pop(0) if flag == "F" else "VN"
                plans.append(self.new_project(HHTP, cohort, certificate, nationality, HHTP_SECTORS))
            by_cohort[cohort] = plans

        # who is behind schedule; one project of cohort B never starts and is terminated in 2025
        for cohort, stage, severity in HHTP_BEHIND:
            candidates = [p for p in by_cohort[cohort] if not p.real and p.behind is None and not p.foreign]
            rng.choice(candidates).behind = (stage, severity)
        candidates = [
            p
            for p in by_cohort["B"]
            if not p.real and p.behind is None and not p.foreign and p.certificate.year >= 2018
        ]
        doomed = rng.choice(candidates)
        doomed.behind = ("land", "terminated")
        doomed.terminated = D(2025, 6, 18)

        self.plan_hhtp_amendments(by_cohort)
        self.plan_hhtp_capital(by_cohort)

        # projects certified after the published 2023 figures
        for certificate, nationality in later_certificates(self.today):
            sectors = HHTP_SECTORS if certificate <= HHTP_LATER[-1][0] else [Sector.SOFTWARE, Sector.RESEARCH]
            p = self.new_project(HHTP, "later", certificate, nationality or "VN", sectors)
            p.capital = round(rng.uniform(300, 2_500) * BN, -8)
            if p.foreign:
                p.usd = round(p.capital / usd_rate(certificate.year), -3)

    def plan_hhtp_amendments(self, by_cohort: dict[str, list[Plan]]) -> None:
        rng = self.rng
        keyed = {p.key: p for plans in by_cohort.values() for p in plans}
        for target, date, change_bn, summary in HHTP_CAPITAL_INCREASES:
            if date >= self.today:
                continue
            if target in keyed:
                plan = keyed[target]
            else:
                candidates = [
                    p
                    for p in by_cohort[target]
                    if not p.real
                    and not p.foreign
                    and p.behind is None
                    and p.certificate < date - dt.timedelta(days=365)
                    and not p.amendments
                ]
                plan = rng.choice(candidates)
            plan.amendments.append((date, summary, change_bn * BN))
        # amendments that change no capital
        plans = [p for plans in by_cohort.values() for p in plans if p.terminated is None]
        for summary in NON_CAPITAL_AMENDMENTS:
            plan = rng.choice(plans)
            start, end = (
                plan.certificate + dt.timedelta(days=200),
                self.today - dt.timedelta(days=1),
            )
            if start <= end:
                plan.amendments.append((self.date_between(start, end), summary, 0))
        for plan in plans:
            plan.amendments.sort()

    def plan_hhtp_capital(self, by_cohort: dict[str, list[Plan]]) -> None:
        """Initial capital per cohort so that the cumulative registered capital meets the history."""
        rng = self.rng
        all_plans = [p for plans in by_cohort.values() for p in plans]
        previous_total, previous_end = 0, None
        for cohort, _count, _start, _end, cumulative, _foreign in HHTP_COHORTS:
            end = COHORT_END[cohort]
            amended = sum(
                change
                for p in all_plans
                for date, _s, change in p.amendments
                if date <= end and (previous_end is None or date > previous_end)
            )
            cohort_initial = cumulative - previous_total - amended
            plans = by_cohort[cohort]
            fixed = sum(p.capital for p in plans if p.real)
            free = [p for p in plans if not p.real]
            weights = [rng.lognormvariate(0, 0.9) * (2.0 if p.foreign else 1.0) for p in free]
            self.split(cohort_initial - fixed, free, weights, "capital", unit=100 * MILLION)
            for p in free:
                if p.foreign:
                    p.usd = round(p.capital / usd_rate(p.certificate.year), -3)
            previous_total, previous_end = cumulative, end

    @staticmethod
    def split(total: int, plans: list[Plan], weights: list[float], attr: str, *, unit: int) -> None:
        """Share `total` by weight in whole `unit`s; the rounding remainder goes to the largest share."""
        assert total > 0 and total % unit == 0, (attr, total)
        w_sum = sum(weights)
        shares = [int(total * w / w_sum) // unit * unit for w in weights]
        shares[max(range(len(shares)), key=lambda i: (shares[i], -i))] += total - sum(shares)
        assert min(shares) > 0, attr
        for plan, share in zip(plans, shares, strict=True):
            setattr(plan, attr, share)

    # -- the industrial zones

    def plan_industrial(self) -> None:
        rng = self.rng
        for code, count, first, last, nationalities, foreign_share in OTHER_ZONES:
            plans = []
            for i in range(count):
                certificate = self.date_between(D(first, 1, 1), D(last, 12, 31))
                nationality = rng.choice(nationalities) if rng.random() < foreign_share else "VN"
                plan = self.new_project(code, "industrial", certificate, nationality, INDUSTRIAL_SECTORS)
                if plan.foreign:
                    plan.usd = round(rng.lognormvariate(math.log(30), 0.8), 1) * MILLION
                    plan.usd = max(int(plan.usd), 3 * MILLION) // 1000 * 1000
                    plan.capital = plan.usd * usd_rate(certificate.year)
                else:
                    plan.capital = round(rng.lognormvariate(math.log(300), 0.7) * BN, -8)
                if i % 6 == 0 and certificate.year <= 2020:
                    date = self.date_between(certificate + dt.timedelta(days=400), D(2023, 12, 31))
                    if plan.foreign:  # an amendment changes the VND capital only: none for foreign projects
                        plan.amendments.append((date, "Điều chỉnh mục tiêu và quy mô dự án", 0))
                    else:
                        plan.amendments.append((date, "Mở rộng nhà xưởng, tăng vốn đầu tư", 120 * BN))
                plans.append(plan)
            # one project per zone is behind schedule
            late = max(plans, key=lambda p: p.certificate)
            late.behind = ("operation", "mild")
            zone = next(z for z in ZONES if z["code"] == code)
            filled = int(zone["leasable_area_ha"] * 10_000 * Decimal(str(round(rng.uniform(0.62, 0.86), 3))))
            self.split(
                filled - filled % 10,
                plans,
                [p.land_weight * math.sqrt(p.capital / BN) for p in plans],
                "land_m2",
                unit=10,
            )

    # -- schedules, statuses, economics

    def plan_schedule(self, p: Plan) -> None:
        """Milestones with planned and actual dates; the actual ones drive the status changes.

        Nothing happens on or after `today`. A project is behind schedule only when planned so
        (`p.behind`): every other milestone not reached by today is planned in the future.
        """
        rng, today, c = self.rng, self.today, p.certificate
        planned = {"land": c + self.days(60, 240)}
        planned["construction"] = planned["land"] + self.days(60, 240)
        planned["operation"] = planned["construction"] + self.days(300, 720)
        planned["capital"] = c + self.days(365, 900)
        actual: dict[str, dt.date | None] = {}
        previous = c
        for stage in STAGES:
            actual[stage] = max(planned[stage] + self.days(-30, 150), previous + dt.timedelta(days=20))
            previous = actual[stage]
        actual["capital"] = max(c, planned["capital"] + self.days(-60, 120))

        stuck, severity = p.behind or (None, None)
        if stuck is not None and severity != "terminated":
            overdue = rng.randint(20, 300) if severity == "mild" else rng.randint(420, 1_500)
            if stuck == "capital":
                planned["capital"] = max(today - dt.timedelta(days=overdue), c + dt.timedelta(days=200))
            else:
                order = STAGES.index(stuck)
                planned[stuck] = max(today - dt.timedelta(days=overdue), c + dt.timedelta(days=90 * (order + 1)))
                previous = c
                for earlier in STAGES[:order]:  # the stages before the stuck one are done
                    if actual[earlier] >= today:
                        actual[earlier] = max(previous + dt.timedelta(days=20), today - self.days(30, 120))
                    previous = actual[earlier]
                if severity == "mild" and planned[stuck] - c > dt.timedelta(days=5 * 365):
                    # an old project that got a new schedule: the amendment that set it
                    date = planned[stuck] - self.days(365, 700)
                    p.amendments.append(
                        (max(date, c + dt.timedelta(days=400)), "Điều chỉnh tiến độ thực hiện dự án (gia hạn)", 0)
                    )
                    p.amendments.sort()
        if stuck in STAGES:
            for later in STAGES[STAGES.index(stuck) :]:
                actual[later] = None
        if stuck == "capital" or p.terminated is not None:
            actual["capital"] = None

        reached = True
        for stage in STAGES:
            if not reached or actual[stage] is None or actual[stage] >= today:
                reached = False
                actual[stage] = None
                if planned[stage] < today and stage != stuck:
                    planned[stage] = today + self.days(30, 400)
        for earlier, later in zip(STAGES, STAGES[1:], strict=False):
            if actual[later] is None and planned[later] <= planned[earlier]:
                planned[later] = planned[earlier] + self.days(60, 300)
        if actual["capital"] is not None and actual["capital"] >= today:
            actual["capital"] = None
        if actual["capital"] is None and planned["capital"] < today and stuck != "capital" and p.terminated is None:
            planned["capital"] = today + self.days(30, 400)
        assert all(a is None or c <= a < today for a in actual.values()), p.key
        p.milestones = [
            {"kind": kind, "title": MILESTONE_TITLES[kind], "planned": planned[kind], "actual": actual[kind]}
            for kind in ("capital", "land", "construction", "operation")
        ]

    def plan_economics(self, p: Plan) -> None:
        rng = self.rng
        sector = p.sector
        labour = {
            Sector.SOFTWARE: 3.0,
            Sector.EDUCATION: 2.0,
            Sector.ELECTRONICS: 2.0,
            Sector.RESEARCH: 0.8,
            Sector.MANUFACTURING: 2.5,
            Sector.MECHATRONICS: 1.5,
        }.get(sector, 1.0)
        turnover = {
            Sector.EDUCATION: 0.25,
            Sector.RESEARCH: 0.2,
            Sector.SERVICES: 0.3,
            Sector.ELECTRONICS: 1.2,
            Sector.MANUFACTURING: 1.2,
            Sector.SOFTWARE: 0.9,
        }.get(sector, 0.6)
        capital_bn = p.capital / BN
        p.revenue_potential = capital_bn * BN * turnover * rng.lognormvariate(0, 0.5)
        p.workers_potential = labour * (capital_bn**0.6) * rng.lognormvariate(0, 0.4)
        if p.zone != HHTP:  # factories in the industrial zones employ many more people per đồng
            p.workers_potential *= 4
        p.growth = rng.uniform(1.02, 1.16)
        p.staff_before_operation = rng.randint(3, 25)
        if sector in (Sector.EDUCATION, Sector.RESEARCH, Sector.SERVICES):
            p.export_share = rng.uniform(0.0, 0.1)
        elif p.foreign:
            p.export_share = rng.uniform(0.55, 0.95)
        elif sector == Sector.SOFTWARE:
            p.export_share = rng.uniform(0.2, 0.7)
        else:
            p.export_share = rng.uniform(0.05, 0.4)
        manufacturing = sector in (
            Sector.ELECTRONICS,
            Sector.MECHATRONICS,
            Sector.MANUFACTURING,
            Sector.MATERIALS,
            Sector.AEROSPACE,
            Sector.TELECOM,
        )
        p.import_share = rng.uniform(0.3, 0.6) if manufacturing else rng.uniform(0.0, 0.1)
        p.rnd_share = rng.uniform(0.2, 0.45) if sector == Sector.RESEARCH else rng.uniform(0.01, 0.08)
        p.tax_share = rng.uniform(0.03, 0.08)
        degree = (
            (0.7, 0.95)
            if sector in (Sector.SOFTWARE, Sector.RESEARCH, Sector.EDUCATION, Sector.BIOTECH)
            else (0.15, 0.45)
        )
        p.degree_share = rng.uniform(*degree)
        p.disbursed_final = rng.uniform(0.45, 0.75)
        p.disbursed_years = rng.uniform(4, 9)
        p.equity_share = rng.uniform(0.2, 0.5) if not p.foreign else rng.uniform(0.3, 1.0)
        if p.behind and p.behind[0] in ("land", "construction"):
            p.disbursed_final = rng.uniform(0.08, 0.25)

    def plan_targets(self, p: Plan, revenue_scale: float, workers_scale: float) -> None:
        rng = self.rng
        if rng.random() < 0.1:  # a few old certificates carry no targets
            p.targets = {}
            return
        workers = p.workers_potential * workers_scale * rng.uniform(1.0, 1.5)
        revenue = p.revenue_potential * revenue_scale * rng.uniform(1.0, 1.6)
        p.targets = {
            "target_workers": max(10, int(round(workers, -1))),
            "target_revenue_vnd": max(BN, int(round(revenue / BN)) * BN),
            "target_export_vnd": int(round(revenue * p.export_share / BN)) * BN if p.export_share > 0.15 else None,
        }

    # -- reports

    def periods(self) -> list[tuple[str, int, int]]:
        """Yearly reports from 2021 and quarterly ones from 2024, for every period ended before today."""
        result = []
        for year in range(2021, self.today.year + 1):
            if year >= 2024:
                for q in (1, 2, 3, 4):
                    if period_end(PeriodKind.QUARTER, year, q) < self.today:
                        result.append((PeriodKind.QUARTER, year, q))
            if period_end(PeriodKind.YEAR, year, 0) < self.today:
                result.append((PeriodKind.YEAR, year, 0))
        return result

    def workers_on(self, p: Plan, day: dt.date, scale: float) -> int:
        op = p.stage_date("operation")
        if op is None or op > day:
            return p.staff_before_operation
        ramp = min(1.0, 0.25 + 0.75 * (day - op).days / (3 * 365))  # a new plant hires over three years
        years = (day - D(2023, 12, 31)).days / 365
        return max(p.staff_before_operation, int(p.workers_potential * scale * ramp * (1.02**years)))

    def revenue_between(self, p: Plan, start: dt.date, end: dt.date, scale: float) -> float:
        op = p.stage_date("operation")
        if op is None or op > end:
            return 0.0
        days = (end - start).days + 1
        share = ((end - max(op, start)).days + 1) / days
        middle = start + (end - start) / 2
        years = (middle - D(2023, 7, 1)).days / 365
        return p.revenue_potential * scale * share * (p.growth**years) * days / 365

    def disbursed_on(self, p: Plan, day: dt.date) -> int:
        progress = min(1.0, (day - p.certificate).days / (365 * p.disbursed_years))
        rate = 0.05 + (p.disbursed_final - 0.05) * progress
        return int(p.capital_on(day) * rate) // MILLION * MILLION

    def figures(self, p: Plan, workers: int, revenue: int, disbursed: int) -> dict[str, int]:
        return {
            "revenue_vnd": revenue,
            "export_vnd": int(revenue * p.export_share) // MILLION * MILLION,
            "import_vnd": int(revenue * p.import_share) // MILLION * MILLION,
            "workers_total": workers,
            "workers_degree": int(workers * p.degree_share),
            "rnd_spend_vnd": int(revenue * p.rnd_share) // MILLION * MILLION,
            "taxes_paid_vnd": int(revenue * p.tax_share) // MILLION * MILLION,
            "capital_disbursed_cum_vnd": disbursed,
        }

    def plan_reports(
        self,
        p: Plan,
        periods: list[tuple[str, int, int]],
        revenue_scale: float,
        workers_scale: float,
        missing: set[tuple[str, int, int]],
    ) -> None:
        rng = self.rng
        season = {1: 0.9, 2: 1.0, 3: 1.0, 4: 1.1}
        quarterly: dict[tuple[int, int], dict[str, int]] = {}
        for kind, year, quarter in periods:
            end = period_end(kind, year, quarter)
            if end < p.certificate or (p.terminated is not None and end >= p.terminated):
                continue
            if kind == PeriodKind.QUARTER:
                start = D(year, quarter * 3 - 2, 1)
                revenue = self.revenue_between(p, start, end, revenue_scale) * season[quarter] * rng.uniform(0.95, 1.05)
                figures = self.figures(
                    p,
                    self.workers_on(p, end, workers_scale),
                    int(revenue) // MILLION * MILLION,
                    self.disbursed_on(p, end),
                )
                quarterly[(year, quarter)] = figures
            else:
                quarters = [quarterly[(year, q)] for q in (1, 2, 3, 4) if (year, q) in quarterly]
                if quarters:  # the yearly report adds up the quarters; stocks as at the last one
                    figures = {f: sum(q[f] for q in quarters) for f in quarters[0]}
                    for stock in ("workers_total", "workers_degree", "capital_disbursed_cum_vnd"):
                        figures[stock] = quarters[-1][stock]
                else:
                    revenue = self.revenue_between(p, D(year, 1, 1), end, revenue_scale) * rng.uniform(0.95, 1.05)
                    figures = self.figures(
                        p,
                        self.workers_on(p, end, workers_scale),
                        int(revenue) // MILLION * MILLION,
                        self.disbursed_on(p, end),
                    )
            if (kind, year, quarter) not in missing:
                p.reports.append(
                    {
                        "period_kind": kind,
                        "year": year,
                        "quarter": quarter,
                        "figures": figures,
                        "submitted_at": self.filed_on(p.code, kind, year, quarter),
                    }
                )

    @staticmethod
    def filed_on(code: str, kind: str, year: int, quarter: int) -> dt.datetime:
        """When the enterprise filed the report: most on time, about one in eight late.

        Drawn from its own generator, so the figures drawn above do not depend on it.
        """
        rng = random.Random(f"{code}/{kind}/{year}/{quarter}")
        end = period_end(kind, year, quarter)
        if rng.random() < 0.125:
            days = rng.randint(15, 40) if kind == PeriodKind.QUARTER else rng.randint(95, 130)
        else:
            days = rng.randint(2, 9) if kind == PeriodKind.QUARTER else rng.randint(20, 85)
        day = end + dt.timedelta(days=days)
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9, rng.randint(0, 59)))

    # -- everything

    def plan(self) -> list[Plan]:
        rng = self.rng
        self.plan_hhtp()
        self.plan_industrial()
        self.projects.sort(key=lambda p: (p.zone != HHTP, p.zone, p.certificate, p.key))
        seq: dict[str, int] = {}
        for p in self.projects:
            seq[p.zone] = seq.get(p.zone, 0) + 1
            p.code = f"{ZONE_DIGIT[p.zone]}{p.certificate.year}{seq[p.zone]:05d}"
            self.plan_schedule(p)
            self.plan_economics(p)
            p.objectives = (
                f"{Sector(p.sector).label}: {p.name_vi}. "
                f"Quy mô và mục tiêu theo giấy chứng nhận đăng ký đầu tư (số liệu minh họa)."
            )

        # Hoa Lac land: 40% of the land for investment projects, shared by the 109 projects
        hhtp_2023 = [p for p in self.projects if p.zone == HHTP and p.certificate <= D(2023, 12, 31)]
        assert len(hhtp_2023) == HHTP_PROJECTS_2023
        land = int(HHTP_LEASABLE_HA * 10_000 * HHTP_LAND_RATE)
        self.split(land, hhtp_2023, [p.land_weight * math.sqrt(p.capital / BN) for p in hhtp_2023], "land_m2", unit=1)
        for p in self.projects:
            if p.zone == HHTP and p.cohort == "later" and p.certificate <= HHTP_LATER[-1][0]:
                p.land_m2 = rng.randint(8, 60) * 1_000
            # the newer ones rent offices in the park's buildings: no land of their own, so the
            # land rate stays about the published 40% whatever the demo's today

        # scales so that Hoa Lac's 2023 reports add up to the published workers and revenue
        end_2023 = D(2023, 12, 31)
        raw_revenue = sum(self.revenue_between(p, D(2023, 1, 1), end_2023, 1.0) for p in hhtp_2023)
        revenue_scale = HHTP_REVENUE_2023 / raw_revenue
        idle = sum(p.staff_before_operation for p in hhtp_2023 if not p.operating_on(end_2023))
        raw_workers = sum(self.workers_on(p, end_2023, 1.0) for p in hhtp_2023 if p.operating_on(end_2023))
        workers_scale = (HHTP_WORKERS_2023 - idle) / raw_workers
        other_revenue_scale = 1.0

        periods = self.periods()
        missing = self.plan_missing(periods)
        for p in self.projects:
            hhtp = p.zone == HHTP
            r_scale = revenue_scale if hhtp else other_revenue_scale
            w_scale = workers_scale if hhtp else 1.0
            self.plan_targets(p, r_scale, w_scale)
            self.plan_reports(p, periods, r_scale, w_scale, missing.get(p.code, set()))
        self.fix_hhtp_2023(hhtp_2023)
        return self.projects

    def plan_missing(self, periods: list[tuple[str, int, int]]) -> dict[str, set[tuple[str, int, int]]]:
        """A handful of reports not filed since the start of last year: the late reports of the demo."""
        rng = self.rng
        recent = [per for per in periods if per[1] >= max(2024, self.today.year - 1)]  # never the published year
        quarters = [per for per in recent if per[0] == PeriodKind.QUARTER]
        years = [per for per in recent if per[0] == PeriodKind.YEAR]
        active = [p for p in self.projects if p.terminated is None and p.certificate < D(2024, 1, 1)]
        missing: dict[str, set[tuple[str, int, int]]] = {}
        if not quarters:
            return missing
        fpt = next((p for p in active if p.key == "fpt_soft"), None)
        chosen = rng.sample([p for p in active if p is not fpt], 9)
        if fpt is not None:
            chosen[0] = fpt  # FPT owes its last quarterly report, so the enterprise portal shows it
        for p in chosen[:7]:
            missing.setdefault(p.code, set()).add(quarters[-1])
        for p in chosen[4:7]:  # three chronic non-filers owe two quarters
            if len(quarters) > 1:
                missing[p.code].add(quarters[-2])
        for p in chosen[7:9]:
            if years:
                missing.setdefault(p.code, set()).add(years[-1])
        if len(quarters) > 3:
            missing.setdefault(chosen[1].code, set()).add(quarters[-4])
        return missing

    def fix_hhtp_2023(self, hhtp_2023: list[Plan]) -> None:
        """Make the 2023 yearly reports of Hoa Lac add up exactly to the published totals."""
        reports = []
        for p in hhtp_2023:
            report = next(r for r in p.reports if r["period_kind"] == PeriodKind.YEAR and r["year"] == 2023)
            reports.append((p, report["figures"]))
        revenue = sum(f["revenue_vnd"] for _p, f in reports)
        for _p, f in reports:  # take out the noise, then give the rounding remainder to the largest
            f["revenue_vnd"] = int(f["revenue_vnd"] * HHTP_REVENUE_2023 / revenue) // MILLION * MILLION
        for figure, total in (("workers_total", HHTP_WORKERS_2023), ("revenue_vnd", HHTP_REVENUE_2023)):
            gap = total - sum(f[figure] for _p, f in reports)
            _p, largest = max(reports, key=lambda pf: (pf[1][figure], pf[0].code))
            largest[figure] += gap
            assert largest[figure] > 0
        for p, f in reports:
            f.update(
                {
                    k: v
                    for k, v in self.figures(
                        p, f["workers_total"], f["revenue_vnd"], f["capital_disbursed_cum_vnd"]
                    ).items()
                }
            )


# --- writing --------------------------------------------------------------------------------


class _TaxCodes:
    """Valid Vietnamese tax codes (check digit verified), from a fixed sequence."""

    def __init__(self) -> None:
        self.n = 0

    def next(self, *, unused: bool = False) -> str:
        while True:
            self.n += 1
            body = f"0109{self.n:05d}"
            for check in "0123456789":
                if mst.is_valid(body + check):
                    code = body + check
                    break
            else:
                continue
            if unused and Enterprise.objects.filter(tax_code=code).exists():
                continue
            return code


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + ("" if message.endswith("\n") else "\n"))


def demo_now(today: dt.date) -> dt.datetime:
    """The moment the demo's history stops: 7:30 on `today`, before the office opens, so that the
    same `today` gives the same rows (earlier only for a build on the real today before 7:30).
    Every part of the demo (reports, petitions, conferences) stops there."""
    moment = dt.datetime.combine(today, dt.time(7, 30), timezone.get_default_timezone())
    if today == timezone.localdate():
        moment = min(moment, timezone.now())
    return moment


def build_demo(*, stdout: TextIO | None = None, today: dt.date | None = None) -> DemoResult:
    """Build the demo dataset once; on a database that has it, only (re)report the accounts."""
    import time

    started = time.monotonic()
    today = today or timezone.localdate()
    if today < D(2024, 1, 2):
        raise ValueError("The demo reproduces the 2023 figures: it needs a date in 2024 or later.")
    if today > timezone.localdate():
        # its history is filed through the services, which take no report or answer from the future
        raise ValueError("The demo is built as of today or an earlier day, not a day to come.")
    demo_mode = bool(settings.DEMO_MODE)
    with transaction.atomic():
        created = not Zone.objects.filter(code=HHTP).exists()
        if created:
            _say(stdout, _("Building the demo dataset as of %(today)s ...") % {"today": today.isoformat()})
            planner = _Planner(today)
            planner.plan()
            _write(planner, today=today, stdout=stdout)
        else:
            _say(stdout, _("The demo dataset is already there (zone %(code)s): nothing to build.") % {"code": HHTP})
        accounts = _ensure_accounts(stdout=stdout) if demo_mode else []
        if not demo_mode:
            _say(stdout, _("Demo mode is off (ZONEDESK_DEMO): no demo account was created and none can log in."))
    counts = {
        "zones": Zone.objects.count(),
        "agencies": Agency.objects.count(),
        "investors": Investor.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "projects": Project.objects.count(),
        "amendments": Amendment.objects.count(),
        "milestones": ScheduleMilestone.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "reports": PeriodicReport.objects.count(),
    }
    return DemoResult(
        created=created,
        accounts=accounts,
        counts=counts,
        demo_mode=demo_mode,
        today=today,
        seconds=round(time.monotonic() - started, 2),
    )


def _write(planner: _Planner, *, today: dt.date, stdout: TextIO | None) -> None:
    plans = planner.projects
    moment = demo_now(today)
    zones = {z["code"]: Zone.objects.create(**z) for z in ZONES}
    for a in AGENCIES:
        agency = Agency.objects.create(code=a["code"], kind=a["kind"], name_vi=a["name_vi"], name_en=a["name_en"])
        agency.zones.set([zones[c] for c in a["zones"]])
    _say(stdout, _("  %(zones)s zones, %(agencies)s agencies") % {"zones": len(zones), "agencies": len(AGENCIES)})

    tax_codes = _TaxCodes()
    investors: dict[str, Investor] = {}
    enterprises: dict[str, Enterprise] = {}
    for key, party in planner.investors.items():
        needs_code = party.nationality == "VN" and party.kind == Investor.Kind.ORGANISATION
        investors[key] = services.investor_create(
            name=party.name,
            nationality=party.nationality,
            kind=party.kind,
            tax_code=tax_codes.next() if needs_code else "",
            is_synthetic=True,
        )
    for key, party in planner.enterprises.items():
        enterprises[key] = services.enterprise_create(
            name=party.name,
            tax_code=tax_codes.next(unused=True),
            zone=zones[party.zone],
            investors=[investors[k] for k in party.investors],
            address=party.address,
            is_synthetic=True,
        )

    reports = 0
    for p in plans:
        equity = int(p.capital * p.equity_share) // MILLION * MILLION  # the investors' own capital
        main_share = equity if len(p.investors) == 1 else equity * 4 // 5
        shares = [(investors[p.investors[0]], main_share)]
        if len(p.investors) > 1:
            shares.append((investors[p.investors[1]], equity - main_share))
        project = services.project_register(
            code=p.code,
            name_vi=p.name_vi,
            name_en=p.name_en,
            enterprise=enterprises[p.enterprise],
            zone=zones[p.zone],
            sector=p.sector,
            shares=shares,
            registered_capital_vnd=p.capital,
            registered_capital_usd=p.usd,
            land_area_m2=p.land_m2,
            objectives=p.objectives,
            term_years=50 if p.zone == HHTP else 45,
            certificate_date=p.certificate,
            milestones=[{"kind": m["kind"], "title": m["title"], "planned_date": m["planned"]} for m in p.milestones],
            is_synthetic=True,
            today=today,
            **p.targets,
        )
        for date, summary, change in p.amendments:
            services.project_amend(project=project, date=date, summary=summary, capital_change_vnd=change)
        milestones = {m.kind: m for m in project.milestones.all()}
        for m in sorted((m for m in p.milestones if m["actual"] is not None), key=lambda m: m["actual"]):
            services.milestone_record(milestone=milestones[m["kind"]], actual_date=m["actual"], today=today)
            if m["kind"] in STATUS_OF_STAGE:
                status, reason = STATUS_OF_STAGE[m["kind"]]
                services.project_change_status(
                    project=project, to_status=status, reason=reason, effective_date=m["actual"]
                )
        for r in p.reports:
            if r["submitted_at"] >= moment:
                if r["year"] > 2023:
                    continue  # not filed yet on the demo's today (late if its due date has passed)
                r = r | {"submitted_at": moment}  # the published year's reports are always there
            services.report_submit(project=project, today=today, **r)
            reports += 1
        if p.terminated is not None and p.terminated < today:
            services.project_change_status(
                project=project,
                to_status=ProjectStatus.TERMINATED,
                effective_date=p.terminated,
                reason="Chấm dứt hoạt động dự án: nhà đầu tư không triển khai sau khi được gia hạn tiến độ "
                "(Luật Đầu tư, điều về chấm dứt hoạt động dự án)",
            )
    _say(
        stdout,
        _("  %(investors)s investors, %(enterprises)s enterprises, %(projects)s projects, %(reports)s periodic reports")
        % {
            "investors": len(investors),
            "enterprises": len(enterprises),
            "projects": len(plans),
            "reports": reports,
        },
    )


def _ensure_accounts(*, stdout: TextIO | None) -> list[tuple[str, str, str, str]]:
    """One demo account per role (plus a second enterprise), created if missing; never changed."""
    agency = Agency.objects.filter(kind=Agency.Kind.TAX).order_by("code").first()
    fpt = Enterprise.objects.filter(zone__code=HHTP, name=ACCOUNT_ENTERPRISES["fpt"]).first()
    hanwha = Enterprise.objects.filter(zone__code=HHTP, name=ACCOUNT_ENTERPRISES["hanwha"]).first()
    commune = Agency.objects.filter(code="UBND-HOALAC").first()
    links = {
        "thue": {"agency": agency},
        "xahoalac": {"agency": commune},
        "fpt": {"enterprise": fpt},
        "hanwha": {"enterprise": hanwha},
    }
    accounts = []
    hashed = None
    for username, role, first_name, last_name in DEMO_ACCOUNTS:
        link = links.get(username, {})
        if any(v is None for v in link.values()):
            continue  # the registry has no such enterprise or agency (not a demo database)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                first_name=first_name,
                last_name=last_name,
                is_demo=True,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
                **link,
            )
            if hashed is None:
                user.set_password(DEMO_PASSWORD)  # demo only: the password validators are skipped on purpose
                hashed = user.password
            else:
                user.password = hashed  # the same password: hash it once (a hash takes a third of a second)
            user.save()
            _say(stdout, _("  demo account created: %(username)s") % {"username": username})
        if user.is_demo:
            if user.role in twofactor.REQUIRED_ROLES:
                twofactor.demo_enrol(user=user)  # the code page shows its code in demo mode
            accounts.append((username, DEMO_PASSWORD, user.role, _account_description(username)))
    return accounts


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """The demo accounts that exist, as `build_demo` reports them (none outside demo mode)."""
    if not settings.DEMO_MODE:
        return []
    known = {username for username, *_rest in DEMO_ACCOUNTS}
    users = User.objects.filter(is_demo=True, username__in=known)
    order = [username for username, *_rest in DEMO_ACCOUNTS]
    return [
        (u.username, DEMO_PASSWORD, u.role, _account_description(u.username))
        for u in sorted(users, key=lambda u: order.index(u.username))
    ]


def format_accounts(accounts: list[tuple[str, str, str, str]]) -> str:
    """The accounts as a plain-text table: username / password / role / what it shows."""
    header = (
        pgettext("demo accounts table", "username"),
        pgettext("demo accounts table", "password"),
        pgettext("demo accounts table", "role"),
        pgettext("demo accounts table", "what it shows"),
    )
    rows = [header] + [(u, pw, str(Role(role).label), what) for u, pw, role, what in accounts]
    widths = [max(len(str(r[i])) for r in rows) for i in range(3)]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(str(row[c]).ljust(widths[c]) for c in range(3)) + "  " + str(row[3]))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(str(row[3])))
    return "\n".join(lines)


def demo_fingerprint() -> str:
    """A digest of the demo's registry rows, to check that two builds are the same."""
    h = hashlib.sha256()
    for row in Project.objects.order_by("code").values_list(
        "code",
        "name_vi",
        "zone__code",
        "enterprise__tax_code",
        "sector",
        "is_foreign_invested",
        "initial_capital_vnd",
        "registered_capital_vnd",
        "registered_capital_usd",
        "land_area_m2",
        "certificate_date",
        "status",
        "target_workers",
        "target_revenue_vnd",
    ):
        h.update(repr(row).encode())
    for row in ScheduleMilestone.objects.order_by("project__code", "kind").values_list(
        "project__code", "kind", "planned_date", "actual_date"
    ):
        h.update(repr(row).encode())
    for row in Amendment.objects.order_by("project__code", "number").values_list(
        "project__code", "number", "date", "capital_change_vnd"
    ):
        h.update(repr(row).encode())
    for row in PeriodicReport.objects.order_by(
        "project__code", "period_kind", "year", "quarter", "version"
    ).values_list(
        "project__code", "period_kind", "year", "quarter", "revenue_vnd", "workers_total", "capital_disbursed_cum_vnd"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()

"""The investor's side of the demo (issue 26): the incentives in force (summaries of public law,
marked indicative where the demo is not sure), a profile and contacts for each demo zone, the
commercial terms of a dozen vacant plots (some published, some kept by the board), and the English
of the main texts the board wrote in Vietnamese.

Public facts: the incentives' legal basis (the Law on Corporate Income Tax and Decree 218/2013/NĐ-CP
for the tax rates and holidays; the Law on Import and Export Duties 2016 for fixed assets; the land
rent rules of the Land Law 2024 and its decree on land levy and land rent), the regional minimum
wage of Decree 293/2025/NĐ-CP (region I from 1 January 2026) and the distances, rounded. Synthetic
(labelled so): the utilities' capacities and tariffs, the contacts' phones and e-mails (example
addresses), the plots' prices and dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zonedesk.core.models import Zone
from zonedesk.investment import services as investment
from zonedesk.investment.models import BoardContact, Incentive, Project, Sector, ZoneProfile
from zonedesk.planning import selectors
from zonedesk.planning.models import ParcelTerms, PriceBasis
from zonedesk.planning.services_terms import parcel_terms_save

HHTP = "HHTP"
SYNTHETIC = " [số liệu minh họa]"
SYNTHETIC_EN = " [illustrative figures]"

INCENTIVES = [
    {
        "category": Incentive.Category.CIT,
        "applies_to": Incentive.AppliesTo.HITECH,
        "title_vi": "Thuế suất thuế thu nhập doanh nghiệp 10% trong 15 năm",
        "title_en": "Corporate income tax at 10% for 15 years",
        "benefit_vi": "Thuế suất 10% trong 15 năm đối với thu nhập từ dự án đầu tư mới trong khu công nghệ cao "
        "hoặc dự án công nghệ cao; miễn thuế 4 năm và giảm 50% số thuế phải nộp trong 9 năm tiếp theo.",
        "benefit_en": "A 10% rate for 15 years on the income of a new investment project in a hi-tech park or "
        "a hi-tech project; exempt for 4 years, then 50% off the tax due for the next 9 years.",
        "conditions_vi": "Dự án đầu tư mới trong khu công nghệ cao, hoặc doanh nghiệp công nghệ cao, dự án "
        "ứng dụng công nghệ cao được chứng nhận. Thời gian miễn thuế tính từ năm đầu tiên có thu nhập chịu thuế.",
        "conditions_en": "A new investment project in a hi-tech park, or a certified hi-tech enterprise or "
        "hi-tech application project. The holiday runs from the first year with taxable income.",
        "legal_basis_vi": "Luật Thuế thu nhập doanh nghiệp (Luật số 14/2008/QH12, sửa đổi, bổ sung) và văn bản "
        "thay thế; Nghị định 218/2013/NĐ-CP.",
        "legal_basis_en": "Law on Corporate Income Tax (Law 14/2008/QH12, as amended) and the texts replacing "
        "it; Decree 218/2013/ND-CP.",
        "effective_from": dt.date(2014, 1, 1),
        "indicative": True,
        "order": 1,
    },
    {
        "category": Incentive.Category.CIT,
        "applies_to": Incentive.AppliesTo.INDUSTRIAL,
        "title_vi": "Miễn thuế thu nhập doanh nghiệp 2 năm, giảm 50% trong 4 năm tiếp theo",
        "title_en": "Corporate income tax: 2 years exempt, then 50% off for 4 years",
        "benefit_vi": "Miễn thuế 2 năm và giảm 50% số thuế phải nộp trong 4 năm tiếp theo đối với thu nhập từ "
        "dự án đầu tư mới trong khu công nghiệp.",
        "benefit_en": "Exempt for 2 years, then 50% off the tax due for the next 4 years, on the income of a new "
        "investment project in an industrial zone.",
        "conditions_vi": "Trừ khu công nghiệp nằm trên địa bàn có điều kiện kinh tế - xã hội thuận lợi theo quy "
        "định; cần đối chiếu với danh mục địa bàn hiện hành.",
        "legal_basis_vi": "Luật Thuế thu nhập doanh nghiệp; Nghị định 218/2013/NĐ-CP.",
        "legal_basis_en": "Law on Corporate Income Tax; Decree 218/2013/ND-CP.",
        "effective_from": dt.date(2014, 1, 1),
        "indicative": True,
        "order": 2,
    },
    {
        "category": Incentive.Category.LAND,
        "applies_to": Incentive.AppliesTo.ALL,
        "title_vi": "Miễn tiền thuê đất trong thời gian xây dựng cơ bản",
        "title_en": "No land rent while the project is built",
        "benefit_vi": "Miễn tiền thuê đất trong thời gian xây dựng cơ bản theo dự án được phê duyệt, tối đa 3 năm "
        "kể từ ngày có quyết định cho thuê đất.",
        "benefit_en": "No land rent during construction under the approved project, for up to 3 years from the "
        "land lease decision.",
        "legal_basis_vi": "Luật Đất đai 2024; Nghị định của Chính phủ quy định về tiền sử dụng đất, tiền thuê đất.",
        "legal_basis_en": "Land Law 2024; the Government's decree on land levy and land rent.",
        "effective_from": dt.date(2024, 8, 1),
        "indicative": True,
        "order": 3,
    },
    {
        "category": Incentive.Category.LAND,
        "applies_to": Incentive.AppliesTo.HITECH,
        "title_vi": "Miễn, giảm tiền thuê đất cho dự án trong khu công nghệ cao",
        "benefit_vi": "Dự án thuộc lĩnh vực đặc biệt ưu đãi đầu tư hoặc trong khu công nghệ cao được miễn, giảm "
        "tiền thuê đất sau thời gian xây dựng cơ bản theo lĩnh vực và địa bàn.",
        "legal_basis_vi": "Luật Đất đai 2024; Luật Công nghệ cao; Nghị định của Chính phủ quy định về tiền sử dụng "
        "đất, tiền thuê đất.",
        "effective_from": dt.date(2024, 8, 1),
        "indicative": True,
        "order": 4,
    },
    {
        "category": Incentive.Category.IMPORT,
        "applies_to": Incentive.AppliesTo.ALL,
        "title_vi": "Miễn thuế nhập khẩu hàng hóa tạo tài sản cố định",
        "title_en": "No import duty on goods that make the project's fixed assets",
        "benefit_vi": "Miễn thuế nhập khẩu đối với máy móc, thiết bị, phương tiện vận tải chuyên dùng và vật tư "
        "xây dựng trong nước chưa sản xuất được, nhập khẩu để tạo tài sản cố định của dự án.",
        "benefit_en": "No import duty on machinery, equipment, special-purpose vehicles and construction "
        "materials not made in Vietnam, imported to make the project's fixed assets.",
        "conditions_vi": "Dự án thuộc danh mục ngành, nghề ưu đãi đầu tư hoặc địa bàn ưu đãi đầu tư; đăng ký "
        "danh mục hàng hóa miễn thuế với cơ quan hải quan.",
        "conditions_en": "A project in a sector or area entitled to investment incentives; the list of "
        "duty-free goods is registered with customs.",
        "legal_basis_vi": "Luật Thuế xuất khẩu, thuế nhập khẩu 2016 (Luật số 107/2016/QH13), Điều 16; Nghị định "
        "134/2016/NĐ-CP (sửa đổi, bổ sung).",
        "legal_basis_en": "Law on Export and Import Duties 2016 (Law 107/2016/QH13), Article 16; Decree "
        "134/2016/ND-CP (as amended).",
        "effective_from": dt.date(2016, 9, 1),
        "order": 5,
    },
    {
        "category": Incentive.Category.OTHER,
        "applies_to": Incentive.AppliesTo.HITECH,
        "title_vi": "Thủ tục một cửa tại Ban quản lý",
        "title_en": "One-stop procedures at the board",
        "benefit_vi": "Ban quản lý cấp, điều chỉnh Giấy chứng nhận đăng ký đầu tư và giải quyết các thủ tục về "
        "lao động, xây dựng, môi trường của dự án trong khu tại bộ phận một cửa.",
        "benefit_en": "The board issues and amends the investment registration certificate and handles the "
        "project's labour, construction and environmental procedures at its one-stop desk.",
        "legal_basis_vi": "Luật Đầu tư 2020 (Luật số 61/2020/QH14); Nghị định 35/2022/NĐ-CP về khu công nghiệp "
        "và khu kinh tế.",
        "legal_basis_en": "Law on Investment 2020 (Law 61/2020/QH14); Decree 35/2022/ND-CP on industrial zones "
        "and economic zones.",
        "effective_from": dt.date(2022, 7, 15),
        "order": 6,
    },
]

WAGE = {"wage_region": "I", "min_wage_vnd": 5_310_000, "min_wage_from": dt.date(2026, 1, 1)}

PROFILES = {
    HHTP: {
        "summary_vi": "Khu công nghệ cao quốc gia cách trung tâm Hà Nội khoảng 30 km theo Đại lộ Thăng Long, "
        "bên cạnh Đại học Quốc gia Hà Nội và Trung tâm Đổi mới sáng tạo Quốc gia.",
        "summary_en": "A national hi-tech park about 30 km from central Hanoi along Thang Long Avenue, next to "
        "Vietnam National University, Hanoi and the National Innovation Center.",
        "km_noi_bai": Decimal(45),
        "km_hai_phong": Decimal(150),
        "km_hanoi": Decimal(30),
        "power_vi": "Hai trạm biến áp 110/22 kV; giá điện theo biểu giá bán lẻ điện cho sản xuất của EVN." + SYNTHETIC,
        "power_en": "Two 110/22 kV substations; power at EVN's retail tariff for manufacturing." + SYNTHETIC_EN,
        "water_vi": "Nhà máy nước sông Đà, công suất dành cho khu khoảng 20.000 m³/ngày; giá nước theo quyết "
        "định của UBND thành phố Hà Nội." + SYNTHETIC,
        "water_en": "Da River water plant, about 20,000 m³/day for the park; water at the tariff set by the "
        "Hanoi People's Committee." + SYNTHETIC_EN,
        "wastewater_vi": "Nhà máy xử lý nước thải tập trung, công suất 12.000 m³/ngày." + SYNTHETIC,
        "wastewater_en": "Central wastewater treatment plant, 12,000 m³/day." + SYNTHETIC_EN,
        "labour_vi": "Hơn 80 trường đại học và cao đẳng tại Hà Nội; Đại học Quốc gia Hà Nội và Đại học FPT ngay "
        "trong khu.",
        "labour_en": "More than 80 universities and colleges in Hanoi; Vietnam National University, Hanoi and FPT "
        "University inside the park.",
    },
    "KCNTL": {
        "summary_vi": "Khu công nghiệp tại Đông Anh, gần sân bay Nội Bài và cầu Thăng Long.",
        "summary_en": "An industrial park in Dong Anh, near Noi Bai airport and Thang Long bridge.",
        "km_noi_bai": Decimal(16),
        "km_hai_phong": Decimal(120),
        "km_hanoi": Decimal(16),
        "power_vi": "Trạm biến áp 110/22 kV trong khu." + SYNTHETIC,
        "power_en": "A 110/22 kV substation in the park." + SYNTHETIC_EN,
        "water_vi": "Cấp nước 10.000 m³/ngày." + SYNTHETIC,
        "wastewater_vi": "Xử lý nước thải 6.000 m³/ngày." + SYNTHETIC,
        "labour_vi": "Lao động phổ thông và kỹ thuật từ Đông Anh, Mê Linh và các tỉnh lân cận.",
    },
    "KCNNB": {
        "summary_vi": "Khu công nghiệp tại Sóc Sơn, sát sân bay quốc tế Nội Bài.",
        "summary_en": "An industrial park in Soc Son, beside Noi Bai international airport.",
        "km_noi_bai": Decimal(5),
        "km_hai_phong": Decimal(130),
        "km_hanoi": Decimal(30),
        "power_vi": "Trạm biến áp 110/22 kV." + SYNTHETIC,
        "water_vi": "Cấp nước 5.000 m³/ngày." + SYNTHETIC,
        "wastewater_vi": "Xử lý nước thải 3.000 m³/ngày." + SYNTHETIC,
        "labour_vi": "Lao động từ Sóc Sơn và các tỉnh Thái Nguyên, Vĩnh Phúc.",
    },
    "KCNSDB": {
        "summary_vi": "Khu công nghiệp tại Long Biên, trong nội đô Hà Nội.",
        "summary_en": "An industrial park in Long Bien, within the city of Hanoi.",
        "km_noi_bai": Decimal(25),
        "km_hai_phong": Decimal(100),
        "km_hanoi": Decimal(8),
        "power_vi": "Trạm biến áp 110/22 kV." + SYNTHETIC,
        "water_vi": "Cấp nước 4.000 m³/ngày." + SYNTHETIC,
        "wastewater_vi": "Xử lý nước thải 2.500 m³/ngày." + SYNTHETIC,
        "labour_vi": "Lao động kỹ thuật trong nội đô và Gia Lâm.",
    },
}

HOURS_VI = "Thứ Hai – Thứ Sáu, 8:00–12:00 và 13:30–17:00 (trừ ngày lễ)"
HOURS_EN = "Monday – Friday, 8:00–12:00 and 13:30–17:00 (except public holidays)"
CONTACTS = [
    {
        "zone": None,
        "name_vi": "Phòng Xúc tiến đầu tư, Ban Quản lý các Khu công nghệ cao và Khu công nghiệp TP Hà Nội",
        "name_en": "Investment Promotion Division, Hanoi Management Board of High-Tech Parks and Industrial Zones",
        "address_vi": "Km 29 Đại lộ Thăng Long, Khu Công nghệ cao Hòa Lạc, Hà Nội",
        "address_en": "Km 29 Thang Long Avenue, Hoa Lac Hi-Tech Park, Hanoi",
        "phone": "024 0000 0100",
        "email": "xuctiendautu@example.vn",
        "order": 0,
    },
    {
        "zone": HHTP,
        "name_vi": "Bộ phận một cửa tại Hòa Lạc",
        "name_en": "One-stop desk at Hoa Lac",
        "address_vi": "Tòa nhà điều hành, Khu Công nghệ cao Hòa Lạc, Hà Nội",
        "address_en": "Administration building, Hoa Lac Hi-Tech Park, Hanoi",
        "phone": "024 0000 0101",
        "email": "motcua.hoalac@example.vn",
        "order": 1,
    },
    {
        "zone": "KCNTL",
        "name_vi": "Văn phòng đại diện tại các khu công nghiệp",
        "name_en": "Office at the industrial zones",
        "address_vi": "Khu công nghiệp Thăng Long, Đông Anh, Hà Nội",
        "phone": "024 0000 0102",
        "email": "kcn@example.vn",
        "order": 2,
    },
]

TERMS_PLOTS = 12  # vacant plots with terms: the largest of each zone
PUBLIC_SHARE = 8  # of them published
RATE_VND = 26_300  # VND per USD, a week before today [illustrative]


def _terms(today: dt.date, board) -> int:
    """Terms for the largest vacant plots (8 at Hoa Lac, the others' largest), most published:
    Hoa Lac's per year, the industrial zones' for the whole term (their common practice)."""
    chosen = []
    for zone in Zone.objects.order_by("code"):
        vacant = list(selectors.vacant_parcels(zone=zone)[: 8 if zone.code == HHTP else 2])
        chosen.extend(vacant)
    written = 0
    for i, parcel in enumerate(chosen[:TERMS_PLOTS]):
        if ParcelTerms.objects.filter(zone=parcel.zone, parcel_code=parcel.code).exists():
            continue
        hitech = parcel.zone.code == HHTP
        parcel_terms_save(
            zone=parcel.zone,
            code=parcel.code,
            by=board,
            price_vnd_m2=(95_000 + 5_000 * (i % 4)) if hitech else (3_900_000 + 250_000 * (i % 3)),
            price_basis=PriceBasis.YEAR if hitech else PriceBasis.TERM,
            usd_rate_vnd=RATE_VND,
            rate_date=today - dt.timedelta(days=7),
            term_years=50 if hitech else None,
            term_until=None if hitech else dt.date(2058, 12, 31),
            handover_date=today + dt.timedelta(days=60 + 30 * (i % 6)),
            public=i % 3 != 2,  # two in three published; the others the board still negotiates
        )
        written += 1
    return written


def _english_texts() -> int:
    """The English of the registry's main texts: the objectives of every project with an English
    name, and the titles of their milestones."""
    titles = {
        "capital": "Charter capital fully contributed",
        "land": "Land handed over",
        "construction": "Construction started",
        "operation": "Project in operation",
    }
    done = 0
    for project in Project.objects.exclude(name_en="").filter(objectives_en="").order_by("code"):
        with translation.override("en"):
            sector = str(Sector(project.sector).label)
        investment.project_english(
            project=project,
            objectives_en=f"{sector}: {project.name_en}. Scale and objectives as in the investment registration "
            "certificate (illustrative figures).",
            milestone_titles_en=titles,
        )
        done += 1
    return done


def build_investor_site_demo(*, today: dt.date | None = None, stdout: TextIO | None = None) -> int:
    """Incentives, profiles, contacts, plots' terms and English texts (once: nothing when the
    incentives exist)."""
    from zonedesk_demo.planning import _board

    today = today or timezone.localdate()
    if Incentive.objects.exists():
        return 0
    zones = {z.code: z for z in Zone.objects.all()}
    with transaction.atomic():
        Incentive.objects.bulk_create([Incentive(**row) for row in INCENTIVES])
        for code, values in PROFILES.items():
            if code in zones:
                ZoneProfile.objects.create(zone=zones[code], **values, **WAGE)
        for row in CONTACTS:
            zone = zones.get(row["zone"]) if row["zone"] else None
            if row["zone"] and zone is None:
                continue
            BoardContact.objects.create(**{**row, "zone": zone}, hours_vi=HOURS_VI, hours_en=HOURS_EN)
        plots = _terms(today, _board())
        texts = _english_texts()
    if stdout is not None:
        stdout.write(
            _("  investor site: %(i)s incentives, %(p)s plots with terms, %(t)s projects in English")
            % {"i": len(INCENTIVES), "p": plots, "t": texts}
            + "\n"
        )
    return plots

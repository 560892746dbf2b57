"""Reference data of the scorecard: the seven conditions of an innovation ecosystem (DESIGN.md,
the board's brief) and their indicators, 2 to 3 each, measurable.

Starting points (FACTS.md): the Global Innovation Index (researchers, business R&D spending,
university-industry collaboration, venture capital deals), AUTM-style technology-transfer counts
(licences, start-ups formed), the World Bank/UNIDO eco-industrial park framework for
infrastructure, and counts of sandbox pilots and travel times that no standard defines.

An indicator with `computed` comes from the registry of actors (and, for two, the periodic
reports): its value is counted, never typed in. The others are measured and recorded with their
source. `ensure_reference` (after every `migrate` and after a test database is flushed) writes
the defaults only when there are no conditions at all, so that an admin's changes are kept.
"""

from __future__ import annotations

CONDITIONS = [
    # number, Vietnamese, English, short Vietnamese, short English (for the axes of a chart)
    (
        1,
        "Trường đại học và viện nghiên cứu hàng đầu",
        "Leading universities and research institutes",
        "Đại học, viện nghiên cứu",
        "Universities, institutes",
    ),
    (
        2,
        "Trung tâm R&D của các tập đoàn trong nước và nước ngoài",
        "R&D centres of domestic and foreign corporations",
        "Trung tâm R&D",
        "R&D centres",
    ),
    (
        3,
        "Tổ chức trung gian thương mại hóa công nghệ và ươm tạo khởi nghiệp",
        "Intermediaries for technology commercialisation and start-up incubation",
        "Ươm tạo, chuyển giao",
        "Incubation, transfer",
    ),
    (
        4,
        "Quỹ đầu tư công, tư nhân và mạo hiểm, trong nước và nước ngoài",
        "Public, private and venture funds, domestic and foreign",
        "Quỹ đầu tư",
        "Funds",
    ),
    (
        5,
        "Hành lang pháp lý đặc thù cho thử nghiệm có kiểm soát",
        "A specific legal corridor for controlled sandboxes",
        "Thử nghiệm có kiểm soát",
        "Sandboxes",
    ),
    (6, "Hạ tầng hiện đại, bền vững", "Modern, sustainable infrastructure", "Hạ tầng", "Infrastructure"),
    (7, "Kết nối giao thông thuận tiện", "Convenient transport connections", "Giao thông", "Transport"),
]

INDICATORS = [
    # condition, code, Vietnamese, English, unit (vi), unit (en), direction, computed from
    (
        1,
        "U1",
        "Trường đại học và viện nghiên cứu",
        "Universities and research institutes",
        "cơ sở",
        "institutions",
        "higher",
        "universities",
    ),
    (
        1,
        "U2",
        "Nhà nghiên cứu trên 1.000 lao động",
        "Researchers per 1,000 workers",
        "người",
        "people",
        "higher",
        "researchers_per_1000",
    ),
    (
        1,
        "U3",
        "Dự án hợp tác nghiên cứu trường – doanh nghiệp",
        "University–industry research projects",
        "dự án",
        "projects",
        "higher",
        "",
    ),
    (
        2,
        "R1",
        "Trung tâm R&D của doanh nghiệp",
        "Corporate R&D centres",
        "trung tâm",
        "centres",
        "higher",
        "rd_centres",
    ),
    (
        2,
        "R2",
        "Trung tâm R&D của tập đoàn nước ngoài",
        "R&D centres of foreign corporations",
        "trung tâm",
        "centres",
        "higher",
        "rd_centres_foreign",
    ),
    (
        2,
        "R3",
        "Chi cho R&D trên doanh thu của doanh nghiệp",
        "Business R&D spending as a share of revenue",
        "%",
        "%",
        "higher",
        "business_rd_pct",
    ),
    (
        3,
        "I1",
        "Vườn ươm, tổ chức thúc đẩy và văn phòng chuyển giao công nghệ",
        "Incubators, accelerators and technology-transfer offices",
        "tổ chức",
        "organisations",
        "higher",
        "intermediaries",
    ),
    (
        3,
        "I2",
        "Doanh nghiệp khởi nghiệp được ươm tạo trong năm",
        "Start-ups incubated in the year",
        "doanh nghiệp",
        "start-ups",
        "higher",
        "",
    ),
    (
        3,
        "I3",
        "Hợp đồng chuyển giao công nghệ trong năm",
        "Technology-transfer contracts in the year",
        "hợp đồng",
        "contracts",
        "higher",
        "",
    ),
    (4, "F1", "Quỹ đầu tư đang hoạt động", "Funds active", "quỹ", "funds", "higher", "funds"),
    (
        4,
        "F2",
        "Vốn cam kết của các quỹ",
        "Capital committed by the funds",
        "tỷ đồng",
        "billion VND",
        "higher",
        "fund_capital_bn",
    ),
    (
        4,
        "F3",
        "Thương vụ đầu tư mạo hiểm trong năm",
        "Venture capital deals in the year",
        "thương vụ",
        "deals",
        "higher",
        "",
    ),
    (
        5,
        "S1",
        "Thử nghiệm có kiểm soát đang thực hiện",
        "Sandbox pilots approved and running",
        "thử nghiệm",
        "pilots",
        "higher",
        "sandboxes_running",
    ),
    (
        5,
        "S2",
        "Văn bản pháp lý cho cơ chế thử nghiệm đã ban hành",
        "Legal documents for sandboxes issued",
        "văn bản",
        "documents",
        "higher",
        "",
    ),
    (
        6,
        "H1",
        "Tỷ lệ hạ tầng theo quy hoạch đã xây dựng",
        "Share of the planned infrastructure built",
        "%",
        "%",
        "higher",
        "infrastructure_built_pct",
    ),
    (
        6,
        "H2",
        "Tỷ lệ nước thải được xử lý đạt chuẩn",
        "Share of wastewater treated to standard",
        "%",
        "%",
        "higher",
        "",
    ),
    (6, "H3", "Tỷ lệ điện từ năng lượng tái tạo", "Share of power from renewable sources", "%", "%", "higher", ""),
    (
        7,
        "T1",
        "Tuyến giao thông kết nối đang khai thác",
        "Transport links in service",
        "tuyến",
        "links",
        "higher",
        "transport_links",
    ),
    (
        7,
        "T2",
        "Thời gian đi vào trung tâm thành phố bằng giao thông công cộng",
        "Travel time to the city centre by public transport",
        "phút",
        "minutes",
        "lower",
        "",
    ),
    (
        7,
        "T3",
        "Thời gian đi vào trung tâm thành phố bằng đường cao tốc",
        "Travel time to the city centre by expressway",
        "phút",
        "minutes",
        "lower",
        "",
    ),
]


def write_reference(Condition, Indicator) -> None:
    conditions = {}
    for number, vi, en, short_vi, short_en in CONDITIONS:
        conditions[number], _created = Condition.objects.update_or_create(
            number=number, defaults={"name_vi": vi, "name_en": en, "short_vi": short_vi, "short_en": short_en}
        )
    for position, (number, code, vi, en, unit_vi, unit_en, direction, computed) in enumerate(INDICATORS, 1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "condition": conditions[number],
                "name_vi": vi,
                "name_en": en,
                "unit_vi": unit_vi,
                "unit_en": unit_en,
                "direction": direction,
                "computed": computed,
                "position": position,
            },
        )


def ensure_reference(sender=None, using="default", **kwargs) -> None:
    """post_migrate: the defaults, when there are no conditions at all."""
    from django.db import connections

    from zonedesk.ecosystem.models import Condition, Indicator

    if "ecosystem_condition" not in connections[using].introspection.table_names():
        return
    if not Condition.objects.using(using).exists():
        write_reference(Condition, Indicator)

"""The one-stop desk of the Hoa Lac demo: the board's units, the catalogue of procedures with their
versions (the time limits of ../shared/FACTS.md, each marked where the sources are uncertain),
and a year of dossiers ending today, every one taken through the services step by step.

Public facts: the procedures, their legal basis and time limits (FACTS.md, "Investment procedures
at the board's one-stop desk"). Synthetic (labelled so): every dossier, its dates, supplements,
apologies and ratings. FPT's capital increase is returned a few days before today and amends its
project; most other returned dossiers are work permits and hi-tech confirmations, which do not
change the registry, so the registry's demo figures stay those of the registry's demo.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.cases.notifications import muted
from zonedesk.core.calendar import add_working_hours, is_working_day
from zonedesk.core.models import Role, User
from zonedesk.investment.models import VIETNAM, Enterprise, Project
from zonedesk.procedures import services
from zonedesk.procedures.models import Dossier, Procedure, RegistryEffect, ResultKind, TimeKind, Unit

HHTP = "HHTP"
DESK, DIVISION, HEAD, LEADER = "desk", "division", "head", "leader"

UNITS = [
    ("MC", Unit.Kind.DESK, "Bộ phận Tiếp nhận và Trả kết quả (Một cửa)", "One-stop desk", ["motcua", "bql"], []),
    (
        "QLDT",
        Unit.Kind.DIVISION,
        "Phòng Quản lý Đầu tư",
        "Investment Management Division",
        ["chuyenvien"],
        ["truongphong"],
    ),
    (
        "QLLD",
        Unit.Kind.DIVISION,
        "Phòng Quản lý Lao động",
        "Labour Management Division",
        ["chuyenvien"],
        ["truongphong"],
    ),
    (
        "KHCN",
        Unit.Kind.DIVISION,
        "Phòng Khoa học và Công nghệ",
        "Science and Technology Division",
        ["chuyenvien"],
        ["truongphong"],
    ),
    ("LDB", Unit.Kind.LEADERSHIP, "Lãnh đạo Ban", "Board leadership", [], ["lanhdao"]),
]

_APPLICATION = {
    "name_vi": "Văn bản đề nghị (theo mẫu)",
    "name_en": "Application (on the form)",
    "file_types": "pdf,docx",
}
_LEGAL = {
    "name_vi": "Bản sao giấy tờ pháp lý của nhà đầu tư",
    "name_en": "Copy of the investor's legal documents",
    "file_types": "pdf",
}
_FINANCE = {
    "name_vi": "Báo cáo tài chính 2 năm gần nhất hoặc cam kết hỗ trợ tài chính",
    "name_en": "Financial statements of the last 2 years or a commitment of financial support",
    "file_types": "pdf,xlsx",
}
_PROPOSAL = {
    "name_vi": "Đề xuất dự án đầu tư",
    "name_en": "Investment project proposal",
    "file_types": "pdf,docx",
}
_STATUS_REPORT = {
    "name_vi": "Báo cáo tình hình triển khai dự án đến thời điểm đề nghị",
    "name_en": "Report on the project's implementation to date",
    "file_types": "pdf,docx",
}
_INVESTOR_DECISION = {
    "name_vi": "Quyết định của nhà đầu tư về việc điều chỉnh dự án",
    "name_en": "The investor's decision on the adjustment",
    "file_types": "pdf",
}

# code, name vi/en, field vi/en, result, registry effect, versions:
# (effective from, legal basis, time, kind, uncertain, steps as (kind, unit, share), parts, form, fee, fee note)
CATALOGUE: list[dict[str, Any]] = [
    {
        "code": "DT-01",
        "name_vi": "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư",
        "name_en": "Investment registration certificate for a project that needs no investment-policy approval",
        "field": ("Đầu tư", "Investment"),
        "result": ResultKind.CERTIFICATE,
        "effect": RegistryEffect.NEW_PROJECT,
        "versions": [
            (
                dt.date(2021, 1, 1),
                "Luật Đầu tư số 61/2020/QH14, Điều 38",
                15,
                TimeKind.WORKING_DAYS,
                True,
                [(DESK, "MC", 0), (DIVISION, "QLDT", 10), (HEAD, "QLDT", 2), (LEADER, "LDB", 3)],
            ),
            (
                dt.date(2025, 9, 3),
                "Luật Đầu tư số 61/2020/QH14, Điều 38, sửa đổi theo Nghị định 239/2025/NĐ-CP (ngày làm việc hay ngày: chưa rõ)",
                10,
                TimeKind.WORKING_DAYS,
                True,
                [(DESK, "MC", 0), (DIVISION, "QLDT", 6), (HEAD, "QLDT", 2), (LEADER, "LDB", 2)],
            ),
        ],
        "parts": [_APPLICATION, _LEGAL, _PROPOSAL, _FINANCE],
        "form": [
            "project_name",
            "sector",
            "registered_capital_vnd",
            "registered_capital_usd",
            "objectives",
            "land_area_m2",
            "term_years",
        ],
    },
    {
        "code": "DT-02",
        "name_vi": "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án đã được chấp thuận chủ trương đầu tư",
        "name_en": "Investment registration certificate for a project with an investment-policy approval",
        "field": ("Đầu tư", "Investment"),
        "result": ResultKind.CERTIFICATE,
        "effect": RegistryEffect.NEW_PROJECT,
        "versions": [
            (
                dt.date(2021, 1, 1),
                "Luật Đầu tư số 61/2020/QH14, Điều 37, 38",
                5,
                TimeKind.WORKING_DAYS,
                False,
                [(DESK, "MC", 0), (DIVISION, "QLDT", 3), (HEAD, "QLDT", 1), (LEADER, "LDB", 1)],
            ),
        ],
        "parts": [
            _APPLICATION,
            {
                "name_vi": "Văn bản chấp thuận chủ trương đầu tư",
                "name_en": "The investment-policy approval",
                "file_types": "pdf",
            },
        ],
        "form": [
            "project_name",
            "sector",
            "registered_capital_vnd",
            "registered_capital_usd",
            "objectives",
            "land_area_m2",
            "term_years",
        ],
    },
    {
        "code": "DT-03",
        "name_vi": "Điều chỉnh Giấy chứng nhận đăng ký đầu tư (vốn, mục tiêu, tiến độ, nhà đầu tư, đất đai)",
        "name_en": "Adjusting an investment registration certificate (capital, objectives, schedule, investors, land)",
        "field": ("Đầu tư", "Investment"),
        "result": ResultKind.CERTIFICATE,
        "effect": RegistryEffect.AMEND_PROJECT,
        "versions": [
            (
                dt.date(2021, 1, 1),
                "Luật Đầu tư số 61/2020/QH14, Điều 41; Nghị định 31/2021/NĐ-CP, Điều 47",
                10,
                TimeKind.WORKING_DAYS,
                True,
                [(DESK, "MC", 0), (DIVISION, "QLDT", 6), (HEAD, "QLDT", 2), (LEADER, "LDB", 2)],
            ),
        ],
        "parts": [_APPLICATION, _STATUS_REPORT, _INVESTOR_DECISION, {**_LEGAL, "required": False}],
        "form": ["registered_capital_vnd", "registered_capital_usd", "objectives", "reason"],
    },
    {
        "code": "DT-04",
        "name_vi": "Thủ tục đầu tư đặc biệt trong khu công nghiệp, khu công nghệ cao",
        "name_en": "The special investment procedure in industrial zones and hi-tech parks",
        "field": ("Đầu tư", "Investment"),
        "result": ResultKind.CERTIFICATE,
        "effect": RegistryEffect.NEW_PROJECT,
        "versions": [
            (
                dt.date(2025, 3, 1),
                "Luật Đầu tư (sửa đổi theo Luật 57/2024/QH15), Điều 36a; Nghị định 19/2025/NĐ-CP; Luật Đầu tư 143/2025/QH15, Điều 28",
                15,
                TimeKind.WORKING_DAYS,
                True,
                [(DESK, "MC", 0), (DIVISION, "QLDT", 10), (HEAD, "QLDT", 2), (LEADER, "LDB", 3)],
            ),
        ],
        "parts": [
            _APPLICATION,
            _LEGAL,
            _PROPOSAL,
            {
                "name_vi": "Bản cam kết đáp ứng quy chuẩn xây dựng, môi trường, phòng cháy chữa cháy",
                "name_en": "The investor's commitment to the construction, environment and fire standards",
                "file_types": "pdf",
            },
        ],
        "form": [
            "project_name",
            "sector",
            "registered_capital_vnd",
            "registered_capital_usd",
            "objectives",
            "land_area_m2",
            "term_years",
        ],
    },
    {
        "code": "DT-05",
        "name_vi": "Gia hạn tiến độ thực hiện dự án đầu tư",
        "name_en": "Extending a project's schedule",
        "field": ("Đầu tư", "Investment"),
        "result": ResultKind.DECISION,
        "effect": RegistryEffect.EXTEND_SCHEDULE,
        "versions": [
            (
                dt.date(2021, 1, 1),
                "Luật Đầu tư số 61/2020/QH14, Điều 41, 48",
                15,
                TimeKind.WORKING_DAYS,
                True,
                [(DESK, "MC", 0), (DIVISION, "QLDT", 10), (HEAD, "QLDT", 2), (LEADER, "LDB", 3)],
            ),
        ],
        "parts": [_APPLICATION, _STATUS_REPORT],
        "form": ["new_deadline", "reason"],
    },
    {
        "code": "DT-06",
        "name_vi": "Chấm dứt hoạt động dự án đầu tư",
        "name_en": "Terminating an investment project",
        "field": ("Đầu tư", "Investment"),
        "result": ResultKind.NOTICE,
        "effect": RegistryEffect.TERMINATE_PROJECT,
        "versions": [
            (
                dt.date(2021, 1, 1),
                "Luật Đầu tư số 61/2020/QH14, Điều 48; Nghị định 31/2021/NĐ-CP, Điều 57",
                15,
                TimeKind.WORKING_DAYS,
                True,
                [(DESK, "MC", 0), (DIVISION, "QLDT", 10), (HEAD, "QLDT", 2), (LEADER, "LDB", 3)],
            ),
        ],
        "parts": [
            {
                "name_vi": "Thông báo chấm dứt hoạt động dự án",
                "name_en": "Notice of termination",
                "file_types": "pdf,docx",
            },
            {
                "name_vi": "Quyết định chấm dứt của nhà đầu tư",
                "name_en": "The investor's decision to terminate",
                "file_types": "pdf",
            },
        ],
        "form": ["reason"],
    },
    {
        "code": "LD-01",
        "name_vi": "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại khu công nghệ cao",
        "name_en": "Work permit for a foreign expert working in the hi-tech park",
        "field": ("Lao động", "Labour"),
        "result": ResultKind.PERMIT,
        "effect": RegistryEffect.NONE,
        "versions": [
            (
                dt.date(2021, 2, 15),
                "Nghị định 152/2020/NĐ-CP",
                5,
                TimeKind.WORKING_DAYS,
                False,
                [(DESK, "MC", 0), (DIVISION, "QLLD", 3), (HEAD, "QLLD", 1), (LEADER, "LDB", 1)],
            ),
            (
                dt.date(2025, 8, 7),
                "Nghị định 219/2025/NĐ-CP (một bộ hồ sơ tích hợp 7 thành phần; từ chối có lý do trong 3 ngày làm việc); "
                "việc Hà Nội ủy quyền cho Ban: chưa rõ",
                10,
                TimeKind.WORKING_DAYS,
                False,
                [(DESK, "MC", 0), (DIVISION, "QLLD", 6), (HEAD, "QLLD", 2), (LEADER, "LDB", 2)],
            ),
        ],
        "parts": [
            {
                "name_vi": "Văn bản đề nghị cấp giấy phép lao động",
                "name_en": "Application for the work permit",
                "file_types": "pdf,docx",
            },
            {"name_vi": "Giấy chứng nhận sức khỏe", "name_en": "Health certificate", "file_types": "pdf,jpeg,png"},
            {"name_vi": "Phiếu lý lịch tư pháp", "name_en": "Criminal record", "file_types": "pdf"},
            {
                "name_vi": "Văn bằng, chứng chỉ chuyên môn",
                "name_en": "Degrees and professional certificates",
                "file_types": "pdf",
            },
            {"name_vi": "Hộ chiếu (bản sao)", "name_en": "Passport (copy)", "file_types": "pdf,jpeg,png"},
            {"name_vi": "Ảnh 4x6", "name_en": "Photo 4x6", "file_types": "jpeg,png"},
            {
                "name_vi": "Văn bản chấp thuận nhu cầu sử dụng lao động nước ngoài",
                "name_en": "Approval of the need for foreign workers",
                "file_types": "pdf",
            },
        ],
        "form": ["expert_name", "expert_nationality", "expert_position", "work_from", "work_to"],
        "fee": (600_000, "Lệ phí theo nghị quyết của HĐND thành phố [mức: chưa rõ]"),
    },
    {
        "code": "CN-01",
        "name_vi": "Xác nhận dự án ứng dụng công nghệ cao, doanh nghiệp công nghệ cao",
        "name_en": "Confirming a hi-tech application project or a hi-tech enterprise",
        "field": ("Khoa học và công nghệ", "Science and technology"),
        "result": ResultKind.CONFIRMATION,
        "effect": RegistryEffect.NONE,
        "versions": [
            (
                dt.date(2021, 1, 1),
                "Luật Công nghệ cao 2008; Quyết định 10/2021/QĐ-TTg (tiêu chí doanh nghiệp công nghệ cao)",
                15,
                TimeKind.WORKING_DAYS,
                True,
                [(DESK, "MC", 0), (DIVISION, "KHCN", 10), (HEAD, "KHCN", 2), (LEADER, "LDB", 3)],
            ),
        ],
        "parts": [
            _APPLICATION,
            {
                "name_vi": "Thuyết minh đáp ứng tiêu chí công nghệ cao",
                "name_en": "Statement of how the hi-tech criteria are met",
                "file_types": "pdf,docx",
            },
            _FINANCE,
        ],
        "form": ["hitech_revenue_share", "rnd_spending_share", "rnd_staff_share"],
    },
]


def build_catalogue() -> dict[str, Procedure]:
    """The board's units and the catalogue (once: nothing when a procedure exists)."""
    if Procedure.objects.exists():
        return {p.code: p for p in Procedure.objects.all()}
    users = {u.username: u for u in User.objects.filter(role__in=[Role.BOARD, Role.LEADER])}
    units = {}
    for code, kind, name_vi, name_en, members, heads in UNITS:
        people = [(users[n], False) for n in members if n in users] + [(users[n], True) for n in heads if n in users]
        units[code] = services.unit_create(code=code, kind=kind, name_vi=name_vi, name_en=name_en, members=people)
    made = {}
    for order, spec in enumerate(CATALOGUE, start=1):
        procedure = services.procedure_create(
            code=spec["code"],
            name_vi=spec["name_vi"],
            name_en=spec["name_en"],
            field_vi=spec["field"][0],
            field_en=spec["field"][1],
            result_kind=spec["result"],
            registry_effect=spec["effect"],
            order=order,
        )
        fee, fee_note = spec.get("fee", (0, ""))
        for effective, basis, time, kind, uncertain, steps in spec["versions"]:
            services.version_add(
                procedure=procedure,
                effective_from=effective,
                legal_basis=basis,
                processing_time=time,
                time_kind=kind,
                uncertain=uncertain,
                steps=[(k, units[u], t) for k, u, t in steps],
                parts=spec["parts"],
                form_fields=spec["form"],
                fee_vnd=fee,
                fee_note=fee_note,
            )
        _templates(procedure)
        made[procedure.code] = procedure
    return made


def _docx(title: str, lines: list[str]) -> bytes:
    """A small Word document (the form an investor fills in), made without a library: the parts of
    an Office Open XML file, zipped."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    paragraphs = "".join(
        f'<w:p><w:r>{"<w:rPr><w:b/></w:rPr>" if i == 0 else ""}<w:t xml:space="preserve">{escape(t)}</w:t></w:r></w:p>'
        for i, t in enumerate([title, *lines])
    )
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + paragraphs
        + "</w:body></w:document>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _templates(procedure: Procedure) -> None:
    """The form to fill in, for the parts that are one ("theo mẫu", an application)."""
    for version in procedure.versions.all():
        for part in version.parts.all():
            if "mẫu" in part.name_vi or "đề nghị" in part.name_vi.lower():
                body = [
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "Độc lập - Tự do - Hạnh phúc",
                    "",
                    "Kính gửi: Ban Quản lý các Khu công nghệ cao và Khu công nghiệp thành phố Hà Nội",
                    "Nhà đầu tư: ..........................................",
                    "Mã số doanh nghiệp: ..................................",
                    f"Đề nghị: {procedure.name_vi}",
                    "Nội dung đề nghị: ....................................",
                    "(Mẫu minh họa của bản demo, không phải mẫu chính thức)",
                ]
                upload = SimpleUploadedFile(
                    f"mau-{procedure.code.lower()}-{part.order}.docx", _docx(part.name_vi.upper(), body)
                )
                services.part_template_set(part=part, upload=upload)


# --- a year of dossiers ------------------------------------------------------------------------------
def _pdf(name: str) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _png(name: str) -> SimpleUploadedFile:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + raw + chunk(b"IEND", b""), content_type="image/png")


def files_for(procedure: Procedure, day: dt.date) -> dict[int, Any]:
    """A file of an accepted type for every part of the version in force on `day`."""
    version = services.version_on(procedure, day)
    files: dict[int, Any] = {}
    for part in version.parts.all():
        files[part.pk] = _pdf(f"phan-{part.order}.pdf") if "pdf" in part.kinds else _png(f"anh-{part.order}.png")
    return files


USD_RATE = 26_000  # VND per USD: the demo's capital in USD where a foreign investor needs it


def _form(
    procedure: Procedure, rng: random.Random, project: Project | None, day: dt.date, enterprise: Any = None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "project_name": rng.choice(["Trung tâm R&D vi mạch", "Nhà máy linh kiện điện tử", "Trung tâm dữ liệu xanh"]),
        "sector": rng.choice(["electronics", "software", "research"]),
        "registered_capital_vnd": rng.choice([120, 350, 800, 1500]) * 1_000_000_000,
        "objectives": "Nghiên cứu, sản xuất sản phẩm công nghệ cao",
        "land_area_m2": rng.choice([10_000, 25_000, 40_000]),
        "term_years": 50,
        "reason": "Theo nhu cầu mở rộng sản xuất kinh doanh",
        "new_deadline": (day + dt.timedelta(days=365)).isoformat(),
        "expert_name": rng.choice(["Kim Min-jun", "Tanaka Hiroshi", "Anna Schmidt", "John Miller", "Park Ji-woo"]),
        "expert_nationality": rng.choice(["Hàn Quốc", "Nhật Bản", "Đức", "Hoa Kỳ"]),
        "expert_position": "Chuyên gia kỹ thuật",
        "work_from": (day + dt.timedelta(days=30)).isoformat(),
        "work_to": (day + dt.timedelta(days=730)).isoformat(),
        "hitech_revenue_share": rng.choice([62, 70, 85]),
        "rnd_spending_share": rng.choice([1, 2, 3]),
        "rnd_staff_share": rng.choice([5, 8, 12]),
    }
    if project is not None:
        last = project.milestones.filter(actual_date__isnull=True).order_by("-planned_date").first()
        if last is not None and last.planned_date >= day:
            values["new_deadline"] = (last.planned_date + dt.timedelta(days=365)).isoformat()
        values["registered_capital_vnd"] = project.registered_capital_vnd + rng.choice([50, 100, 200]) * 1_000_000_000
        values["objectives"] = project.objectives or values["objectives"]
        if project.is_foreign_invested:  # the registry keeps a foreign-invested project's capital in USD too
            change = values["registered_capital_vnd"] - project.registered_capital_vnd
            values["registered_capital_usd"] = (project.registered_capital_usd or 0) + change // USD_RATE
    elif enterprise is not None and enterprise.investors.exclude(nationality=VIETNAM).exists():
        values["registered_capital_usd"] = values["registered_capital_vnd"] // USD_RATE
    version = services.version_on(procedure, day)
    return {k: values[k] for k in version.form_fields if k in values}  # the USD only where it is needed


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_default_timezone())


def _working_moment(start: dt.datetime, hours: float) -> dt.datetime:
    return add_working_hours(start, hours)


class _Desk:
    """The people of the demo's units, and one dossier walked through its steps."""

    def __init__(self) -> None:
        self.people = {
            u.username: u for u in User.objects.filter(username__in=["motcua", "chuyenvien", "truongphong", "lanhdao"])
        }

    def holder(self, dossier: Dossier) -> User:
        kind = dossier.unit.kind if dossier.unit else "desk"
        if kind == Unit.Kind.DESK:
            return self.people["motcua"]
        if kind == Unit.Kind.LEADERSHIP:
            return self.people["lanhdao"]
        step = dossier.procedure_version.steps.get(order=dossier.step)
        return self.people["truongphong"] if step.kind == HEAD else self.people["chuyenvien"]

    def act(self, dossier: Dossier, action: str, at: dt.datetime, **kw: Any) -> Dossier:
        by = kw.pop("by", None) or self.holder(dossier)
        return services.act(dossier, action, by=by, version=dossier.version, at=at, **kw)


def _walk(desk: _Desk, dossier: Dossier, rng: random.Random, now: dt.datetime, scenario: str) -> None:
    """Take a dossier through its steps from its filing up to `now` (it stops where `now` falls)."""
    t = _working_moment(dossier.filed_at, rng.choice([1, 2, 4, 6]))
    if t >= now:
        return
    if scenario == "supplement_early":
        part = dossier.procedure_version.parts.order_by("order").first()
        dossier = desk.act(
            dossier,
            "request_supplement",
            t,
            items=[{"part": part.pk, "reason": "Văn bản chưa có chữ ký của người đại diện theo pháp luật"}],
        )
        t = _working_moment(t, rng.choice([8, 16, 24]))
        if t >= now:
            return
        owner = User.objects.filter(enterprise_id=dossier.enterprise_id).first()
        dossier = services.act(
            dossier, "supplement", by=owner, version=dossier.version, at=t, files={part.pk: _pdf("bo-sung.pdf")}
        )
        t = _working_moment(t, 2)
        if t >= now:
            return
    if scenario == "refused_early":
        desk.act(
            dossier, "refuse", t, reason="Dự án không thuộc thẩm quyền của Ban Quản lý (đề nghị nộp tại Sở Tài chính)"
        )
        return
    dossier = desk.act(dossier, "receive", t)
    if dossier.status == "fees_due":
        t = _working_moment(t, 1)
        if t >= now:
            return
        dossier = desk.act(dossier, "pay", t)
    if scenario == "withdrawn":
        t = _working_moment(t, 10)
        if t < now:
            owner = User.objects.filter(enterprise_id=dossier.enterprise_id).first()
            services.act(
                dossier,
                "withdraw",
                by=owner,
                version=dossier.version,
                at=t,
                reason="Doanh nghiệp thay đổi kế hoạch đầu tư",
            )
        return
    steps = list(dossier.procedure_version.steps.order_by("order"))
    for step in steps[1:]:
        share = step.time * 8
        spend = share * rng.uniform(0.4, 0.95)
        if scenario == "late" and step.kind == DIVISION:
            spend = share * 1.8
            # the head sees it will be late and apologises, with a new appointment
            apology_at = _working_moment(t, share * 0.9)
            if apology_at >= now:
                return
            head = desk.people["truongphong"]
            new_day = (timezone.localtime(dossier.due_at) + dt.timedelta(days=7)).date()
            services.apologise(
                dossier,
                by=head,
                version=dossier.version,
                reason="Hồ sơ cần lấy ý kiến của Sở Tài chính và Sở Xây dựng",
                new_date=new_day,
                at=apology_at,
            )
            dossier.refresh_from_db()
        if scenario == "supplement_late" and step.kind == DIVISION:
            ask = _working_moment(t, share * 0.3)
            if ask >= now:
                return
            part = dossier.procedure_version.parts.order_by("order").last()
            dossier = desk.act(
                dossier,
                "request_supplement",
                ask,
                items=[{"part": part.pk, "reason": "Số liệu báo cáo tài chính không khớp với đề xuất dự án"}],
            )
            back = _working_moment(ask, rng.choice([16, 32]))
            if back >= now:
                return
            owner = User.objects.filter(enterprise_id=dossier.enterprise_id).first()
            dossier = services.act(
                dossier, "supplement", by=owner, version=dossier.version, at=back, files={part.pk: _files_one(part)}
            )
            t = back
        t = _working_moment(t, max(spend, 0.5))
        if t >= now:
            return
        if scenario == "refused_late" and step.kind == HEAD:
            desk.act(
                dossier,
                "refuse",
                t,
                reason="Dự án không đáp ứng tiêu chí công nghệ cao về tỷ lệ chi cho nghiên cứu và phát triển",
            )
            return
        dossier = desk.act(dossier, "sign" if step is steps[-1] else "forward", t)
    t = _working_moment(t, rng.choice([1, 2, 4]))
    if t >= now:
        return
    dossier = desk.act(dossier, "return_result", t)
    if rng.random() < 0.7:
        owner = User.objects.filter(enterprise_id=dossier.enterprise_id).first()
        if owner is not None:
            services.rate(dossier, by=owner, version=dossier.version, rating=rng.choice([5, 5, 4, 4, 4, 3, 2]))


def _files_one(part: Any) -> Any:
    return _pdf("bo-sung.pdf") if "pdf" in part.kinds else _png("bo-sung.png")


def _file(
    catalogue: dict[str, Procedure],
    procedure: Procedure,
    enterprise: Any,
    by: Any,
    rng: random.Random,
    day: dt.date,
    filed: dt.datetime,
) -> Dossier:
    """One dossier filed: online by the enterprise's account, else on paper at the desk (`by`);
    a procedure about a project names the enterprise's first (a new certificate when it has none)."""
    project = None
    if procedure.needs_project:
        project = Project.objects.filter(enterprise=enterprise).order_by("code").first()
        if project is None:
            procedure = catalogue["DT-01"]
    online = by.role == "enterprise"
    return services.dossier_file(
        procedure=procedure,
        by=by,
        enterprise=None if online else enterprise,
        project=project,
        channel="online" if online else "paper",
        files=files_for(procedure, day),
        form=_form(procedure, rng, project, day, enterprise),
        at=filed,
    )


def build_procedures_demo(*, today: dt.date | None = None, stdout: TextIO | None = None, count: int = 36) -> int:
    """The catalogue and a year of dossiers ending `today` (once: nothing when a dossier exists)."""
    from zonedesk_demo.investment import demo_now

    today = today or timezone.localdate()
    if Dossier.objects.exists() or not User.objects.filter(username="motcua").exists():
        return 0
    rng = random.Random(25)
    now = demo_now(today)
    with transaction.atomic(), muted():
        catalogue = build_catalogue()
        desk = _Desk()
        hhtp = list(Enterprise.objects.filter(zone__code=HHTP, members__role="enterprise").distinct())
        others = list(
            Enterprise.objects.filter(zone__code=HHTP).exclude(pk__in=[e.pk for e in hhtp]).order_by("pk")[:40]
        )
        owners = hhtp + others
        # the enterprises with no account file through the desk on paper
        paper_by = desk.people["motcua"]
        light = [catalogue["LD-01"], catalogue["CN-01"]]
        heavy = [catalogue["DT-01"], catalogue["DT-02"], catalogue["DT-04"], catalogue["DT-05"]]
        made = 0
        scenarios = ["normal"] * 11 + [
            "supplement_early",
            "supplement_late",
            "late",
            "refused_early",
            "refused_late",
            "withdrawn",
        ]
        for i in range(count):
            day = today - dt.timedelta(days=int(365 * (count - i) / count))
            while not is_working_day(day):
                day += dt.timedelta(days=1)
            enterprise = rng.choice(owners)
            recent = (today - day).days < 25
            procedure = rng.choice(heavy) if recent and rng.random() < 0.5 else rng.choice(light)
            scenario = rng.choice(scenarios)
            owner = User.objects.filter(enterprise=enterprise, role="enterprise").first()
            if owner is None and scenario in {"supplement_early", "supplement_late", "withdrawn"}:
                scenario = "late"  # a paper dossier's enterprise has no account to answer online
            if procedure in heavy and scenario == "normal" and not recent:
                scenario = rng.choice(
                    ["refused_early", "withdrawn", "refused_late"]
                )  # the registry's demo stays as built
            filed = _at(day, rng.choice([8, 9, 10, 14, 15, 16]), rng.choice([0, 15, 30, 45]))
            if filed >= now:
                continue
            dossier = _file(catalogue, procedure, enterprise, owner or paper_by, rng, day, filed)
            _walk(desk, dossier, rng, now, scenario)
            made += 1
        # the desk's week: dossiers filed in the last days, at every step now (the queues' work)
        for back in (1, 2, 3, 5, 7, 9, 11, 14):
            day = today - dt.timedelta(days=back)
            while not is_working_day(day):
                day -= dt.timedelta(days=1)
            enterprise = owners[back % len(owners)]
            owner = User.objects.filter(enterprise=enterprise, role="enterprise").first()
            procedure = light[back % 2] if back % 3 else catalogue["DT-01"]
            filed = _at(day, 9 + back % 6, 15)
            if filed >= now:
                continue
            dossier = _file(catalogue, procedure, enterprise, owner or paper_by, rng, day, filed)
            _walk(desk, dossier, rng, now, "late" if back == 14 else "normal")
            made += 1
        made += _fpt_capital_increase(catalogue["DT-03"], desk, today, now)
    if stdout is not None:
        stdout.write(_("  one-stop desk: %(n)s dossiers") % {"n": made} + "\n")
    return made


def _fpt_capital_increase(procedure: Procedure, desk: _Desk, today: dt.date, now: dt.datetime) -> int:
    """FPT asks to raise its project's capital, is asked once for a supplement, and gets its
    adjusted certificate on time a few days before today: the registry shows the new capital."""
    fpt = User.objects.filter(username="fpt").first()
    project = Project.objects.filter(enterprise_id=fpt.enterprise_id).order_by("code").first() if fpt else None
    if project is None:
        return 0
    day = today - dt.timedelta(days=24)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    form = {
        "registered_capital_vnd": project.registered_capital_vnd + 500_000_000_000,
        "objectives": project.objectives or "Đào tạo, nghiên cứu và phát triển công nghệ",
        "reason": "Mở rộng quy mô đào tạo và nghiên cứu",
    }
    dossier = services.dossier_file(
        procedure=procedure, by=fpt, project=project, files=files_for(procedure, day), form=form, at=_at(day, 9, 10)
    )
    rng = random.Random(3)
    _walk(desk, dossier, rng, now, "supplement_late")
    return 1


__all__ = ["CATALOGUE", "build_catalogue", "build_procedures_demo", "files_for"]

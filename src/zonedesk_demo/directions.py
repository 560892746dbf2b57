"""The demo's directions: the conclusions of the 2024 dialogue conferences and of this year's,
a leader's instruction and a memorandum of a working session, each with tasks in every state
(assigned, in progress, reported done and awaiting acceptance, done on time, done late, returned,
overdue, regular), their progress reports and the board's acceptance, dated relative to `today`.
Built once (nothing when a direction exists)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from zonedesk.cases.notifications import muted
from zonedesk.core.models import Agency, User
from zonedesk.dialogue.models import Conference
from zonedesk.directions import services
from zonedesk.directions.models import Direction, DirectionKind, Task
from zonedesk.procedures.models import Unit


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_default_timezone())


class _Leads:
    """The units that lead the demo's tasks and a person of each who reports."""

    def __init__(self) -> None:
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=["thue", "xahoalac", "fpt", "hanwha", "chuyenvien", "lanhdao", "bql"]
            )
        }
        self.users = users
        units = {u.code: u for u in Unit.objects.all()}
        self.by_key: dict[str, tuple[Any, Any]] = {}
        for key, lead, person in (
            ("tax", users.get("thue") and users["thue"].agency, users.get("thue")),
            ("commune", users.get("xahoalac") and users["xahoalac"].agency, users.get("xahoalac")),
            ("fpt", users.get("fpt") and users["fpt"].enterprise, users.get("fpt")),
            ("hanwha", users.get("hanwha") and users["hanwha"].enterprise, users.get("hanwha")),
            ("qldt", units.get("QLDT"), users.get("chuyenvien")),
            ("khcn", units.get("KHCN"), users.get("chuyenvien")),
        ):
            if lead is not None and person is not None:
                self.by_key[key] = (lead, person)
        self.other = list(
            Agency.objects.exclude(kind=Agency.Kind.BOARD).exclude(members__isnull=False).order_by("code")[:4]
        )

    def lead(self, key: str) -> Any:
        if key in self.by_key:
            return self.by_key[key][0]
        return self.other[sum(map(ord, key)) % len(self.other)] if self.other else next(iter(self.by_key.values()))[0]

    def person(self, key: str) -> Any:
        return self.by_key.get(key, (None, None))[1]


# (content, lead key, deadline in days after the direction (None: regular), what happened)
# what happened: "" assigned only; "progress"; "reported"; "on_time"; "late"; "returned"; "overdue"
CONFERENCE_TASKS = [
    ("Hướng dẫn doanh nghiệp thủ tục hoàn thuế giá trị gia tăng cho dự án đầu tư mới", "tax", 30, "on_time"),
    ("Giải quyết dứt điểm kiến nghị về mặt bằng thi công tuyến đường nội khu", "commune", 45, "late"),
    ("Rà soát, đề xuất sửa đổi quy trình cấp giấy phép lao động cho chuyên gia nước ngoài", "qldt", 60, "reported"),
    ("Tổ chức làm việc với doanh nghiệp về nhu cầu nhân lực công nghệ cao", "khcn", None, "progress"),
    ("Báo cáo phương án cấp điện ổn định cho các doanh nghiệp sản xuất", "power", 20, "overdue"),
]
THIS_YEAR_TASKS = [
    ("Công khai quy trình, thời hạn giải quyết thủ tục hành chính tại Bộ phận Một cửa", "qldt", 20, "on_time"),
    ("Phối hợp hướng dẫn doanh nghiệp kê khai thuế điện tử", "tax", 25, "returned"),
    ("Hoàn thành bàn giao mặt bằng còn lại cho dự án mở rộng", "commune", 15, "overdue"),
    ("Báo cáo tiến độ xây dựng nhà xưởng giai đoạn 2", "fpt", 90, "progress"),
    ("Đề xuất danh mục công nghệ cao ưu tiên thu hút đầu tư", "khcn", 120, ""),
]
INSTRUCTION_TASKS = [
    ("Rà soát các dự án chậm tiến độ, đề xuất biện pháp xử lý", "qldt", 30, "progress"),
    ("Cung cấp số liệu nộp ngân sách của doanh nghiệp trong khu", "tax", 10, "reported"),
    ("Báo cáo tình hình tuyển dụng lao động quý này", "hanwha", 20, "late"),
    ("Hướng dẫn doanh nghiệp trong khu quyết toán thuế thu nhập doanh nghiệp", "tax", 25, "returned"),
]
MEMO_TASKS = [
    ("Bố trí mặt bằng tạm cho nhà thầu thi công", "commune", 10, "on_time"),
    ("Cập nhật hồ sơ điều chỉnh dự án theo biên bản làm việc", "fpt", 40, ""),
    ("Theo dõi, báo cáo định kỳ tình hình an ninh trật tự trong khu", "police", None, "progress"),
]


def _play(task: Task, how: str, leads: _Leads, key: str, board: Any, today: dt.date) -> None:
    """Move a task to the state the demo gives it, by its people, on dates before `today`."""
    person = leads.person(key)
    if not how or person is None:
        return
    start = timezone.localdate(task.assigned_at)
    end = task.deadline or start + dt.timedelta(days=60)

    def day(fraction: float) -> dt.date:
        d = start + dt.timedelta(days=max(1, int((end - start).days * fraction)))
        return min(d, today)

    def report(on: dt.date, pct: int, done: bool = False, text: str = "") -> None:
        task.refresh_from_db()
        services.task_report(
            task=task,
            by=person,
            text=text
            or (
                "Đã hoàn thành nhiệm vụ, gửi kèm báo cáo kết quả."
                if done
                else "Đang triển khai, đã làm việc với các bên liên quan."
            ),
            percent=100 if done else pct,
            done=done,
            version=task.version,
            at=_at(on, 10),
        )

    def decide(action: str, on: dt.date, reason: str = "") -> None:
        task.refresh_from_db()
        services.task_decide(task=task, action=action, by=board, reason=reason, version=task.version, at=_at(on, 15))

    if how in {"progress", "overdue"}:
        report(day(0.3), 30)
        if how == "progress":
            report(min(today, max(day(0.6), today - dt.timedelta(days=3))), 60)
    elif how == "reported":
        report(day(0.4), 50)
        report(min(day(0.9), today), 100, done=True)
    elif how == "on_time":
        report(day(0.4), 50)
        report(day(0.9), 100, done=True)
        decide("accept", min(end + dt.timedelta(days=2), today))
    elif how == "late":
        report(day(0.5), 40)
        done_on = min(end + dt.timedelta(days=10), today)
        report(done_on, 100, done=True)
        decide("accept", min(done_on + dt.timedelta(days=2), today))
    elif how == "returned":
        report(day(0.5), 100, done=True)
        decide("return", min(day(0.7), today), "Chưa kèm danh sách doanh nghiệp đã được hướng dẫn; đề nghị bổ sung.")


def _direction(*, kind, number, title, date, issuer, board, leads, specs, today, conference=None, summary=""):
    tabled: list[str] = []
    if conference is not None:  # a conference's conclusions answer the petitions tabled at it
        from zonedesk.dialogue.models import Tabling

        tabled = list(
            Tabling.objects.filter(conference=conference, petition__isnull=False)
            .order_by("pk")
            .values_list("petition__reference", flat=True)[: len(specs)]
        )
    tasks = []
    for i, (content, key, days, _how) in enumerate(specs):
        deadline = None if days is None else date + dt.timedelta(days=days)
        links = [("petition", tabled[i])] if i < len(tabled) else []
        tasks.append({"content": content, "lead": leads.lead(key), "deadline": deadline, "links": links})
    direction = services.direction_issue(
        by=None,
        kind=kind,
        number=number,
        title_vi=title,
        date=date,
        issuer=issuer,
        summary=summary,
        conference=conference,
        tasks=tasks,
        at=_at(date, 8),
    )
    for task, (_c, key, _d, how) in zip(direction.tasks.order_by("number"), specs, strict=True):
        _play(task, how, leads, key, board, today)
    return direction


def build_directions_demo(*, today: dt.date | None = None, stdout: TextIO | None = None) -> int:
    """The directions and their tasks (once: nothing when a direction exists). Returns how many."""
    today = today or timezone.localdate()
    if Direction.objects.exists() or not User.objects.filter(username="lanhdao").exists():
        return 0
    leads = _Leads()
    if not leads.by_key:
        return 0
    board = User.objects.filter(username="lanhdao").first()
    made = 0
    with transaction.atomic(), muted():
        held = Conference.objects.filter(status="held", starts_at__date__lte=today - dt.timedelta(days=10))
        chosen = list(held.filter(starts_at__year=2024).order_by("-starts_at")[:1])
        this_year = (
            held.filter(starts_at__year=today.year).order_by("-starts_at").first()
            or held.exclude(pk__in=[c.pk for c in chosen]).order_by("-starts_at").first()
        )
        if this_year is not None:
            chosen.append(this_year)
        for i, conference in enumerate(chosen):
            date = timezone.localdate(conference.starts_at) + dt.timedelta(days=5)
            specs = CONFERENCE_TASKS if i == 0 else THIS_YEAR_TASKS
            if i and date + dt.timedelta(days=20) > today:  # a conference too recent: its tasks not yet due
                specs = [(c, k, d, "" if h in {"on_time", "late", "returned"} else h) for c, k, d, h in specs]
            _direction(
                kind=DirectionKind.CONFERENCE,
                number=f"{30 + i * 12}/TB-BQL",
                title=f"Thông báo kết luận của Trưởng ban tại {conference.theme_vi}"[:500],
                date=date,
                issuer="Trưởng ban Quản lý",
                board=board,
                leads=leads,
                specs=specs,
                today=today,
                conference=conference,
                summary="Kết luận hội nghị đối thoại, giao các sở, ngành, địa phương và đơn vị thuộc Ban giải quyết kiến nghị của doanh nghiệp.",
            )
            made += 1
        _direction(
            kind=DirectionKind.INSTRUCTION,
            number="",
            title="Ý kiến chỉ đạo của Trưởng ban về tháo gỡ khó khăn cho các dự án chậm tiến độ",
            date=today - dt.timedelta(days=45),
            issuer="Trưởng ban Quản lý",
            board=board,
            leads=leads,
            specs=INSTRUCTION_TASKS,
            today=today,
        )
        _direction(
            kind=DirectionKind.MEMORANDUM,
            number="15/BB-BQL",
            title="Biên bản làm việc với UBND xã và các doanh nghiệp về giải phóng mặt bằng",
            date=today - dt.timedelta(days=35),
            issuer="Phó Trưởng ban Quản lý",
            board=board,
            leads=leads,
            specs=MEMO_TASKS,
            today=today,
        )
        made += 2
    if stdout is not None:
        stdout.write(f"Directions: {made}, tasks: {Task.objects.count()}\n")
    return made

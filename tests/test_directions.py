"""The follow-up of directions: issuing a direction with its tasks, reports by the lead unit
only, acceptance to finish a task, reminders and escalation on the working-day clock (each
once), the figures' arithmetic, who sees what, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from zonedesk.core.errors import ConflictError, ServiceError, TransitionError
from zonedesk.core.models import Role, User
from zonedesk.directions import figures, services
from zonedesk.directions.models import Direction, DirectionKind, Status, Task, TaskReminder
from zonedesk.petitions.models import Notification
from zonedesk.procedures.models import Unit, UnitMember

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_default_timezone())


@pytest.fixture
def division(db):
    """A division of the board with its head and one officer, and the leadership unit."""
    head = User.objects.create(username="truongphong", role=Role.BOARD)
    officer = User.objects.create(username="chuyenvien", role=Role.BOARD)
    unit = Unit.objects.create(code="QLDN", kind=Unit.Kind.DIVISION, name_vi="Phòng Quản lý doanh nghiệp")
    UnitMember.objects.create(unit=unit, user=head, is_head=True)
    UnitMember.objects.create(unit=unit, user=officer)
    return unit


def _issue(by, lead_list, *, date=dt.date(2027, 1, 5), deadlines=None, kind=DirectionKind.NOTICE, **extra):
    deadlines = deadlines or [date + dt.timedelta(days=30)] * len(lead_list)
    return services.direction_issue(
        by=by,
        kind=kind,
        number="12/TB-BQL",
        title_vi="Kết luận của Trưởng ban tại buổi làm việc",
        date=date,
        at=_at(date),
        tasks=[
            {"content": f"Nhiệm vụ {i + 1}", "lead": lead, "deadline": d}
            for i, (lead, d) in enumerate(zip(lead_list, deadlines, strict=True))
        ],
        **extra,
    )


def test_a_leader_issues_a_direction_with_three_tasks_each_unit_told(
    leader_user, agency, agency_user, enterprise_user, division
):
    direction = _issue(leader_user, [agency, division, enterprise_user.enterprise])
    tasks = list(direction.tasks.order_by("number"))
    assert [t.lead_name for t in tasks] == [agency.name, division.name, enterprise_user.enterprise.name]
    assert all(t.status == Status.ASSIGNED for t in tasks)
    assert direction.issuer == "ld1" and not direction.published  # a notice is not public by default
    # each lead unit's people were told of its task
    assert Notification.objects.filter(user=agency_user, subject__contains="12/TB-BQL/1").exists()
    assert Notification.objects.filter(user__username="truongphong", subject__contains="/2").exists()
    assert Notification.objects.filter(user=enterprise_user, subject__contains="/3").exists()


def test_conference_conclusions_are_published_by_default(board_user, agency):
    direction = _issue(board_user, [agency], kind=DirectionKind.CONFERENCE)
    assert direction.published
    assert Direction.objects.restrict(None).filter(pk=direction.pk).exists()


def test_only_the_board_issues_and_a_task_has_exactly_one_lead(agency_user, enterprise_user, board_user, agency):
    for who in (agency_user, enterprise_user):
        with pytest.raises(PermissionDenied):
            _issue(who, [agency])
    with pytest.raises(ServiceError) as err:
        services.direction_issue(
            by=board_user,
            kind="decree",
            title_vi="",
            date=dt.date(2027, 1, 5),
            tasks=[{"content": "x", "lead": "agency:999999", "deadline": dt.date(2026, 1, 1)}],
        )
    assert {"kind", "title_vi", "task_1_lead", "task_1_deadline"} <= set(err.value.message_dict)
    with pytest.raises(ServiceError):
        _issue(board_user, [])  # no task
    assert not Direction.objects.exists()
    from django.db import IntegrityError, transaction

    direction = _issue(board_user, [agency])
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses two leads too
        Task.objects.filter(direction=direction).update(lead_unit=Unit.objects.create(code="X", kind="division"))


def test_the_document_is_a_pdf_by_its_content(board_user, agency, media):
    fake = SimpleUploadedFile("ket-luan.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    with pytest.raises(ServiceError) as err:
        _issue(board_user, [agency], document=fake)
    assert "document" in err.value.message_dict
    pdf = SimpleUploadedFile(
        "ket-luan.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF", content_type="application/pdf"
    )
    direction = _issue(board_user, [agency], document=pdf)
    assert direction.document.name.endswith(".pdf")


def test_only_the_lead_unit_reports_and_acceptance_finishes_the_task(
    board_user, leader_user, agency, agency_user, other_agency_user, enterprise_user
):
    task = _issue(leader_user, [agency]).tasks.get()
    for outsider in (other_agency_user, enterprise_user, board_user):
        with pytest.raises(PermissionDenied):
            services.task_report(task=task, by=outsider, text="Đã xong", percent=50, version=task.version)
    services.task_report(task=task, by=agency_user, text="Đang rà soát hồ sơ", percent=40, version=task.version)
    task.refresh_from_db()
    assert (task.status, task.percent) == (Status.IN_PROGRESS, 40)
    for language, says in (("en", "The task was changed by someone else"), ("vi", "Nhiệm vụ đã được người khác")):
        with translation.override(language), pytest.raises(ConflictError) as stale:  # a report on an old read
            services.task_report(task=task, by=agency_user, text="x", percent=50, version=task.version - 1)
        assert says in str(stale.value)  # in the language of whoever is refused
    at = _at(dt.date(2027, 2, 1))
    services.task_report(task=task, by=agency_user, text="Hoàn thành", percent=100, version=task.version, at=at)
    task.refresh_from_db()
    assert task.status == Status.REPORTED and task.done_at is None  # not done until accepted
    with pytest.raises(PermissionDenied):  # the lead unit does not accept its own work
        services.task_decide(task=task, action="accept", by=agency_user, version=task.version)
    with pytest.raises(ServiceError):  # a return needs its reason
        services.task_decide(task=task, action="return", by=board_user, version=task.version)
    services.task_decide(
        task=task, action="return", by=board_user, reason="Thiếu báo cáo số liệu", version=task.version
    )
    task.refresh_from_db()
    assert task.status == Status.RETURNED
    assert Notification.objects.filter(user=agency_user, body__contains="Thiếu báo cáo số liệu").exists()
    services.task_report(task=task, by=agency_user, text="Đã bổ sung", percent=100, version=task.version, at=at)
    task.refresh_from_db()
    services.task_decide(task=task, action="accept", by=leader_user, version=task.version, at=_at(dt.date(2027, 3, 1)))
    task.refresh_from_db()
    assert task.status == Status.DONE and task.on_time  # reported by the deadline, accepted later
    with pytest.raises(TransitionError):
        services.task_decide(task=task, action="return", by=board_user, reason="x", version=task.version)
    with pytest.raises(ServiceError):
        services.task_report(task=task, by=agency_user, text="x", percent=10, version=task.version)


def test_a_board_unit_reports_on_its_own_task(leader_user, division):
    task = _issue(leader_user, [division]).tasks.get()
    member = User.objects.get(username="chuyenvien")
    services.task_report(task=task, by=member, text="Đã làm việc với doanh nghiệp", percent=30, version=task.version)
    assert Task.objects.led_by_user(member).filter(pk=task.pk).exists()
    assert not Task.objects.led_by_user(leader_user).exists()


def test_bad_report_input_is_refused(leader_user, agency, agency_user):
    task = _issue(leader_user, [agency]).tasks.get()
    for text, percent in (
        ("", 10),
        ("x\x00y", 10),
        ("ok", 101),
        ("ok", -1),
        ("ok", 10**30),
        ("ok", "50"),
        ("ok", True),
    ):
        with pytest.raises(ServiceError):
            services.task_report(task=task, by=agency_user, text=text, percent=percent, version=task.version)
    assert not task.reports.exists()


# --- reminders on the working-day clock ----------------------------------------------------------
def test_reminders_before_a_deadline_after_tet_land_on_working_days_once(leader_user, agency, agency_user):
    # Tết 2027: 4-10 February are days off; the deadline is the first working day after it
    deadline = dt.date(2027, 2, 11)
    assert services.working_days_before(deadline, 3) == dt.date(2027, 2, 1)  # Mon, not 8 Feb
    assert services.working_days_before(deadline, 7) == dt.date(2027, 1, 26)
    task = _issue(leader_user, [agency], deadlines=[deadline]).tasks.get()

    def before(day):
        return services.tasks_remind(today=day)["before"]

    assert before(dt.date(2027, 1, 25)) == 0
    assert before(dt.date(2027, 1, 26)) == 1  # 7 working days before
    assert before(dt.date(2027, 1, 26)) == 0  # once
    assert before(dt.date(2027, 1, 31)) == 0
    assert before(dt.date(2027, 2, 1)) == 1  # 3 working days before: the Monday before Tết
    assert before(dt.date(2027, 2, 2)) == 0
    assert before(dt.date(2027, 2, 3)) == 1  # the last working day before Tết
    assert before(dt.date(2027, 2, 8)) == 0
    keys = set(TaskReminder.objects.filter(task=task).values_list("key", flat=True))
    assert {"before:7", "before:3", "before:1"} <= keys
    # the notice of the new task and the three reminders, each once
    assert Notification.objects.filter(user=agency_user, subject__contains="11/02/2027").count() == 4


def test_a_task_overdue_escalates_to_the_head_then_the_leaders_once_per_level(leader_user, division):
    deadline = dt.date(2027, 2, 11)
    task = _issue(leader_user, [division], deadlines=[deadline]).tasks.get()
    head, officer = User.objects.get(username="truongphong"), User.objects.get(username="chuyenvien")
    assert services.tasks_remind(today=deadline)["escalated"] == 0  # due today: not overdue yet
    assert services.tasks_remind(today=dt.date(2027, 2, 12))["escalated"] == 1
    assert services.tasks_remind(today=dt.date(2027, 2, 12))["escalated"] == 0
    overdue = Notification.objects.filter(subject__contains="Overdue") | Notification.objects.filter(
        subject__contains="quá hạn"
    )
    assert set(overdue.values_list("user__username", flat=True)) == {head.username}
    assert not overdue.filter(user=officer).exists()
    # five working days after the deadline (a weekend between): to the board's leaders
    assert services.tasks_remind(today=dt.date(2027, 2, 17))["escalated"] == 0
    assert services.tasks_remind(today=dt.date(2027, 2, 18))["escalated"] == 1
    assert services.tasks_remind(today=dt.date(2027, 2, 19))["escalated"] == 0
    assert Notification.objects.filter(user=leader_user, subject__contains=task.content).exists()
    task.refresh_from_db()
    assert task.escalation_level == 2


def test_a_missing_weekly_report_is_reminded(leader_user, agency, agency_user):
    task = _issue(leader_user, [agency], deadlines=[dt.date(2027, 6, 30)]).tasks.get()
    assert services.tasks_remind(today=dt.date(2027, 1, 11))["report"] == 0  # six days
    assert services.tasks_remind(today=dt.date(2027, 1, 12))["report"] == 1  # a week without a report
    assert services.tasks_remind(today=dt.date(2027, 1, 13))["report"] == 0
    services.task_report(
        task=task, by=agency_user, text="Tiến độ", percent=20, version=task.version, at=_at(dt.date(2027, 1, 13))
    )
    assert services.tasks_remind(today=dt.date(2027, 1, 19))["report"] == 0
    assert services.tasks_remind(today=dt.date(2027, 1, 20))["report"] == 1


def test_a_tick_reads_only_the_tasks_for_which_something_may_be_due(
    leader_user, agency, agency_user, django_assert_max_num_queries
):
    """Forty tasks far from their deadlines, all reported on this week, and one due in three working
    days: the tick reminds that one and does not go through the others one by one (the tick runs
    every few minutes over every open task of the country)."""
    from zonedesk.directions.models import Task

    far = _issue(leader_user, [agency] * 40, deadlines=[dt.date(2027, 6, 30)] * 40)
    Task.objects.filter(direction=far).update(last_report_at=_at(dt.date(2027, 1, 29)))
    near = _issue(leader_user, [agency], deadlines=[dt.date(2027, 2, 11)]).tasks.get()
    Task.objects.filter(pk=near.pk).update(last_report_at=_at(dt.date(2027, 1, 29)))
    with django_assert_max_num_queries(30):
        sent = services.tasks_remind(today=dt.date(2027, 2, 1))
    assert sent == {"before": 1, "escalated": 0, "report": 0}
    assert TaskReminder.objects.filter(task=near, key="before:3").exists()
    assert not TaskReminder.objects.exclude(task=near).exists()
    # a month later without reports, every task is reminded once (the overdue one too)
    assert services.tasks_remind(today=dt.date(2027, 3, 1))["report"] == 41
    assert services.tasks_remind(today=dt.date(2027, 3, 1))["report"] == 0


def test_the_management_command_runs_the_reminders(leader_user, agency):
    from io import StringIO

    from django.core.management import call_command

    _issue(leader_user, [agency], deadlines=[dt.date(2027, 2, 11)])
    out = StringIO()
    call_command("tasks_remind", "--date", "2027-02-01", stdout=out)
    assert "before=1" in out.getvalue()


# --- figures ----------------------------------------------------------------------------------------
def test_figures_count_on_time_late_overdue_and_in_progress(leader_user, board_user, agency, agency_user, division):
    date = dt.date(2027, 1, 5)
    direction = _issue(
        leader_user,
        [agency, agency, division, division, agency],
        deadlines=[
            dt.date(2027, 2, 1),
            dt.date(2027, 2, 1),
            dt.date(2027, 2, 1),
            dt.date(2027, 6, 1),
            dt.date(2027, 6, 1),
        ],
        date=date,
    )
    a, b, c, d, e = direction.tasks.order_by("number")
    e.deadline = None  # a regular task
    e.save()
    for task, day in ((a, dt.date(2027, 1, 29)), (b, dt.date(2027, 2, 3))):
        services.task_report(task=task, by=agency_user, text="Xong", percent=100, version=task.version, at=_at(day))
        task.refresh_from_db()
        services.task_decide(task=task, action="accept", by=board_user, version=task.version, at=_at(day))
    data = figures.compute(year=2027, today=dt.date(2027, 3, 1))
    assert data["whole"] == {
        "set": 5,
        "due": 3,
        "done_on_time": 1,
        "done_late": 1,
        "overdue": 1,
        "in_progress": 2,
        "on_time_rate": round(1 / 3, 4),
    }
    units = {u["key"]: u for u in data["by_unit"]}
    assert units[f"agency:{agency.pk}"]["done_on_time"] == 1 and units[f"agency:{agency.pk}"]["on_time_rate"] == 0.5
    assert units[f"unit:{division.pk}"]["overdue"] == 1 and units[f"unit:{division.pk}"]["on_time_rate"] == 0.0
    assert [u["key"] for u in data["by_unit"]] == [f"agency:{agency.pk}", f"unit:{division.pk}"]  # the ranking
    assert data["by_direction"][0]["set"] == 5
    assert figures.compute(year=2026, today=dt.date(2027, 3, 1))["whole"]["set"] == 0
    # the public's figures count the published directions only
    assert figures.compute(year=2027, published_only=True)["whole"]["set"] == 0


def test_cached_figures_change_with_a_task(leader_user, agency):
    year = timezone.localdate().year
    before = figures.figures(year=year)["whole"]["set"]
    _issue(leader_user, [agency], date=timezone.localdate())
    assert figures.figures(year=year)["whole"]["set"] == before + 1


# --- who sees what ------------------------------------------------------------------------------------
def test_an_agency_sees_its_own_tasks_and_the_public_only_published(
    leader_user, agency, agency_user, other_agency_user, enterprise_user, board_user
):
    private = _issue(leader_user, [agency])
    public = _issue(leader_user, [agency], kind=DirectionKind.CONFERENCE)
    assert set(Direction.objects.restrict(agency_user)) == {private, public}
    assert set(Direction.objects.restrict(other_agency_user)) == {public}
    assert set(Direction.objects.restrict(None)) == {public}
    assert set(Direction.objects.restrict(board_user)) == {private, public}
    assert set(Task.objects.restrict(enterprise_user)) == set(public.tasks.all())


def test_a_task_links_to_what_it_acts_on_and_a_link_to_nothing_is_refused(
    leader_user, board_user, agency, agency_user, client
):
    from zonedesk.directions import links
    from zonedesk.petitions.models import PolicyAction

    action = PolicyAction.objects.create(title="Sửa quy trình cấp phép lao động", owner=agency)
    spec = {"content": "Thực hiện giải pháp", "lead": agency, "deadline": None}
    for bad in (("policy_action", "999999"), ("prospect", "1"), ("petition", "KN-X")):
        with pytest.raises(ServiceError) as err:
            services.direction_issue(
                by=leader_user, kind="notice", title_vi="TB", date=dt.date(2027, 1, 5), tasks=[{**spec, "links": [bad]}]
            )
        assert "task_1_links" in err.value.message_dict
    direction = services.direction_issue(
        by=leader_user,
        kind="notice",
        title_vi="TB",
        date=dt.date(2027, 1, 5),
        tasks=[{**spec, "links": [("policy_action", str(action.pk))]}],
    )
    link = direction.tasks.get().links.get()
    assert links.resolve(link.kind, link.target)[0] == action.title
    # a prospect of the pipeline: its company named to the board, to nobody the prospect is hidden from
    from tests.test_promotion import new_prospect

    prospect = new_prospect(board_user)
    direction = services.direction_issue(
        by=leader_user,
        kind="notice",
        title_vi="TB",
        date=dt.date(2027, 1, 5),
        tasks=[{**spec, "links": [("prospect", str(prospect.pk))]}],
    )
    link = direction.tasks.get().links.get()
    assert links.resolve(link.kind, link.target, board_user)[0] == "Sakura Semiconductor K.K."
    assert links.resolve(link.kind, link.target, agency_user) is None  # the agency was not asked to help
    client.force_login(agency_user)
    page = client.get(reverse("direction_detail", args=[direction.pk])).content.decode()
    assert "Thực hiện giải pháp" in page and "Sakura" not in page

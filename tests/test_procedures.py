"""The one-stop desk's rules, through the services, on SQLite and PostgreSQL: the code and the
appointment on the working-day calendar, supplements (everything at once, the clock stopped), each
step's deadline on the control slip, apologies, refusals with reasons, the result that amends the
registry, and the bad input a desk meets."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from zonedesk.core.calendar import add_working_days
from zonedesk.core.errors import ConflictError, ServiceError, TransitionError
from zonedesk.investment.models import Project
from zonedesk.procedures import services
from zonedesk.procedures.models import Dossier, DossierFile, Status
from zonedesk_demo.procedures import files_for

TZ = timezone.get_default_timezone()


def at(day: str, hm: str = "09:00") -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(hm), TZ)


@pytest.fixture
def desk(one_stop_desk):
    return one_stop_desk


def pdf(name="a.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def adjust(enterprise_user, project, catalogue, when, capital=None):
    procedure = catalogue["DT-03"]
    return services.dossier_file(
        procedure=procedure,
        by=enterprise_user,
        project=project,
        files=files_for(procedure, when.date()),
        form={
            "registered_capital_vnd": capital or project.registered_capital_vnd + 50_000_000_000,
            "objectives": "Nghiên cứu và phát triển phần mềm",
            "reason": "Mở rộng",
        },
        at=when,
    )


def step(dossier, action, who, when, **kw):
    dossier.refresh_from_db()
    return services.act(dossier, action, by=who, version=dossier.version, at=when, **kw)


def test_a_dossier_gets_its_code_and_at_receipt_an_appointment_ten_working_days_on(desk, enterprise_user, project):
    people, catalogue = desk
    # filed on Friday 28 Aug 2026, received the same day: 31 Aug and 1–2 Sep are days off
    dossier = adjust(enterprise_user, project, catalogue, at("2026-08-28", "10:00"))
    assert re.fullmatch(r"H26\.71-260828-\d{4}", dossier.code)
    assert dossier.status == Status.FILED and dossier.unit.code == "MC"
    dossier = step(dossier, "receive", people["motcua"], at("2026-08-28", "11:00"))
    assert dossier.status == Status.RECEIVED and dossier.unit.code == "QLDT"
    due_day = add_working_days(dt.date(2026, 8, 28), 10)
    assert timezone.localtime(dossier.due_at).date() == due_day
    assert due_day == dt.date(2026, 9, 16)  # 31/8 (swapped), 1/9 and 2/9 off, and two weekends, skipped
    # the division's own deadline is its share (6 working days), within the whole
    open_step = dossier.steps.get(ended_at__isnull=True)
    assert timezone.localtime(open_step.due_at).date() == add_working_days(dt.date(2026, 8, 28), 6)


def test_an_online_dossier_received_outside_office_hours_counts_from_the_next_opening(desk, enterprise_user, project):
    people, catalogue = desk
    dossier = adjust(enterprise_user, project, catalogue, at("2026-11-06", "21:30"))  # a Friday night
    dossier = step(dossier, "receive", people["motcua"], at("2026-11-07", "10:00"))  # Saturday
    assert timezone.localtime(dossier.received_at) == at("2026-11-09", "08:00")


def test_a_supplement_request_lists_everything_with_reasons_and_stops_the_clock(desk, enterprise_user, project):
    people, catalogue = desk
    dossier = adjust(enterprise_user, project, catalogue, at("2026-11-02"))
    dossier = step(dossier, "receive", people["motcua"], at("2026-11-02", "10:00"))
    parts = list(dossier.procedure_version.parts.order_by("order"))
    with pytest.raises(ServiceError) as empty:
        step(dossier, "request_supplement", people["chuyenvien"], at("2026-11-03"), items=[])
    assert "items" in empty.value.message_dict
    with pytest.raises(ServiceError) as no_reason:
        step(dossier, "request_supplement", people["chuyenvien"], at("2026-11-03"), items=[{"part": parts[0].pk}])
    assert "items.0" in no_reason.value.message_dict
    due_before = dossier.due_at
    dossier = step(
        dossier,
        "request_supplement",
        people["chuyenvien"],
        at("2026-11-03", "09:00"),
        items=[
            {"part": parts[1].pk, "reason": "Báo cáo chưa có số liệu quý III"},
            {"field": "objectives", "reason": "Mục tiêu chưa nêu quy mô"},
        ],
    )
    assert dossier.status == Status.SUPPLEMENT and dossier.paused_at is not None
    owner = enterprise_user
    # the answer must cover every item: a missing part, a file of the wrong type
    with pytest.raises(ServiceError) as missing:
        step(dossier, "supplement", owner, at("2026-11-05"), form={"objectives": "Quy mô 500 kỹ sư"})
    assert f"part_{parts[1].pk}" in missing.value.message_dict
    png = SimpleUploadedFile("bao-cao.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, content_type="application/pdf")
    with pytest.raises(ServiceError) as wrong:
        step(dossier, "supplement", owner, at("2026-11-05"), files={parts[1].pk: png}, form={"objectives": "Quy mô"})
    assert f"part_{parts[1].pk}" in wrong.value.message_dict
    # answered two working days (16 office hours) later: the appointment moves by as much
    dossier = step(
        dossier,
        "supplement",
        owner,
        at("2026-11-05", "09:00"),
        files={parts[1].pk: pdf("bao-cao.pdf")},
        form={"objectives": "Quy mô 500 kỹ sư"},
    )
    assert dossier.status == Status.RECEIVED and dossier.paused_at is None
    assert timezone.localtime(dossier.due_at).date() == add_working_days(timezone.localtime(due_before).date(), 2)
    assert dossier.form["objectives"] == "Quy mô 500 kỹ sư"
    assert DossierFile.objects.filter(dossier=dossier, part=parts[1], current=True).get().original_name == "bao-cao.pdf"
    # a second request for something the first did not ask is refused unless the board says why
    with pytest.raises(ServiceError) as second:
        step(
            dossier,
            "request_supplement",
            people["chuyenvien"],
            at("2026-11-06"),
            items=[{"part": parts[2].pk, "reason": "Quyết định chưa đóng dấu"}],
        )
    assert "why_new_items" in second.value.message_dict
    dossier = step(
        dossier,
        "request_supplement",
        people["chuyenvien"],
        at("2026-11-06"),
        items=[{"part": parts[2].pk, "reason": "Quyết định chưa đóng dấu"}],
        why_new_items="Quyết định mới được ban hành sau lần bổ sung trước",
    )
    assert dossier.supplements == 2
    # after the answer's deadline the supplement is refused
    request = dossier.supplement_requests.get(number=2)
    late = dt.datetime.combine(request.answer_due + dt.timedelta(days=1), dt.time(9), TZ)
    with pytest.raises(ServiceError) as too_late:
        step(dossier, "supplement", owner, late, files={parts[2].pk: pdf()})
    assert request.answer_due.strftime("%d/%m/%Y") in too_late.value.message_dict["__all__"][0]


def test_each_unit_takes_its_step_on_time_the_leader_signs_and_the_registry_follows(desk, enterprise_user, project):
    people, catalogue = desk
    capital = project.registered_capital_vnd + 300_000_000_000
    dossier = adjust(enterprise_user, project, catalogue, at("2026-11-02"), capital=capital)
    dossier = step(dossier, "receive", people["motcua"], at("2026-11-02", "10:00"))
    # only the unit that holds the dossier takes its step; the review is the head's alone
    with pytest.raises(PermissionDenied):
        step(dossier, "forward", people["lanhdao"], at("2026-11-03"))
    dossier = step(dossier, "forward", people["chuyenvien"], at("2026-11-05"))
    with pytest.raises(PermissionDenied):
        step(dossier, "forward", people["chuyenvien"], at("2026-11-05", "10:00"))
    with pytest.raises(PermissionDenied):
        step(dossier, "sign", people["lanhdao"], at("2026-11-06"))  # not at the leader's step yet
    with pytest.raises(TransitionError):
        step(dossier, "supplement", enterprise_user, at("2026-11-06"))  # nothing was asked
    dossier = step(dossier, "forward", people["truongphong"], at("2026-11-06"))
    dossier = step(dossier, "sign", people["lanhdao"], at("2026-11-09"))
    assert dossier.status == Status.PROCESSED and dossier.unit.code == "MC"
    assert dossier.result.code.startswith(dossier.code)
    dossier = step(dossier, "return_result", people["motcua"], at("2026-11-09", "15:00"))
    assert dossier.status == Status.RETURNED and dossier.on_time is True
    slip = list(dossier.steps.order_by("started_at", "id"))
    assert [s.unit.code for s in slip] == ["MC", "QLDT", "QLDT", "LDB"]
    assert all(s.on_time for s in slip)
    assert [s.holder.username for s in slip] == ["motcua", "chuyenvien", "truongphong", "lanhdao"]
    project = Project.objects.get(pk=project.pk)
    assert project.registered_capital_vnd == capital
    amendment = project.amendments.get()
    assert amendment.date == dt.date(2026, 11, 9) and amendment.reference == dossier.code
    assert amendment.capital_change_vnd == 300_000_000_000
    assert (
        amendment.summary == dossier.result.summary and "vốn đăng ký từ" in amendment.summary
    )  # the result's words, in Vietnamese


def test_a_foreign_investors_project_states_its_capital_in_usd_too_and_the_registry_keeps_it(
    desk, other_enterprise_user, other_project
):
    """The registry holds a foreign-invested project's capital in VND and USD: a dossier that would
    register one, or change its capital, without the USD is refused at filing (not when the result
    is returned, after the leader signed)."""
    people, catalogue = desk
    more = other_project.registered_capital_vnd + 26_000_000_000
    with pytest.raises(ServiceError) as adjusted:
        adjust(other_enterprise_user, other_project, catalogue, at("2026-11-02"), capital=more)
    assert "registered_capital_usd" in adjusted.value.message_dict
    procedure = catalogue["DT-01"]  # an IRC for a new project
    form = {
        "project_name": "Nhà máy linh kiện quang học",
        "sector": "electronics",
        "registered_capital_vnd": 520_000_000_000,
        "objectives": "Sản xuất linh kiện quang học",
        "land_area_m2": 30_000,
        "term_years": 50,
    }

    def file(**extra):
        return services.dossier_file(
            procedure=procedure,
            by=other_enterprise_user,
            files=files_for(procedure, dt.date(2026, 11, 2)),
            form=form | extra,
            at=at("2026-11-02"),
        )

    with pytest.raises(ServiceError) as new:
        file()
    assert "registered_capital_usd" in new.value.message_dict
    dossier = file(registered_capital_usd=20_000_000)
    for action, who, day in (
        ("receive", "motcua", "2026-11-02"),
        ("forward", "chuyenvien", "2026-11-04"),
        ("forward", "truongphong", "2026-11-05"),
        ("sign", "lanhdao", "2026-11-06"),
        ("return_result", "motcua", "2026-11-06"),
    ):
        dossier = step(dossier, action, people[who], at(day, "10:00"))
    assert dossier.status == Status.RETURNED
    registered = Project.objects.get(name_vi="Nhà máy linh kiện quang học")
    assert registered.is_foreign_invested and registered.registered_capital_usd == 20_000_000
    assert registered.registered_capital_vnd == 520_000_000_000


def test_a_dossier_that_will_be_late_gets_an_apology_signed_by_the_head(desk, enterprise_user, project):
    people, catalogue = desk
    dossier = adjust(enterprise_user, project, catalogue, at("2026-11-02"))
    dossier = step(dossier, "receive", people["motcua"], at("2026-11-02", "10:00"))
    with pytest.raises(PermissionDenied):
        services.apologise(
            dossier, by=people["chuyenvien"], version=dossier.version, reason="Chậm", new_date=dt.date(2026, 12, 1)
        )
    with pytest.raises(ServiceError) as bad:
        services.apologise(
            dossier, by=people["truongphong"], version=dossier.version, reason="", new_date=dt.date(2026, 11, 3)
        )
    assert {"reason", "new_date"} <= set(bad.value.message_dict)
    first_due = dossier.due_at
    apology = services.apologise(
        dossier,
        by=people["truongphong"],
        version=dossier.version,
        reason="Cần lấy ý kiến Sở Tài chính",
        new_date=dt.date(2026, 11, 25),
    )
    dossier.refresh_from_db()
    assert dossier.apologies == 1 and apology.old_due_at == first_due
    assert timezone.localtime(dossier.due_at).date() == dt.date(2026, 11, 25)
    # the apology moves the appointment, not the first one: the dossier still counts as late
    for who, action, day in (
        ("chuyenvien", "forward", "2026-11-20"),
        ("truongphong", "forward", "2026-11-23"),
        ("lanhdao", "sign", "2026-11-24"),
        ("motcua", "return_result", "2026-11-24"),
    ):
        dossier = step(dossier, action, people[who], at(day))
    assert dossier.on_time is False


def test_refusals_and_withdrawals_carry_a_reason(desk, enterprise_user, project):
    people, catalogue = desk
    dossier = adjust(enterprise_user, project, catalogue, at("2026-11-02"))
    with pytest.raises(ServiceError) as empty:
        step(dossier, "refuse", people["motcua"], at("2026-11-02", "10:00"), reason="   ")
    assert "reason" in empty.value.message_dict
    with pytest.raises(ServiceError):
        step(dossier, "withdraw", enterprise_user, at("2026-11-02", "10:00"), reason="")
    dossier = step(dossier, "refuse", people["motcua"], at("2026-11-02", "10:00"), reason="Không thuộc thẩm quyền")
    assert dossier.status == Status.REFUSED and dossier.closing_reason == "Không thuộc thẩm quyền"


def test_bad_input_a_desk_meets(desk, enterprise_user, project, other_project):
    people, catalogue = desk
    procedure = catalogue["DT-03"]
    files = files_for(procedure, dt.date(2026, 11, 2))
    form = {"registered_capital_vnd": 1, "objectives": "x", "reason": "y"}
    # a dossier for another enterprise's project
    with pytest.raises(ServiceError) as theirs:
        services.dossier_file(procedure=procedure, by=enterprise_user, project=other_project, files=files, form=form)
    assert "project" in theirs.value.message_dict
    # a part of the wrong type: an image for a part that takes PDF only (by its content)
    parts = list(services.version_on(procedure, dt.date(2026, 11, 2)).parts.order_by("order"))
    image = SimpleUploadedFile("quyet-dinh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, content_type="image/png")
    with pytest.raises(ServiceError) as wrong:
        services.dossier_file(
            procedure=procedure, by=enterprise_user, project=project, files={**files, parts[2].pk: image}, form=form
        )
    assert f"part_{parts[2].pk}" in wrong.value.message_dict
    # a required part missing, a field the procedure does not ask, money with decimals
    del files[parts[0].pk]
    with pytest.raises(ServiceError) as more:
        services.dossier_file(
            procedure=procedure,
            by=enterprise_user,
            project=project,
            files=files,
            form={**form, "registered_capital_vnd": "12.5e3", "expert_name": "X"},
        )
    assert {f"part_{parts[0].pk}", "registered_capital_vnd", "expert_name"} <= set(more.value.message_dict)
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    # a stale step: written on an older read
    dossier = adjust(enterprise_user, project, catalogue, at("2026-11-02"))
    old = dossier.version
    services.act(dossier, "receive", by=people["motcua"], version=old, at=at("2026-11-02", "10:00"))
    for language, says in (("en", "The dossier was changed by someone else"), ("vi", "Hồ sơ vừa được người khác")):
        with translation.override(language), pytest.raises(ConflictError) as stale:
            services.act(dossier, "forward", by=people["chuyenvien"], version=old, at=at("2026-11-03"))
        assert says in str(stale.value)  # in the language of whoever is refused


def test_a_dossier_follows_the_version_in_force_on_the_day_it_is_received(desk, enterprise_user, project, zone):
    people, catalogue = desk
    procedure = catalogue["DT-01"]
    old = services.version_on(procedure, dt.date(2025, 9, 1))
    new = services.version_on(procedure, dt.date(2025, 9, 3))
    assert (old.processing_time, new.processing_time) == (15, 10)
    form = {
        "project_name": "Trung tâm dữ liệu",
        "sector": "software",
        "registered_capital_vnd": 200_000_000_000,
        "objectives": "Dữ liệu",
        "land_area_m2": 10_000,
        "term_years": 50,
    }
    dossier = services.dossier_file(
        procedure=procedure,
        by=enterprise_user,
        files=files_for(procedure, dt.date(2025, 9, 2)),
        form=form,
        at=at("2025-09-02"),
    )
    assert dossier.procedure_version == old
    dossier = step(dossier, "receive", people["motcua"], at("2025-09-03", "09:00"))
    assert dossier.procedure_version == new
    assert {f.part.version_id for f in dossier.files.all()} == {new.pk}  # the files follow the new version's parts
    assert timezone.localtime(dossier.due_at).date() == add_working_days(dt.date(2025, 9, 3), 10)


def test_a_fee_stops_the_clock_until_paid_and_a_paper_dossier_is_the_desks_to_record(desk, enterprise_user, project):
    people, catalogue = desk
    permit = catalogue["LD-01"]
    form = {
        "expert_name": "Kim Min-jun",
        "expert_nationality": "Hàn Quốc",
        "expert_position": "Kỹ sư trưởng",
        "work_from": "2026-12-01",
        "work_to": "2028-12-01",
    }
    files = files_for(permit, dt.date(2026, 11, 2))
    # only the desk records a paper dossier, naming the enterprise
    with pytest.raises(ServiceError) as not_desk:
        services.dossier_file(
            procedure=permit,
            by=people["chuyenvien"],
            channel="paper",
            enterprise=project.enterprise,
            files=files,
            form=form,
        )
    assert "channel" in not_desk.value.message_dict
    dossier = services.dossier_file(
        procedure=permit,
        by=people["motcua"],
        channel="paper",
        enterprise=project.enterprise,
        files=files_for(permit, dt.date(2026, 11, 2)),
        form=form,
        at=at("2026-11-02", "08:30"),
    )
    assert dossier.channel == "paper" and dossier.enterprise == project.enterprise
    dossier = step(dossier, "receive", people["motcua"], at("2026-11-02", "09:00"))
    assert dossier.status == Status.FEES_DUE and dossier.paused_at is not None
    due = dossier.due_at
    dossier = step(dossier, "pay", people["motcua"], at("2026-11-03", "09:00"))  # 8 office hours later
    assert dossier.status == Status.RECEIVED and dossier.paused_at is None
    assert timezone.localtime(dossier.due_at).date() == add_working_days(timezone.localtime(due).date(), 1)


def test_the_head_sends_back_the_leadership_stops_and_the_enterprise_is_told(desk, enterprise_user, project):
    from zonedesk.petitions.models import Notification

    people, catalogue = desk
    dossier = adjust(enterprise_user, project, catalogue, at("2026-11-02"))
    dossier = step(dossier, "receive", people["motcua"], at("2026-11-02", "10:00"))
    assert Notification.objects.filter(user=enterprise_user, subject__contains=dossier.code).exists()
    dossier = step(dossier, "forward", people["chuyenvien"], at("2026-11-03"))
    with pytest.raises(ServiceError):
        step(dossier, "send_back", people["truongphong"], at("2026-11-04"), reason="")
    dossier = step(dossier, "send_back", people["truongphong"], at("2026-11-04"), reason="Thiếu ý kiến Sở Tài chính")
    assert dossier.status == Status.RECEIVED and dossier.step == 2
    assert dossier.steps.filter(outcome="sent_back").count() == 1
    with pytest.raises(PermissionDenied):
        step(dossier, "stop", people["truongphong"], at("2026-11-05"), reason="x")
    dossier = step(
        dossier, "stop", people["lanhdao"], at("2026-11-05"), reason="Dự án bị tạm dừng theo kết luận thanh tra"
    )
    assert dossier.status == Status.STOPPED and dossier.closed_at is not None
    assert Notification.objects.filter(user=enterprise_user, body__contains="thanh tra").exists()


def test_the_catalogue_offers_the_form_to_fill_in_and_the_public_downloads_it(desk, client):
    from zonedesk.core.files import detect

    people, catalogue = desk
    part = services.version_on(catalogue["DT-03"], dt.date(2026, 11, 2)).parts.get(order=1)
    assert part.template
    page = client.get("/procedures/DT-03/").content.decode()
    assert f"/procedures/DT-03/templates/{part.pk}/" in page
    answer = client.get(f"/procedures/DT-03/templates/{part.pk}/")
    assert answer.status_code == 200
    import io

    body = b"".join(answer.streaming_content)
    assert detect(io.BytesIO(body)).code == "docx"
    assert client.get(f"/procedures/LD-01/templates/{part.pk}/").status_code == 404  # not that procedure's part


def test_an_extended_schedule_moves_the_open_milestones_and_the_roadmap_made_from_them(
    desk, enterprise_user, zone, make_project
):
    from zonedesk.roadmaps.models import Milestone
    from zonedesk.roadmaps.services import roadmap_from_project

    people, catalogue = desk
    project = make_project(
        zone=zone,
        enterprise=enterprise_user.enterprise,
        milestones=[
            {"kind": "land", "planned_date": dt.date(2021, 6, 1), "actual_date": dt.date(2021, 5, 20)},
            {"kind": "construction", "planned_date": dt.date(2026, 6, 1)},
            {"kind": "operation", "planned_date": dt.date(2027, 6, 1)},
        ],
    )
    roadmap = roadmap_from_project(by=None, project=project)
    procedure = catalogue["DT-05"]
    files = files_for(procedure, dt.date(2026, 11, 2))
    with pytest.raises(ServiceError) as early:  # not after the last milestone: no extension
        services.dossier_file(
            procedure=procedure,
            by=enterprise_user,
            project=project,
            files=files,
            form={"new_deadline": "2027-01-01", "reason": "Chậm giải phóng mặt bằng"},
            at=at("2026-11-02"),
        )
    assert "new_deadline" in early.value.message_dict
    dossier = services.dossier_file(
        procedure=procedure,
        by=enterprise_user,
        project=project,
        files=files_for(procedure, dt.date(2026, 11, 2)),
        form={"new_deadline": "2028-06-01", "reason": "Chậm giải phóng mặt bằng"},
        at=at("2026-11-02"),
    )
    for who, action, day in (
        ("motcua", "receive", "2026-11-02"),
        ("chuyenvien", "forward", "2026-11-09"),
        ("truongphong", "forward", "2026-11-10"),
        ("lanhdao", "sign", "2026-11-11"),
        ("motcua", "return_result", "2026-11-11"),
    ):
        dossier = step(dossier, action, people[who], at(day, "14:00"))
    planned = dict(project.milestones.values_list("kind", "planned_date"))
    assert planned == {
        "land": dt.date(2021, 6, 1),
        "construction": dt.date(2027, 6, 2),  # 366 days later: the spacing is kept
        "operation": dt.date(2028, 6, 1),
    }
    ends = dict(Milestone.objects.filter(roadmap=roadmap).values_list("schedule_milestone__kind", "planned_end"))
    assert ends["construction"] == dt.date(2027, 6, 2) and ends["operation"] == dt.date(2028, 6, 1)
    assert project.amendments.get().reference == dossier.code

"""The petition lifecycle: every allowed and refused transition, who may take it, deadlines,
the clock, concurrency and who sees what."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from zonedesk.core.errors import ConflictError, ServiceError, TransitionError
from zonedesk.petitions import services
from zonedesk.petitions.models import Petition, PetitionEvent, SLAPolicy
from zonedesk.petitions.workflow import TRANSITIONS, allowed_actions

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def petition(zone, project, enterprise_user):
    return services.petition_submit(
        zone=zone,
        title="Chậm đấu nối điện 22kV cho nhà xưởng",
        body="Doanh nghiệp đã nộp hồ sơ đấu nối từ tháng 8 nhưng chưa được cấp điện, sản xuất bị đình trệ.",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
        received_at=dt.datetime(2026, 11, 16, 9, 0, tzinfo=HANOI),
    )


def test_intake_gives_a_reference_and_deadlines(petition):
    assert petition.reference == "PAKN-2026-000001"
    assert petition.status == "submitted"
    # 8 office hours after Monday 16 Nov 09:00
    assert petition.acknowledge_due_at == dt.datetime(2026, 11, 17, 9, 0, tzinfo=HANOI)
    # 15 working days after 16 Nov, with 24 Nov (Culture Day) off: Tuesday 8 Dec, close of office
    assert petition.answer_due_at == dt.datetime(2026, 12, 8, 17, 0, tzinfo=HANOI)
    assert list(petition.events.values_list("action", "to_status")) == [("submit", "submitted")]


def test_references_are_sequential_per_year(zone, petition, enterprise_user):
    second = services.petition_submit(
        zone=zone, title="Thuế", body="Hoàn thuế GTGT chậm", category="tax", enterprise=enterprise_user.enterprise
    )
    assert second.reference == "PAKN-2026-000002"


def test_public_intake_needs_a_name_and_a_way_to_answer(zone):
    with pytest.raises(ServiceError) as exc:
        services.petition_submit(zone=zone, title="Hỏi", body="Nội dung", category="other", source="public")
    assert {"petitioner_name", "petitioner_email"} <= set(exc.value.message_dict)
    with pytest.raises(ServiceError) as exc:
        services.petition_submit(
            zone=zone,
            title="Hỏi",
            body="Nội dung",
            category="other",
            source="public",
            consent_version=1,
            petitioner_name="Nguyễn Văn A",
            petitioner_email="not-an-email",
        )
    assert "petitioner_email" in exc.value.message_dict
    ok = services.petition_submit(
        zone=zone,
        title="Hỏi",
        body="Nội dung",
        category="other",
        source="public",
        consent_version=1,
        petitioner_name="Nguyễn Văn A",
        petitioner_phone="0912 345 678",
    )
    assert ok.enterprise is None and ok.status == "submitted"
    assert Petition.objects.count() == 1


def test_urgent_and_board_policies_set_the_deadlines(zone, enterprise_user):
    received = dt.datetime(2026, 11, 16, 9, 0, tzinfo=HANOI)
    urgent = services.petition_submit(
        zone=zone,
        title="Mất điện",
        body="Mất điện toàn nhà máy",
        category="infrastructure",
        priority="urgent",
        enterprise=enterprise_user.enterprise,
        received_at=received,
    )
    assert urgent.acknowledge_due_at == dt.datetime(2026, 11, 16, 14, 0, tzinfo=HANOI)  # 4 office hours
    SLAPolicy.objects.create(category="tax", priority="", answer_days=10, effective_from=dt.date(2026, 1, 1))
    tax = services.petition_submit(
        zone=zone,
        title="Thuế",
        body="Hoàn thuế",
        category="tax",
        enterprise=enterprise_user.enterprise,
        received_at=received,
    )
    assert tax.answer_due_at == dt.datetime(2026, 12, 1, 17, 0, tzinfo=HANOI)  # 10 working days, 24 Nov off


def test_the_whole_path_with_who_may_do_what(
    petition, board_user, agency, agency_user, enterprise_user, other_enterprise_user, other_agency_user
):
    with pytest.raises(PermissionDenied):
        services.petition_act(petition=petition, action="triage", by=enterprise_user)
    p = services.petition_act(
        petition=petition, action="triage", by=board_user, impact_production_stopped=True, impact_workers=120
    )
    assert p.status == "triaged" and p.impact_workers == 120
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    with pytest.raises(PermissionDenied):  # not the lead agency
        services.petition_act(petition=p, action="start", by=other_agency_user)
    p = services.petition_act(petition=p, action="start", by=agency_user)
    with pytest.raises(TransitionError):  # nothing submitted for approval yet
        services.petition_act(petition=p, action="answer", by=board_user)
    services.answer_write(petition=p, by=agency_user, body="Đã chỉ đạo đấu nối trong tuần.", submit=True)
    p = services.petition_act(petition=p, action="answer", by=board_user)
    assert p.status == "answered" and p.answered_at is not None
    with pytest.raises(ServiceError):  # a public summary is needed
        services.petition_act(petition=p, action="publish", by=board_user)
    p = services.petition_act(petition=p, action="publish", by=board_user, public_summary="Đã xử lý đấu nối điện.")
    with pytest.raises(PermissionDenied):  # another enterprise cannot close it
        services.petition_act(petition=p, action="close", by=other_enterprise_user)
    p = services.petition_act(petition=p, action="close", by=enterprise_user)
    assert p.status == "closed"
    services.petition_rate(petition=p, by=enterprise_user, satisfied=True)
    actions = list(PetitionEvent.objects.filter(petition=p).values_list("action", flat=True))
    assert actions == ["submit", "triage", "assign", "start", "answer_submitted", "answer", "publish", "close", "rate"]
    assert all(e.actor_id for e in PetitionEvent.objects.filter(petition=p).exclude(action="submit"))


# every (action, status) pair: allowed exactly when the table says so
ALL_STATUSES = [s for s, _ in Petition._meta.get_field("status").choices]


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_every_transition_is_allowed_only_from_its_sources(
    petition, board_user, agency, agency_user, enterprise_user, action, status
):
    Petition.objects.filter(pk=petition.pk).update(status=status, lead_agency=agency, closed_at=petition.received_at)
    petition.refresh_from_db()
    transition = TRANSITIONS[action]
    who = {"board": board_user, "lead_agency": agency_user, "owner": enterprise_user, "system": None}
    user = who[sorted(transition.who)[0]]
    params = {
        "assign": {"lead_agency": agency},
        "publish": {"public_summary": "Tóm tắt"},
        "merge": {
            "into": services.petition_submit(
                zone=petition.zone, title="Trùng", body="Trùng", category="other", enterprise=enterprise_user.enterprise
            )
        },
    }.get(action, {})
    if action == "answer":
        from zonedesk.petitions.models import Answer

        Answer.objects.create(petition=petition, agency=agency, body="Trả lời", state="submitted")
    reason = "Lý do" if transition.needs_reason else ""
    if status in transition.sources:
        try:
            after = services.petition_act(petition=petition, action=action, by=user, reason=reason, **params)
        except TransitionError as exc:  # a rule beyond the table, e.g. reopening too late
            assert action in {"reopen", "publish"}, exc
        else:
            assert after.status == transition.target
    else:
        with pytest.raises(TransitionError):
            services.petition_act(petition=petition, action=action, by=user, reason=reason, **params)
        petition.refresh_from_db()
        assert petition.status == status


@pytest.mark.parametrize("action", ["reject", "transfer", "reopen"])
def test_these_need_a_reason(petition, board_user, agency, agency_user, enterprise_user, action):
    status = {"reject": "submitted", "transfer": "assigned", "reopen": "closed"}[action]
    Petition.objects.filter(pk=petition.pk).update(status=status, lead_agency=agency, closed_at=dt.datetime.now(HANOI))
    user = {"reject": board_user, "transfer": agency_user, "reopen": enterprise_user}[action]
    with pytest.raises(ServiceError) as exc:
        services.petition_act(petition=petition, action=action, by=user, reason="  ")
    assert "reason" in exc.value.message_dict
    done = services.petition_act(petition=petition, action=action, by=user, reason="Lý do cụ thể")
    assert done.events.last().reason == "Lý do cụ thể"


def test_transfer_returns_it_to_the_board_and_removes_the_agencys_access(
    petition, board_user, agency, agency_user, other_agency
):
    p = services.petition_act(petition=petition, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    assert Petition.objects.restrict(agency_user).filter(pk=p.pk).exists()
    p = services.petition_act(petition=p, action="transfer", by=agency_user, reason="Thuộc thẩm quyền EVN")
    assert p.status == "transferred" and p.lead_agency is None
    assert not Petition.objects.restrict(agency_user).filter(pk=p.pk).exists()
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=other_agency)
    assert p.status == "assigned"


def test_merge_keeps_the_link(petition, board_user, zone, enterprise_user):
    dup = services.petition_submit(
        zone=zone,
        title="Trùng",
        body="Lại chậm đấu nối điện",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
    )
    merged = services.petition_act(petition=dup, action="merge", by=board_user, into=petition)
    assert merged.status == "merged" and merged.merged_into == petition
    assert list(petition.duplicates.all()) == [merged]


def test_reopen_only_within_the_set_days(petition, enterprise_user):
    long_ago = dt.datetime(2026, 1, 5, 9, 0, tzinfo=HANOI)
    Petition.objects.filter(pk=petition.pk).update(status="closed", closed_at=long_ago)
    with pytest.raises(TransitionError):
        services.petition_act(petition=petition, action="reopen", by=enterprise_user, reason="Chưa xử lý xong")


def test_a_stale_writer_gets_a_conflict_not_a_silent_overwrite(petition, board_user):
    read_version = petition.version
    services.petition_act(petition=petition, action="triage", by=board_user, version=read_version)
    with pytest.raises(ConflictError):
        services.petition_act(petition=petition, action="reject", by=board_user, version=read_version, reason="x")
    petition.refresh_from_db()
    assert petition.status == "triaged"


def test_the_clock_pauses_while_waiting_for_the_enterprise(petition, board_user):
    due = petition.answer_due_at
    services.petition_request_info(petition=petition, by=board_user, reason="Bổ sung bản vẽ đấu nối")
    Petition.objects.filter(pk=petition.pk).update(paused_at=dt.datetime(2026, 11, 17, 9, 0, tzinfo=HANOI))
    petition.refresh_from_db()
    # supplied two office days later (Thursday 19 Nov 09:00): 16 office hours added
    p = services.petition_info_supplied(
        petition=petition, by=board_user, now=dt.datetime(2026, 11, 19, 9, 0, tzinfo=HANOI)
    )
    assert p.paused_at is None
    assert p.answer_due_at == dt.datetime(2026, 12, 10, 17, 0, tzinfo=HANOI)
    assert due == dt.datetime(2026, 12, 8, 17, 0, tzinfo=HANOI)


def test_one_extension_with_a_reason(petition, board_user):
    with pytest.raises(ServiceError):
        services.petition_extend(petition=petition, by=board_user, reason="")
    p = services.petition_extend(petition=petition, by=board_user, reason="Cần khảo sát hiện trường", days=5)
    assert p.answer_due_at == dt.datetime(2026, 12, 15, 17, 0, tzinfo=HANOI)
    with pytest.raises(TransitionError):
        services.petition_extend(petition=p, by=board_user, reason="Lần nữa")


def test_offered_actions_match_the_person(petition, board_user, enterprise_user, agency_user):
    assert {t.action for t in allowed_actions(petition, board_user)} == {"triage", "reject", "merge"}
    assert allowed_actions(petition, enterprise_user) == []
    assert allowed_actions(petition, agency_user) == []


def test_who_sees_which_petitions(
    petition,
    zone,
    board_user,
    leader_user,
    agency,
    agency_user,
    other_agency_user,
    enterprise_user,
    other_enterprise_user,
):
    services.petition_act(petition=petition, action="triage", by=board_user)
    services.petition_act(petition=petition, action="assign", by=board_user, lead_agency=agency)

    def sees(user):
        return Petition.objects.restrict(user).filter(pk=petition.pk).exists()

    assert sees(board_user) and sees(leader_user) and sees(agency_user) and sees(enterprise_user)
    assert not sees(other_agency_user) and not sees(other_enterprise_user)
    assert not Petition.objects.restrict(None, "public").exists()  # not published

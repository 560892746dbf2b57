"""Notifications, escalation and closing run as background work: inbox rows are written with the
change, e-mails leave from the worker, and each step happens once."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from zonedesk.petitions import services
from zonedesk.petitions.models import Notification

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


# The worker runs outside any transaction, as in production (it closes connections that are not
# in autocommit): tests that run it use a transactional database.
with_worker = pytest.mark.django_db(transaction=True)


@with_worker
def test_public_petitioner_is_emailed_by_the_worker_not_by_the_request(zone, board_user, mailoutbox):
    board_user.email = "bql@example.vn"
    board_user.save()
    p = services.petition_submit(
        zone=zone,
        title="Ngập nước",
        body="Đường nội khu ngập khi mưa",
        category="infrastructure",
        source="public",
        consent_version=1,
        petitioner_name="Lê Văn C",
        petitioner_email="c@example.vn",
    )
    assert mailoutbox == []  # nothing sent while handling the request
    assert Notification.objects.filter(petition=p, user=board_user).exists()  # in the board's inbox
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == ["bql@example.vn", "c@example.vn"]
    assert all(p.reference in m.subject for m in mailoutbox)
    run_worker()
    assert len(mailoutbox) == 2  # each e-mail once


def test_enterprise_users_get_the_answer_in_their_inbox(zone, enterprise_user, board_user, agency, agency_user):
    p = services.petition_submit(
        zone=zone,
        title="Thuế",
        body="Hoàn thuế",
        category="tax",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
    )
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    assert Notification.objects.filter(user=agency_user, petition=p).count() == 1
    services.answer_write(petition=p, by=agency_user, body="Đã hoàn thuế.", submit=True)
    services.petition_act(petition=p, action="answer", by=board_user)
    subjects = list(Notification.objects.filter(user=enterprise_user).values_list("subject", flat=True))
    assert len(subjects) == 2  # received, answered


def test_overdue_petitions_escalate_step_by_step_and_once(
    zone, enterprise_user, board_user, leader_user, agency, agency_user
):
    p = services.petition_submit(
        zone=zone,
        title="Điện",
        body="Mất điện",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        received_at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=HANOI),
    )
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    due = p.answer_due_at  # 22 Oct 2026, 17:00
    assert due == dt.datetime(2026, 10, 22, 17, 0, tzinfo=HANOI)
    Notification.objects.all().delete()

    assert services.petitions_escalate(now=due - dt.timedelta(hours=1)) == 0
    assert services.petitions_escalate(now=dt.datetime(2026, 10, 23, 9, 0, tzinfo=HANOI)) == 1
    p.refresh_from_db()
    assert p.escalation_level == 1
    assert Notification.objects.filter(user=agency_user).count() == 1
    assert Notification.objects.filter(user=enterprise_user).count() == 1
    assert services.petitions_escalate(now=dt.datetime(2026, 10, 23, 10, 0, tzinfo=HANOI)) == 0  # once
    # two working days after the deadline day: Monday 26 Oct → the board
    services.petitions_escalate(now=dt.datetime(2026, 10, 26, 9, 0, tzinfo=HANOI))
    p.refresh_from_db()
    assert p.escalation_level == 2 and Notification.objects.filter(user=board_user).count() == 1
    # five working days: Thursday 29 Oct → the city leader
    services.petitions_escalate(now=dt.datetime(2026, 10, 29, 9, 0, tzinfo=HANOI))
    p.refresh_from_db()
    assert p.escalation_level == 3 and Notification.objects.filter(user=leader_user).count() == 1
    assert list(p.events.filter(action="escalate").values_list("data__level", flat=True)) == [1, 2, 3]


def test_a_paused_petition_does_not_escalate(zone, enterprise_user, board_user):
    p = services.petition_submit(
        zone=zone,
        title="Đất",
        body="Bàn giao đất",
        category="land",
        enterprise=enterprise_user.enterprise,
        received_at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=HANOI),
    )
    services.petition_request_info(petition=p, by=board_user, reason="Bổ sung hồ sơ")
    assert services.petitions_escalate(now=dt.datetime(2026, 11, 20, 9, 0, tzinfo=HANOI)) == 0


def test_answered_petitions_close_after_the_set_days_without_reply(
    zone, enterprise_user, board_user, agency, agency_user
):
    p = services.petition_submit(
        zone=zone, title="Lao động", body="Giấy phép lao động", category="labour", enterprise=enterprise_user.enterprise
    )
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    services.answer_write(petition=p, by=agency_user, body="Đã cấp.", submit=True)
    p = services.petition_act(petition=p, action="answer", by=board_user)
    assert services.petitions_autoclose(now=p.answered_at + dt.timedelta(days=14)) == 0
    assert services.petitions_autoclose(now=p.answered_at + dt.timedelta(days=16)) == 1
    p.refresh_from_db()
    assert p.status == "closed" and p.events.last().data["confirmed_by"] == "no reply"


@with_worker
def test_the_tick_runs_as_a_task(zone, enterprise_user):
    from zonedesk.petitions.tasks import petitions_tick

    result = petitions_tick.enqueue()
    run_worker()
    result.refresh()
    assert result.return_value == {"escalated": 0, "closed": 0}


@with_worker
def test_the_worker_command_runs_the_queue_and_the_periodic_work(zone, mailoutbox):
    services.petition_submit(
        zone=zone,
        title="Hỏi",
        body="Nội dung",
        category="other",
        source="public",
        consent_version=1,
        petitioner_name="Phạm D",
        petitioner_email="d@example.vn",
    )
    call_command("worker", "--once", verbosity=0)
    assert [m.to for m in mailoutbox] == [["d@example.vn"]]


def test_inbox_shows_only_my_notifications(zone, enterprise_user, other_enterprise_user, client):
    services.petition_submit(
        zone=zone,
        title="Hỏi",
        body="Nội dung",
        category="other",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
    )
    client.force_login(enterprise_user)
    items = client.get("/api/v1/inbox").json()["items"]
    assert len(items) == 1
    nid = items[0]["id"]
    client.force_login(other_enterprise_user)
    assert client.get("/api/v1/inbox").json()["count"] == 0
    assert client.post(f"/api/v1/inbox/{nid}/read").status_code == 404
    client.force_login(enterprise_user)
    assert client.post(f"/api/v1/inbox/{nid}/read").json()["read_at"] is not None
    assert client.get("/api/v1/inbox?unread=true").json()["count"] == 0


def test_inbox_page_and_overdue_flag_on_the_dashboard(zone, enterprise_user, board_user, agency, client):
    p = services.petition_submit(
        zone=zone,
        title="Đường ngập",
        body="Ngập nước",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        received_at=dt.datetime(2026, 9, 1, 9, 0, tzinfo=HANOI),
    )
    p = services.petition_act(petition=p, action="triage", by=board_user)
    services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    services.petitions_escalate(now=dt.datetime(2026, 11, 20, 9, 0, tzinfo=HANOI))
    client.force_login(board_user)
    dashboard = client.get("/dashboard/").content.decode()
    assert p.reference in dashboard and ">↑3<" in dashboard  # the escalation step, its meaning in a title
    page = client.get("/inbox/")
    assert page.status_code == 200 and p.reference in page.content.decode()
    note = Notification.objects.filter(user=board_user, read_at__isnull=True).first()
    r = client.post(f"/inbox/{note.pk}/")
    assert r.status_code == 302 and r["Location"].endswith(f"/petitions/{p.reference}/")
    note.refresh_from_db()
    assert note.read_at is not None
    client.force_login(enterprise_user)
    assert client.post(f"/inbox/{note.pk}/").status_code == 404  # not theirs


def test_the_menu_shows_a_persons_unread_notices_on_every_page(zone, enterprise_user, client):
    """The count comes from petitions, registered with core's context (core names no app)."""
    for n in range(2):
        Notification.objects.create(user=enterprise_user, subject=f"Tin {n}", body="Nội dung")
    Notification.objects.create(user=enterprise_user, subject="Đã đọc", body="x", read_at=timezone.now())
    assert '<span class="count"' not in client.get("/").content.decode()  # the public: no inbox
    client.force_login(enterprise_user)
    page = client.get("/projects/").content.decode()
    assert re.search(r'<span class="count"[^>]*>2</span>', page)

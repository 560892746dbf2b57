"""Each demo account finds something to do when it logs in (issue 22, item 3): the board new
petitions to triage and deadlines this week, the agencies petitions assigned and due, the
enterprises an answer to confirm and a report owed, the leader this year's figures.

The tests read the demo of the run, built on the real today (tests/conftest.py), through the
pages each account opens; each runs in a transaction rolled back after it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from zonedesk.core.calendar import working_hours_between
from zonedesk.core.models import User
from zonedesk.dialogue.models import Conference
from zonedesk.investment import selectors as investment_selectors
from zonedesk.investment.models import PeriodicReport, Project
from zonedesk.petitions import workflow
from zonedesk.petitions.models import OPEN_STATUSES, Petition
from zonedesk_demo.investment import demo_now


@pytest.fixture
def accounts(demo_everything, db) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(is_demo=True)}


def _page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response


def working_days_between(start, end) -> float:
    """Working days of the office's calendar between two moments (holidays and weekends left out)."""
    return working_hours_between(start, end) / 8


def test_there_is_a_demo_account_for_the_commune(accounts, client, settings):
    assert {"admin", "bql", "lanhdao", "thue", "xahoalac", "fpt", "hanwha"} <= set(accounts)
    assert accounts["xahoalac"].agency.code == "UBND-HOALAC"
    settings.DEMO_MODE = True
    html = client.get(reverse("login")).content.decode()  # the two agency accounts tell which agency
    assert "<code>xahoalac</code>" in html and "Ủy ban nhân dân xã Hòa Lạc" in html
    assert "<code>thue</code>" in html and accounts["thue"].agency.name_vi in html


@pytest.mark.parametrize("username", ["bql", "admin"])
def test_the_board_has_new_petitions_to_triage_and_deadlines_this_week(client, accounts, username):
    user = accounts[username]
    new = _page(client, user, reverse("petition_queue"), status="submitted").context["page"]
    assert new.paginator.count >= 3
    assert any(t.action == "triage" for t in workflow.allowed_actions(new.object_list[0], user))
    queue = _page(client, user, reverse("petition_queue")).context["page"]
    now = timezone.now()
    # within five working days (a week of the office's calendar: Tết makes it longer in days)
    due = [
        p
        for p in queue.paginator.object_list
        if p.answer_due_at and now <= p.answer_due_at and working_days_between(now, p.answer_due_at) <= 5
    ]
    assert due, "nothing due this week"


@pytest.mark.parametrize(("username", "agency"), [("thue", "THUE-HN"), ("xahoalac", "UBND-HOALAC")])
def test_an_agency_officer_has_petitions_assigned_and_due(client, accounts, username, agency):
    user = accounts[username]
    queue = _page(client, user, reverse("petition_queue")).context["page"]
    mine = [p for p in queue.paginator.object_list if p.lead_agency and p.lead_agency.code == agency]
    assert mine, "no petition routed to the agency"
    now = timezone.now()
    assert any(t.action == "start" for p in mine for t in workflow.allowed_actions(p, user)), "none to start"
    soon = [
        p
        for p in mine
        if p.status in OPEN_STATUSES and p.answer_due_at and working_days_between(now, p.answer_due_at) <= 7
    ]
    assert soon, "none due in the next days"
    overdue = [p for p in mine if p.answer_due_at < now]
    assert all((now - p.answer_due_at).days <= 90 for p in overdue)  # late by days or weeks, not years


@pytest.mark.parametrize("username", ["fpt", "hanwha"])
def test_an_enterprise_has_an_answer_to_confirm(client, accounts, username):
    user = accounts[username]
    response = _page(client, user, reverse("portal_petitions"))
    assert response.context["counts"]["to_confirm"] >= 1
    answered = Petition.objects.filter(enterprise=user.enterprise, status__in=["answered", "published"])
    assert any(t.action == "close" for p in answered for t in workflow.allowed_actions(p, user))
    statuses = set(Petition.objects.filter(enterprise=user.enterprise).values_list("status", flat=True))
    assert len(statuses) >= 3


def test_fpt_owes_its_last_quarterly_report(accounts):
    fpt = accounts["fpt"].enterprise
    owed = investment_selectors.report_obligations(projects=Project.objects.filter(enterprise=fpt))
    assert any(o.report is None for o in owed)
    assert PeriodicReport.objects.filter(project__enterprise=fpt).exists()


def test_the_leader_opens_on_this_years_figures(client, accounts):
    today = timezone.localdate()
    response = _page(client, accounts["lanhdao"], reverse("dashboard"))
    year = response.context["year"]
    reported = PeriodicReport.objects.filter(year=today.year).exists()
    assert year == (today.year if reported else today.year - 1)
    figures = response.context["figures"]
    assert figures["projects"]["total"] > 109 and figures["revenue_vnd"] > 0 and figures["workers"] > 14_500
    html = response.content.decode()
    if year == today.year:  # the year's flows so far, and said so
        assert figures["to_date"] and f"Doanh thu năm {today.year} (lũy kế đến nay)" in html


def test_the_demo_of_today_ends_today(demo_everything, db):
    """The demo the visitor opens: petitions received up to the last working day, the last
    conference a week or two ago and the next one ahead, nothing overdue by years."""
    now = demo_now(demo_everything.today)
    newest = Petition.objects.aggregate(m=Max("received_at"))["m"]
    assert working_days_between(newest, now) <= 2  # the last working day's (after Tết, days ago)
    assert Conference.objects.filter(starts_at__lt=now, starts_at__gte=now - dt.timedelta(days=20)).exists()
    assert Conference.objects.filter(starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=30)).exists()
    overdue = Petition.objects.filter(status__in=OPEN_STATUSES, paused_at__isnull=True, answer_due_at__lt=now)
    oldest = overdue.order_by("answer_due_at").first()
    assert oldest is not None and (now - oldest.answer_due_at).days <= 90

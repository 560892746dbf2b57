"""The case machinery itself (`zonedesk.cases`), on a toy case type declared here: a dossier
with its own workflow table and clock. Transitions refused with the reason a person reads,
deadlines over Tết on the working-day calendar, the clock paused and resumed, extended and
escalated, notification hooks, files checked by their content."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import TextChoices
from django.utils import translation

from tests.test_attachments import make_pdf, upload
from zonedesk.cases import notifications, timeline
from zonedesk.cases.attachments import check_files
from zonedesk.cases.clock import Clock, due_after_days, due_after_hours, escalation_level
from zonedesk.cases.workflow import SYSTEM, Workflow, transition
from zonedesk.core.errors import ServiceError, TransitionError
from zonedesk.core.models import CalendarDay

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HANOI)


# --- a toy case type: a dossier received, checked, then approved or refused ----------------


class State(TextChoices):
    RECEIVED = "received", "Received"
    CHECKED = "checked", "Checked"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


@dataclass
class Dossier:
    status: str = "received"
    officer: str = "lan"
    complete: bool = True
    helpers: set[str] = field(default_factory=set)
    due_at: dt.datetime | None = None
    waiting_since: dt.datetime | None = None


def roles(dossier: Dossier, user: Any) -> set[str]:
    if user == "chief":
        return {"chief"}
    return {"officer"} if user == dossier.officer else set()


DOSSIER = Workflow(
    name="dossier",
    states=State,
    transitions=[
        transition("check", "Check", {"received"}, "checked", {"officer"}),
        transition("approve", "Approve", {"checked"}, "approved", {"chief"}),
        transition("refuse", "Refuse", {"received", "checked"}, "refused", {"chief"}, needs_reason=True),
        transition("expire", "Expire", {"received"}, "refused", {SYSTEM}),
    ],
    roles=roles,
    refused="A dossier that is “%(status)s” cannot be moved with “%(action)s”.",
    forbidden="You may not do this with this dossier.",
    extra_roles={"helper": lambda d, user: user in d.helpers},
    other_writes={"comment": frozenset({"officer", "helper"})},
    guards={"approve": lambda d: d.complete},
)
CLOCK = Clock(due_field="due_at", paused_field="waiting_since")


def test_a_transition_moves_the_case_and_says_where_it_came_from():
    dossier = Dossier()
    move = DOSSIER.move(dossier, "check", "lan")
    assert dossier.status == "checked" and move.from_state == "received" and move.transition.target == "checked"


def test_a_transition_from_the_wrong_state_is_refused_with_the_states_name():
    dossier = Dossier(status="approved")
    with pytest.raises(TransitionError) as err:
        DOSSIER.move(dossier, "refuse", "chief", reason="late")
    assert str(err.value) == "A dossier that is “Approved” cannot be moved with “Refuse”."
    assert dossier.status == "approved"


def test_a_person_the_table_does_not_name_is_refused():
    dossier = Dossier()
    with pytest.raises(PermissionDenied) as err:
        DOSSIER.move(dossier, "check", "minh")  # another officer's dossier
    assert str(err.value) == "You may not do this with this dossier."
    with pytest.raises(PermissionDenied):
        DOSSIER.move(dossier, "expire", "chief")  # the system's step, not a person's
    assert DOSSIER.move(dossier, "expire", None).transition.action == "expire"
    assert dossier.status == "refused"


def test_an_action_that_needs_a_reason_is_refused_without_one():
    dossier = Dossier()
    with pytest.raises(ServiceError) as err:
        DOSSIER.move(dossier, "refuse", "chief", reason="   ")
    assert err.value.message_dict == {"reason": ["Give the reason."]}
    assert dossier.status == "received"
    assert DOSSIER.move(dossier, "refuse", "chief", reason="  Thiếu bản vẽ  ").reason == "Thiếu bản vẽ"


def test_an_unknown_action_is_refused():
    with pytest.raises(TransitionError) as err:
        DOSSIER.check(Dossier(), "approve-all", "chief")
    assert "approve-all" in str(err.value)


def test_pages_are_offered_only_what_would_pass():
    dossier = Dossier(status="checked", complete=False)
    assert [t.action for t in DOSSIER.allowed(dossier, "chief")] == ["refuse"]  # approve waits for the guard
    dossier.complete = True
    assert [t.action for t in DOSSIER.allowed(dossier, "chief")] == ["approve", "refuse"]
    assert DOSSIER.allowed(dossier, "lan") == []
    assert DOSSIER.may_attempt(dossier, "comment", "lan")
    assert not DOSSIER.may_attempt(dossier, "comment", "hoa")
    dossier.helpers.add("hoa")  # a role worked out only when an action names it
    assert DOSSIER.may_attempt(dossier, "comment", "hoa")


def test_a_table_that_names_an_unknown_state_is_refused_when_declared():
    with pytest.raises(ImproperlyConfigured):
        Workflow(
            name="broken",
            states=State,
            transitions=[transition("archive", "Archive", {"approved"}, "archived", {"chief"})],
            roles=roles,
        )
    with pytest.raises(ImproperlyConfigured):
        Workflow(
            name="twice",
            states=State,
            transitions=[
                transition("check", "Check", {"received"}, "checked", {"officer"}),
                transition("check", "Check again", {"checked"}, "checked", {"officer"}),
            ],
            roles=roles,
        )


# --- the clock on the working-day calendar --------------------------------------------------

# Tết 2027: offices shut Thursday 4 to Wednesday 10 February (the 29th of the year to the fifth
# day of the new year, with the weekend of 6-7 February).


@pytest.mark.django_db
def test_a_deadline_in_working_days_skips_tet():
    # received Wednesday 3 Feb 2027: the 3 working days are Thu 11, Fri 12 and Mon 15 February
    assert due_after_days(at(2027, 2, 3, 10, 0), 3) == at(2027, 2, 15, 17, 0)
    # the board records Saturday 13 February as a working day (a swap): it counts
    CalendarDay.objects.create(date=dt.date(2027, 2, 13), is_working_day=True, name="Làm bù")
    assert due_after_days(at(2027, 2, 3, 10, 0), 3) == at(2027, 2, 13, 17, 0)


@pytest.mark.django_db
def test_a_deadline_in_office_hours_skips_tet():
    # 16:00 on Wednesday 3 Feb: one hour that day, three on Thursday 11 February
    assert due_after_hours(at(2027, 2, 3, 16, 0), 4) == at(2027, 2, 11, 11, 0)


@pytest.mark.django_db
def test_pause_and_resume_move_the_deadline_by_the_office_hours_it_waited():
    dossier = Dossier(due_at=due_after_days(at(2027, 2, 3, 10, 0), 3))  # Mon 15 Feb, 17:00
    assert CLOCK.pause(dossier, at=at(2027, 2, 3, 15, 0)) == ["waiting_since"]
    assert CLOCK.is_paused(dossier)
    # it waited 15:00-17:00 on 3 Feb and 08:00-09:00 on 11 Feb: three office hours (Tết is not counted)
    assert CLOCK.resume(dossier, at=at(2027, 2, 11, 9, 0)) == ["waiting_since", "due_at"]
    assert dossier.due_at == at(2027, 2, 16, 11, 0)
    assert not CLOCK.is_paused(dossier)
    assert CLOCK.resume(dossier, at=at(2027, 2, 12, 9, 0)) == []  # not paused: nothing moves
    assert dossier.due_at == at(2027, 2, 16, 11, 0)


@pytest.mark.django_db
def test_an_extension_ends_at_the_close_of_office_of_its_last_working_day():
    dossier = Dossier(due_at=at(2027, 2, 2, 11, 0))  # Tuesday before Tết
    CLOCK.extend(dossier, days=2)
    assert dossier.due_at == at(2027, 2, 11, 17, 0)  # Wed 3 Feb, then Thu 11 Feb


@pytest.mark.django_db
def test_escalation_steps_count_working_days_after_the_due_day():
    due = at(2027, 2, 1, 17, 0)  # Monday before Tết
    steps = [0, 2, 5]
    assert escalation_level(due, now=at(2027, 2, 1, 16, 0), steps=steps) == 0  # not overdue yet
    assert escalation_level(due, now=at(2027, 2, 2, 9, 0), steps=steps) == 1  # overdue: step 0
    assert escalation_level(due, now=at(2027, 2, 3, 9, 0), steps=steps) == 2  # 2 working days on
    # the 5th working day after 1 Feb is Mon 15 Feb (Tết in between): step 3 waits for it
    assert escalation_level(due, now=at(2027, 2, 12, 9, 0), steps=steps) == 2
    assert escalation_level(due, now=at(2027, 2, 15, 9, 0), steps=steps) == 3


# --- notification hooks ---------------------------------------------------------------------


def test_a_case_types_hook_hears_its_steps_unless_muted():
    heard = []
    dossier = SimpleNamespace(_meta=SimpleNamespace(label="toy.Dossier"))
    notifications.on_step("toy.Dossier", lambda case, action, **data: heard.append((action, data)))
    notifications.emit(dossier, "check", reason="ok")
    with notifications.muted():
        notifications.emit(dossier, "approve")
    notifications.emit(SimpleNamespace(_meta=SimpleNamespace(label="toy.Other")), "check")  # no hook: nothing
    assert heard == [("check", {"reason": "ok"})]


# --- the timeline as each reader may see it ------------------------------------------------


class ToyTimeline(timeline.TimelinePolicy):
    def detail(self, event, reader):
        return event.data.get("division", "")


def person(name: str, enterprise_id: int | None = None) -> SimpleNamespace:
    return SimpleNamespace(get_full_name=lambda: name, username=name.lower(), enterprise_id=enterprise_id)


def step(action: str, actor=None, agency=None, reason: str = "", **data) -> SimpleNamespace:
    return SimpleNamespace(
        at=at(2027, 3, 1, 9, 0),
        action=action,
        from_status="received",
        to_status="checked",
        actor=actor,
        agency=agency,
        reason=reason,
        data=data,
    )


def test_each_reader_sees_the_timeline_its_role_may_see():
    """Officers read every person and note; an enterprise its own people by name, the office for
    the others, no note between officers and no step only officers see."""
    division = SimpleNamespace(name="Investment division")
    steps = [
        step("file", person("Lan Nguyen", enterprise_id=7)),
        step("check", person("Officer Binh"), division, reason="parts 2 and 3 missing", division="B2"),
        step("hand_over", person("Officer Binh"), division, division="B3"),
        step("expire"),
    ]
    policy = ToyTimeline(
        labels={"check": "Checked"},
        statuses=dict(State.choices),
        internal_reasons=frozenset({"check"}),
        officer_only=frozenset({"hand_over"}),
    )

    officer = timeline.read(steps, timeline.Reader(is_officer=True), policy)
    assert [(e.action, e.who, e.reason, e.detail) for e in officer] == [
        ("file", "Lan Nguyen", "", ""),
        ("check", "Officer Binh", "parts 2 and 3 missing", "B2"),
        ("hand_over", "Officer Binh", "", "B3"),
        ("expire", "Automatic", "", ""),
    ]
    assert officer[1].label == "Checked" and officer[1].to_label == "Checked" and officer[2].label == "hand_over"
    assert officer[1].office == "Investment division"

    own = timeline.read(steps, timeline.Reader(is_officer=False, enterprise_id=7), policy)
    assert [(e.action, e.who, e.actor, e.reason) for e in own] == [
        ("file", "Lan Nguyen", "Lan Nguyen", ""),
        ("check", "Investment division", None, ""),
        ("expire", "Automatic", None, ""),
    ]
    assert own[1].office == ""  # the office is already the line's name

    other = timeline.read(steps, timeline.Reader(is_officer=False, enterprise_id=8), policy)
    assert [e.who for e in other] == ["Management board", "Investment division", "Automatic"]


# --- files checked by their content ---------------------------------------------------------


def test_files_are_checked_by_their_content_before_anything_is_kept():
    checked = check_files([upload("ho-so.pdf", make_pdf())], limit=10_000, max_count=2, too_many="at most %(n)s")
    assert [c.name for c in checked] == ["ho-so.pdf"] and checked[0].kind.content_type == "application/pdf"
    with pytest.raises(ServiceError) as err:  # a text file named as a PDF
        check_files(
            [upload("ho-so.pdf", make_pdf()), upload("ban-ve.pdf", b"plain text")],
            limit=10_000,
            max_count=2,
            too_many="at most %(n)s",
        )
    assert err.value.message_dict["attachments"][0].startswith("ban-ve.pdf: ")
    with pytest.raises(ServiceError) as err:
        check_files([upload("a.pdf", make_pdf())] * 3, limit=10_000, max_count=2, too_many="at most %(n)s files")
    assert err.value.message_dict == {"attachments": ["at most 2 files"]}
    with pytest.raises(ServiceError):  # too large
        check_files([upload("ho-so.pdf", make_pdf(padding=20_000))], limit=10_000, max_count=2, too_many="-")


# --- where the machinery sits ---------------------------------------------------------------


def test_the_machinery_imports_core_only_and_privacy_sits_below_petitions():
    import grimp

    graph = grimp.build_graph("zonedesk")

    def imports_of(package: str) -> set[str]:
        found = set()
        for module in graph.find_descendants(package) | {package}:
            found |= {m for m in graph.find_modules_directly_imported_by(module) if m.startswith("zonedesk.")}
        return {m for m in found if not m.startswith(package + ".") and m != package}

    assert {m for m in imports_of("zonedesk.cases") if not m.startswith("zonedesk.core")} == set()
    assert {m for m in imports_of("zonedesk.privacy") if m.startswith("zonedesk.petitions")} == set()
    # (chains through core's arrows up into the apps, core.views → investment.demo say, are the
    # import contracts' to close: core imports no app)

"""Issue 22, item 4: the petition queue opens on what needs action now, names its filters per
role, keeps a person's own saved filters, and explains its marks.

Read through Django's test client on a real database, in English (the language cookie); rows are
found by their `data-reference`, the parts of the queue by their `data-group` heading rows.
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import re

import pytest
from django.utils import timezone

from tests.test_petition_pages import client_for
from zonedesk.petitions import services
from zonedesk.petitions.models import Petition, SavedFilter

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr(?: class="row-overdue")? data-reference="(PAKN-\d+-\d+)" data-group="(\w+)"')
GROUP = re.compile(r'<tr class="group-row" data-group="(\w+)">')


def rows(html: str) -> list[str]:
    return [ref for ref, _group in ROW.findall(html)]


def groups(html: str) -> list[str]:
    return GROUP.findall(html)


def submit(zone, enterprise, title="Vướng mắc về thuế", *, received_at=None, category="tax"):
    return services.petition_submit(
        zone=zone, title=title, body="Nội dung", category=category, enterprise=enterprise, received_at=received_at
    )


def set_due(petition, when) -> Petition:
    """Put a petition's answer due date where a test needs it (setup only; the pages read it)."""
    Petition.objects.filter(pk=petition.pk).update(answer_due_at=when)
    return Petition.objects.get(pk=petition.pk)


def triaged(p, board_user, **kw):
    return services.petition_act(petition=p, action="triage", by=board_user, **kw)


def assigned(p, board_user, agency, *, coordinating=(), **kw):
    if p.status == "submitted":
        p = triaged(p, board_user, **kw)
    return services.petition_act(
        petition=p, action="assign", by=board_user, lead_agency=agency, coordinating_agencies=coordinating, **kw
    )


def started(p, board_user, agency, agency_user, **kw):
    p = assigned(p, board_user, agency, **kw)
    return services.petition_act(petition=p, action="start", by=agency_user, **kw)


def answered(p, board_user, agency, agency_user, **kw):
    p = started(p, board_user, agency, agency_user, **kw)
    services.answer_write(petition=p, by=agency_user, body="Đã xử lý.", submit=True, now=kw.get("now"))
    return services.petition_act(petition=Petition.objects.get(pk=p.pk), action="answer", by=board_user, **kw)


def reopened_long_ago(zone, enterprise_user, board_user, agency, agency_user, days_ago=500):
    """A petition answered, closed and reopened by its enterprise long ago, never handled since:
    its answer due date is long past."""
    t = timezone.now() - dt.timedelta(days=days_ago)
    p = submit(zone, enterprise_user.enterprise, "Kiến nghị cũ đã mở lại", received_at=t)
    p = answered(p, board_user, agency, agency_user, now=t + dt.timedelta(hours=2))
    p = services.petition_act(petition=p, action="close", by=enterprise_user, now=t + dt.timedelta(days=1))
    return services.petition_act(
        petition=p, action="reopen", by=enterprise_user, reason="Chưa giải quyết.", now=t + dt.timedelta(days=2)
    )


# --- the order: what needs action now first ------------------------------------------------


def test_the_board_queue_opens_on_the_new_petitions_then_the_soonest_due(
    zone, enterprise_user, board_user, leader_user, admin_user, agency, agency_user
):
    """The issue's case: 28 old petitions overdue for a year or more (two of them reopened) fill
    the first page when the queue is sorted by due date alone; the two new ones came on page 2."""
    enterprise = enterprise_user.enterprise
    long_ago = timezone.now() - dt.timedelta(days=420)
    old = [triaged(submit(zone, enterprise, f"Vướng mắc cũ {n}", received_at=long_ago), board_user) for n in range(26)]
    old += [reopened_long_ago(zone, enterprise_user, board_user, agency, agency_user, days_ago=d) for d in (500, 480)]
    new = [submit(zone, enterprise, f"Kiến nghị mới {n}") for n in range(2)]
    for user in (board_user, leader_user, admin_user):
        html = client_for(user).get("/petitions/").content.decode()
        refs = rows(html)
        assert len(refs) == 25
        assert refs[:2] == [p.reference for p in new], user.role  # the new ones, the first due first
        assert groups(html) == ["new", "due"]
        due = dict(Petition.objects.values_list("reference", "answer_due_at"))
        assert [due[r] for r in refs[2:]] == sorted(due[r] for r in refs[2:])  # then the oldest due first
        assert set(refs[2:]) <= {p.reference for p in old}
        assert "New, not yet triaged" in html and "Open, by answer due date: the overdue first" in html


def test_the_queue_names_each_petitions_zone_with_its_code_beside(zone, enterprise_user, board_user):
    """Issue 22, item 5: a zone by its name (the code muted beside), not the bare code."""
    submit(zone, enterprise_user.enterprise)
    html = client_for(board_user).get("/petitions/").content.decode()
    assert f'<td>{htmlmod.escape(zone.name)} <span class="muted small">({zone.code})</span></td>' in html


def test_the_agency_queue_opens_on_what_was_newly_assigned_to_it(
    zone, enterprise_user, board_user, agency, agency_user
):
    long_ago = timezone.now() - dt.timedelta(days=300)
    enterprise = enterprise_user.enterprise
    late = [
        started(submit(zone, enterprise, f"Đang xử lý {n}", received_at=long_ago), board_user, agency, agency_user)
        for n in range(3)
    ]
    fresh = assigned(submit(zone, enterprise, "Vừa giao cho cơ quan"), board_user, agency)
    html = client_for(agency_user).get("/petitions/").content.decode()
    assert rows(html) == [fresh.reference, *[p.reference for p in late]]
    assert groups(html) == ["new", "due"]
    assert "Newly assigned to your agency, not started yet" in html


@pytest.fixture
def world(zone, enterprise_user, board_user, agency, agency_user, other_agency, other_agency_user):
    """One petition of each kind a preset picks out, with due dates set from now."""
    now = timezone.now()
    day = dt.timedelta(days=1)
    ent = enterprise_user.enterprise
    w = {}
    w["new"] = set_due(submit(zone, ent, "Mới, chưa phân loại"), now + 14 * day)
    w["overdue"] = set_due(triaged(submit(zone, ent, "Đã quá hạn"), board_user), now - 30 * day)
    w["soon"] = set_due(triaged(submit(zone, ent, "Sắp đến hạn"), board_user), now + 3 * day)
    w["reopened"] = set_due(reopened_long_ago(zone, enterprise_user, board_user, agency, agency_user), now - 20 * day)
    w["assigned"] = set_due(assigned(submit(zone, ent, "Vừa giao"), board_user, agency), now + 5 * day)
    approval = started(submit(zone, ent, "Chờ duyệt trả lời"), board_user, agency, agency_user)
    services.answer_write(petition=approval, by=agency_user, body="Dự thảo trả lời.", submit=True)
    w["approval"] = set_due(approval, now + 10 * day)
    returned = started(submit(zone, ent, "Trả lời bị trả lại"), board_user, agency, agency_user)
    answer = services.answer_write(petition=returned, by=agency_user, body="Dự thảo.", submit=True)
    services.answer_return(answer=answer, by=board_user, note="Bổ sung căn cứ pháp lý.")
    w["returned"] = set_due(returned, now + 12 * day)
    w["coordinated"] = set_due(
        assigned(submit(zone, ent, "Cơ quan khác chủ trì"), board_user, other_agency, coordinating=[agency]),
        now + 9 * day,
    )
    paused = triaged(submit(zone, ent, "Chờ doanh nghiệp bổ sung"), board_user)
    services.petition_request_info(petition=paused, by=board_user, reason="Bổ sung giấy phép.")
    w["paused"] = set_due(paused, now + 20 * day)
    closed = answered(submit(zone, ent, "Đã đóng"), board_user, agency, agency_user)
    w["closed"] = services.petition_act(petition=closed, action="close", by=enterprise_user)
    services.petitions_escalate(now=now)  # the overdue ones go up to the city leader (step 3)
    return {k: Petition.objects.get(pk=p.pk) for k, p in w.items()}


def _presets(html: str) -> dict[str, tuple[str, str, bool]]:
    """Each preset of the page: key -> (url, label, active)."""
    found = re.findall(r'<a href="([^"]+)" title="[^"]+" data-preset="(\w+)"( aria-current="page")?>([^<]+)</a>', html)
    return {key: (htmlmod.unescape(url), label, bool(active)) for url, key, active, label in found}


def _refs(world, *keys) -> list[str]:
    return [world[k].reference for k in keys]


def test_the_board_presets_filter_as_named(world, board_user):
    client = client_for(board_user)
    html = client.get("/petitions/").content.decode()
    presets = _presets(html)
    assert list(presets) == ["now", "untriaged", "approval", "overdue", "due_soon", "reopened", "all"]
    assert [p[1] for p in presets.values()] == [
        "Needs action",
        "Not yet triaged",
        "Answers to approve",
        "Overdue",
        "Due within 7 days",
        "Reopened",
        "All",
    ]
    assert presets["now"][2] and not any(p[2] for k, p in presets.items() if k != "now")
    # the queue as it opens: the new one, then the open ones by due date, then the paused one
    assert rows(html) == _refs(
        world, "new", "overdue", "reopened", "soon", "assigned", "coordinated", "approval", "returned", "paused"
    )
    assert groups(html) == ["new", "due", "waiting"]
    expected = {
        "untriaged": _refs(world, "new"),
        "approval": _refs(world, "approval"),
        "overdue": _refs(world, "overdue", "reopened"),
        "due_soon": _refs(world, "soon", "assigned"),
        "reopened": _refs(world, "reopened"),
    }
    for key, refs in expected.items():
        page = client.get(presets[key][0]).content.decode()
        assert rows(page) == refs, key
        assert _presets(page)[key][2], f"{key} is shown as the active filter"
    everything = client.get(presets["all"][0]).content.decode()
    assert rows(everything)[-1] == world["closed"].reference  # closed last, after the open ones
    assert groups(everything) == ["new", "due", "waiting", "done"]


def test_the_agency_presets_filter_as_named(world, agency_user):
    client = client_for(agency_user)
    html = client.get("/petitions/").content.decode()
    presets = _presets(html)
    assert list(presets) == ["now", "to_start", "mine", "returned", "overdue", "due_soon", "all"]
    assert presets["mine"][1] == "Led by my agency" and presets["to_start"][1] == "Newly assigned"
    # the petition it leads that the enterprise reopened is its own to answer again
    assert rows(html) == _refs(world, "assigned", "coordinated", "reopened", "approval", "returned")
    expected = {
        "to_start": _refs(world, "assigned", "coordinated"),
        "mine": _refs(world, "assigned", "reopened", "approval", "returned"),  # not the one it contributes to
        "returned": _refs(world, "returned"),
        "overdue": _refs(world, "reopened"),
        "due_soon": _refs(world, "assigned"),
    }
    for key, refs in expected.items():
        assert rows(client.get(presets[key][0]).content.decode()) == refs, key
    assert rows(client.get(presets["all"][0]).content.decode())[-1] == world["closed"].reference


def test_the_leader_finds_what_was_raised_to_the_city(world, leader_user):
    client = client_for(leader_user)
    presets = _presets(client.get("/petitions/").content.decode())
    assert list(presets) == ["now", "to_leader", "overdue", "due_soon", "reopened", "all"]
    assert presets["to_leader"][1] == "Raised to the city leader"
    page = client.get(presets["to_leader"][0]).content.decode()
    assert rows(page) == _refs(world, "overdue", "reopened")
    assert page.count('title="Escalation step 3 of 3: overdue, raised to the city leader"') == 2


def test_the_api_takes_the_same_filters(world, board_user, agency_user):
    board = client_for(board_user)

    def refs(client, **query):
        return [r["reference"] for r in client.get("/api/v1/petitions", query).json()["items"]]

    assert refs(board, status="open", due_soon="true") == _refs(world, "soon", "assigned")
    assert refs(board, status="open", reopened="true") == _refs(world, "reopened")
    assert refs(board, answer="waiting") == _refs(world, "approval")
    assert sorted(refs(board, escalated=3)) == sorted(_refs(world, "reopened", "overdue"))
    assert refs(client_for(agency_user), answer="returned") == _refs(world, "returned")
    assert board.get("/api/v1/petitions", {"answer": "nonsense"}).status_code == 422


# --- saved filters -----------------------------------------------------------------------


def _save_form_query(html: str) -> str:
    """The filter the page's "save this filter" form sends: its hidden query, as the browser would."""
    form = html[html.index('action="/petitions/filters/"') :]
    return htmlmod.unescape(re.search(r'name="query" value="([^"]*)"', form).group(1))


def test_a_saved_filter_comes_back_under_its_name(world, board_user, zone):
    from zonedesk.core.models import Role, User

    client = client_for(board_user)
    page = client.get("/petitions/", {"category": "tax", "overdue": "on", "page": "1"}).content.decode()
    query = _save_form_query(page)
    assert query == "status=open&category=tax&overdue=on"  # the filter, not the page number
    r = client.post("/petitions/filters/", {"name": "  Thuế   quá hạn ", "query": query})
    assert r.status_code == 302 and r["Location"] == "/petitions/?status=open&category=tax&overdue=on"
    queue = client.get("/petitions/").content.decode()
    link = re.search(r'<li data-saved-filter="Thuế quá hạn"><a href="([^"]+)">Thuế quá hạn</a>', queue)
    assert link, "the saved filter is listed under its name"
    again = client.get(htmlmod.unescape(link.group(1))).content.decode()
    assert re.search(r'<li data-saved-filter="Thuế quá hạn"><a href="[^"]+" aria-current="page">', again)
    assert rows(again) == _refs(world, "overdue", "reopened")
    assert re.search(r'<option value="tax" selected>', again)
    assert re.search(r'name="overdue"[^>]* checked', again)
    # saving under the same name replaces; another person never sees it
    client.post("/petitions/filters/", {"name": "Thuế quá hạn", "query": "status=submitted"})
    saved = SavedFilter.objects.get(user=board_user)
    assert saved.params == {"status": "submitted"}
    other = User.objects.create(username="bql2", role=Role.BOARD)
    other_page = client_for(other).get("/petitions/").content.decode()
    assert "Thuế quá hạn" not in other_page
    assert client_for(other).post("/petitions/filters/delete/", {"filter": saved.pk}).status_code == 404
    # a name is needed; deleting removes it
    r = client.post("/petitions/filters/", {"name": " ", "query": "status=open"}, follow=True)
    assert "Give the filter a name." in r.content.decode() and SavedFilter.objects.count() == 1
    r = client.post("/petitions/filters/delete/", {"filter": saved.pk}, follow=True)
    assert r.status_code == 200 and not SavedFilter.objects.exists()
    assert "data-saved-filter" not in r.content.decode()


# --- what the marks mean -----------------------------------------------------------------


def test_every_mark_of_the_queue_says_what_it_means(world, board_user):
    html = client_for(board_user).get("/petitions/").content.decode()
    legend = re.search(r"<section class=\"badge-legend\".*?</section>", html, re.S)
    assert legend, "the queue shows a legend of its marks"
    text = re.sub(r"\s+", " ", legend.group(0))
    for meaning in (
        "the answer due date has passed",
        "the clock is paused while the enterprise supplies information",
        "↑1 raised to the head of the lead agency, ↑2 to the management board, ↑3 to the city leader",
    ):
        assert meaning in text
    marks = re.findall(r'<span class="badge[^"]*" data-badge="(\w+)"( title="[^"]+")?', html)
    assert {m for m, _t in marks} >= {"overdue", "paused", "escalation"}
    assert all(title for _m, title in marks), "every mark in the rows has a title"


def test_the_dashboard_overdue_panel_explains_its_escalation_steps(world, board_user):
    html = client_for(board_user).get("/dashboard/").content.decode()
    panel = html[html.index('class="panel overdue-petitions"') :]
    panel = panel[: panel.index("</section>")]
    assert "3/3" not in panel
    assert 'title="Escalation step 3 of 3: overdue, raised to the city leader"' in panel
    assert "↑3 to the city leader" in re.sub(r"\s+", " ", panel)


def test_saved_filters_are_a_persons_own_and_limited(board_user):
    from zonedesk.core.errors import ServiceError

    for n in range(services.MAX_SAVED_FILTERS):
        services.saved_filter_save(user=board_user, name=f"Bộ lọc {n}", params={"status": "open", "zone": f"Z{n}"})
    with pytest.raises(ServiceError) as refused:
        services.saved_filter_save(user=board_user, name="Một bộ nữa", params={"status": ""})
    assert "name" in refused.value.message_dict
    services.saved_filter_save(user=board_user, name="Bộ lọc 3", params={"status": ""})  # replacing still works
    assert SavedFilter.objects.get(user=board_user, name="Bộ lọc 3").params == {"status": ""}
    with pytest.raises(ServiceError):  # only the queue's own filters are kept
        services.saved_filter_save(user=board_user, name="Lạ", params={"page": "2"})


def test_a_saved_filter_numbered_past_999_is_deleted_from_the_queue(board_user):
    """The queue's delete form sends the filter's number as the page wrote it: with the thousands
    separator on (USE_THOUSAND_SEPARATOR), 1234 was written "1.234" and the delete found nothing."""
    saved = SavedFilter.objects.create(pk=12345, user=board_user, name="Quá hạn", params={"overdue": "on"})
    client = client_for(board_user)
    html = client.get("/petitions/").content.decode()
    value = re.search(r'name="filter" value="([^"]+)"', html).group(1)
    assert value == "12345"
    client.post("/petitions/filters/delete/", {"filter": value})
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_the_queue_page_the_api_and_saved_filters_share_one_set_of_filters(zone, agency):
    """The filters are written three times (the page's form, the API's query, the selectors'
    dataclass): a filter added to one and not the others would be silently dropped somewhere.
    Every field of each is in the others, and a filter with every field set survives its query
    string (as saved filters and presets keep it) read back by the page."""
    import dataclasses

    from django.http import QueryDict
    from django.utils.http import urlencode

    from zonedesk.petitions.api import PetitionQuery
    from zonedesk.petitions.forms import QueueFilterForm
    from zonedesk.petitions.selectors import PetitionFilters, filter_params

    names = {f.name for f in dataclasses.fields(PetitionFilters)}
    assert set(QueueFilterForm.base_fields) == names
    assert set(PetitionQuery.model_fields) == names
    every = PetitionFilters(
        q="đất",
        status="open",
        category="land",
        zone=zone.code,
        agency=agency.code,
        overdue=True,
        due_soon=True,
        reopened=True,
        escalated=2,
        answer="waiting",
    )
    assert all(getattr(every, n) for n in names)  # none left at its default
    _form, read = QueueFilterForm.read(QueryDict(urlencode(filter_params(every))))
    assert read == every
    assert PetitionFilters(**PetitionQuery(**filter_params(every)).dict()) == every

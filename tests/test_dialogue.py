"""Dialogue conferences: services and who may write, the report after tabled petitions go through
their own lifecycle, iCalendar, what the public page shows, and the API's access rules."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from zonedesk.core.errors import ConflictError, ServiceError, TransitionError
from zonedesk.dialogue import selectors
from zonedesk.dialogue import services as dialogue
from zonedesk.dialogue.models import Conference, ConferenceSeries, Tabling
from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Petition, PetitionEvent

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int = 9, minute: int = 0, month: int = 5, year: int = 2024) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=HANOI)


START, END = at(10, 8), at(10, 11, 30)  # 10 May 2024, the second of six dialogues


@pytest.fixture
def series(board_user) -> ConferenceSeries:
    return dialogue.series_create(
        by=board_user,
        name_vi="Đối thoại doanh nghiệp năm 2024",
        name_en="Business dialogues 2024",
        year=2024,
        planned_count=6,
    )


@pytest.fixture
def conference(series, board_user, zone, project) -> Conference:
    return dialogue.conference_create(
        by=board_user,
        series=series,
        sequence=2,
        theme_vi="Tháo gỡ khó khăn cho doanh nghiệp Khu CNC Hòa Lạc",
        theme_en="Removing the difficulties of Hoa Lac enterprises",
        starts_at=START,
        ends_at=END,
        venue="Trung tâm Đổi mới sáng tạo Quốc gia, Hòa Lạc",
        chair="Ông Nguyễn Văn A, Phó Chủ tịch UBND Thành phố",
        zones=[zone],
        enterprises=[project.enterprise],
    )


@pytest.fixture
def private_conference(series, board_user, zone) -> Conference:
    return dialogue.conference_create(
        by=board_user,
        series=series,
        sequence=3,
        theme_vi="Chuẩn bị nội bộ",
        starts_at=at(20, 8, month=6),
        ends_at=at(20, 11, month=6),
        venue="Trụ sở Ban",
        chair="Trưởng ban",
        zones=[zone],
        public=False,
    )


def submit(
    zone,
    enterprise_user,
    *,
    title="Chậm đấu nối điện 22kV",
    body="Hồ sơ đấu nối nộp từ tháng 3.",
    category="infrastructure",
    received_at=None,
) -> Petition:
    return petitions.petition_submit(
        zone=zone,
        title=title,
        body=body,
        category=category,
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
        received_at=received_at or at(2),
    )


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


# --- services: input and who may write ----------------------------------------------------


def test_label_and_bilingual_theme(conference):
    assert conference.label == "2/6"
    assert str(conference).startswith("2/6 ")
    assert list(conference.zones.values_list("code", flat=True)) == ["HHTP"]


def test_create_refuses_bad_input_field_by_field_and_writes_nothing(series, board_user, conference):
    good = dict(
        by=board_user,
        series=series,
        sequence=4,
        theme_vi="Chủ đề",
        starts_at=START,
        ends_at=END,
        venue="Hòa Lạc",
        chair="Chủ tịch",
    )
    cases = [
        ({"sequence": 7}, "sequence"),  # the series plans six
        ({"sequence": 2}, "sequence"),  # 2/6 exists
        ({"sequence": "2"}, "sequence"),
        ({"sequence": 0}, "sequence"),
        ({"series": None}, "series"),
        ({"theme_vi": "  "}, "theme_vi"),
        ({"venue": ""}, "venue"),
        ({"chair": ""}, "chair"),
        ({"ends_at": START}, "ends_at"),
        ({"ends_at": START - dt.timedelta(hours=1)}, "ends_at"),
        ({"ends_at": START + dt.timedelta(days=9)}, "ends_at"),
        ({"starts_at": dt.datetime(2024, 5, 10, 8, 0)}, "starts_at"),  # naive: which zone?
        ({"starts_at": "2024-05-10 08:00"}, "starts_at"),
        ({"zones": ["HHTP"]}, "zones"),
        ({"theme_vi": "x" * 301}, "theme_vi"),
    ]
    for change, field in cases:
        with pytest.raises(ServiceError) as exc:
            dialogue.conference_create(**(good | change))
        assert field in exc.value.message_dict, (change, exc.value.message_dict)
    assert Conference.objects.count() == 1
    with pytest.raises(ServiceError) as exc:
        dialogue.series_create(by=board_user, name_vi="", year=1800, planned_count=0)
    assert set(exc.value.message_dict) == {"name_vi", "year", "planned_count"}


@pytest.mark.parametrize("who", ["enterprise_user", "agency_user", "leader_user", "anonymous"])
def test_only_the_board_writes(request, who, series, conference, zone, enterprise_user, agency):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    petition = submit(zone, enterprise_user)
    with pytest.raises(PermissionDenied):
        dialogue.series_create(by=user, name_vi="Chuỗi khác", year=2025, planned_count=4)
    with pytest.raises(PermissionDenied):
        dialogue.conference_create(
            by=user, series=series, sequence=5, theme_vi="Chủ đề", starts_at=START, ends_at=END, venue="V", chair="C"
        )
    with pytest.raises(PermissionDenied):
        dialogue.conference_update(conference=conference, by=user, venue="Nơi khác")
    with pytest.raises(PermissionDenied):
        dialogue.petition_table(conference=conference, by=user, petition=petition, now=at(6))
    with pytest.raises(PermissionDenied):
        dialogue.conference_record_held(conference=conference, by=user, head_count=92, now=at(11))
    assert not Tabling.objects.exists()
    assert Conference.objects.get(pk=conference.pk).venue.startswith("Trung tâm")


def test_admin_writes_too(admin_user, series):
    c = dialogue.conference_create(
        by=admin_user,
        series=series,
        sequence=1,
        theme_vi="Chủ đề",
        starts_at=at(1, 8, month=3),
        ends_at=at(1, 11, month=3),
        venue="V",
        chair="C",
    )
    assert c.label == "1/6"


def test_update_is_optimistic_and_a_cancelled_conference_is_frozen(conference, board_user):
    v = conference.version
    c = dialogue.conference_update(conference=conference, by=board_user, version=v, venue="Hội trường B")
    assert c.venue == "Hội trường B" and c.version == v + 1
    with pytest.raises(ConflictError):  # someone read version v before the change
        dialogue.conference_update(conference=conference, by=board_user, version=v, chair="Người khác")
    with pytest.raises(ServiceError) as exc:
        dialogue.conference_update(conference=conference, by=board_user, ends_at=START)
    assert "ends_at" in exc.value.message_dict
    with pytest.raises(ServiceError):
        dialogue.conference_update(conference=conference, by=board_user, status="held")  # not through update
    dialogue.conference_cancel(conference=conference, by=board_user, reason="Trùng lịch họp HĐND")
    with pytest.raises(TransitionError):
        dialogue.conference_update(conference=conference, by=board_user, venue="Nơi khác")
    with pytest.raises(TransitionError):
        dialogue.conference_cancel(conference=conference, by=board_user, reason="lần nữa")
    assert Conference.objects.get(pk=conference.pk).venue == "Hội trường B"


def test_record_held(conference, board_user, project, other_project):
    with pytest.raises(TransitionError):  # not started yet
        dialogue.conference_record_held(conference=conference, by=board_user, head_count=92, now=at(9))
    with pytest.raises(ServiceError) as exc:  # two enterprises, one person
        dialogue.conference_record_held(
            conference=conference,
            by=board_user,
            head_count=1,
            enterprises=[project.enterprise, other_project.enterprise],
            now=at(10, 12),
        )
    assert "head_count" in exc.value.message_dict
    for bad in (0, -3, "92", True, None):
        with pytest.raises(ServiceError):
            dialogue.conference_record_held(conference=conference, by=board_user, head_count=bad, now=at(10, 12))
    c = dialogue.conference_record_held(
        conference=conference,
        by=board_user,
        head_count=92,
        enterprises=[project.enterprise, other_project.enterprise],
        now=at(10, 12),
    )
    assert c.status == "held" and c.head_count == 92 and c.enterprises.count() == 2
    with pytest.raises(ServiceError):  # a held conference keeps its time
        dialogue.conference_update(conference=c, by=board_user, starts_at=at(11, 8), ends_at=at(11, 11))


def test_tabling_rules(conference, board_user, zone, enterprise_user, agency):
    p = submit(zone, enterprise_user)
    with pytest.raises(ServiceError) as exc:  # during the session, but the session is days away
        dialogue.petition_table(conference=conference, by=board_user, petition=p, during_session=True, now=at(6))
    assert "during_session" in exc.value.message_dict
    t = dialogue.petition_table(conference=conference, by=board_user, petition=p, now=at(6))
    assert t.tabled_at == at(6) and not t.during_session
    with pytest.raises(ServiceError) as exc:
        dialogue.petition_table(conference=conference, by=board_user, petition=p, now=at(10, 9), during_session=True)
    assert "petition" in exc.value.message_dict  # already tabled
    late = submit(zone, enterprise_user, title="Thủ tục PCCC", received_at=at(3))
    with pytest.raises(ServiceError) as exc:  # after the session: an ordinary petition
        dialogue.petition_table(conference=conference, by=board_user, petition=late, tabled_at=at(12), now=at(13))
    assert "tabled_at" in exc.value.message_dict
    with pytest.raises(ServiceError) as exc:  # not during the session while the session runs
        dialogue.petition_table(conference=conference, by=board_user, petition=late, now=at(10, 9))
    assert "during_session" in exc.value.message_dict
    with pytest.raises(ServiceError) as exc:  # tabled before it was received
        dialogue.petition_table(conference=conference, by=board_user, petition=late, tabled_at=at(1), now=at(6))
    assert "tabled_at" in exc.value.message_dict
    # raised at the session, typed in afterwards: dated at the session
    t2 = dialogue.petition_table(conference=conference, by=board_user, petition=late, during_session=True, now=at(14))
    assert t2.tabled_at == START and t2.during_session
    # a merged petition is not tabled: its duplicate is
    dup = submit(zone, enterprise_user, title="Trùng", received_at=at(4))
    petitions.petition_act(petition=dup, action="merge", by=board_user, into=p, now=at(5))
    with pytest.raises(ServiceError) as exc:
        dialogue.petition_table(conference=conference, by=board_user, petition=dup, now=at(6))
    assert p.reference in exc.value.message_dict["petition"][0]
    assert Tabling.objects.filter(conference=conference).count() == 2


def test_a_new_petition_raised_at_the_session_goes_through_intake(conference, board_user, enterprise_user, zone):
    with pytest.raises(ServiceError) as exc:
        dialogue.petition_table(
            conference=conference,
            by=board_user,
            during_session=True,
            now=at(10, 9),
            enterprise=enterprise_user.enterprise,
            title="",
            body="",
            category="nope",
        )
    assert {"title", "body", "category"} <= set(exc.value.message_dict)
    with pytest.raises(ServiceError) as exc:
        dialogue.petition_table(conference=conference, by=board_user, during_session=True, now=at(10, 9))
    assert "petition" in exc.value.message_dict
    assert not Petition.objects.exists()
    t = dialogue.petition_table(
        conference=conference,
        by=board_user,
        during_session=True,
        now=at(10, 9, 40),
        enterprise=enterprise_user.enterprise,
        title="Giải phóng mặt bằng lô CN-05 chậm",
        body="Còn 3 hộ chưa nhận tiền bồi thường.",
        category="land",
    )
    p = t.petition
    assert p.source == "conference" and p.status == "submitted" and p.zone == zone
    assert p.received_at == at(10, 9, 40) and p.reference.startswith("PAKN-2024-")
    assert list(p.events.values_list("action", flat=True)) == ["submit", "table"]


def test_spot_answer_is_on_the_timeline_and_leaves_the_status(conference, board_user, zone, enterprise_user, agency):
    p = submit(zone, enterprise_user)
    t = dialogue.petition_table(conference=conference, by=board_user, petition=p, now=at(6))
    with pytest.raises(TransitionError):  # before the session
        dialogue.spot_answer_record(tabling=t, by=board_user, text="Sẽ xử lý", agency=agency, now=at(8))
    with pytest.raises(ServiceError) as exc:
        dialogue.spot_answer_record(tabling=t, by=board_user, text=" ", agency=None, now=at(10, 9))
    assert set(exc.value.message_dict) == {"text", "agency"}
    t = dialogue.spot_answer_record(
        tabling=t,
        by=board_user,
        text="EVN cam kết đóng điện trước 30/5.",
        agency=agency,
        speaker="Ông B, Giám đốc",
        now=at(10, 9, 15),
    )
    assert t.answered_on_the_spot and t.spot_answered_by == agency
    p.refresh_from_db()
    assert p.status == "submitted"
    event = PetitionEvent.objects.get(petition=p, action="spot_answer")
    assert (
        event.agency == agency and event.reason == "EVN cam kết đóng điện trước 30/5." and event.data["label"] == "2/6"
    )
    dialogue.conference_cancel(conference=Conference.objects.get(pk=conference.pk), by=board_user, reason="Hoãn")
    with pytest.raises(TransitionError):
        dialogue.spot_answer_record(tabling=t, by=board_user, text="Sửa", agency=agency, now=at(10, 9, 20))


# --- the report ---------------------------------------------------------------------------


@pytest.fixture
def walked(conference, board_user, zone, enterprise_user, agency, agency_user, other_agency, other_agency_user):
    """Six tabled petitions, walked through the petitions' own lifecycle."""

    def table_new(title, category, minute):
        return dialogue.petition_table(
            conference=conference,
            by=board_user,
            during_session=True,
            now=at(10, 9, minute),
            enterprise=enterprise_user.enterprise,
            title=title,
            body=f"{title}: chi tiết riêng của doanh nghiệp.",
            category=category,
        ).petition

    # 1. received before, tabled before the session, answered on the spot and then in writing
    p1 = submit(zone, enterprise_user, title="Hoàn thuế GTGT chậm", body="Số tiền 12 tỷ đồng, bí mật.", category="tax")
    t1 = dialogue.petition_table(conference=conference, by=board_user, petition=p1, now=at(6))
    # 2.-6. raised during the session
    p2 = table_new("Giấy phép xây dựng nhà xưởng", "construction", 10)
    p3 = table_new("Đấu nối điện 22kV", "infrastructure", 20)
    p4 = table_new("Giấy phép lao động chuyên gia", "labour", 30)
    p5 = table_new("Đề nghị ngoài phạm vi", "other", 40)
    p6 = table_new("Nước sạch cho nhà máy", "infrastructure", 50)

    dialogue.spot_answer_record(
        tabling=t1, by=board_user, text="Cục Thuế sẽ hoàn trong tháng 5.", agency=agency, now=at(10, 10)
    )
    t3 = Tabling.objects.get(conference=conference, petition=p3)
    dialogue.spot_answer_record(
        tabling=t3, by=board_user, text="EVN đóng điện trước 30/5.", agency=other_agency, now=at(10, 10, 5)
    )

    def route(p, lead, when):
        p = petitions.petition_act(petition=p, action="triage", by=board_user, now=when)
        return petitions.petition_act(petition=p, action="assign", by=board_user, lead_agency=lead, now=when)

    p1 = route(p1, agency, at(13))
    petitions.answer_write(petition=p1, by=agency_user, body="Đã hoàn thuế ngày 20/5.", submit=True, now=at(20))
    petitions.petition_act(petition=p1, action="answer", by=board_user, now=at(21))

    route(p2, agency, at(13))  # open, past its deadline by July

    p3 = route(p3, other_agency, at(13))
    petitions.answer_write(petition=p3, by=other_agency_user, body="Đã đóng điện ngày 28/5.", submit=True, now=at(28))
    p3 = petitions.petition_act(petition=p3, action="answer", by=board_user, now=at(29))
    petitions.petition_act(
        petition=p3, action="publish", by=board_user, public_summary="Đã đóng điện cho nhà máy.", now=at(30)
    )

    p4 = route(p4, agency, at(13))
    petitions.petition_request_info(petition=p4, by=board_user, reason="Thiếu hộ chiếu chuyên gia", now=at(14))

    petitions.petition_act(petition=p5, action="reject", by=board_user, reason="Không thuộc thẩm quyền", now=at(13))
    # p6: nobody touched it
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6}


def test_report_after_the_lifecycle(conference, walked):
    report = selectors.conference_report(conference, now=at(1, 9, month=7))
    counts = {k: report[k] for k in selectors.COUNTS}
    assert counts == {
        "tabled": 6,
        "answered_on_the_spot": 2,
        "resolved_since": 2,
        "still_open": 3,
        "overdue": 2,
        "other": 1,
    }
    rows = {r["agency"]: {k: r[k] for k in selectors.COUNTS} for r in report["by_agency"]}
    assert [r["agency"] for r in report["by_agency"]] == ["TAX-HN", "EVN-HN", ""]
    assert rows["TAX-HN"] == {  # p1 answered, p2 overdue, p4 paused (not overdue)
        "tabled": 3,
        "answered_on_the_spot": 1,
        "resolved_since": 1,
        "still_open": 2,
        "overdue": 1,
        "other": 0,
    }
    assert rows["EVN-HN"] == {
        "tabled": 1,
        "answered_on_the_spot": 1,
        "resolved_since": 1,
        "still_open": 0,
        "overdue": 0,
        "other": 0,
    }
    assert rows[""] == {  # p5 rejected, p6 never triaged and late
        "tabled": 2,
        "answered_on_the_spot": 0,
        "resolved_since": 0,
        "still_open": 1,
        "overdue": 1,
        "other": 1,
    }
    # on the day of the session nothing was late yet
    early = selectors.conference_report(conference, now=at(10, 12))
    assert early["overdue"] == 0 and early["tabled"] == 6


def test_tabling_never_moved_a_status(conference, walked):
    statuses = {k: Petition.objects.get(pk=p.pk).status for k, p in walked.items()}
    assert statuses == {
        "p1": "answered",
        "p2": "assigned",
        "p3": "published",
        "p4": "assigned",
        "p5": "rejected",
        "p6": "submitted",
    }
    assert not PetitionEvent.objects.filter(action__in=["table", "spot_answer"]).exclude(to_status="").exists()


# --- iCalendar ----------------------------------------------------------------------------


def test_icalendar_parses_back_with_hanoi_time(client, conference, private_conference):
    r = client.get(f"/api/v1/conferences/{conference.pk}.ics")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/calendar")
    assert "attachment" in r["Content-Disposition"]
    raw = r.content.decode()
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20240510T080000" in raw
    cal = icalendar.Calendar.from_ical(r.content)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    (event,) = cal.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == START and start.utcoffset() == dt.timedelta(hours=7)
    assert str(start.tzinfo) == "Asia/Ho_Chi_Minh"
    assert event.decoded("DTEND") == END
    assert "2/6" in str(event["SUMMARY"]) and "Hòa Lạc" in str(event["LOCATION"])
    assert str(event["UID"]) == f"conference-{conference.pk}@zonedesk"
    assert str(event["URL"]).endswith(f"/conferences/{conference.pk}/")
    assert str(event["STATUS"]) == "CONFIRMED"
    # the whole calendar: public conferences for the public, all for the board
    public = icalendar.Calendar.from_ical(client.get("/api/v1/conferences.ics").content)
    assert [str(e["UID"]) for e in public.walk("VEVENT")] == [f"conference-{conference.pk}@zonedesk"]
    assert client.get(f"/api/v1/conferences/{private_conference.pk}.ics").status_code == 404


def test_icalendar_of_the_board_and_a_cancelled_conference(conference, private_conference, board_user):
    dialogue.conference_cancel(conference=private_conference, by=board_user, reason="Hoãn")
    cal = icalendar.Calendar.from_ical(login(board_user).get("/api/v1/conferences.ics").content)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 2
    assert str(events[f"conference-{private_conference.pk}@zonedesk"]["STATUS"]) == "CANCELLED"
    assert events[f"conference-{private_conference.pk}@zonedesk"]["SEQUENCE"] == 1


# --- pages --------------------------------------------------------------------------------


def test_the_public_page_never_shows_private_petition_text(client, conference, walked):
    html = client.get(reverse("conference_detail", args=[conference.pk])).content.decode()
    assert "Hoàn thuế GTGT chậm" not in html and "bí mật" not in html  # p1: answered, not published
    assert "Giấy phép xây dựng nhà xưởng" not in html and "chi tiết riêng" not in html
    assert "Đấu nối điện 22kV" not in html  # p3's title stays private even published...
    assert "Đã đóng điện cho nhà máy." in html  # ...the public reads its summary
    assert walked["p1"].reference not in html
    assert "Cục Thuế sẽ hoàn trong tháng 5." not in html  # the spot answer text: to those who may open it
    assert 'data-figure="tabled">6<' in html
    assert "TAX-HN" in html


def test_the_board_page_shows_titles_and_links(conference, walked, board_user, enterprise_user, other_enterprise_user):
    html = login(board_user).get(reverse("conference_detail", args=[conference.pk])).content.decode()
    assert "Hoàn thuế GTGT chậm" in html and walked["p1"].reference in html
    assert reverse("petition_detail", args=[walked["p1"].reference]) in html
    assert "Cục Thuế sẽ hoàn trong tháng 5." in html
    assert reverse("conference_table", args=[conference.pk]) in html
    # the enterprise reads its own petitions' titles, another enterprise does not
    own = login(enterprise_user).get(reverse("conference_detail", args=[conference.pk])).content.decode()
    assert "Hoàn thuế GTGT chậm" in own and reverse("conference_table", args=[conference.pk]) not in own
    other = login(other_enterprise_user).get(reverse("conference_detail", args=[conference.pk])).content.decode()
    assert "Hoàn thuế GTGT chậm" not in other


def test_calendar_page_lists_upcoming_and_past(client, conference, private_conference, series, board_user):
    later = dialogue.series_create(by=board_user, name_vi="Đối thoại 2099", year=2099, planned_count=1)
    upcoming = dialogue.conference_create(
        by=board_user,
        series=later,
        sequence=1,
        theme_vi="Đổi mới sáng tạo",
        starts_at=at(1, 8, month=12, year=2099),
        ends_at=at(1, 11, month=12, year=2099),
        venue="NIC",
        chair="Chủ tịch",
    )
    r = client.get(reverse("conference_list"))
    assert r.status_code == 200
    assert [c.pk for c in r.context["upcoming"]] == [upcoming.pk]
    assert [c.pk for c in r.context["past"]] == [conference.pk]  # the private one is not on the public calendar
    html = r.content.decode()
    assert "/api/v1/conferences.ics" in html and f"/api/v1/conferences/{conference.pk}.ics" in html
    board = login(board_user).get(reverse("conference_list"))
    assert {c.pk for c in board.context["past"]} == {conference.pk, private_conference.pk}
    assert client.get(reverse("conference_detail", args=[private_conference.pk])).status_code == 404


def test_board_tables_a_petition_from_the_page(conference, board_user, enterprise_user, zone):
    p = submit(zone, enterprise_user)
    client = login(board_user)
    url = reverse("conference_table", args=[conference.pk])
    assert client.get(url).status_code == 200
    # the conference is over: only a petition raised during the session can still be recorded
    r = client.post(url, {"petition": p.reference})
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert not Tabling.objects.exists()
    r = client.post(url, {"petition": "PAKN-2099-999999", "during_session": "on"})
    assert "petition" in r.context["form"].errors
    r = client.post(url, {"petition": p.reference, "during_session": "on"})
    assert r.status_code == 302
    assert Tabling.objects.get(conference=conference).petition == p
    # a new one, raised at the session by the enterprise
    r = client.post(
        url,
        {
            "enterprise": enterprise_user.enterprise.tax_code,
            "category": "land",
            "title": "Bàn giao đất chậm",
            "body": "Lô CN-07 chưa bàn giao.",
            "during_session": "on",
        },
    )
    assert r.status_code == 302
    assert conference.tablings.count() == 2


def test_board_records_an_answer_on_the_spot_from_the_page(conference, board_user, enterprise_user, zone, agency):
    t = dialogue.petition_table(
        conference=conference, by=board_user, petition=submit(zone, enterprise_user), during_session=True, now=at(10, 9)
    )
    client = login(board_user)
    url = reverse("conference_spot_answer", args=[conference.pk, t.pk])
    assert f'name="version" value="{t.version}"' in client.get(url).content.decode()
    r = client.post(url, {"agency": agency.pk, "text": "", "version": t.version})
    assert r.status_code == 200 and "text" in r.context["form"].errors
    r = client.post(
        url, {"agency": agency.pk, "text": "Sẽ hoàn thuế trong tháng.", "speaker": "Bà C", "version": t.version}
    )
    assert r.status_code == 302
    assert Tabling.objects.get(pk=t.pk).spot_answer == "Sẽ hoàn thuế trong tháng."


def test_board_plans_and_records_a_conference_from_the_pages(series, board_user, project, zone):
    client = login(board_user)
    r = client.post(
        reverse("conference_new"),
        {
            "series": series.pk,
            "sequence": 1,
            "theme_vi": "Hạ tầng",
            "starts_at": "2024-03-15T08:00",
            "ends_at": "2024-03-15T07:00",
            "venue": "Hòa Lạc",
            "chair": "Chủ tịch",
            "zones": [zone.pk],
            "public": "on",
        },
    )
    assert r.status_code == 200 and "ends_at" in r.context["form"].errors
    r = client.post(
        reverse("conference_new"),
        {
            "series": series.pk,
            "sequence": 1,
            "theme_vi": "Hạ tầng",
            "starts_at": "2024-03-15T08:00",
            "ends_at": "2024-03-15T11:00",
            "venue": "Hòa Lạc",
            "chair": "Chủ tịch",
            "zones": [zone.pk],
            "public": "on",
        },
    )
    assert r.status_code == 302
    c = Conference.objects.get(series=series, sequence=1)
    assert c.starts_at == at(15, 8, month=3)
    r = client.post(
        reverse("conference_held", args=[c.pk]),
        {"head_count": 92, "enterprises": project.enterprise.tax_code, "version": c.version},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "held" and c.head_count == 92 and list(c.enterprises.all()) == [project.enterprise]
    # a second officer with the form read before the change gets a conflict, not an overwrite
    r = client.post(reverse("conference_held", args=[c.pk]), {"head_count": 50, "version": c.version - 1})
    assert r.status_code == 409 and r.context["form"].non_field_errors()
    assert Conference.objects.get(pk=c.pk).head_count == 92


@pytest.mark.parametrize("who", ["enterprise_user", "agency_user", "leader_user"])
def test_board_pages_are_refused_to_others(request, client, who, conference):
    for name, args in [
        ("conference_new", []),
        ("conference_table", [conference.pk]),
        ("conference_held", [conference.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 302  # the public logs in first
        assert login(request.getfixturevalue(who)).get(reverse(name, args=args)).status_code == 403


# --- API ----------------------------------------------------------------------------------


def test_api_lists_public_conferences_to_everyone_and_all_to_the_board(
    client, conference, private_conference, board_user, enterprise_user
):
    items = client.get("/api/v1/conferences").json()["items"]
    assert [(c["id"], c["label"]) for c in items] == [(conference.pk, "2/6")]
    assert items[0]["ics"] == f"/api/v1/conferences/{conference.pk}.ics"
    assert login(enterprise_user).get("/api/v1/conferences").json()["count"] == 1
    assert login(board_user).get("/api/v1/conferences").json()["count"] == 2
    assert client.get("/api/v1/conferences?when=upcoming").json()["count"] == 0
    assert client.get("/api/v1/conferences?when=past").json()["count"] == 1
    assert client.get("/api/v1/conferences?when=soon").status_code == 422
    assert client.get(f"/api/v1/conferences/{private_conference.pk}").status_code == 404
    assert login(board_user).get(f"/api/v1/conferences/{private_conference.pk}").status_code == 200


def test_api_detail_has_the_report_and_hides_private_text(client, conference, walked, board_user):
    public = client.get(f"/api/v1/conferences/{conference.pk}").json()
    assert public["report"]["tabled"] == 6 and public["report"]["answered_on_the_spot"] == 2
    assert {r["agency"] for r in public["report"]["by_agency"]} == {"TAX-HN", "EVN-HN", ""}
    assert all(t["title"] is None and t["reference"] is None and t["spot_answer"] is None for t in public["tablings"])
    assert "Hoàn thuế" not in json.dumps(public, ensure_ascii=False)
    summaries = [t["published_summary"] for t in public["tablings"] if t["published_summary"]]
    assert summaries == ["Đã đóng điện cho nhà máy."]
    board = login(board_user).get(f"/api/v1/conferences/{conference.pk}").json()
    assert {t["reference"] for t in board["tablings"]} == {p.reference for p in walked.values()}


def test_api_writes_board_only(
    client, conference, series, board_user, enterprise_user, agency_user, zone, agency, project
):
    body = {
        "series": series.pk,
        "sequence": 5,
        "theme_vi": "Lao động",
        "starts_at": "2024-09-12T08:00:00",
        "ends_at": "2024-09-12T11:00:00",
        "venue": "Hòa Lạc",
        "chair": "Chủ tịch",
        "zones": ["HHTP"],
        "enterprises": [project.enterprise.tax_code],
    }
    assert post_json(client, "/api/v1/conferences", body).status_code == 401
    assert post_json(login(enterprise_user), "/api/v1/conferences", body).status_code == 403
    assert post_json(login(agency_user), "/api/v1/conferences", body).status_code == 403
    board = login(board_user)
    bad = post_json(board, "/api/v1/conferences", body | {"sequence": 9, "zones": ["NOPE"]})
    assert bad.status_code == 422 and "zones" in bad.json()["errors"]
    bad = post_json(board, "/api/v1/conferences", body | {"sequence": 9})
    assert bad.status_code == 422 and "sequence" in bad.json()["errors"]
    bad = post_json(board, "/api/v1/conferences", body | {"ends_at": "2024-09-12T07:00:00"})
    assert bad.status_code == 422 and "ends_at" in bad.json()["errors"]
    r = post_json(board, "/api/v1/conferences", body)
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["label"] == "5/6"  # a time without a zone is Hanoi time
    assert dt.datetime.fromisoformat(created["starts_at"]) == at(12, 8, month=9)
    assert created["enterprises"] == [{"tax_code": project.enterprise.tax_code, "name": project.enterprise.name}]

    # tabling: an existing petition by reference, then a new one
    p = submit(zone, enterprise_user)
    url = f"/api/v1/conferences/{conference.pk}/tablings"
    assert post_json(login(enterprise_user), url, {"petition": p.reference, "during_session": True}).status_code == 403
    assert post_json(board, url, {"petition": "PAKN-1-1", "during_session": True}).status_code == 422
    r = post_json(board, url, {"petition": p.reference, "during_session": True})
    assert r.status_code == 201 and r.json()["reference"] == p.reference and r.json()["status"] == "submitted"
    again = post_json(board, url, {"petition": p.reference, "during_session": True})
    assert again.status_code == 422 and "petition" in again.json()["errors"]
    r = post_json(
        board,
        url,
        {
            "during_session": True,
            "enterprise": project.enterprise.tax_code,
            "title": "Đường nội khu xuống cấp",
            "body": "Ổ gà trên đường số 3.",
            "category": "infrastructure",
        },
    )
    assert r.status_code == 201, r.content
    assert Petition.objects.get(reference=r.json()["reference"]).source == "conference"
    missing = post_json(board, url, {"during_session": True, "enterprise": project.enterprise.tax_code})
    assert missing.status_code == 422 and {"title", "body", "category"} <= set(missing.json()["errors"])

    # the answer on the spot
    spot = f"/api/v1/conferences/{conference.pk}/tablings/{p.reference}/spot-answer"
    payload = {"text": "Cục Thuế trả lời tại chỗ.", "agency": agency.code, "speaker": "Ông D"}
    assert post_json(login(agency_user), spot, payload).status_code == 403
    assert post_json(board, spot, payload | {"agency": "NOPE"}).status_code == 422
    tabled = board.get(f"/api/v1/conferences/{conference.pk}").json()["tablings"]
    payload["version"] = next(t["version"] for t in tabled if t["reference"] == p.reference)
    r = post_json(board, spot, payload)
    assert r.status_code == 200 and r.json()["answered_on_the_spot"] and r.json()["spot_agency"] == "TAX-HN"
    assert (
        post_json(board, f"/api/v1/conferences/{conference.pk}/tablings/PAKN-1-1/spot-answer", payload).status_code
        == 404
    )


def test_a_conferences_english_description_is_changed_through_the_api(conference, board_user):
    board = login(board_user)
    v = board.get(f"/api/v1/conferences/{conference.pk}").json()["version"]
    r = board.patch(
        f"/api/v1/conferences/{conference.pk}",
        data=json.dumps({"version": v, "description_en": "Dialogue with the enterprises of the park"}),
        content_type="application/json",
    )
    assert r.status_code == 200
    conference.refresh_from_db()
    assert conference.description_en == "Dialogue with the enterprises of the park"


def test_api_conflicts_answer_409(conference, board_user, zone, enterprise_user):
    p = submit(zone, enterprise_user)
    board = login(board_user)
    v = board.get(f"/api/v1/conferences/{conference.pk}").json()["version"]
    r = board.patch(
        f"/api/v1/conferences/{conference.pk}",
        data=json.dumps({"version": v, "venue": "Hội trường B"}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["venue"] == "Hội trường B"
    stale = board.patch(
        f"/api/v1/conferences/{conference.pk}",
        data=json.dumps({"version": v, "venue": "C"}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    r = post_json(board, f"/api/v1/conferences/{conference.pk}/cancel", {"version": v + 1, "reason": "Hoãn"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    r = post_json(
        board, f"/api/v1/conferences/{conference.pk}/tablings", {"during_session": True, "petition": p.reference}
    )
    assert r.status_code == 409 and r.json()["detail"]
    r = post_json(board, f"/api/v1/conferences/{conference.pk}/held", {"version": v + 2, "head_count": 10})
    assert r.status_code == 409


def test_a_public_petitioners_name_reaches_the_board_only(conference, board_user, zone, agency, agency_user):
    p = petitions.petition_submit(
        zone=zone,
        title="Ngập úng đường vào xưởng",
        body="Mỗi lần mưa lớn xe tải không vào được.",
        category="infrastructure",
        source="public",
        consent_version=1,
        petitioner_name="Trần Văn Bình",
        petitioner_email="binh@example.vn",
        received_at=at(2),
    )
    dialogue.petition_table(conference=conference, by=board_user, petition=p, now=at(6))
    p = petitions.petition_act(petition=p, action="triage", by=board_user)
    petitions.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    url = reverse("conference_detail", args=[conference.pk])
    agency_page = login(agency_user).get(url).content.decode()
    assert "Ngập úng đường vào xưởng" in agency_page  # routed to it: the agency reads the petition...
    assert "Trần Văn Bình" not in agency_page  # ...but not who wrote it, as on the petition page
    agency_api = login(agency_user).get(f"/api/v1/conferences/{conference.pk}").json()
    row = next(t for t in agency_api["tablings"] if t["reference"] == p.reference)
    assert row["enterprise"] is None
    assert "Trần Văn Bình" in login(board_user).get(url).content.decode()


def test_codes_are_read_as_everywhere(conference, series, board_user, zone, project):
    """A zone code in any case and a branch's tax code written with its dash name what the rest of
    ZoneDesk names with them (core.inputs), in the API and on the page."""
    from tests.conftest import make_tax_code
    from zonedesk.investment.services import enterprise_create

    code = make_tax_code("02")
    branch = enterprise_create(name="Chi nhánh Hòa Lạc", tax_code=f"{code}-001", zone=zone)
    assert branch.tax_code == f"{code}001"
    body = {
        "series": series.pk,
        "sequence": 5,
        "theme_vi": "Lao động",
        "starts_at": "2024-09-12T08:00:00",
        "ends_at": "2024-09-12T11:00:00",
        "venue": "Hòa Lạc",
        "chair": "Chủ tịch",
        "zones": ["hhtp"],
        "enterprises": [f"{code}-001", f" {project.enterprise.tax_code} "],
    }
    board = login(board_user)
    r = post_json(board, "/api/v1/conferences", body)
    assert r.status_code == 201, r.content
    created = Conference.objects.get(pk=r.json()["id"])
    assert list(created.zones.all()) == [zone]
    assert set(created.enterprises.all()) == {branch, project.enterprise}
    r = board.post(
        reverse("conference_held", args=[conference.pk]),
        {"head_count": 3, "enterprises": f"{code}-001", "version": conference.version},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert list(Conference.objects.get(pk=conference.pk).enterprises.all()) == [branch]

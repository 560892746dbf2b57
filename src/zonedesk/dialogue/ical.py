"""Conferences as iCalendar (RFC 5545), for calendar programs, with the `icalendar` library.

Times are written in the platform's time zone (Asia/Ho_Chi_Minh) with its VTIMEZONE, so a
calendar shows 08:00 in Hanoi whatever the reader's own zone. A cancelled conference stays in
the feed with STATUS:CANCELLED so that subscribed calendars remove it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.dialogue.models import Conference, ConferenceStatus

PRODID = "-//ZoneDesk//Dialogue conferences//VI"
UID_DOMAIN = "zonedesk"
_STATUS = {
    ConferenceStatus.PLANNED: "CONFIRMED",
    ConferenceStatus.HELD: "CONFIRMED",
    ConferenceStatus.CANCELLED: "CANCELLED",
}


def conference_uid(conference: Conference) -> str:
    return f"conference-{conference.pk}@{UID_DOMAIN}"


def conference_event(conference: Conference, *, url: str = "", stamp: dt.datetime | None = None) -> icalendar.Event:
    tz = ZoneInfo(settings.TIME_ZONE)
    event = icalendar.Event()
    event.add("uid", conference_uid(conference))
    event.add("dtstamp", (stamp or timezone.now()).astimezone(dt.UTC))
    event.add("dtstart", conference.starts_at.astimezone(tz))
    event.add("dtend", conference.ends_at.astimezone(tz))
    event.add(
        "summary",
        _("Dialogue conference %(label)s: %(theme)s") % {"label": conference.label, "theme": conference.theme},
    )
    event.add("location", conference.venue)
    lines = [
        f"{conference.series.name} ({conference.series.year}), {conference.label}",
        _("Chair: %(chair)s") % {"chair": conference.chair},
    ]
    if conference.description:
        lines += ["", conference.description]
    if url:
        lines += ["", url]
        event.add("url", url)
    event.add("description", "\n".join(lines))
    event.add("status", _STATUS[ConferenceStatus(conference.status)])
    event.add("sequence", conference.version - 1)
    event.add("last-modified", conference.updated_at.astimezone(dt.UTC))
    event.add("categories", [_("Dialogue conference")])
    return event


def calendar_bytes(
    conferences: Iterable[Conference], *, name: str, url_of: Callable[[Conference], str] | None = None
) -> bytes:
    """An iCalendar file of these conferences."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for conference in conferences:
        cal.add_component(conference_event(conference, url=url_of(conference) if url_of else "", stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()

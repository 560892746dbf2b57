"""The 2024 series of dialogue conferences with enterprises, the later ones up to the demo's
today (one about every two months, the last about ten days ago), and the next one on the calendar.

Public facts (FACTS.md): the city planned six themed dialogues in 2024; the second, with Hoa Lac
enterprises on 10 May 2024, had 92 enterprise representatives; another recorded 66
recommendations from 57 firms. Dates of the others, themes, venues, every later conference and
every petition are synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.calendar import is_working_day
from zonedesk.core.models import Agency, Zone
from zonedesk.dialogue import services
from zonedesk.dialogue.models import ConferenceSeries
from zonedesk.investment.models import Enterprise
from zonedesk.petitions import notifications
from zonedesk_demo import corpus
from zonedesk_demo import petitions as petitions_demo

SEED = 2024
CHAIR = "Phó Chủ tịch UBND thành phố Hà Nội (minh họa)"

# (sequence, day, theme, zone code or None for all, tabled petitions, head count, participating firms)
SERIES_2024 = [
    (1, dt.date(2024, 3, 21), "Tháo gỡ vướng mắc về thuế, hải quan cho doanh nghiệp khu công nghiệp", None, 12, 80, 40),
    (2, dt.date(2024, 5, 10), "Đối thoại với doanh nghiệp Khu Công nghệ cao Hòa Lạc", "HHTP", 24, 92, 60),
    (3, dt.date(2024, 7, 18), "Đất đai, giải phóng mặt bằng và hạ tầng khu công nghiệp", None, 14, 75, 45),
    (4, dt.date(2024, 9, 26), "Thủ tục đầu tư, xây dựng và môi trường", None, 66, 120, 57),
    (5, dt.date(2024, 11, 14), "Lao động, chuyên gia nước ngoài và an ninh trật tự", None, 10, 70, 38),
    (6, dt.date(2024, 12, 19), "Tổng kết năm: các vướng mắc còn tồn đọng", None, 8, 65, 35),
]


# the themes of the later series, in turn (synthetic)
THEMES = [
    ("Chuyển đổi số thủ tục hành chính cho doanh nghiệp", None),
    ("Đối thoại với doanh nghiệp Khu Công nghệ cao Hòa Lạc", "HHTP"),
    ("Tháo gỡ vướng mắc về thuế, hải quan", None),
    ("Đất đai, giải phóng mặt bằng và hạ tầng kỹ thuật", None),
    ("Nhân lực công nghệ cao, chuyên gia nước ngoài và nhà ở cho người lao động", None),
    ("Đổi mới sáng tạo, nghiên cứu và phát triển tại Hòa Lạc", "HHTP"),
    ("Thủ tục đầu tư, xây dựng và môi trường", None),
    ("Điện, nước, giao thông kết nối các khu công nghiệp", None),
]
FIRST_LATER = dt.date(2025, 1, 1)  # the later series follow the published 2024 one
EVERY_DAYS = 61  # about six conferences a year
UPCOMING_DAYS = 16  # the next one is about two weeks ahead


def _thursday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() != 3 or not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _last_held(today: dt.date) -> dt.date:
    """The last conference held: a working Thursday 10 to 16 days before `today`; when a holiday
    took that Thursday (Tết, 2 September), another working day 7 to 16 days before, so that it is
    always a week or two ago (its petitions being handled), never three."""
    window = [today - dt.timedelta(days=back) for back in range(10, 17)]
    for day in window:
        if day.weekday() == 3 and is_working_day(day):
            return day
    for back in range(7, 17):
        day = today - dt.timedelta(days=back)
        if is_working_day(day):
            return day
    return _thursday_on_or_before(today - dt.timedelta(days=17))


def later_schedule(today: dt.date) -> tuple[list[tuple[dt.date, str, str | None]], tuple[dt.date, str, str | None]]:
    """The conferences held after the 2024 series, every two months back from about ten days
    before `today` over at most 24 months, oldest first, and the next one ahead; each as (day,
    theme, zone code or None). The themes turn with the day, so a date keeps its theme."""

    def theme(day: dt.date) -> tuple[str, str | None]:
        return THEMES[(day.toordinal() // EVERY_DAYS) % len(THEMES)]

    held = []
    day = _last_held(today)
    while day >= max(FIRST_LATER, today - dt.timedelta(days=730)):
        held.append((day, *theme(day)))
        day = _thursday_on_or_before(day - dt.timedelta(days=EVERY_DAYS))
    ahead = _thursday_on_or_before(today + dt.timedelta(days=UPCOMING_DAYS + 6))
    return held[::-1], (ahead, *theme(ahead))


def build_dialogue_demo(*, today: dt.date | None = None, stdout: TextIO | None = None) -> int:
    """The 2024 series with its tabled petitions, the series of the later years up to `today`
    (their last conference about ten days ago, its petitions being handled) and the next one
    planned; nothing if any series exists."""
    today = today or timezone.localdate()
    if ConferenceSeries.objects.exists() or not Zone.objects.exists():
        return 0
    rng = random.Random(SEED)
    zones = {z.code: z for z in Zone.objects.all()}
    people = petitions_demo.people_of(sorted(Agency.objects.values_list("code", flat=True)))
    tabled = 0
    conferences = 0
    with transaction.atomic(), notifications.muted():
        series = services.series_create(
            by=None,
            name_vi="Hội nghị đối thoại với doanh nghiệp năm 2024",
            name_en="Business dialogues 2024",
            year=2024,
            planned_count=6,
        )
        for seq, day, theme, zone_code, count, heads, firms in SERIES_2024:
            _conf, n = _conference(rng, series, seq, day, theme, zone_code, count, heads, firms, zones, people, today)
            tabled += n
            conferences += 1
        later, ahead = later_schedule(today)
        by_year: dict[int, Any] = {}
        planned = Counter(d.year for d, *_r in [*later, ahead])

        def series_of(year: int) -> Any:
            if year not in by_year:
                by_year[year] = services.series_create(
                    by=None,
                    name_vi=f"Hội nghị đối thoại với doanh nghiệp năm {year}",
                    name_en=f"Business dialogues {year}",
                    year=year,
                    planned_count=max(6, planned[year]),
                )
            return by_year[year]

        for day, theme, zone_code in later:
            seq = sum(1 for d, *_r in later if d.year == day.year and d <= day)
            _conf, n = _conference(
                rng,
                series_of(day.year),
                seq,
                day,
                theme,
                zone_code,
                rng.randint(6, 12),
                rng.randint(60, 110),
                rng.randint(30, 55),
                zones,
                people,
                today,
            )
            tabled += n
            conferences += 1
        day, theme, zone_code = ahead
        if day > SERIES_2024[-1][1]:  # before, the 2024 series still has its own ahead
            seq = sum(1 for d, *_r in later if d.year == day.year) + 1
            _conference(rng, series_of(day.year), seq, day, theme, zone_code, 0, 0, 0, zones, people, today)
            conferences += 1
    if stdout is not None:
        stdout.write(_("  %(n)s dialogue conferences, %(t)s tabled petitions") % {"n": conferences, "t": tabled} + "\n")
    return tabled


def _conference(rng, series, seq, day, theme, zone_code, count, heads, firms, zones, people, today):
    """One conference; when its day is past, held, with `count` petitions tabled and walked."""
    tz = timezone.get_default_timezone()
    zone_list = [zones[zone_code]] if zone_code else list(zones.values())
    enterprises = list(Enterprise.objects.filter(zone__in=zone_list).order_by("pk"))
    conference = services.conference_create(
        by=None,
        series=series,
        sequence=seq,
        theme_vi=theme,
        starts_at=dt.datetime.combine(day, dt.time(8, 0), tz),
        ends_at=dt.datetime.combine(day, dt.time(11, 30), tz),
        venue="Trung tâm Đổi mới sáng tạo Quốc gia, Hòa Lạc" if zone_code == "HHTP" else "Trụ sở Ban Quản lý, Hà Nội",
        chair=CHAIR,
        zones=zone_list,
        enterprises=rng.sample(enterprises, min(firms, len(enterprises))) if firms else (),
    )
    if day >= today:
        return conference, 0
    session = dt.datetime.combine(day, dt.time(9, 0), tz)
    items = corpus.generate(
        seed=SEED + seq if day.year == 2024 else day.toordinal(), count=count, zone_code=zone_code or "KCNTL"
    )
    tabled = 0
    for item in items:
        zone = zones[zone_code] if zone_code else rng.choice(zone_list)
        ents = [e for e in enterprises if e.zone_id == zone.pk]

        during = rng.random() < 0.3  # raised in the room, or sent in the days before
        received = session if during else session - dt.timedelta(days=rng.randint(3, 14))

        def create(_conference=conference, _during=during, _received=received, **kwargs):
            kwargs.pop("source", None)
            kwargs.pop("received_at", None)  # tabling dates it
            return services.petition_table(
                conference=_conference, by=None, during_session=_during, now=_received, **kwargs
            ).petition

        petition = petitions_demo.walk(rng, item, zone, ents, people, received, today, create=create, public_share=0)
        tabling = petition.tablings.get(conference=conference)
        if rng.random() < 0.4:
            services.spot_answer_record(
                tabling=tabling,
                by=None,
                agency=Agency.objects.get(code=item["agency"]),
                text=rng.choice(petitions_demo.ANSWERS[item["category"]]),
                now=session + dt.timedelta(hours=1),
            )
        tabled += 1
    services.conference_record_held(conference=conference, by=None, head_count=heads, now=session)
    return conference, tabled

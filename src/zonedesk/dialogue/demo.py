"""The 2024 series of dialogue conferences with enterprises, and the next one on the calendar.

Public facts (FACTS.md): the city planned six themed dialogues in 2024; the second, with Hoa Lac
enterprises on 10 May 2024, had 92 enterprise representatives; another recorded 66
recommendations from 57 firms. Dates of the others, themes, venues and every petition are
synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.models import Agency, Zone
from zonedesk.dialogue import services
from zonedesk.dialogue.models import ConferenceSeries
from zonedesk.investment.models import Enterprise
from zonedesk.petitions import demo as petitions_demo
from zonedesk.petitions import demo_corpus, notifications

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


def build_dialogue_demo(*, today: dt.date | None = None, stdout: TextIO | None = None) -> int:
    """The 2024 series with its tabled petitions, and a planned conference ahead; nothing if any series exists."""
    today = today or timezone.localdate()
    if ConferenceSeries.objects.exists() or not Zone.objects.exists():
        return 0
    rng = random.Random(SEED)
    tz = timezone.get_default_timezone()
    zones = {z.code: z for z in Zone.objects.all()}
    people = petitions_demo._people(sorted(Agency.objects.values_list("code", flat=True)))
    tabled = 0
    with transaction.atomic(), notifications.muted():
        series = services.series_create(
            by=None,
            name_vi="Hội nghị đối thoại với doanh nghiệp năm 2024",
            name_en="Business dialogues 2024",
            year=2024,
            planned_count=6,
        )
        for seq, day, theme, zone_code, count, heads, firms in SERIES_2024:
            zone_list = [zones[zone_code]] if zone_code else list(zones.values())
            enterprises = list(Enterprise.objects.filter(zone__in=zone_list).order_by("pk"))
            conference = services.conference_create(
                by=None,
                series=series,
                sequence=seq,
                theme_vi=theme,
                starts_at=dt.datetime.combine(day, dt.time(8, 0), tz),
                ends_at=dt.datetime.combine(day, dt.time(11, 30), tz),
                venue="Trung tâm Đổi mới sáng tạo Quốc gia, Hòa Lạc"
                if zone_code == "HHTP"
                else "Trụ sở Ban Quản lý, Hà Nội",
                chair=CHAIR,
                zones=zone_list,
                enterprises=rng.sample(enterprises, min(firms, len(enterprises))),
            )
            if day > today:
                continue
            session = dt.datetime.combine(day, dt.time(9, 0), tz)
            items = demo_corpus.generate(seed=SEED + seq, count=count, zone_code=zone_code or "KCNTL")
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

                petition = petitions_demo.walk(
                    rng, item, zone, ents, people, received, today, create=create, public_share=0
                )
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
        upcoming = services.series_create(
            by=None,
            name_vi=f"Hội nghị đối thoại với doanh nghiệp năm {today.year + 1}",
            name_en=f"Business dialogues {today.year + 1}",
            year=today.year + 1,
            planned_count=6,
        )
        first = today + dt.timedelta(days=45)
        services.conference_create(
            by=None,
            series=upcoming,
            sequence=1,
            theme_vi="Chuyển đổi số thủ tục hành chính cho doanh nghiệp",
            starts_at=dt.datetime.combine(first, dt.time(8, 0), tz),
            ends_at=dt.datetime.combine(first, dt.time(11, 30), tz),
            venue="Trung tâm Đổi mới sáng tạo Quốc gia, Hòa Lạc",
            chair=CHAIR,
            zones=list(zones.values()),
        )
    if stdout is not None:
        stdout.write(_("  %(n)s dialogue conferences, %(t)s tabled petitions") % {"n": 7, "t": tabled} + "\n")
    return tabled

"""The whole demo: the registry (investment.demo), two years of petitions, the dialogue
conferences, the roadmaps, the innovation ecosystem.

Everything is built relative to `today` (default: the real today), so that the demo shows a board
at work that week: each part's history stops at `investment.demo.demo_now(today)`. Each part
builds once and leaves a database that has it alone, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from auditlog.context import disable_auditlog

from zonedesk_demo.dialogue import build_dialogue_demo
from zonedesk_demo.directions import build_directions_demo
from zonedesk_demo.ecosystem import build_ecosystem_demo
from zonedesk_demo.investment import DemoResult, build_demo
from zonedesk_demo.investor_site import build_investor_site_demo
from zonedesk_demo.petitions import build_petitions_demo
from zonedesk_demo.procedures import build_procedures_demo
from zonedesk_demo.promotion import build_promotion_demo
from zonedesk_demo.roadmaps import build_roadmaps_demo


def build_everything(*, stdout: TextIO | None = None, today: dt.date | None = None) -> DemoResult:
    import time

    from zonedesk_demo.planning import build as build_plan_demo

    started = time.monotonic()
    # the demo's synthetic rows are not people's writes: the audit trail starts after them
    with disable_auditlog():
        result = build_demo(stdout=stdout, today=today)
        build_plan_demo(today=result.today, stdout=stdout)
        build_petitions_demo(today=result.today, stdout=stdout)
        build_dialogue_demo(today=result.today, stdout=stdout)
        build_roadmaps_demo(today=result.today, stdout=stdout)
        build_ecosystem_demo(today=result.today, stdout=stdout)
        build_procedures_demo(today=result.today, stdout=stdout)
        build_investor_site_demo(today=result.today, stdout=stdout)
        build_promotion_demo(today=result.today, stdout=stdout)
        build_directions_demo(today=result.today, stdout=stdout)
    result.seconds = round(time.monotonic() - started, 2)  # the whole build, as the summary says
    return result

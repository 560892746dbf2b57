"""Rules that change with the law, kept as data (the `Rule` table) with defaults here.

Reading a rule: `rule_value("report.quarterly.due_day", on=date)`. The board edits rules in
the admin; a new row with a later `effective_from` replaces a rule from that day on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RuleDefault:
    value: Any
    legal_basis: str
    description: str


DEFAULTS: dict[str, RuleDefault] = {
    "report.quarterly.due_day": RuleDefault(
        10,
        "Law on Investment 143/2025/QH15; Decree 19/2026/NĐ-CP",
        "Quarterly reports are due by this day of the first month of the next quarter.",
    ),
    "report.yearly.due_month": RuleDefault(
        3,
        "Law on Investment 143/2025/QH15; Decree 19/2026/NĐ-CP",
        "Month of the next year when yearly reports are due.",
    ),
    "report.yearly.due_day": RuleDefault(
        31, "Law on Investment 143/2025/QH15; Decree 19/2026/NĐ-CP", "Day of that month when yearly reports are due."
    ),
    "report.due.roll_to_working_day": RuleDefault(
        True,
        "Civil Code 91/2015/QH13, art. 148",
        "A due date on a day off moves to the next working day.",
    ),
    "schedule.behind.grace_days": RuleDefault(
        0,
        "Law on Investment 143/2025/QH15",
        "Days after a planned schedule milestone before the project counts as behind schedule.",
    ),
    "schedule.behind.serious_days": RuleDefault(
        365,
        "Law on Investment 143/2025/QH15",
        "Days overdue from which the delay is serious and goes to the leaders.",
    ),
}


def rule_value(key: str, *, on: dt.date | None = None) -> Any:
    from zonedesk.core.models import Rule

    from django.utils import timezone

    on = on or timezone.localdate()
    row = Rule.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
    if row is not None:
        return row.value
    return DEFAULTS[key].value

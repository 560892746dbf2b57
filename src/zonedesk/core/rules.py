"""Rules that change with the law, kept as data (the `Rule` table) with defaults here.

Reading a rule: `rule_value("report.quarterly.due_day", on=date)`. The board edits rules in
the admin; a new row with a later `effective_from` replaces a rule from that day on.
"""

from __future__ import annotations

import datetime as dt
import json
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
    "calendar.office_hours": RuleDefault(
        [["08:00", "12:00"], ["13:00", "17:00"]],
        "The board's office hours (set by the board)",
        "Office hours of the agencies, for deadlines counted in working hours.",
    ),
    "petition.reopen_days": RuleDefault(
        30, "The board's rules of the petition channel", "Days after closing during which an enterprise may reopen."
    ),
    "petition.autoclose_days": RuleDefault(
        15, "The board's rules of the petition channel", "Days without a reply after which an answered petition closes."
    ),
    "petition.extension_days": RuleDefault(
        10, "The board's rules of the petition channel", "Working days a deadline extension adds by default."
    ),
    "petition.escalation_days": RuleDefault(
        [0, 2, 5],
        "The board's rules of the petition channel",
        "Working days after the deadline when an overdue petition goes to the agency head, the board, the city.",
    ),
    "petition.public_throttle": RuleDefault(
        [5, 3600], "The board's rules of the petition channel", "Public petitions per address: [count, seconds]."
    ),
    "procedures.agency_code": RuleDefault(
        "H26.71",
        "The board's code in the national public-service system [demo value]",
        "The first part of a dossier's code: {agency code}-{yymmdd}-{sequence}.",
    ),
    "procedures.receipt_hours": RuleDefault(
        8,
        "The board's one-stop rules (iHanoi: accepted within 8 working hours)",
        "Office hours the desk has to receive an online dossier.",
    ),
    "procedures.after_hours_next_day": RuleDefault(
        True,
        "Decree 118/2025/NĐ-CP on the one-stop mechanism",
        "An online dossier received outside office hours counts from the next opening of the office.",
    ),
    "procedures.supplement_days": RuleDefault(
        30, "The board's one-stop rules [uncertain]", "Calendar days an enterprise has to answer a supplement request."
    ),
    "procedures.file_max_bytes": RuleDefault(
        20 * 1024 * 1024, "The board's one-stop rules", "Largest file of a dossier."
    ),
    "procedures.verify_throttle": RuleDefault(
        [30, 3600],
        "The board's rules of the public pages",
        "Files one address may check on the page that verifies a result: how many, in how many seconds.",
    ),
    "procedures.project_code_prefix": RuleDefault(
        "7", "The registry's numbering of projects [demo value]", "First digit of a project code made by a certificate."
    ),
    "promotion.reply_days": RuleDefault(
        3,
        "The board's service charter for investors [demo value]",
        "Working days within which the board replies to an investor's enquiry through the public site.",
    ),
    "promotion.enquiry_throttle": RuleDefault(
        [5, 3600],
        "The board's rules of the public pages",
        "Investor enquiries one address may send: how many, in how many seconds.",
    ),
    "directions.report_every_days": RuleDefault(
        7,
        "The board's rules on following directions (weekly reports by default)",
        "Calendar days between two progress reports of a task's lead unit; a missing report is reminded.",
    ),
    "directions.reminder_days": RuleDefault(
        [7, 3, 1],
        "The board's rules on following directions",
        "Working days before a task's deadline when its lead unit is reminded.",
    ),
    "directions.escalation_days": RuleDefault(
        [0, 5],
        "The board's rules on following directions",
        "Working days after a task's deadline when it goes to the lead unit's head, then to the board's leaders.",
    ),
    "directions.file_max_bytes": RuleDefault(
        20 * 1024 * 1024, "The board's rules on following directions", "Largest document of a direction or a report."
    ),
    "petition.attachment_max_bytes": RuleDefault(
        10 * 1024 * 1024, "The board's rules of the petition channel", "Largest attachment accepted."
    ),
}


def rule_value(key: str, *, on: dt.date | None = None) -> Any:
    from django.db import connection
    from django.utils import timezone

    from zonedesk.core.models import Rule

    on = on or timezone.localdate()
    # one plain statement: rules are read on every deadline and due date a write computes (the
    # ORM's query building was a twelfth of the demo's build)
    table = connection.ops.quote_name(Rule._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "value" FROM {table} WHERE "key" = %s AND "effective_from" <= %s '  # noqa: S608 - our table
            'ORDER BY "effective_from" DESC LIMIT 1',
            [key, connection.ops.adapt_datefield_value(on)],
        )
        row = cursor.fetchone()
    if row is not None:
        # the JSON's text on both engines (Django reads PostgreSQL's jsonb as text too)
        return json.loads(row[0]) if isinstance(row[0], str | bytes) else row[0]
    return DEFAULTS[key].value

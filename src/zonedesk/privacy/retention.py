"""Retention as data: what each kind of personal data is, from when its time counts, and which
records are past it (Law 91/2025/QH15: data is kept no longer than its purpose needs).

`KINDS` is the registry: a code (the `retention` of a field's mark, privacy/marks.py, and the
`kind` of a `RetentionRule` row), a label, what it removes, from when the months count, the
default months (the data migration privacy/0002 writes them; the board edits them on
/privacy/retention/), and the parts it clears (declared here for the tables of core and Django;
registered by the app that holds them otherwise, `register_parts`: petitions registers the
petitioners' contacts and the notifications): for each, the rows past their time (`due`), how
the dry run names one (`reference`; none where the key itself is personal, as a rate-limit key
holding an address) and how a batch of them is cleared (`clear`, without sending signals: the
audit trail never receives the cleared values).

The reads are here; the run (dry or not), the rule's edit and the worker's daily task are in
`retention_services`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ERASED_NAME = "—"  # a petition without an enterprise must name someone (petition_has_a_petitioner)
MIN_MONTHS, MAX_MONTHS = 1, 1200
SAMPLE = 20  # references the dry run shows per kind


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def cutoff(today: dt.date, months: int) -> dt.datetime:
    """The moment before which a record's time has passed: the start of the same day `months`
    months before `today`, in the site's time zone."""
    start = months_before(today, months)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


@dataclass(frozen=True)
class Part:
    """Rows of one table that a kind clears."""

    model: Callable[[], type[models.Model]]
    due: Callable[[dt.datetime], models.QuerySet]
    clear: Callable[[models.QuerySet, dt.datetime], int]
    reference: Callable[[models.Model], str] | None = None
    label: Any = ""


@dataclass(frozen=True)
class RetentionKind:
    code: str
    label: Any
    removes: Any
    counts_from: Any
    default_months: int
    own_parts: tuple[Part, ...] = field(default=())

    @property
    def parts(self) -> tuple[Part, ...]:
        """The parts declared here, then those the apps holding the records registered."""
        return self.own_parts + tuple(_registered.get(self.code, ()))

    @property
    def applied(self) -> bool:
        """False for a kind declared before the records it will clear exist."""
        return bool(self.parts)


# --- audit_addresses: the addresses in the audit trail ---------------------------------------


def _logentry():
    from auditlog.models import LogEntry

    return LogEntry


def _audit_due(before: dt.datetime) -> models.QuerySet:
    return _logentry().objects.filter(timestamp__lt=before, remote_addr__isnull=False)


def _audit_clear(rows: models.QuerySet, now: dt.datetime) -> int:
    # the one change the trail's trigger allows (core/migrations/0012)
    return rows.update(remote_addr=None)


# --- login_records: rate-limit counters and sessions ------------------------------------------


def _ratecount():
    from zonedesk.core.models import RateCount

    return RateCount


def _session():
    from django.contrib.sessions.models import Session

    return Session


def _delete(rows: models.QuerySet, now: dt.datetime) -> int:
    return rows.delete()[0]


_registered: dict[str, list[Part]] = {}


def register_parts(code: str, *parts: Part) -> None:
    """The app that holds records of the kind `code` says which rows of its tables the kind clears
    (in its AppConfig.ready: petitions for `petitioner_contacts` and `notifications`), so that
    privacy imports no app above it. Registering a part again (the same label) replaces it."""
    if code not in KINDS:
        raise KeyError(code)
    kept = [p for p in _registered.get(code, []) if p.label not in {q.label for q in parts}]
    _registered[code] = kept + list(parts)


KINDS: dict[str, RetentionKind] = {
    k.code: k
    for k in (
        RetentionKind(
            code="petitioner_contacts",
            label=_("A public petitioner's contacts"),
            removes=_(
                "The name, e-mail and phone of a person who petitioned without an enterprise, and their "
                "e-mail and the text of the notifications sent to them. The petition, its answer and its "
                "timeline stay."
            ),
            counts_from=_("The petition closed, rejected or merged."),
            default_months=24,
        ),
        RetentionKind(
            code="audit_addresses",
            label=_("Addresses in the audit trail"),
            removes=_(
                "The IP address each audit entry recorded (logins and every change). Who did what, and "
                "when, stays: the trail is the board's record of its work."
            ),
            counts_from=_("The audit entry was written."),
            default_months=12,
            own_parts=(
                Part(
                    model=_logentry,
                    due=_audit_due,
                    clear=_audit_clear,
                    reference=lambda e: f"#{e.pk}",
                    label=_("audit entries"),
                ),
            ),
        ),
        RetentionKind(
            code="login_records",
            label=_("Login records"),
            removes=_(
                "The rate-limit counters of logins and public forms (their keys hold the caller's address "
                "and the name typed) and the rows of ended sessions. The worker deletes both when they "
                "expire; this rule is the ceiling if that did not happen."
            ),
            counts_from=_("The counter or the session expired."),
            default_months=1,
            own_parts=(
                Part(
                    model=_ratecount,
                    due=lambda before: _ratecount().objects.filter(expires__lt=before),
                    clear=_delete,
                    label=_("rate-limit counters"),
                ),
                Part(
                    model=_session,
                    due=lambda before: _session().objects.filter(expire_date__lt=before),
                    clear=_delete,
                    label=_("sessions"),
                ),
            ),
        ),
        RetentionKind(
            code="notifications",
            label=_("Notifications"),
            removes=_(
                "The e-mail address and the text of notifications (the in-app inbox and the e-mails "
                "sent). Their subject and date stay."
            ),
            counts_from=_("The notification was made."),
            default_months=24,
        ),
        RetentionKind(
            code="rejected_dossier_files",
            label=_("Files of rejected dossiers"),
            removes=_(
                "The files an applicant attached to a dossier the board refused (issue #13). Not applied "
                "yet: dossiers do not exist in ZoneDesk so far."
            ),
            counts_from=_("The dossier was refused."),
            default_months=60,
        ),
    )
}


@dataclass
class Due:
    """What one kind would clear today."""

    kind: RetentionKind
    months: int
    before: dt.datetime
    count: int = 0
    sample: list[str] = field(default_factory=list)
    by_part: list[tuple[Any, int]] = field(default_factory=list)


def retention_periods() -> list[dict[str, Any]]:
    """What the privacy page says of retention: each kind applied, what it removes, its months
    (the board's rule in force) and from when they count."""
    months = rule_months()
    return [
        {"code": k.code, "label": k.label, "removes": k.removes, "counts_from": k.counts_from, "months": months[k.code]}
        for k in KINDS.values()
        if k.applied
    ]


def rule_months() -> dict[str, int]:
    """Each kind's months: the board's rule, or the default where no rule was written."""
    from zonedesk.privacy.models import RetentionRule

    months = {code: kind.default_months for code, kind in KINDS.items()}
    months.update({k: m for k, m in RetentionRule.objects.filter(kind__in=KINDS).values_list("kind", "months")})
    return months


def due_today(today: dt.date, *, sample: int = SAMPLE) -> list[Due]:
    """Per kind, how many records are past their time on `today`, and the references of a few."""
    months = rule_months()
    out: list[Due] = []
    for code, kind in KINDS.items():
        due = Due(kind=kind, months=months[code], before=cutoff(today, months[code]))
        for part in kind.parts:
            rows = part.due(due.before)
            n = rows.count()
            due.count += n
            due.by_part.append((part.label, n))
            if part.reference is not None and n and len(due.sample) < sample:
                due.sample += [part.reference(r) for r in rows.order_by("pk")[: sample - len(due.sample)]]
        out.append(due)
    return out

"""Retention's writes: the board edits a rule's months; `retention_run` applies the rules (or,
dry, says what they would clear); the worker runs it once a day (`retention_tick`).

A run clears each kind in its own transaction, in batches of `BATCH` rows (the audit trail may
hold millions of entries), and records one audit entry for each kind it cleared anything of: the
kind and how many, never a value. The run itself is kept (`RetentionRun`, audited with its counts).
Running again clears nothing more: every rule selects only the records still holding the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from zonedesk.core.errors import ServiceError
from zonedesk.core.numbers import whole
from zonedesk.privacy.models import RetentionRule, RetentionRun
from zonedesk.privacy.retention import KINDS, MAX_MONTHS, MIN_MONTHS, Due, due_today

BATCH = 1000


def retention_rule_update(*, kind: str, months: Any, by: Any) -> RetentionRule:
    """Set how many months one kind is kept (1 to 1,200)."""
    if kind not in KINDS:
        raise ServiceError({"kind": _("Unknown kind of data.")})
    value = months if isinstance(months, int) else whole(str(months or "").strip(), max_digits=5)
    if value is None or not MIN_MONTHS <= value <= MAX_MONTHS:
        raise ServiceError(
            {
                "months": _("Give a whole number of months from %(min)s to %(max)s.")
                % {"min": MIN_MONTHS, "max": MAX_MONTHS}
            }
        )
    with transaction.atomic():
        rule, _created = RetentionRule.objects.select_for_update().get_or_create(
            kind=kind, defaults={"months": value, "updated_by": by}
        )
        if rule.months != value:
            rule.months, rule.updated_by = value, by
            rule.save(update_fields=["months", "updated_by", "updated_at"])
    return rule


@dataclass
class RunResult:
    dry_run: bool
    today: dt.date
    kinds: list[Due]
    run: RetentionRun | None = None

    @property
    def total(self) -> int:
        return sum(d.count for d in self.kinds)


def _log(kind_code: str, count: int, by: Any) -> None:
    """One audit entry for a kind cleared: which kind, how many (no value, no reference)."""
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    rule = RetentionRule.objects.filter(kind=kind_code).first()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(RetentionRule),
        object_pk=str(rule.pk) if rule else kind_code,
        object_id=rule.pk if rule else None,
        object_repr=(_("Retention %(kind)s: %(n)s records cleared") % {"kind": kind_code, "n": count})[:2000],
        action=LogEntry.Action.UPDATE,
        changes={"retention": [None, kind_code], "records cleared": [None, count]},
        actor=by if getattr(by, "pk", None) else None,
        actor_email=getattr(by, "email", None) if getattr(by, "pk", None) else None,
        cid=get_cid(),
        additional_data={"retention": kind_code, "records": count},
    )


def retention_run(*, dry_run: bool, today: dt.date | None = None, by: Any = None) -> RunResult:
    """Apply every rule as of `today` (the site's date by default). Dry: count and name what
    would go, change nothing. Otherwise clear it, kind by kind, and record the run."""
    today = today or timezone.localdate()
    due = due_today(today)
    if dry_run:
        return RunResult(dry_run=True, today=today, kinds=due)
    started = timezone.now()
    for item in due:
        cleared = 0
        with transaction.atomic():
            for part in item.kind.parts:
                model = part.model()
                while True:
                    ids = list(part.due(item.before).order_by("pk").values_list("pk", flat=True)[:BATCH])
                    if not ids:
                        break
                    n = part.clear(model.objects.filter(pk__in=ids), started)
                    cleared += n
                    if n == 0:  # nothing more would leave the selection
                        break
            if cleared:
                _log(item.kind.code, cleared, by)
        item.count = cleared
    with transaction.atomic():
        run = RetentionRun.objects.create(
            day=today,
            started_at=started,
            finished_at=timezone.now(),
            by=by if getattr(by, "pk", None) else None,
            cleared={d.kind.code: d.count for d in due if d.kind.applied},
        )
    return RunResult(dry_run=False, today=today, kinds=due, run=run)


def last_runs(n: int = 5) -> list[RetentionRun]:
    return list(RetentionRun.objects.select_related("by")[:n])


@task()
def retention_tick() -> dict:
    """The worker's periodic work, once a day: apply the retention rules (a day that already has
    a run, the worker's or a person's, is done)."""
    today = timezone.localdate()
    if RetentionRun.objects.filter(day=today).exists():
        return {"ran": False}
    result = retention_run(dry_run=False, today=today)
    return {"ran": True, "cleared": result.run.cleared if result.run else {}}

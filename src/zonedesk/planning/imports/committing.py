"""Step 4 of a plan import, **commit**: only a clean analysis, or one whose only findings are
repairs the officer accepted, is written, by `services.revision_create`, which records the
repairs. `import_file` runs the steps one after the other (the CLI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from zonedesk.core.errors import ServiceError
from zonedesk.core.models import Zone
from zonedesk.planning import services
from zonedesk.planning.imports.analysing import Analysis, Progress, Steps, analyse
from zonedesk.planning.models import PlanningDecision, PlanRevision


def problems_of(report: dict[str, Any]) -> list[str]:
    """Every problem of a report, one line each: the file's, then "<feature>: <reason>"."""
    lines = list(report["problems"])
    for f in report["features"]:
        lines.extend(f"{f['label']}: {p}" for p in f["problems"])
    hidden = report["counts"]["refused"] - sum(1 for f in report["features"] if f["problems"])
    if hidden > 0:
        lines.append(_("… and %(n)s more features with problems.") % {"n": hidden})
    return lines


def commit(
    analysis: Analysis,
    *,
    by: Any,
    effective_date: dt.date,
    decision: PlanningDecision | None = None,
    note: str = "",
    accept_repairs: bool = False,
    accepted: list[dict[str, Any]] | None = None,
    progress: Progress | None = None,
) -> PlanRevision:
    """Write the analysed features as a new revision, or `ServiceError` and nothing written: when
    the analysis found problems, or repairs the officer did not accept. `accepted`, when given,
    is the list of repairs the officer saw: a different list (the file or the data changed since)
    is not accepted blindly."""
    report = analysis.report
    if report["status"] == "refused":
        raise ServiceError({"features": problems_of(report) or [_("The file was refused.")]})
    if report["status"] == "repairs":
        if not accept_repairs:
            raise ServiceError({"repairs": _("The file needs the listed repairs: accept them to save it.")})
        if accepted is not None and [(r["feature"], r["description"]) for r in accepted] != [
            (r["feature"], r["description"]) for r in report["repairs"]
        ]:
            raise ServiceError({"repairs": _("The repairs needed changed since you accepted them: review them again.")})
    features = [services.Feature(geometry=i.geometry, code=i.code, properties=i.properties) for i in analysis.items]
    revision = services.revision_create(
        zone=analysis.zone,
        layer=analysis.layer,
        features=features,
        effective_date=effective_date,
        by=by,
        decision=decision,
        note=note,
        source_name=report["source"]["name"],
        source_format=report["source"]["format"],
        source_crs=report["crs"],
        repairs=[
            {"feature": r["feature"], "code": r["code"], "repair": r["repair"], "description": r["description"]}
            for r in report["repairs"]
        ],
    )
    if progress is not None:
        progress(1, 1)
    return revision


def import_file(
    *,
    zone: Zone,
    layer: str,
    source: str | Path | IO[bytes],
    by: Any,
    effective_date: dt.date,
    name: str = "",
    mapping: dict[str, str] | None = None,
    crs: str | int | None = None,
    source_layer: str = "",
    decision: PlanningDecision | None = None,
    note: str = "",
    accept_repairs: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> tuple[Analysis, PlanRevision | None]:
    """Analyse a file and, unless `dry_run` or refused, save it: `(analysis, revision or None)`.
    A refusal of the commit raises `ServiceError` (nothing saved)."""
    steps = Steps(progress)

    def relay(done: int, total: int) -> None:
        steps.total, steps.done = total, done
        steps._tell()

    analysis = analyse(
        zone=zone,
        layer=layer,
        source=source,
        name=name,
        mapping=mapping,
        crs=crs,
        source_layer=source_layer,
        effective_date=effective_date,
        progress=relay,
        extra_stages=0 if dry_run else 1,
    )
    if dry_run or analysis.status == "refused" or (analysis.status == "repairs" and not accept_repairs):
        steps.finish()
        return analysis, None
    revision = commit(
        analysis,
        by=by,
        effective_date=effective_date,
        decision=decision,
        note=note,
        accept_repairs=accept_repairs,
    )
    steps.finish()
    return analysis, revision

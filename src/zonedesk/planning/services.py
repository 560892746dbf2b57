"""Writes of the plan: planning decisions and revisions. Each runs in one transaction.

`revision_create` is the only way features enter the database: it takes features already
checked by the import (`imports`), checks the invariants once more (valid polygons in WGS 84,
known land uses, unique codes, projects that exist) and writes a new revision with all of them,
or nothing. Nothing is ever updated in place: a change of the plan is a new revision.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from shapely.geometry.base import BaseGeometry

from zonedesk.core import audit
from zonedesk.core.errors import ServiceError, stale
from zonedesk.core.files import Checked, check_upload
from zonedesk.core.inputs import MAX_VND, Wording, clean_whole, parse_decimal
from zonedesk.core.models import Zone
from zonedesk.core.permissions import has_capability
from zonedesk.investment.models import Project
from zonedesk.planning import geometry
from zonedesk.planning.models import (
    INFRASTRUCTURE,
    FunctionalArea,
    ImportJob,
    LandUse,
    Layer,
    Occupancy,
    Parcel,
    PlanningDecision,
    PlanRevision,
    ZoneBoundary,
)

MAX_FEATURES = 50_000  # per revision
DECISION_MAX_BYTES = 20 * 1024 * 1024  # the signed PDF of a planning decision


@dataclass
class Feature:
    """One feature ready to be written: WGS 84 geometry and the parcel/area fields by name."""

    geometry: BaseGeometry
    code: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


def _may_plan(by: Any) -> None:
    if not has_capability(by, "planning.edit"):
        raise PermissionDenied(_("Only the board keeps the plan."))


def check_decision_document(upload: Any) -> Checked:
    """Every check on the document of a decision (`core.files.check_upload`): a real PDF, its name
    ending in .pdf, at most `DECISION_MAX_BYTES`; or `ServiceError({"document": ...})`."""
    try:
        return check_upload(
            upload,
            limit=DECISION_MAX_BYTES,
            kinds=frozenset({"pdf"}),
            accepted=_("Send the signed decision as a PDF file."),
        )
    except ServiceError as exc:
        raise ServiceError({"document": exc.message_dict.get("file", exc.messages)}) from exc


def _store_document(decision: PlanningDecision, checked: Checked) -> str:
    """Write a checked PDF under a random name (`models._decision_path`) on the decision (not
    saved); the stored name, for the caller to remove if the row is not written."""
    checked.upload.seek(0)
    decision.document.save(checked.name, checked.upload, save=False)
    decision.document_name = checked.name
    return decision.document.name


def _number_key(number: str) -> str:
    return unicodedata.normalize("NFC", number).casefold()


def _number_taken(zone: Zone, number: str) -> bool:
    """A decision number of the zone written in any case ("899/qđ-ttg" is "899/QĐ-TTg"). Compared
    in Python: the databases' own case folding does not know "Đ" (SQLite folds ASCII only), and a
    zone has a few dozen decisions."""
    key = _number_key(number)
    return any(
        _number_key(n) == key for n in PlanningDecision.objects.filter(zone=zone).values_list("number", flat=True)
    )


@transaction.atomic
def decision_create(
    *,
    zone: Zone,
    by: Any,
    number: str,
    date: dt.date,
    authority: str,
    title: str = "",
    document: Any = None,
    authority_en: str = "",
    title_en: str = "",
) -> PlanningDecision:
    """Record a planning decision of a zone, with its signed document (a PDF) if given. Bad input
    is `ServiceError` by field (`number`, `date`, `authority`, `title`, `document`): nothing is
    written, neither the row nor the file."""
    _may_plan(by)
    errors = {}
    number, authority, title = (number or "").strip(), (authority or "").strip(), (title or "").strip()
    authority_en, title_en = (authority_en or "").strip(), (title_en or "").strip()
    if not number:
        errors["number"] = _("Give the number of the decision.")
    elif len(number) > 60:
        errors["number"] = _("The number is longer than 60 characters.")
    elif _number_taken(zone, number):
        errors["number"] = _("This zone already has a decision with this number.")
    if not isinstance(date, dt.date):
        errors["date"] = _("Enter a date as YYYY-MM-DD.")
    if not authority:
        errors["authority"] = _("Say which authority decided.")
    elif len(authority) > 255:
        errors["authority"] = _("The authority is longer than 255 characters.")
    if len(title) > 500:
        errors["title"] = _("The title is longer than 500 characters.")
    if len(title_en) > 500:
        errors["title_en"] = _("The title is longer than 500 characters.")
    if len(authority_en) > 255:
        errors["authority_en"] = _("The authority is longer than 255 characters.")
    checked = None
    if document is not None:
        try:
            checked = check_decision_document(document)
        except ServiceError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ServiceError(errors)
    decision = PlanningDecision(
        zone=zone,
        number=number,
        date=date,
        authority=authority,
        title=title,
        authority_en=authority_en,
        title_en=title_en,
    )
    stored = ""
    try:
        if checked is not None:
            stored = _store_document(decision, checked)
        with transaction.atomic():  # a savepoint: a number taken meanwhile is a field error
            decision.save()
    except IntegrityError as exc:
        if stored:
            decision.document.storage.delete(stored)
        raise ServiceError({"number": _("This zone already has a decision with this number.")}) from exc
    except BaseException:
        if stored:
            decision.document.storage.delete(stored)
        raise
    return decision


@transaction.atomic
def decision_attach_document(
    *, decision: PlanningDecision, by: Any, upload: Any, version: int | None = None
) -> PlanningDecision:
    """Add the signed document of a decision, or replace it (the old file is removed once the
    change is committed). `ServiceError({"document": ...})` and nothing written when the file is
    not a PDF, is empty or too large; `ConflictError` when the decision changed since its writer
    read `version` (someone attached another document meanwhile)."""
    _may_plan(by)
    if upload is None:
        raise ServiceError({"document": _("Choose a file to attach.")})
    checked = check_decision_document(upload)
    decision = PlanningDecision.objects.select_for_update().get(pk=decision.pk)
    stale(
        decision,
        version,
        _("The decision was changed by someone else (version %(theirs)s, you had %(yours)s): reload it."),
    )
    old = decision.document.name if decision.document else ""
    stored = ""
    try:
        stored = _store_document(decision, checked)
        decision.version += 1
        decision.save(update_fields=["document", "document_name", "version"])
    except BaseException:
        if stored:
            decision.document.storage.delete(stored)
        raise
    if old:
        storage = decision.document.storage
        transaction.on_commit(lambda: storage.delete(old), robust=True)  # the change stands if this fails
    return decision


def _decimal(
    value: Any, name: str, errors: dict[str, str], key: str, *, low: Decimal, high: Decimal | None = None
) -> Decimal | None:
    if value in (None, ""):
        return None
    d = parse_decimal(value)  # core.inputs: "12,5" and "12.5" alike
    if d is None:
        errors[key] = _("%(field)s is not a number: “%(value)s”.") % {"field": name, "value": value}
        return None
    if d < low or (high is not None and d > high):
        errors[key] = _("%(field)s is out of range: %(value)s.") % {"field": name, "value": value}
        return None
    return d


def geometry_problem(g: BaseGeometry | None) -> str:
    """Why a geometry cannot be written ("" when it can): a valid polygon in WGS 84."""
    if g is None or g.is_empty:
        return _("The feature has no geometry.")
    if g.geom_type not in {"Polygon", "MultiPolygon"}:
        return _("The geometry is a %(type)s, not a polygon.") % {"type": g.geom_type}
    if not g.is_valid:
        return _("The geometry is not valid.")
    minx, miny, maxx, maxy = g.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return _("The coordinates are not longitude and latitude in WGS 84.")
    return ""


_NOT_A_PRICE = _lazy("The lease price is not a whole number of VND: “%(value)s”.")
# what a plan's file is told of a parcel's lease price, whatever is wrong with it
_PRICE = Wording(
    blank=_NOT_A_PRICE, not_whole=_NOT_A_PRICE, negative=_NOT_A_PRICE, zero=_NOT_A_PRICE, too_large=_NOT_A_PRICE
)


def feature_values(
    layer: str, f: Feature, land_uses: dict[str, LandUse], projects: dict[str, Project]
) -> tuple[dict, dict[str, str]]:
    """The model fields of one feature and the reasons it cannot be written, by field (empty when
    fine): "geometry", "code", "land_use", a number's or a network's field name, "occupancy",
    "project", "lease_price_vnd_m2". Callers that check a field themselves pick by key, never by
    the wording of a message."""
    errors: dict[str, str] = {}
    if problem := geometry_problem(f.geometry):
        errors["geometry"] = problem
    values: dict[str, Any] = {}
    if layer == Layer.BOUNDARY:
        return values, errors
    p = f.properties
    code = (f.code or "").strip()
    if not code:
        errors["code"] = _("The feature has no code.")
    elif len(code) > 40:
        errors["code"] = _("The code is longer than 40 characters.")
    values["code"] = code
    use = land_uses.get(str(p.get("land_use") or "").strip().upper())
    if use is None:
        errors["land_use"] = _("Unknown land use “%(code)s”.") % {"code": p.get("land_use") or ""}
    values["land_use"] = use
    if layer == Layer.AREAS:
        values["name"] = str(p.get("name") or "")[:255]
        return values, errors
    values["max_density_pct"] = _decimal(
        p.get("max_density_pct"), _("Building density"), errors, "max_density_pct", low=Decimal(0), high=Decimal(100)
    )
    values["max_height_m"] = _decimal(
        p.get("max_height_m"), _("Height"), errors, "max_height_m", low=Decimal(0), high=Decimal(1000)
    )
    values["max_far"] = _decimal(
        p.get("max_far"), _("Floor-area ratio"), errors, "max_far", low=Decimal(0), high=Decimal(100)
    )
    for name in INFRASTRUCTURE:
        ready = p.get(name, False)
        if ready in (None, ""):
            ready = False
        if not isinstance(ready, bool):  # the import reads "có"/"yes"/1 into booleans first
            errors[name] = _("%(field)s is not yes or no: “%(value)s”.") % {"field": name, "value": ready}
            ready = False
        values[name] = ready
    occupancy = str(p.get("occupancy") or Occupancy.VACANT)
    if occupancy not in Occupancy.values:
        errors["occupancy"] = _("Unknown occupancy “%(value)s”.") % {"value": occupancy}
    values["occupancy"] = occupancy
    project_code = str(p.get("project") or "").strip()
    values["project"] = None
    if project_code:
        values["project"] = projects.get(project_code)
        if values["project"] is None:
            errors["project"] = _("No project with the code “%(code)s” in this zone.") % {"code": project_code}
    # "1.250.000" yes; "1250000.5" or "12,5" no: never guessed (an amount of đồng, core.inputs)
    price = clean_whole(
        p.get("lease_price_vnd_m2"), "lease_price_vnd_m2", errors, high=MAX_VND, wording=_PRICE, required=False
    )
    if price is not None:
        values["lease_price_vnd_m2"] = price
    values["private_note"] = str(p.get("private_note") or "")
    return values, errors


@transaction.atomic
def revision_create(
    *,
    zone: Zone,
    layer: str,
    features: Iterable[Feature],
    effective_date: dt.date,
    by: Any,
    decision: PlanningDecision | None = None,
    note: str = "",
    source_name: str = "",
    source_format: str = "",
    source_crs: str = "",
    repairs: list[dict] | None = None,
) -> PlanRevision:
    """A new revision of one layer of a zone with all these features, or `ServiceError` and
    nothing written (`{"features": ["<code>: <reason>", ...]}`)."""
    _may_plan(by)
    if layer not in Layer.values:
        raise ServiceError({"layer": _("Unknown layer.")})
    if not isinstance(effective_date, dt.date):
        raise ServiceError({"effective_date": _("Enter a date as YYYY-MM-DD.")})
    if decision is not None and decision.zone_id != zone.pk:
        raise ServiceError({"decision": _("This decision is about another zone.")})
    features = list(features)
    if not features:
        raise ServiceError({"features": [_("The file has no features.")]})
    if len(features) > MAX_FEATURES:
        raise ServiceError({"features": [_("At most %(n)s features in one revision.") % {"n": MAX_FEATURES}]})
    if layer == Layer.BOUNDARY and len(features) != 1:
        raise ServiceError({"features": [_("A zone boundary is one feature (a polygon or a multipolygon).")]})

    land_uses = {u.code.upper(): u for u in LandUse.objects.all()}
    projects = {p.code: p for p in Project.objects.filter(zone=zone)}
    rows, problems, seen = [], [], set()
    for i, f in enumerate(features, 1):
        values, errors = feature_values(layer, f, land_uses, projects)
        label = values.get("code") or _("feature %(n)s") % {"n": i}
        problems.extend(f"{label}: {e}" for e in errors.values())
        if values.get("code") and values["code"] in seen:
            problems.append(f"{label}: " + _("The code is used by another feature of the file."))
        seen.add(values.get("code"))
        rows.append((f, values))
    if problems:
        raise ServiceError({"features": problems})

    # Django drops FOR UPDATE from aggregates: lock the zone row so two imports never take one number
    list(Zone.objects.select_for_update().filter(pk=zone.pk).values_list("pk", flat=True))
    number = (PlanRevision.objects.filter(zone=zone, layer=layer).aggregate(n=Max("number"))["n"] or 0) + 1
    revision = PlanRevision.objects.create(
        zone=zone,
        layer=layer,
        number=number,
        effective_date=effective_date,
        decision=decision,
        note=note,
        source_name=source_name[:255],
        source_format=source_format[:40],
        source_crs=source_crs[:80],
        repairs=repairs or [],
        feature_count=len(rows),
        created_by=by,
    )
    model = {Layer.BOUNDARY: ZoneBoundary, Layer.AREAS: FunctionalArea, Layer.PARCELS: Parcel}[Layer(layer)]
    audit.log_created(
        model.objects.bulk_create(
            [model(revision=revision, zone=zone, **values, **geometry.geo_fields(f.geometry)) for f, values in rows],
            batch_size=1000,
        )
    )
    return revision


@transaction.atomic
def import_job_discard(*, job: ImportJob, by: Any) -> str:
    """Discard a web import and its uploaded file (removed once the change is committed), or
    take a saved one off the list; the status it had. A step the worker is running cannot be
    discarded, unless it looks stalled (`ImportJob.stalled`: no sign of life from its worker for
    `core.jobs.STALLED_AFTER`, so the worker died). `ServiceError({"job": ...})` and nothing
    changed otherwise. The job row is locked while this decides, so a worker taking the job or
    reporting progress at that moment either comes first (and the job is busy) or finds it gone."""
    _may_plan(by)
    locked = ImportJob.objects.select_for_update().filter(pk=job.pk).first()
    if locked is None:
        raise ServiceError({"job": _("This import no longer exists.")})
    if locked.status == ImportJob.Status.RUNNING and not locked.stalled:
        raise ServiceError(
            {
                "job": _(
                    "The worker is busy with this import: wait until it is done. An import that shows no "
                    "progress for %(minutes)s minutes can be discarded."
                )
                % {"minutes": locked.stalled_minutes}
            }
        )
    stored, storage = locked.file.name, locked.file.storage
    locked.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored), robust=True)  # a file left over is logged
    return locked.status

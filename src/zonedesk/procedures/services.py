"""Every write of the one-stop desk, each in one transaction: filing a dossier, each step of its
lifecycle (`workflow.DOSSIER`), supplements, apologies, the signed result and what it changes in
the registry, the enterprise's rating.

The clock: the appointment (`due_at`) counts the procedure's time limit, in its kind (working days,
calendar days or office hours), from the moment of receipt; each step of the version has its own
deadline within it (the shares of the steps added up). A supplement requested after receipt, or a
fee due, stops the clock (`paused_at`); when it runs again the appointment and the open step's
deadline move by the office hours it stood still. `original_due_at` is the appointment without
apologies: a dossier is on time when its result is returned by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.cases import timeline
from zonedesk.cases.attachments import store_all
from zonedesk.cases.clock import Clock, due_after_days, due_after_hours, end_of_working_day
from zonedesk.core import audit
from zonedesk.core.calendar import add_working_hours, next_working_day, working_hours_between
from zonedesk.core.counters import counter_next
from zonedesk.core.errors import ServiceError
from zonedesk.core.files import KINDS, Checked, check_upload, clean_name
from zonedesk.core.rules import rule_value
from zonedesk.core.text import fold
from zonedesk.core.versions import locked
from zonedesk.procedures import fields, hooks, registry
from zonedesk.procedures.models import (
    Apology,
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierPart,
    DossierStep,
    Procedure,
    ProcedureVersion,
    RegistryEffect,
    Result,
    ResultKind,
    Status,
    SupplementItem,
    SupplementRequest,
    TimeKind,
    Unit,
    UnitMember,
    VersionStep,
)
from zonedesk.procedures.workflow import DOSSIER, OWNER

CLOCK = Clock(due_field="due_at", paused_field="paused_at")
DOSSIER_CHANGED = gettext_lazy(  # lazy: in the language of whoever is refused, not of the import
    "The dossier was changed by someone else (version %(theirs)s, you had read %(yours)s): read it again."
)
MAX_FILES = 30


# --- the catalogue ---------------------------------------------------------------------------------
def version_on(procedure: Procedure, day: dt.date) -> ProcedureVersion:
    """The version of the procedure in force on `day`; `ServiceError` when none is yet."""
    found = procedure.versions.filter(effective_from__lte=day).order_by("-effective_from").first()
    if found is None:
        raise ServiceError({"procedure": _("This procedure has no version in force on %(day)s.") % {"day": day}})
    return found


def _due(start: dt.datetime, amount: float, kind: str) -> dt.datetime:
    """The moment `amount` of the procedure's kind of time after `start`."""
    if kind == TimeKind.WORKING_HOURS:
        return due_after_hours(start, amount)
    if kind == TimeKind.CALENDAR_DAYS:  # a last day that is not a working day rolls to the next
        day = timezone.localdate(start) + dt.timedelta(days=int(amount))
        return end_of_working_day(next_working_day(day))
    return due_after_days(start, int(amount))


@transaction.atomic
def unit_create(
    *, code: str, kind: str, name_vi: str, name_en: str = "", members: Sequence[tuple[Any, bool]] = ()
) -> Unit:
    """A unit of the board, with its members (person, is head)."""
    if kind not in Unit.Kind.values:
        raise ServiceError({"kind": _("Unknown kind of unit.")})
    if Unit.objects.filter(code=code).exists():
        raise ServiceError({"code": _("A unit with this code exists.")})
    unit = Unit.objects.create(code=code, kind=kind, name_vi=name_vi, name_en=name_en)
    for user, is_head in members:
        if user.role not in {"board", "leader"}:
            raise ServiceError({"members": _("Only board officers and leaders belong to a unit of the board.")})
        UnitMember.objects.create(unit=unit, user=user, is_head=is_head)
    return unit


@transaction.atomic
def procedure_create(
    *,
    code: str,
    name_vi: str,
    name_en: str,
    field_vi: str,
    field_en: str,
    result_kind: str,
    registry_effect: str = RegistryEffect.NONE,
    needs_project: bool = False,
    description_vi: str = "",
    description_en: str = "",
    order: int = 0,
) -> Procedure:
    """A procedure of the catalogue (its versions: `version_add`)."""
    errors: dict[str, str] = {}
    if not code.strip() or Procedure.objects.filter(code=code.strip()).exists():
        errors["code"] = _("Give the procedure a code no other procedure has.")
    if not name_vi.strip():
        errors["name_vi"] = _("Give the procedure's name in Vietnamese.")
    if result_kind not in ResultKind.values:
        errors["result_kind"] = _("Unknown kind of result.")
    if registry_effect not in RegistryEffect.values:
        errors["registry_effect"] = _("Unknown effect on the registry.")
    if registry_effect in {
        RegistryEffect.AMEND_PROJECT,
        RegistryEffect.EXTEND_SCHEDULE,
        RegistryEffect.TERMINATE_PROJECT,
    }:
        needs_project = True
    if errors:
        raise ServiceError(errors)
    return Procedure.objects.create(
        code=code.strip(),
        name_vi=name_vi.strip(),
        name_en=name_en.strip(),
        field_vi=field_vi,
        field_en=field_en,
        result_kind=result_kind,
        registry_effect=registry_effect,
        needs_project=needs_project,
        description_vi=description_vi,
        description_en=description_en,
        order=order,
        search_text=fold(" ".join([code, name_vi, name_en, field_vi, field_en]))[:1000],
    )


@transaction.atomic
def version_add(
    *,
    procedure: Procedure,
    effective_from: dt.date,
    legal_basis: str,
    processing_time: int,
    time_kind: str,
    steps: Sequence[tuple[str, Unit, int]],
    parts: Sequence[Mapping[str, Any]],
    fee_vnd: int = 0,
    fee_note: str = "",
    form_fields: Sequence[str] = (),
    uncertain: bool = False,
    note: str = "",
) -> ProcedureVersion:
    """A version of a procedure from a date: its time limit, steps (kind, unit, share of the
    time: the shares add up to the whole, the first step is the desk's) and parts (name_vi,
    name_en, required, file_types, note). Dossiers received from that date follow it."""
    errors: dict[str, str] = {}
    if procedure.versions.filter(effective_from=effective_from).exists():
        errors["effective_from"] = _("The procedure already has a version from this date.")
    if time_kind not in TimeKind.values:
        errors["time_kind"] = _("Unknown kind of time.")
    if isinstance(processing_time, bool) or not isinstance(processing_time, int) or processing_time <= 0:
        errors["processing_time"] = _("Give the time limit as a whole number above zero.")
    elif sum(t for _k, _u, t in steps) != processing_time:
        errors["steps"] = _("The steps' shares must add up to the time limit (%(n)s).") % {"n": processing_time}
    if not steps or steps[0][0] != VersionStep.Kind.DESK or steps[-1][0] != VersionStep.Kind.LEADER:
        errors["steps"] = _("The steps start at the one-stop desk and end with the leader's signature.")
    if not legal_basis.strip():
        errors["legal_basis"] = _("Give the legal basis.")
    if isinstance(fee_vnd, bool) or not isinstance(fee_vnd, int) or fee_vnd < 0:
        errors["fee_vnd"] = _("Enter a whole number of đồng, without decimals.")
    unknown = [f for f in form_fields if f not in fields.FIELDS]
    if unknown:
        errors["form_fields"] = _("Unknown form fields: %(names)s.") % {"names": ", ".join(unknown)}
    if not parts:
        errors["parts"] = _("A dossier has at least one part.")
    for part in parts:
        kinds = {t.strip() for t in part.get("file_types", "pdf").split(",")}
        if not kinds <= set(KINDS):
            errors["parts"] = _("Unknown file types: %(types)s.") % {"types": ", ".join(sorted(kinds - set(KINDS)))}
    if errors:
        raise ServiceError(errors)
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        effective_from=effective_from,
        legal_basis=legal_basis.strip(),
        processing_time=processing_time,
        time_kind=time_kind,
        fee_vnd=fee_vnd,
        fee_note=fee_note,
        form_fields=list(form_fields),
        uncertain=uncertain,
        note=note,
    )
    audit.log_created(
        VersionStep.objects.bulk_create(
            [VersionStep(version=version, order=i + 1, kind=k, unit=u, time=t) for i, (k, u, t) in enumerate(steps)]
        )
    )
    audit.log_created(
        DossierPart.objects.bulk_create(
            [
                DossierPart(
                    version=version,
                    order=i + 1,
                    name_vi=p["name_vi"],
                    name_en=p.get("name_en", ""),
                    required=p.get("required", True),
                    file_types=p.get("file_types", "pdf"),
                    note=p.get("note", ""),
                )
                for i, p in enumerate(parts)
            ]
        )
    )
    return version


@transaction.atomic
def part_template_set(*, part: DossierPart, upload: Any) -> DossierPart:
    """The template an investor downloads to prepare a part (a form to fill in), checked by its
    content like any file (PDF, DOCX, ODT, XLSX)."""
    checked = check_upload(
        upload, limit=rule_value("procedures.file_max_bytes"), kinds=frozenset({"pdf", "docx", "odt", "xlsx"})
    )
    old = part.template.name if part.template else ""
    part.template.save(checked.name, checked.upload, save=True)
    if old:
        part.template.storage.delete(old)
    return part


# --- filing ------------------------------------------------------------------------------------------
def _code(at: dt.datetime) -> str:
    day = timezone.localdate(at)
    agency = rule_value("procedures.agency_code", on=day)
    sequence = counter_next(key=f"dossier:{day:%Y%m%d}")
    return f"{agency}-{day:%y%m%d}-{sequence:04d}"


def _check_parts(
    version: ProcedureVersion, uploads: Mapping[int, Any], *, required: Iterable[DossierPart] | None = None
) -> list[tuple[DossierPart, Checked]]:
    """Each file checked against its part (the types it accepts, the size limit), and every
    required part present. `uploads` maps a part's id to its file."""
    parts = {p.pk: p for p in version.parts.all()}
    errors: dict[str, str] = {}
    unknown = [pk for pk in uploads if pk not in parts]
    if unknown:
        errors["parts"] = _("A file was sent for a part this procedure does not have.")
    for part in required if required is not None else [p for p in parts.values() if p.required]:
        if uploads.get(part.pk) is None:
            errors[f"part_{part.pk}"] = _("Attach “%(part)s”.") % {"part": part.name}
    checked: list[tuple[DossierPart, Checked]] = []
    limit = rule_value("procedures.file_max_bytes")
    if len([u for u in uploads.values() if u is not None]) > MAX_FILES:
        errors["parts"] = _("At most %(n)s files at once.") % {"n": MAX_FILES}
    for pk, upload in uploads.items():
        found = parts.get(pk)
        if found is None or upload is None:
            continue
        part = found
        accepted = _("Accepted: %(types)s.") % {"types": ", ".join(sorted(t.upper() for t in part.kinds))}
        try:
            checked.append((part, check_upload(upload, limit=limit, kinds=part.kinds, accepted=accepted)))
        except ServiceError as exc:
            reason = "; ".join(exc.message_dict.get("file", exc.messages))
            errors[f"part_{part.pk}"] = _("%(name)s: %(reason)s") % {
                "name": clean_name(getattr(upload, "name", "")),
                "reason": reason,
            }
    if errors:
        raise ServiceError(errors)
    return checked


def _store(dossier: Dossier, checked: Sequence[tuple[DossierPart, Checked]], by: Any, at: dt.datetime, supplement=None):
    from zonedesk.cases.attachments import store

    def one(item: tuple[DossierPart, Checked]) -> DossierFile:
        part, c = item
        DossierFile.objects.filter(dossier=dossier, part=part, current=True).update(current=False)
        row = DossierFile(
            dossier=dossier,
            part=part,
            original_name=c.name,
            content_type=c.kind.content_type,
            size=c.size,
            sha256=c.sha256,
            uploaded_by=by,
            uploaded_at=at,
            supplement=supplement,
        )
        return store(row, c)

    return store_all(one, checked)


def _is_desk_member(user: Any) -> bool:
    return UnitMember.objects.filter(user=user, unit__kind="desk").exists()


def _needs_usd(procedure: Procedure, enterprise: Any, project: Any, values: dict[str, Any]) -> bool:
    """Whether the registry will need the capital in USD too (a project with a foreign investor:
    a new one, or an amendment of its capital) and the form, which asks for it, was left without."""
    from zonedesk.investment.models import VIETNAM, Project

    if "registered_capital_usd" in values:
        return False
    if procedure.registry_effect == RegistryEffect.NEW_PROJECT:
        return enterprise is not None and enterprise.investors.exclude(nationality=VIETNAM).exists()
    if procedure.registry_effect == RegistryEffect.AMEND_PROJECT and isinstance(project, Project):
        changed = values.get("registered_capital_vnd", project.registered_capital_vnd) != project.registered_capital_vnd
        return changed and project.is_foreign_invested
    return False


@transaction.atomic
def dossier_file(
    *,
    procedure: Procedure,
    by: Any,
    files: Mapping[int, Any],
    form: Mapping[str, Any] | None = None,
    project: Any = None,
    enterprise: Any = None,
    channel: str = Channel.ONLINE,
    at: dt.datetime | None = None,
) -> Dossier:
    """File a dossier: an enterprise user for its own enterprise, online; or a member of the
    one-stop desk for a paper dossier brought to it (`channel=paper`, naming the enterprise).
    Every file is checked by its content against its part before anything is written; the form
    against the fields the procedure asks; a procedure about a project needs one of the
    enterprise's own projects."""
    from zonedesk.investment.models import Enterprise, Project

    at = at or timezone.now()
    errors: dict[str, str] = {}
    if by is None or not getattr(by, "is_authenticated", False):
        raise ServiceError({"__all__": _("Log in to file a dossier.")})
    if channel == Channel.PAPER:
        if not _is_desk_member(by):
            raise ServiceError({"channel": _("Only the one-stop desk records a paper dossier.")})
        if not isinstance(enterprise, Enterprise):
            raise ServiceError({"enterprise": _("Name the enterprise that brought the dossier.")})
    elif channel == Channel.ONLINE:
        if by.role != "enterprise" or not by.enterprise_id:
            raise ServiceError({"__all__": _("A dossier is filed online by a user of the enterprise.")})
        if enterprise is not None and getattr(enterprise, "pk", None) != by.enterprise_id:
            raise ServiceError({"enterprise": _("You may file dossiers for your own enterprise only.")})
        enterprise = by.enterprise
    else:
        raise ServiceError({"channel": _("Unknown channel.")})
    if not procedure.active:
        errors["procedure"] = _("This procedure is no longer offered.")
    version = version_on(procedure, timezone.localdate(at))
    if procedure.needs_project:
        if not isinstance(project, Project) or project.enterprise_id != enterprise.pk:
            errors["project"] = _("Choose one of your enterprise's projects.")
    elif project is not None:
        errors["project"] = _("This procedure does not concern a registered project.")
    values, form_errors = fields.clean(version.form_fields, form or {})
    errors.update(form_errors)
    if _needs_usd(procedure, enterprise, project, values) and "registered_capital_usd" not in form_errors:
        errors["registered_capital_usd"] = _(
            "Fill in the registered capital in USD as well: the project has a foreign investor."
        )
    if (
        procedure.registry_effect == RegistryEffect.EXTEND_SCHEDULE
        and "new_deadline" in values
        and "project" not in errors
    ):
        last = project.milestones.filter(actual_date__isnull=True).order_by("-planned_date").first()
        if last is not None and dt.date.fromisoformat(values["new_deadline"]) <= last.planned_date:
            errors["new_deadline"] = _("The schedule is extended to a date after its last milestone (%(day)s).") % {
                "day": last.planned_date.strftime("%d/%m/%Y")
            }
    checked: list[tuple[DossierPart, Checked]] = []
    try:  # every refusal at once: the parts' with the form's
        checked = _check_parts(version, files)
    except ServiceError as exc:
        errors.update({k: "; ".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ServiceError(errors)
    desk = version.steps.order_by("order").first()
    if desk is None:
        raise ServiceError({"procedure": _("This procedure has no steps: the board has to set them first.")})
    dossier = Dossier.objects.create(
        code=_code(at),
        procedure=procedure,
        procedure_version=version,
        enterprise=enterprise,
        project=project if procedure.needs_project else None,
        zone=project.zone if procedure.needs_project else enterprise.zone,
        channel=channel,
        status=Status.FILED,
        form=values,
        filed_at=at,
        filed_by=by,
        step=desk.order,
        unit=desk.unit,
    )
    DossierStep.objects.create(
        dossier=dossier,
        order=desk.order,
        kind=desk.kind,
        unit=desk.unit,
        started_at=at,
        due_at=add_working_hours(at, rule_value("procedures.receipt_hours", on=timezone.localdate(at))),
    )
    _store(dossier, checked, by, at)
    timeline.record(DossierEvent, dossier, "file", by, from_status="", to_status=Status.FILED, at=at, channel=channel)
    hooks.dossier_filed(dossier, by=by, at=at)
    return dossier


# --- the lifecycle ---------------------------------------------------------------------------------
def _lock(dossier: Dossier, version: int | None) -> Dossier:
    return locked(dossier, version, DOSSIER_CHANGED, related=("procedure", "procedure_version"))


def _save(dossier: Dossier, fields_: Iterable[str]) -> None:
    dossier.version += 1
    dossier.save(update_fields=sorted({*fields_, "version"}))


def _open_step(dossier: Dossier, order: int, at: dt.datetime) -> DossierStep:
    """Hand the dossier to the step `order` of its version, with that step's own deadline: the
    shares of the steps up to it counted from receipt, moved by the time the clock stood still."""
    steps = list(dossier.procedure_version.steps.order_by("order"))
    step = next(s for s in steps if s.order == order)
    share = sum(s.time for s in steps if s.order <= order)
    due = _due(dossier.received_at or at, share, dossier.procedure_version.time_kind)
    if dossier.paused_hours:
        due = add_working_hours(due, dossier.paused_hours)
    dossier.step, dossier.unit = step.order, step.unit
    return DossierStep.objects.create(
        dossier=dossier, order=step.order, kind=step.kind, unit=step.unit, started_at=at, due_at=due
    )


def _close_step(dossier: Dossier, by: Any, at: dt.datetime, outcome: str) -> DossierStep | None:
    current = dossier.steps.filter(ended_at__isnull=True).order_by("-started_at", "-id").first()
    if current is not None:
        current.holder, current.ended_at, current.outcome = by, at, outcome
        current.save(update_fields=["holder", "ended_at", "outcome"])
    return current


def _received_moment(dossier: Dossier, at: dt.datetime) -> dt.datetime:
    """When the dossier counts as received: now; an online dossier received outside office hours
    counts from the next opening of the office (a board setting)."""
    if dossier.channel == Channel.ONLINE and rule_value("procedures.after_hours_next_day", on=timezone.localdate(at)):
        return add_working_hours(at, 0)
    return at


def receive(dossier: Dossier, *, by: Any, version: int | None, at: dt.datetime | None = None) -> Dossier:
    return act(dossier, "receive", by=by, version=version, at=at)


@transaction.atomic
def act(
    dossier: Dossier,
    action: str,
    *,
    by: Any,
    version: int | None,
    reason: str = "",
    at: dt.datetime | None = None,
    items: Sequence[Mapping[str, Any]] = (),
    why_new_items: str = "",
    files: Mapping[int, Any] | None = None,
    form: Mapping[str, Any] | None = None,
) -> Dossier:
    """Take one step of the dossier's lifecycle (`workflow.DOSSIER`): the action checked against
    the person and the state, its reason required where the table says, the step written on the
    timeline and the people concerned told."""
    at = at or timezone.now()
    dossier = _lock(dossier, version)
    if action == "request_supplement":
        return _request_supplement(dossier, by=by, at=at, items=items, why_new_items=why_new_items, note=reason)
    if action == "supplement":
        return _supplement(dossier, by=by, at=at, files=files or {}, form=form or {})
    move = DOSSIER.move(dossier, action, by, reason)
    changed = {"status", "step", "unit"}
    data: dict[str, Any] = {}
    written: Any = None  # what a returned result changed in the registry
    if action == "receive":
        start = _received_moment(dossier, at)
        dossier.received_at = start
        v = dossier.procedure_version
        current = version_on(dossier.procedure, timezone.localdate(start))
        if current.pk != v.pk and current.parts.count() == v.parts.count():
            # the version in force on the day of receipt; the files follow its parts, by their order
            new_parts = {p.order: p for p in current.parts.all()}
            for old_part in v.parts.all():
                DossierFile.objects.filter(dossier=dossier, part=old_part).update(part=new_parts[old_part.order])
            dossier.procedure_version = v = current
            changed.add("procedure_version")
        dossier.due_at = dossier.original_due_at = _due(start, v.processing_time, v.time_kind)
        changed |= {"received_at", "due_at", "original_due_at"}
        _close_step(dossier, by, at, "received")
        if v.fee_vnd:  # the desk keeps it, the clock stopped, until the fee is paid
            dossier.status, dossier.resume_status = Status.FEES_DUE, Status.RECEIVED
            changed |= {"resume_status", "paused_at", *CLOCK.pause(dossier, at=start)}
        else:
            _open_step(dossier, dossier.step + 1, at)
        data = {"due": timezone.localtime(dossier.due_at).isoformat()}
    elif action == "pay":
        changed |= _resume(dossier, at)
        _open_step(dossier, dossier.step + 1, at)
    elif action == "forward":
        _close_step(dossier, by, at, "done")
        _open_step(dossier, dossier.step + 1, at)
    elif action == "send_back":
        _close_step(dossier, by, at, "sent_back")
        _open_step(dossier, max(2, dossier.step - 1), at)
        if dossier.step == 2:
            dossier.status = Status.RECEIVED
    elif action == "sign":
        _close_step(dossier, by, at, "signed")
        desk = dossier.procedure_version.steps.order_by("order").first()
        dossier.unit = desk.unit if desk else None
        dossier.processed_at = at
        changed.add("processed_at")
        _make_result(dossier, by=by, at=at)
    elif action == "return_result":
        dossier.closed_at = at
        dossier.on_time = dossier.original_due_at is not None and at <= dossier.original_due_at
        dossier.working_days = _working_days(dossier, at)
        changed |= {"closed_at", "on_time", "working_days"}
        written = registry.apply(dossier, by=by, at=at)
        data = {"on_time": dossier.on_time}
    elif action in {"refuse", "withdraw", "stop"}:
        _close_step(dossier, by, at, action)
        dossier.closed_at, dossier.closing_reason = at, move.reason
        if dossier.paused_at is not None:
            changed |= _resume(dossier, at)
            dossier.status = move.transition.target
        changed |= {"closed_at", "closing_reason"}
    _save(dossier, changed)
    timeline.record(DossierEvent, dossier, action, by, from_status=move.from_state, reason=move.reason, at=at, **data)
    if action == "return_result":
        hooks.result_returned(dossier, written, by=by, at=at)
    return dossier


def _resume(dossier: Dossier, at: dt.datetime) -> set[str]:
    """Run the clock again: the appointment, the first appointment and the open step's deadline
    move by the office hours it stood still."""
    paused = dossier.paused_at
    if paused is None:
        return set()
    waited = working_hours_between(paused, at)
    changed = set(CLOCK.resume(dossier, at=at))
    if dossier.original_due_at is not None:
        dossier.original_due_at = add_working_hours(dossier.original_due_at, waited)
        changed.add("original_due_at")
    step = dossier.steps.filter(ended_at__isnull=True).first()
    if step is not None and waited:
        step.due_at = add_working_hours(step.due_at, waited)
        step.save(update_fields=["due_at"])
    dossier.paused_hours += waited
    dossier.resume_status = ""
    changed |= {"resume_status", "paused_hours"}
    return changed


def _working_days(dossier: Dossier, end: dt.datetime) -> int:
    """Working days from receipt to `end`, without the time the clock stood still."""
    if dossier.received_at is None:
        return 0
    hours = working_hours_between(dossier.received_at, end) - dossier.paused_hours
    return max(0, round(hours / 8))


# --- supplements ---------------------------------------------------------------------------------
def _request_supplement(
    dossier: Dossier, *, by: Any, at: dt.datetime, items: Sequence[Mapping[str, Any]], why_new_items: str, note: str
) -> Dossier:
    """One request listing everything missing, a reason for each item; a later request may ask
    only what an earlier one asked, unless the board records why it asks something new."""
    move_from = dossier.status
    DOSSIER.check(dossier, "request_supplement", by)
    parts = {p.pk: p for p in dossier.procedure_version.parts.all()}
    errors: dict[str, str] = {}
    clean_items: list[SupplementItem] = []
    if not items:
        errors["items"] = _("List everything the dossier lacks, each with its reason.")
    keys: set[str] = set()
    for i, item in enumerate(items):
        reason = str(item.get("reason") or "").strip()
        part_id, field = item.get("part"), str(item.get("field") or "").strip()
        if not reason:
            errors[f"items.{i}"] = _("Give the reason for each item.")
        if part_id is not None:
            if part_id not in parts:
                errors[f"items.{i}"] = _("This procedure has no such part.")
                continue
            row = SupplementItem(part=parts[part_id], reason=reason)
        elif field:
            if field not in dossier.procedure_version.form_fields:
                errors[f"items.{i}"] = _("This procedure's form has no such field.")
                continue
            row = SupplementItem(field=field, reason=reason)
        else:
            errors[f"items.{i}"] = _("Name the part or the field that is missing.")
            continue
        if row.key in keys:
            errors[f"items.{i}"] = _("This item is listed twice.")
        keys.add(row.key)
        clean_items.append(row)
    earlier = list(dossier.supplement_requests.prefetch_related("items"))
    if earlier and not errors:
        asked = {it.key for r in earlier for it in r.items.all()}
        new = keys - asked
        if new and not why_new_items.strip():
            errors["why_new_items"] = _(
                "A supplement request lists everything at once: this one asks for items the first did not. "
                "Record why they are asked only now."
            )
    if errors:
        raise ServiceError(errors)
    request = SupplementRequest.objects.create(
        dossier=dossier,
        number=len(earlier) + 1,
        requested_at=at,
        requested_by=by,
        answer_due=next_working_day(
            timezone.localdate(at)
            + dt.timedelta(days=rule_value("procedures.supplement_days", on=timezone.localdate(at)))
        ),
        before_receipt=move_from == Status.FILED,
        why_new_items=why_new_items.strip(),
        note=(note or "").strip(),
    )
    for row in clean_items:
        row.request = request
    audit.log_created(SupplementItem.objects.bulk_create(clean_items))  # bulk: no signal, logged here
    dossier.status, dossier.resume_status = Status.SUPPLEMENT, move_from
    dossier.supplements += 1
    changed = {"status", "resume_status", "supplements"}
    if move_from != Status.FILED:
        changed |= set(CLOCK.pause(dossier, at=at))
    _save(dossier, changed)
    timeline.record(
        DossierEvent,
        dossier,
        "request_supplement",
        by,
        from_status=move_from,
        reason=request.note,
        at=at,
        request=request.number,
        items=len(clean_items),
    )
    return dossier


def _supplement(
    dossier: Dossier, *, by: Any, at: dt.datetime, files: Mapping[int, Any], form: Mapping[str, Any]
) -> Dossier:
    """The enterprise's answer: a new file for each part asked, a value for each field asked,
    before the answer's deadline; the dossier goes back where the request found it, and the clock
    runs again."""
    DOSSIER.check(dossier, "supplement", by)
    request = dossier.supplement_requests.filter(answered_at__isnull=True).order_by("-number").first()
    if request is None:  # pragma: no cover - a dossier in "supplement" always has its open request
        raise ServiceError({"__all__": _("There is no open supplement request.")})
    if timezone.localdate(at) > request.answer_due:
        raise ServiceError(
            {
                "__all__": _("The time to supplement ended on %(day)s: ask the one-stop desk what to do.")
                % {"day": request.answer_due.strftime("%d/%m/%Y")}
            }
        )
    items = list(request.items.select_related("part"))
    asked_parts = [it.part for it in items if it.part is not None]
    asked_fields = [it.field for it in items if it.field]
    extra = [pk for pk in files if pk not in {p.pk for p in asked_parts}]
    if extra:
        raise ServiceError({"parts": _("Send files only for the parts the request asks for.")})
    checked = _check_parts(dossier.procedure_version, files, required=asked_parts)
    values, errors = fields.clean(asked_fields, form)
    if errors:
        raise ServiceError(errors)
    _store(dossier, checked, by, at, supplement=request)
    if values:
        dossier.form = {**dossier.form, **values}
    request.answered_at = at
    request.save(update_fields=["answered_at"])
    back = dossier.resume_status or Status.FILED
    from_status = dossier.status
    changed = {"status", "form"}
    if back != Status.FILED:
        changed |= _resume(dossier, at)
    dossier.status, dossier.resume_status = back, ""
    changed.add("resume_status")
    _save(dossier, changed)
    timeline.record(DossierEvent, dossier, "supplement", by, from_status=from_status, at=at, request=request.number)
    return dossier


# --- apologies and ratings --------------------------------------------------------------------------
@transaction.atomic
def apologise(
    dossier: Dossier, *, by: Any, version: int | None, reason: str, new_date: dt.date, at: dt.datetime | None = None
) -> Apology:
    """A letter of apology for a dossier that will be late, with its new appointment, signed off
    by the head of the unit that holds it (or the leadership); counted on the dossier."""
    at = at or timezone.now()
    dossier = _lock(dossier, version)
    if not DOSSIER.may_attempt(dossier, "apologise", by):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(str(DOSSIER.forbidden))
    errors: dict[str, str] = {}
    if dossier.status not in {Status.RECEIVED, Status.PROCESSING, Status.PROCESSED} or dossier.due_at is None:
        errors["__all__"] = _("Only a dossier in processing can be late.")
    if not (reason or "").strip():
        errors["reason"] = _("Say why the dossier will be late.")
    if not isinstance(new_date, dt.date):
        errors["new_date"] = _("Give the new appointment date.")
    elif dossier.due_at is not None and new_date <= timezone.localdate(dossier.due_at):
        errors["new_date"] = _("The new appointment must come after the current one.")
    if errors:
        raise ServiceError(errors)
    old = dossier.due_at
    assert old is not None  # noqa: S101 - checked above (a dossier in processing has its appointment)
    dossier.due_at = end_of_working_day(next_working_day(new_date))
    dossier.apologies += 1
    apology = Apology.objects.create(
        dossier=dossier,
        number=dossier.apologies,
        issued_at=at,
        signed_by=by,
        reason=reason.strip(),
        old_due_at=old,
        new_due_at=dossier.due_at,
    )
    _save(dossier, {"due_at", "apologies"})
    timeline.record(
        DossierEvent,
        dossier,
        "apologise",
        by,
        reason=apology.reason,
        at=at,
        due=timezone.localtime(dossier.due_at).isoformat(),
    )
    return apology


@transaction.atomic
def rate(dossier: Dossier, *, by: Any, version: int | None, rating: Any, comment: str = "") -> Dossier:
    """The enterprise rates a returned dossier, 1 (very dissatisfied) to 5 (very satisfied)."""
    dossier = _lock(dossier, version)
    if OWNER not in DOSSIER.roles_of(dossier, by):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(str(DOSSIER.forbidden))
    if dossier.status != Status.RETURNED:
        raise ServiceError({"rating": _("A dossier is rated once its result is returned.")})
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ServiceError({"rating": _("Choose from 1 to 5.")})
    if "\x00" in (comment or ""):
        raise ServiceError({"comment": _("The text contains a character that is not allowed.")})
    dossier.rating, dossier.rating_comment = rating, (comment or "").strip()[:2000]
    _save(dossier, {"rating", "rating_comment"})
    timeline.record(DossierEvent, dossier, "rate", by, rating=rating)
    return dossier


# --- the result ------------------------------------------------------------------------------------
def _make_result(dossier: Dossier, *, by: Any, at: dt.datetime) -> Result:
    """The result, numbered, dated and summed up from the dossier and the registry; its PDF is
    made and signed with the board's key (`documents.sign_result`) when there is one."""
    from django.utils import translation

    procedure = dossier.procedure
    with translation.override("vi"):  # a legal document: in Vietnamese whatever the signer's page
        summary = registry.summary(dossier)
    name = (by.get_full_name() or by.username) if by is not None else str(_("Management board"))
    result = Result.objects.create(
        dossier=dossier,
        code=f"{dossier.code}-KQ",  # no "/": it is a path segment of the check (/results/{code}/verify)
        kind=procedure.result_kind,
        decision_date=timezone.localdate(at),
        summary=summary,
        signed_at=at,
        signed_by=by,
        signer_name=name,
    )
    from zonedesk.procedures import documents

    documents.attach_signed_result(result)
    return result


__all__ = [
    "CLOCK",
    "act",
    "apologise",
    "dossier_file",
    "procedure_create",
    "rate",
    "receive",
    "unit_create",
    "version_add",
    "version_on",
]

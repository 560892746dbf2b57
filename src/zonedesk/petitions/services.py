"""Every write of the petition channel, each in one transaction.

A change of status goes through `petition_act`, which asks `workflow.check_transition` (the
petition's table on the case machinery, `cases.workflow`), locks the row, checks the version the
writer read (a stale writer gets `ConflictError`), records the event with who, when and why
(`cases.timeline.record`, which also tells the people concerned through the notification hook
the app registers: `notifications.on_event`), and raises the version. Deadlines are the case
clock's (`sla.CLOCK`, `cases.clock`); files are checked and stored by `attachments`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from zonedesk.cases import notifications as hooks
from zonedesk.cases import timeline
from zonedesk.cases.clock import due_after_hours, escalation_level
from zonedesk.core.counters import counter_next
from zonedesk.core.errors import ConflictError, ServiceError, TransitionError, stale
from zonedesk.core.inputs import AMOUNT, MAX_COUNT, MAX_VND, Wording, clean_whole
from zonedesk.core.models import Agency, User, Zone
from zonedesk.core.rules import rule_value
from zonedesk.core.text import fold
from zonedesk.core.versions import locked
from zonedesk.petitions import attachments as files
from zonedesk.petitions import selectors, sla
from zonedesk.petitions.models import (
    OPEN_STATUSES,
    Answer,
    Category,
    Petition,
    PetitionEvent,
    Priority,
    SavedFilter,
    Source,
    Status,
)
from zonedesk.petitions.workflow import PETITION, check_transition, roles_of
from zonedesk.privacy import services as privacy

MAX_TITLE = 300
MAX_BODY = 20_000
# What the triage says of a number, whatever is wrong with it (core.inputs reads it)
_NOT_WORKERS = gettext_lazy("Enter a whole number of workers.")
WORKERS = Wording(
    blank=_NOT_WORKERS, not_whole=_NOT_WORKERS, negative=_NOT_WORKERS, zero=_NOT_WORKERS, too_large=_NOT_WORKERS
)
_NOT_VND = gettext_lazy("Enter a whole number of đồng, without decimals.")
# a whole number that is only too big has the shared words of every amount (core.inputs)
INVESTMENT_VND = Wording(
    blank=_NOT_VND, not_whole=_NOT_VND, negative=_NOT_VND, zero=_NOT_VND, too_large=AMOUNT.too_large
)
# The summary the public reads is never taken from the petition's own title or text (they name
# the enterprise, its project, people): the board writes it, and publishing waits for it.
NO_SUMMARY = gettext_noop(
    "Not published: the public summary is empty. Write what the public will read, without the names of the "
    "enterprise, its projects or people, contacts or confidential figures."
)


def _event(
    petition: Petition, action: str, by: Any, *, from_status: str = "", reason: str = "", at=None, **data
) -> None:
    """Record a step of the timeline and tell the people concerned (same transaction)."""
    timeline.record(PetitionEvent, petition, action, by, from_status=from_status, reason=reason, at=at, **data)


def _record(
    petition: Petition, action: str, by: Any, *, from_status: str = "", reason: str = "", at=None, **data
) -> None:
    """Record a step of the timeline that nobody is told about."""
    timeline.record(
        PetitionEvent, petition, action, by, from_status=from_status, reason=reason, at=at, notify=False, **data
    )


def _locked(petition: Petition, version: int | None) -> Petition:
    return locked(
        petition,
        version,
        _("The petition was changed by someone else (version %(theirs)s, you had %(yours)s): reload it."),
    )


def _save(petition: Petition, *fields: str) -> None:
    petition.version += 1
    petition.save(update_fields=[*fields, "version"])


# --- intake -------------------------------------------------------------------------------


def petition_submit(
    *,
    zone: Zone,
    title: str,
    body: str,
    category: str,
    priority: str = Priority.NORMAL,
    source: str = Source.PORTAL,
    by: Any = None,
    enterprise: Any = None,
    petitioner_name: str = "",
    petitioner_email: str = "",
    petitioner_phone: str = "",
    publish_allowed: bool = True,
    project: Any = None,
    procedure: str = "",
    suggested_category: str = "",
    suggested_agency: str = "",
    received_at: dt.datetime | None = None,
    attachments: Sequence[Any] = (),
    attachments_confidential: bool = True,
    consent_version: int | None = None,
) -> Petition:
    """Receive a petition: from an enterprise user (its enterprise) or from the public form (a name
    and an e-mail or phone). It gets a reference number and its deadlines. A public petition
    (`source` public) needs the petitioner's consent to the privacy notice: `consent_version` is
    the version they were shown, which must be the current one (`privacy.services.consent_check`);
    the petition records it and the time of filing as the time of consent. `attachments` (Django
    UploadedFiles) are all checked before anything is written: one refused file refuses the
    petition with an error on the `attachments` field, so that nothing is half-received.
    `attachments_confidential` (the default) keeps them from the public even once the answer is
    published."""
    errors: dict[str, str] = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = _("Give the petition a short title.")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("The title is too long (at most %(n)s characters).") % {"n": MAX_TITLE}
    if not body:
        errors["body"] = _("Describe the difficulty.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("The text is too long (at most %(n)s characters).") % {"n": MAX_BODY}
    if category not in Category.values:
        errors["category"] = _("Choose a category from the list.")
    if priority not in Priority.values:
        errors["priority"] = _("Choose a priority from the list.")
    if source not in Source.values:
        errors["source"] = _("Unknown source.")
    if enterprise is None:
        if not (petitioner_name or "").strip():
            errors["petitioner_name"] = _("Give your name.")
        if not (petitioner_email or petitioner_phone):
            errors["petitioner_email"] = _("Give an e-mail address or a phone number so that we can answer.")
        if petitioner_email:
            try:
                validate_email(petitioner_email)
            except Exception:  # noqa: BLE001 - Django's ValidationError, reported by field
                errors["petitioner_email"] = _("Enter a valid e-mail address.")
        if petitioner_phone and not _valid_phone(petitioner_phone):
            errors["petitioner_phone"] = _("Enter a valid phone number.")
    if project is not None and enterprise is not None and project.enterprise_id != enterprise.pk:
        errors["project"] = _("This project is not one of your enterprise's.")
    if not isinstance(attachments_confidential, bool):
        errors["attachments_confidential"] = _("Say whether the files are confidential.")
    notice = None
    if source == Source.PUBLIC:
        try:
            notice = privacy.consent_check(consent_version)
        except ServiceError as exc:
            errors.update({k: "; ".join(v) for k, v in exc.message_dict.items()})
    checked: list[files.Checked] = []
    if attachments:
        try:
            checked = files.check_files(attachments)
        except ServiceError as exc:
            errors.update({k: "; ".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ServiceError(errors)

    # the checks above read and hash the files outside the transaction (SQLite locks the database
    # for writing from the first statement of one); what follows writes, all or nothing
    with transaction.atomic():
        received_at = received_at or timezone.now()
        year = timezone.localtime(received_at).year
        sequence = counter_next(key=f"petition-{year}")
        policy = sla.policy_for(category=category, priority=priority, on=timezone.localdate(received_at))
        petition = Petition.objects.create(
            reference=f"PAKN-{year}-{sequence:06d}",
            year=year,
            sequence=sequence,
            title=title,
            body=body,
            search_text=fold(f"{title} {body}"),
            category=category,
            priority=priority,
            zone=zone,
            source=source,
            enterprise=enterprise,
            submitted_by=by,
            petitioner_name=(petitioner_name or "").strip(),
            petitioner_email=(petitioner_email or "").strip(),
            petitioner_phone=(petitioner_phone or "").strip(),
            publish_allowed=publish_allowed,
            project=project,
            procedure=procedure,
            suggested_category=suggested_category,
            suggested_agency=suggested_agency,
            received_at=received_at,
            consent_notice=notice,
            consent_given_at=received_at if notice is not None else None,
            acknowledge_due_at=due_after_hours(received_at, policy.acknowledge_hours),
            answer_due_at=sla.answer_due(policy, received_at),
        )
        PetitionEvent.objects.create(
            petition=petition, at=received_at, actor=by, action="submit", to_status=Status.SUBMITTED
        )
        hooks.emit(petition, "submit")
        files.store_all(
            lambda one: files.store(
                petition=petition, by=by, checked=one, confidential=attachments_confidential, at=received_at
            ),
            checked,
        )
    return petition


def _valid_phone(phone: str) -> bool:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return 9 <= len(digits) <= 15 and all(ch.isdigit() or ch in "+ .-()" for ch in phone)


# --- the lifecycle ------------------------------------------------------------------------


@transaction.atomic
def petition_act(
    *,
    petition: Petition,
    action: str,
    by: Any,
    version: int | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
    **params: Any,
) -> Petition:
    """Take a lifecycle action. `params` by action:
    triage: category, priority, project, parcel_code, procedure, impact_* (all optional);
    assign: lead_agency (required), coordinating_agencies; merge: into (required);
    publish: public_summary (required unless the petition has one; never taken from the title)."""
    petition = _locked(petition, version)
    transition = check_transition(petition, action, by)
    reason = PETITION.reason_for(transition, reason)
    now = now or timezone.now()
    handler = _HANDLERS.get(action)
    fields: list[str] = []
    data: dict[str, Any] = {}
    if handler is not None:
        fields, data = handler(petition, by, now, reason, **params)
    elif params:
        raise ServiceError({"__all__": _("Unexpected fields: %(f)s") % {"f": ", ".join(sorted(params))}})
    from_status = petition.status
    petition.status = transition.target
    if petition.acknowledged_at is None and action != "close":
        petition.acknowledged_at = now
        fields.append("acknowledged_at")
    _save(petition, "status", *fields)
    _event(petition, action, by, from_status=from_status, reason=reason, at=now, **data)
    return petition


def _triage(petition, by, now, reason, **params):
    errors: dict[str, str] = {}
    fields: list[str] = []
    allowed = {
        "category",
        "priority",
        "project",
        "parcel_code",
        "procedure",
        "impact_production_stopped",
        "impact_workers",
        "impact_investment_vnd",
        "confidential_note",
    }
    unknown = set(params) - allowed
    if unknown:
        raise ServiceError({"__all__": _("Unexpected fields: %(f)s") % {"f": ", ".join(sorted(unknown))}})
    if "category" in params and params["category"] not in Category.values:
        errors["category"] = _("Choose a category from the list.")
    if "priority" in params and params["priority"] not in Priority.values:
        errors["priority"] = _("Choose a priority from the list.")
    for field, limit in (("parcel_code", 50), ("procedure", 255), ("confidential_note", MAX_BODY)):
        if field in params and (not isinstance(params[field], str) or len(params[field]) > limit):
            errors[field] = _("The text is too long (at most %(n)s characters).") % {"n": limit}
    if params.get("impact_workers") is not None:
        params["impact_workers"] = clean_whole(
            params["impact_workers"], "impact_workers", errors, high=MAX_COUNT, wording=WORKERS
        )
    if params.get("impact_investment_vnd") is not None:
        params["impact_investment_vnd"] = clean_whole(
            params["impact_investment_vnd"], "impact_investment_vnd", errors, high=MAX_VND, wording=INVESTMENT_VND
        )
    if params.get("parcel_code") and "parcel_code" not in errors:
        parcel, has_plan = selectors.parcel_in_force(petition.zone, params["parcel_code"])
        if parcel is not None:
            params["parcel_code"] = parcel.code
        elif has_plan:
            errors["parcel_code"] = _(
                "The plan in force of zone %(zone)s has no parcel with this code: check it on the planning map."
            ) % {"zone": petition.zone.code}
        else:
            params["parcel_code"] = params["parcel_code"].strip()
    if errors:
        raise ServiceError(errors)
    for key, value in params.items():
        setattr(petition, key, value)
        fields.append(key)
    if "category" in params or "priority" in params:  # deadlines follow the policy of the triaged kind
        policy = sla.policy_for(
            category=petition.category, priority=petition.priority, on=timezone.localdate(petition.received_at)
        )
        petition.answer_due_at = sla.answer_due(policy, petition.received_at)
        fields.append("answer_due_at")
    return fields, {"changed": sorted(params)}


def _assign(
    petition, by, now, reason, *, lead_agency: Agency | None = None, coordinating_agencies: Iterable[Agency] = ()
):
    if lead_agency is None:
        raise ServiceError({"lead_agency": _("Choose the agency that leads the answer.")})
    coordinating = [a for a in coordinating_agencies if a.pk != lead_agency.pk]
    petition.lead_agency = lead_agency
    petition.save(update_fields=["lead_agency"])
    petition.coordinating_agencies.set(coordinating)
    policy = sla.policy_for(category=petition.category, priority=petition.priority, on=timezone.localdate(now))
    petition.transfer_due_at = sla.due_after_days(now, policy.transfer_days)
    return ["transfer_due_at"], {"lead_agency": lead_agency.code, "coordinating": [a.code for a in coordinating]}


def _merge(petition, by, now, reason, *, into: Petition | None = None):
    if into is None or into.pk == petition.pk:
        raise ServiceError({"into": _("Choose the petition this one duplicates.")})
    if into.merged_into_id is not None:
        raise ServiceError(
            {"into": _("That petition was itself merged into %(ref)s.") % {"ref": into.merged_into.reference}}
        )
    petition.merged_into = into
    return ["merged_into"], {"into": into.reference}


def _transfer(petition, by, now, reason, *, suggested_agency: Agency | None = None):
    data = {"from_agency": petition.lead_agency.code if petition.lead_agency else None}
    if suggested_agency is not None:
        data["suggested_agency"] = suggested_agency.code
    late = petition.transfer_due_at is not None and now > petition.transfer_due_at
    data["late"] = late
    petition.lead_agency = None
    petition.transfer_due_at = None
    petition.coordinating_agencies.clear()
    return ["lead_agency", "transfer_due_at"], data


def _answer(petition, by, now, reason):
    answer = (
        petition.answers.filter(is_contribution=False, state=Answer.State.SUBMITTED).order_by("-created_at").first()
    )
    if answer is None:
        raise TransitionError(_("There is no answer of the lead agency waiting for approval."))
    answer.state = Answer.State.APPROVED
    answer.reviewed_by = by
    answer.reviewed_at = now
    answer.save(update_fields=["state", "reviewed_by", "reviewed_at", "updated_at"])
    # the coordinating agencies' contributions went into the consolidated answer
    petition.answers.filter(is_contribution=True, state=Answer.State.SUBMITTED).update(
        state=Answer.State.APPROVED, reviewed_by=by, reviewed_at=now
    )
    petition.answered_at = now
    _resume_clock(petition, now)
    return ["answered_at", "paused_at", "answer_due_at"], {
        "answer": answer.pk,
        "on_time": now <= petition.answer_due_at,
    }


def _publish(petition, by, now, reason, *, public_summary: str | None = None):
    if not petition.publish_allowed:
        raise TransitionError(_("The petitioner did not allow the answer to be published."))
    summary = (public_summary if public_summary is not None else petition.public_summary).strip()
    if not summary:
        raise ServiceError({"public_summary": _(NO_SUMMARY)})
    answer = (
        petition.answers.filter(state=Answer.State.APPROVED, is_contribution=False)
        .order_by("-reviewed_at", "-pk")
        .first()
    )
    if answer is None:
        raise TransitionError(_("There is no approved answer to publish."))
    petition.public_summary = summary
    petition.published_at = now
    petition.published_answer = answer
    petition.public_search_text = fold(f"{summary} {answer.body}")
    return ["public_summary", "published_at", "published_answer", "public_search_text"], {"answer": answer.pk}


def _close(petition, by, now, reason):
    petition.closed_at = now
    return ["closed_at"], {"confirmed_by": "enterprise" if by is not None else "no reply"}


def _reopen(petition, by, now, reason):
    days = int(rule_value("petition.reopen_days", on=timezone.localdate(now)))
    if petition.closed_at is None or now > petition.closed_at + dt.timedelta(days=days):
        raise TransitionError(
            _("A petition can be reopened within %(days)s days after it was closed.") % {"days": days}
        )
    petition.reopen_count += 1
    petition.closed_at = None
    policy = sla.policy_for(category=petition.category, priority=petition.priority, on=timezone.localdate(now))
    petition.answer_due_at = sla.answer_due(policy, now)
    return ["reopen_count", "closed_at", "answer_due_at"], {}


_HANDLERS = {
    "triage": _triage,
    "assign": _assign,
    "merge": _merge,
    "transfer": _transfer,
    "answer": _answer,
    "publish": _publish,
    "close": _close,
    "reopen": _reopen,
}


# --- answers ------------------------------------------------------------------------------


@transaction.atomic
def answer_write(
    *,
    petition: Petition,
    by: Any,
    body: str,
    submit: bool = False,
    now: dt.datetime | None = None,
    version: int | None = None,
) -> Answer:
    """An officer of the lead agency writes the consolidated answer (or a coordinating agency its
    contribution); `submit` sends it to the board for approval. Editing keeps one draft per agency."""
    petition = _locked(petition, version)
    agency_id = getattr(by, "agency_id", None)
    is_lead = agency_id is not None and agency_id == petition.lead_agency_id
    is_coordinating = agency_id is not None and petition.coordinating_agencies.filter(pk=agency_id).exists()
    if not (is_lead or is_coordinating):
        raise PermissionDenied(_("Only the agencies the petition is routed to write its answer."))
    if petition.status not in {Status.ASSIGNED, Status.IN_PROGRESS}:
        raise TransitionError(_("The petition is not waiting for an answer."))
    body = (body or "").strip()
    if not body:
        raise ServiceError({"body": _("Write the answer.")})
    if len(body) > MAX_BODY:
        raise ServiceError({"body": _("The text is too long (at most %(n)s characters).") % {"n": MAX_BODY}})
    answer = (
        petition.answers.filter(
            agency_id=agency_id, state__in=[Answer.State.DRAFT, Answer.State.RETURNED, Answer.State.SUBMITTED]
        )
        .order_by("-created_at")
        .first()
    ) or Answer(petition=petition, agency_id=agency_id, is_contribution=not is_lead)
    answer.author = by
    answer.body = body
    answer.state = Answer.State.SUBMITTED if submit else Answer.State.DRAFT
    answer.save()
    if submit:
        _event(petition, "answer_submitted", by, contribution=not is_lead, at=now)
    _save(petition, "status")  # a change of the petition for concurrent readers
    return answer


@transaction.atomic
def answer_return(*, answer: Answer, by: Any, note: str, version: int | None = None) -> Answer:
    """A board officer sends a submitted answer back to its agency with a note."""
    petition = _locked(answer.petition, version)
    if "board" not in roles_of(petition, by):
        raise PermissionDenied
    if answer.state != Answer.State.SUBMITTED:
        raise TransitionError(_("Only a submitted answer can be returned."))
    if not (note or "").strip():
        raise ServiceError({"note": _("Say what to change.")})
    answer.state = Answer.State.RETURNED
    answer.review_note = note.strip()
    answer.reviewed_by = by
    answer.reviewed_at = timezone.now()
    answer.save()
    _save(petition, "status")
    _event(petition, "answer_returned", by, reason=note.strip())
    return answer


# --- the clock ----------------------------------------------------------------------------


def _resume_clock(petition: Petition, now: dt.datetime) -> None:
    sla.CLOCK.resume(petition, at=now)


@transaction.atomic
def petition_request_info(
    *, petition: Petition, by: Any, reason: str, version: int | None = None, now: dt.datetime | None = None
) -> Petition:
    """The board (or the lead agency) waits for the enterprise to supply information: the clock pauses."""
    petition = _locked(petition, version)
    if not roles_of(petition, by) & {"board", "lead_agency"}:
        raise PermissionDenied
    if not petition.is_open or petition.paused_at is not None:
        raise TransitionError(_("The clock of this petition cannot be paused now."))
    if not (reason or "").strip():
        raise ServiceError({"reason": _("Say what information is needed.")})
    sla.CLOCK.pause(petition, at=now or timezone.now())
    _save(petition, "paused_at")
    _event(petition, "request_info", by, reason=reason.strip(), at=petition.paused_at)
    return petition


@transaction.atomic
def petition_info_supplied(
    *, petition: Petition, by: Any, note: str = "", version: int | None = None, now: dt.datetime | None = None
) -> Petition:
    """The information came: the clock runs again, the deadline moves by the office hours it waited."""
    petition = _locked(petition, version)
    if not roles_of(petition, by) & {"board", "lead_agency", "owner"}:
        raise PermissionDenied
    if petition.paused_at is None:
        raise TransitionError(_("The petition is not waiting for information."))
    now = now or timezone.now()
    _resume_clock(petition, now)
    _save(petition, "paused_at", "answer_due_at")
    _event(petition, "info_supplied", by, reason=(note or "").strip(), at=now)
    return petition


@transaction.atomic
def petition_extend(
    *,
    petition: Petition,
    by: Any,
    reason: str,
    days: int | None = None,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Petition:
    """One extension of the answer deadline per petition, with a reason."""
    petition = _locked(petition, version)
    if not roles_of(petition, by) & {"board", "lead_agency"}:
        raise PermissionDenied
    if not petition.is_open:
        raise TransitionError(_("Only an open petition can be extended."))
    if petition.extended:
        raise TransitionError(_("This petition was already extended once."))
    if not (reason or "").strip():
        raise ServiceError({"reason": _("Give the reason for the extension.")})
    days = days or int(rule_value("petition.extension_days", on=timezone.localdate()))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 30:
        raise ServiceError({"days": _("An extension is from 1 to 30 working days.")})
    old = petition.answer_due_at
    sla.CLOCK.extend(petition, days=days)
    petition.extended = True
    _save(petition, "answer_due_at", "extended")
    _event(petition, "extend", by, reason=reason.strip(), days=days, old_due=old.isoformat(), at=now)
    return petition


@transaction.atomic
def petition_rate(
    *,
    petition: Petition,
    by: Any,
    satisfied: bool,
    comment: str = "",
    now: dt.datetime | None = None,
    version: int | None = None,
) -> Petition:
    """The enterprise says whether the answer satisfies it."""
    petition = _locked(petition, version)
    if "owner" not in roles_of(petition, by):
        raise PermissionDenied
    if petition.status not in {Status.ANSWERED, Status.PUBLISHED, Status.CLOSED}:
        raise TransitionError(_("Only an answered petition can be rated."))
    if not isinstance(satisfied, bool):
        raise ServiceError({"satisfied": _("Say whether you are satisfied.")})
    petition.satisfied = satisfied
    petition.rated_at = now or timezone.now()
    _save(petition, "satisfied", "rated_at")
    _event(petition, "rate", by, reason=(comment or "").strip(), satisfied=satisfied, at=petition.rated_at)
    return petition


# --- the inbox ----------------------------------------------------------------------------


@transaction.atomic
def notification_read(*, notification: Any) -> Any:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


# --- policy actions -----------------------------------------------------------------------


@transaction.atomic
def policy_action_create(*, title: str, owner: Agency, by: Any, description: str = "", due_date: dt.date | None = None):
    from zonedesk.petitions.models import PolicyAction

    if "board" not in _board_roles(by):
        raise PermissionDenied
    if not (title or "").strip():
        raise ServiceError({"title": _("Give the policy action a title.")})
    return PolicyAction.objects.create(title=title.strip(), owner=owner, description=description, due_date=due_date)


@transaction.atomic
def policy_action_update(
    *,
    action: Any,
    by: Any,
    state: str | None = None,
    progress: int | None = None,
    petitions: Iterable[Petition] = (),
    version: int | None = None,
):
    """Change a policy action's state or progress and group `petitions` under it, all or nothing.
    `version` is the one its writer read (a newer one: `ConflictError`); every call raises it,
    also one that only groups petitions under it."""
    from zonedesk.petitions.models import PolicyAction

    if "board" not in _board_roles(by):
        raise PermissionDenied
    action = PolicyAction.objects.select_for_update().get(pk=action.pk)
    stale(
        action,
        version,
        _("The policy action was changed by someone else (version %(theirs)s, you had %(yours)s): reload it."),
    )
    errors: dict[str, str] = {}
    if state is not None and state not in PolicyAction.State.values:
        errors["state"] = _("Choose a state from the list.")
    if progress is not None and (
        isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100
    ):
        errors["progress"] = _("Progress is a whole number from 0 to 100.")
    if errors:
        raise ServiceError(errors)
    if state is not None:
        action.state = state
    if progress is not None:
        action.progress = progress
        if progress == 100 and state is None:
            action.state = PolicyAction.State.DONE
    action.version += 1
    action.save()
    if petitions:
        petitions_group(petitions=petitions, action=action, by=by)
    return action


@transaction.atomic
def petitions_group(*, petitions: Iterable[Petition], action: Any, by: Any) -> int:
    """Group repeated difficulties under a policy action; each petition then shows it."""
    if "board" not in _board_roles(by):
        raise PermissionDenied
    count = 0
    for petition in petitions:
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
        petition.policy_action = action
        _save(petition, "policy_action")
        _record(petition, "group", by, policy_action=action.pk)
        count += 1
    return count


def _board_roles(user: Any) -> set[str]:
    from zonedesk.core.permissions import actor_of

    return {"board"} if actor_of(user).role in {"board", "admin"} else set()


# --- saved filters of the queue ----------------------------------------------------------

MAX_SAVED_FILTERS = 30


@transaction.atomic
def saved_filter_save(*, user: Any, name: str, params: dict[str, str]) -> SavedFilter:
    """Save a filter of the queue under a name for this person; saving again under the same
    name replaces that filter. `params` are the queue's filters (`selectors.filter_params`)."""
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError({"name": _("Give the filter a name.")})
    if len(name) > 80:
        raise ServiceError({"name": _("The name is too long (at most %(n)s characters).") % {"n": 80}})
    known = {f.name for f in dataclasses.fields(selectors.PetitionFilters)}
    if not isinstance(params, dict) or set(params) - known or not all(isinstance(v, str) for v in params.values()):
        raise ServiceError({"__all__": _("This is not a filter of the queue.")})
    if any(len(v) > 200 for v in params.values()):
        raise ServiceError({"__all__": _("The text is too long (at most %(n)s characters).") % {"n": 200}})
    # the person's row is locked first: two tabs saving at once take turns (a lock on the filters
    # alone leaves a new name unlocked: both would pass the limit, or one would hit the unique name)
    User.objects.select_for_update().filter(pk=user.pk).first()
    mine = list(SavedFilter.objects.filter(user=user))
    saved = next((f for f in mine if f.name == name), None)
    if saved is None:
        if len(mine) >= MAX_SAVED_FILTERS:
            raise ServiceError(
                {
                    "name": _("You have %(n)s saved filters, the most there can be: delete one first.")
                    % {"n": MAX_SAVED_FILTERS}
                }
            )
        saved = SavedFilter(user=user, name=name)
    saved.params = params
    saved.save()
    return saved


@transaction.atomic
def saved_filter_delete(*, user: Any, filter_id: int) -> None:
    """Delete one of this person's saved filters (another's is not found: 404)."""
    deleted, _rows = SavedFilter.objects.filter(user=user, pk=filter_id).delete()
    if not deleted:
        raise SavedFilter.DoesNotExist


# --- periodic work ------------------------------------------------------------------------


def petitions_escalate(*, now: dt.datetime) -> int:
    """Raise overdue open petitions step by step (agency, board, city leader); each step once."""
    steps = [int(d) for d in rule_value("petition.escalation_days", on=timezone.localdate(now))]
    raised = 0
    overdue = Petition.objects.filter(
        status__in=OPEN_STATUSES, answer_due_at__lt=now, paused_at__isnull=True, escalation_level__lt=len(steps)
    ).values_list("pk", flat=True)
    for pk in overdue:
        with transaction.atomic():
            petition = Petition.objects.select_for_update().get(pk=pk)
            level = escalation_level(petition.answer_due_at, now=now, steps=steps)
            if level <= petition.escalation_level:
                continue
            for step in range(petition.escalation_level + 1, level + 1):
                petition.escalation_level = step
                _event(petition, "escalate", None, level=step, at=now)
            _save(petition, "escalation_level")
            raised += 1
    return raised


def petitions_autoclose(*, now: dt.datetime) -> int:
    """Close answered petitions whose enterprise did not reply within the set days."""
    days = int(rule_value("petition.autoclose_days", on=timezone.localdate(now)))
    closed = 0
    for petition in Petition.objects.filter(
        status__in=[Status.ANSWERED, Status.PUBLISHED], answered_at__lt=now - dt.timedelta(days=days)
    ):
        petition_act(petition=petition, action="close", by=None, reason=_("No reply from the petitioner."), now=now)
        closed += 1
    return closed


__all__ = [
    "ConflictError",
    "TransitionError",
    "answer_return",
    "answer_write",
    "petition_act",
    "petition_extend",
    "petition_info_supplied",
    "petition_rate",
    "petition_request_info",
    "petition_submit",
    "saved_filter_delete",
    "saved_filter_save",
]

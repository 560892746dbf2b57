"""Every write of the dialogue conferences, each in one transaction.

Only board officers and admins write (`can_edit`); `by=None` is the system itself (the demo
builder, management commands), as in the petition services. A logged-in person of another
role, or the public, gets `PermissionDenied`. Bad input raises `ServiceError` with
per-field messages and writes nothing; a change refused by the conference's state raises
`TransitionError` and a stale writer `ConflictError` (the API answers 409 to both).

Tabling a petition never changes its status: afterwards it is followed through its own
lifecycle (`zonedesk.petitions.services`). Tabling and answers on the spot are written to the
petition's timeline (`PetitionEvent` "table" and "spot_answer").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.cases import timeline
from zonedesk.core.errors import ServiceError, TransitionError, stale
from zonedesk.core.models import Agency, Zone
from zonedesk.core.permissions import has_capability
from zonedesk.core.versions import locked
from zonedesk.dialogue.models import Conference, ConferenceSeries, ConferenceStatus, Tabling
from zonedesk.investment.models import Enterprise
from zonedesk.petitions import services as petition_services
from zonedesk.petitions.models import Petition, PetitionEvent, Source, Status

MAX_THEME = 300
MAX_TEXT = 300  # venue, chair, speaker
MAX_DESCRIPTION = 5_000
MAX_ANSWER = 20_000
MAX_HEAD_COUNT = 100_000
MAX_DURATION = dt.timedelta(days=7)
UPDATABLE = frozenset(
    {
        "theme_vi",
        "theme_en",
        "description",
        "description_en",
        "starts_at",
        "ends_at",
        "venue",
        "chair",
        "zones",
        "enterprises",
        "public",
    }
)


def can_edit(user: Any) -> bool:
    """Board officers and admins keep the conferences (the same people who keep the registry)."""
    return has_capability(user, "registry.edit")


def _require_editor(by: Any) -> None:
    if by is not None and not can_edit(by):
        raise PermissionDenied(_("Only the management board records dialogue conferences."))


def _text(value: Any, field: str, errors: dict[str, str], *, required: bool, limit: int, message: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[field] = _("Enter text.")
    elif required and not text:
        errors[field] = message
    elif len(text) > limit:
        errors[field] = _("The text is too long (at most %(n)s characters).") % {"n": limit}
    return text


def _aware(value: Any, field: str, errors: dict[str, str]) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        errors[field] = _("Enter a date and time.")
        return None
    if timezone.is_naive(value):
        errors[field] = _("Give the time with its time zone.")
        return None
    return value


def _whole(value: Any, field: str, errors: dict[str, str], *, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = _("Enter a whole number.")
        return None
    if not low <= value <= high:
        errors[field] = _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return None
    return value


def _instances(values: Iterable[Any] | None, model: type, field: str, errors: dict[str, str]) -> list[Any]:
    items = list(values or [])
    if any(not isinstance(v, model) or v.pk is None for v in items):
        errors[field] = _("Choose from the list.")
        return []
    return list({v.pk: v for v in items}.values())


def _check_schedule(starts_at, ends_at, errors: dict[str, str]) -> None:
    if starts_at is None or ends_at is None or "starts_at" in errors or "ends_at" in errors:
        return
    if ends_at <= starts_at:
        errors["ends_at"] = _("The conference must end after it starts.")
    elif ends_at - starts_at > MAX_DURATION:
        errors["ends_at"] = _("A conference lasts at most %(days)s days.") % {"days": MAX_DURATION.days}


def _locked(conference: Conference, version: int | None) -> Conference:
    return locked(
        conference,
        version,
        _("The conference was changed by someone else (version %(theirs)s, you had %(yours)s): reload it."),
        related=["series"],
    )


def _refuse_if_cancelled(conference: Conference) -> None:
    if conference.status == ConferenceStatus.CANCELLED:
        raise TransitionError(_("The conference was cancelled: it cannot be changed any more."))


def _save(conference: Conference, *fields: str) -> None:
    conference.version += 1
    conference.save(update_fields=[*fields, "version", "updated_at"])


# --- series and conferences ---------------------------------------------------------------


@transaction.atomic
def series_create(*, by: Any, name_vi: str, year: Any, planned_count: Any, name_en: str = "") -> ConferenceSeries:
    """A yearly series of themed conferences, with how many are planned (the "6" of "2/6")."""
    _require_editor(by)
    errors: dict[str, str] = {}
    name_vi = _text(name_vi, "name_vi", errors, required=True, limit=255, message=_("Give the series a name."))
    name_en = _text(name_en, "name_en", errors, required=False, limit=255, message="")
    year = _whole(year, "year", errors, low=1990, high=2200)
    planned_count = _whole(planned_count, "planned_count", errors, low=1, high=100)
    if not errors and ConferenceSeries.objects.filter(name_vi=name_vi, year=year).exists():
        errors["name_vi"] = _("This series already exists for %(year)s.") % {"year": year}
    if errors:
        raise ServiceError(errors)
    return ConferenceSeries.objects.create(name_vi=name_vi, name_en=name_en, year=year, planned_count=planned_count)


@transaction.atomic
def conference_create(
    *,
    by: Any,
    series: ConferenceSeries | None,
    sequence: Any,
    theme_vi: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    venue: str,
    chair: str,
    theme_en: str = "",
    description: str = "",
    description_en: str = "",
    zones: Iterable[Zone] = (),
    enterprises: Iterable[Enterprise] = (),
    public: bool = True,
) -> Conference:
    """Plan a conference of a series: its number in the series ("2/6"), theme, time, venue and chair."""
    _require_editor(by)
    errors: dict[str, str] = {}
    if not isinstance(series, ConferenceSeries) or series.pk is None:
        errors["series"] = _("Choose the conference series.")
    number = _whole(sequence, "sequence", errors, low=1, high=100)
    if number is not None and "series" not in errors:
        if number > series.planned_count:
            errors["sequence"] = _("The series plans %(n)s conferences: choose a number from 1 to %(n)s.") % {
                "n": series.planned_count
            }
        elif Conference.objects.filter(series=series, sequence=number).exists():
            errors["sequence"] = _("Conference %(label)s of this series already exists.") % {
                "label": f"{number}/{series.planned_count}"
            }
    theme_vi = _text(theme_vi, "theme_vi", errors, required=True, limit=MAX_THEME, message=_("Give the theme."))
    theme_en = _text(theme_en, "theme_en", errors, required=False, limit=MAX_THEME, message="")
    description = _text(description, "description", errors, required=False, limit=MAX_DESCRIPTION, message="")
    description_en = _text(description_en, "description_en", errors, required=False, limit=MAX_DESCRIPTION, message="")
    venue = _text(venue, "venue", errors, required=True, limit=MAX_TEXT, message=_("Give the venue."))
    chair = _text(chair, "chair", errors, required=True, limit=MAX_TEXT, message=_("Give the chair's name and title."))
    starts = _aware(starts_at, "starts_at", errors)
    ends = _aware(ends_at, "ends_at", errors)
    _check_schedule(starts, ends, errors)
    zone_list = _instances(zones, Zone, "zones", errors)
    enterprise_list = _instances(enterprises, Enterprise, "enterprises", errors)
    if not isinstance(public, bool):
        errors["public"] = _("Say whether the conference is on the public calendar.")
    if errors:
        raise ServiceError(errors)
    conference = Conference.objects.create(
        series=series,
        sequence=number,
        theme_vi=theme_vi,
        theme_en=theme_en,
        description=description,
        description_en=description_en,
        starts_at=starts,
        ends_at=ends,
        venue=venue,
        chair=chair,
        public=public,
    )
    conference.zones.set(zone_list)
    conference.enterprises.set(enterprise_list)
    return conference


@transaction.atomic
def conference_update(*, conference: Conference, by: Any, version: int | None = None, **changes: Any) -> Conference:
    """Change a conference's details (see UPDATABLE). A cancelled conference is not changed any
    more; a writer who read an older version gets a conflict instead of overwriting."""
    _require_editor(by)
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ServiceError({"__all__": _("Unexpected fields: %(f)s") % {"f": ", ".join(sorted(unknown))}})
    conference = _locked(conference, version)
    _refuse_if_cancelled(conference)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    required = {
        "theme_vi": _("Give the theme."),
        "venue": _("Give the venue."),
        "chair": _("Give the chair's name and title."),
    }
    for field in ("theme_vi", "theme_en", "venue", "chair", "description", "description_en"):
        if field in changes:
            limit = (
                MAX_DESCRIPTION
                if field.startswith("description")
                else MAX_TEXT
                if field in {"venue", "chair"}
                else MAX_THEME
            )
            values[field] = _text(
                changes[field], field, errors, required=field in required, limit=limit, message=required.get(field, "")
            )
    for field in ("starts_at", "ends_at"):
        if field in changes:
            values[field] = _aware(changes[field], field, errors)
    if "starts_at" in changes or "ends_at" in changes:
        _check_schedule(
            values.get("starts_at", conference.starts_at), values.get("ends_at", conference.ends_at), errors
        )
        if conference.status == ConferenceStatus.HELD:
            errors.setdefault("starts_at", _("The conference was held: its time cannot be moved any more."))
    if "public" in changes:
        if not isinstance(changes["public"], bool):
            errors["public"] = _("Say whether the conference is on the public calendar.")
        values["public"] = changes["public"]
    zone_list = _instances(changes["zones"], Zone, "zones", errors) if "zones" in changes else None
    enterprise_list = (
        _instances(changes["enterprises"], Enterprise, "enterprises", errors) if "enterprises" in changes else None
    )
    if (
        enterprise_list is not None
        and conference.head_count is not None
        and len(enterprise_list) > conference.head_count
    ):
        errors["enterprises"] = _("More enterprises than participants: correct the head count first.")
    if errors:
        raise ServiceError(errors)
    for field, value in values.items():
        setattr(conference, field, value)
    if zone_list is not None:
        conference.zones.set(zone_list)
    if enterprise_list is not None:
        conference.enterprises.set(enterprise_list)
    _save(conference, *values)
    return conference


@transaction.atomic
def conference_record_held(
    *,
    conference: Conference,
    by: Any,
    head_count: Any,
    enterprises: Iterable[Enterprise] | None = None,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Conference:
    """Record that the conference took place: how many people came and which enterprises took
    part (left as planned when not given). It can be corrected later the same way."""
    _require_editor(by)
    conference = _locked(conference, version)
    _refuse_if_cancelled(conference)
    now = now or timezone.now()
    if now < conference.starts_at:
        raise TransitionError(_("The conference has not started yet."))
    errors: dict[str, str] = {}
    count = _whole(head_count, "head_count", errors, low=1, high=MAX_HEAD_COUNT)
    enterprise_list = _instances(enterprises, Enterprise, "enterprises", errors) if enterprises is not None else None
    participants = len(enterprise_list) if enterprise_list is not None else conference.enterprises.count()
    if count is not None and participants > count:
        errors["head_count"] = _(
            "%(n)s enterprises took part: the head count cannot be smaller (one representative each at least)."
        ) % {"n": participants}
    if errors:
        raise ServiceError(errors)
    conference.head_count = count
    conference.status = ConferenceStatus.HELD
    if enterprise_list is not None:
        conference.enterprises.set(enterprise_list)
    _save(conference, "head_count", "status")
    return conference


@transaction.atomic
def conference_cancel(*, conference: Conference, by: Any, reason: str, version: int | None = None) -> Conference:
    """Cancel a planned conference, with the reason. It stays on the calendar, marked cancelled."""
    _require_editor(by)
    conference = _locked(conference, version)
    if conference.status != ConferenceStatus.PLANNED:
        raise TransitionError(_("Only a planned conference can be cancelled."))
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", errors, required=True, limit=MAX_DESCRIPTION, message=_("Give the reason."))
    if errors:
        raise ServiceError(errors)
    conference.status = ConferenceStatus.CANCELLED
    conference.cancel_reason = reason
    _save(conference, "status", "cancel_reason")
    return conference


# --- tabled petitions ---------------------------------------------------------------------


def _tabling_time(
    conference: Conference, during_session: bool, tabled_at: dt.datetime | None, now: dt.datetime
) -> dt.datetime:
    """When the petition was tabled: as given, else now; a petition raised during a session that
    is recorded after it ends is dated at the session's start. Before or during the session only."""
    errors: dict[str, str] = {}
    if tabled_at is not None:
        when = _aware(tabled_at, "tabled_at", errors)
        if when is not None and when > now:
            errors["tabled_at"] = _("The time of tabling cannot be in the future.")
    elif during_session and now > conference.ends_at:
        when = conference.starts_at
    else:
        when = now
    if not errors:
        if during_session and when < conference.starts_at:
            errors["during_session" if tabled_at is None else "tabled_at"] = _("The session has not started yet.")
        elif when > conference.ends_at:
            errors["tabled_at"] = _(
                "A petition is tabled before or during the session; after it, file it as an ordinary petition."
            )
        elif not during_session and when >= conference.starts_at:
            errors["during_session"] = _("The session had started: mark the petition as raised during the session.")
    if errors:
        raise ServiceError(errors)
    return when


@transaction.atomic
def petition_table(
    *,
    conference: Conference,
    by: Any,
    petition: Petition | None = None,
    during_session: bool = False,
    tabled_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    **new_petition: Any,
) -> Tabling:
    """Table a petition for the conference: an existing one (`petition`), or a new one raised for
    it, filed through the petition intake with source "conference" (`new_petition`: enterprise,
    title, body, category and the other arguments of `petition_submit`; the zone defaults to the
    enterprise's, or the conference's single zone). The petition keeps its status."""
    _require_editor(by)
    conference = Conference.objects.select_for_update(of=("self",)).select_related("series").get(pk=conference.pk)
    _refuse_if_cancelled(conference)
    if not isinstance(during_session, bool):
        raise ServiceError({"during_session": _("Enter true or false.")})
    now = now or timezone.now()
    when = _tabling_time(conference, during_session, tabled_at, now)
    if petition is not None and new_petition:
        raise ServiceError({"petition": _("Table an existing petition or describe a new one, not both.")})
    if petition is None:
        petition = _new_petition(conference, by, when, new_petition)
    else:
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
        if petition.status == Status.MERGED:
            raise ServiceError(
                {
                    "petition": _("This petition was merged into %(ref)s: table that one.")
                    % {"ref": petition.merged_into.reference if petition.merged_into_id else "?"}
                }
            )
        if Tabling.objects.filter(conference=conference, petition=petition).exists():
            raise ServiceError({"petition": _("This petition is already tabled for this conference.")})
        if when < petition.received_at:
            raise ServiceError({"tabled_at": _("The petition was received after that time.")})
    tabling = Tabling.objects.create(
        conference=conference, petition=petition, tabled_at=when, during_session=during_session, tabled_by=by
    )
    timeline.record(
        PetitionEvent,
        petition,
        "table",
        by,
        at=when,
        notify=False,
        conference=conference.pk,
        label=conference.label,
        theme=conference.theme_vi,
        during_session=during_session,
        recorded_at=now.isoformat(),
    )
    return tabling


def _new_petition(conference: Conference, by: Any, when: dt.datetime, fields: dict[str, Any]) -> Petition:
    allowed = {
        "enterprise",
        "zone",
        "title",
        "body",
        "category",
        "priority",
        "project",
        "procedure",
        "publish_allowed",
        "petitioner_name",
        "petitioner_email",
        "petitioner_phone",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError({"__all__": _("Unexpected fields: %(f)s") % {"f": ", ".join(sorted(unknown))}})
    if not fields.get("title") and not fields.get("body") and not fields.get("enterprise"):
        raise ServiceError({"petition": _("Choose the petition to table, or describe a new one.")})
    fields = {"title": "", "body": "", "category": "", **fields}
    enterprise = fields.get("enterprise")
    if enterprise is not None and (not isinstance(enterprise, Enterprise) or enterprise.pk is None):
        raise ServiceError({"enterprise": _("Choose the enterprise from the list.")})
    zone = fields.pop("zone", None)
    if zone is None:
        if enterprise is not None:
            zone = enterprise.zone
        else:
            zones = list(conference.zones.all()[:2])
            if len(zones) != 1:
                raise ServiceError({"zone": _("Choose the zone the petition concerns.")})
            zone = zones[0]
    return petition_services.petition_submit(zone=zone, source=Source.CONFERENCE, by=by, received_at=when, **fields)


@transaction.atomic
def spot_answer_record(
    *,
    tabling: Tabling,
    by: Any,
    text: str,
    agency: Agency | None,
    speaker: str = "",
    now: dt.datetime | None = None,
    version: int | None = None,
) -> Tabling:
    """Record the answer given on the spot to a tabled petition: what was said, by which agency
    (and who spoke). It goes on the petition's timeline; the petition's status does not change,
    it is still answered in writing through its own lifecycle. Recording again corrects it, from
    the tabling's `version` its writer read (a newer one: `ConflictError`, nothing replaced)."""
    _require_editor(by)
    tabling = (
        Tabling.objects.select_for_update(of=("self",))
        .select_related("conference__series", "petition")
        .get(pk=tabling.pk)
    )
    stale(
        tabling,
        version,
        _(
            "The answer on the spot was recorded by someone else meanwhile (version %(theirs)s, you had "
            "%(yours)s): reload it."
        ),
    )
    conference = tabling.conference
    _refuse_if_cancelled(conference)
    now = now or timezone.now()
    if now < conference.starts_at:
        raise TransitionError(_("An answer on the spot is given at the session, which has not started yet."))
    errors: dict[str, str] = {}
    text = _text(text, "text", errors, required=True, limit=MAX_ANSWER, message=_("Write the answer given."))
    speaker = _text(speaker, "speaker", errors, required=False, limit=MAX_TEXT, message="")
    if not isinstance(agency, Agency) or agency.pk is None:
        errors["agency"] = _("Choose the agency that answered.")
    if errors:
        raise ServiceError(errors)
    correction = bool(tabling.spot_answer)
    tabling.spot_answer = text
    tabling.spot_answered_by = agency
    tabling.spot_speaker = speaker
    tabling.spot_recorded_at = now
    tabling.spot_recorded_by = by
    tabling.version += 1
    tabling.save(
        update_fields=[
            "spot_answer",
            "spot_answered_by",
            "spot_speaker",
            "spot_recorded_at",
            "spot_recorded_by",
            "version",
        ]
    )
    timeline.record(
        PetitionEvent,
        tabling.petition,
        "spot_answer",
        by,
        at=now,
        reason=text,
        notify=False,
        acting_agency=agency,
        conference=conference.pk,
        label=conference.label,
        agency=agency.code,
        speaker=speaker,
        correction=correction,
    )
    return tabling


__all__ = [
    "can_edit",
    "conference_cancel",
    "conference_create",
    "conference_record_held",
    "conference_update",
    "petition_table",
    "series_create",
    "spot_answer_record",
]

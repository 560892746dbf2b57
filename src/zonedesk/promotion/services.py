"""Every write of the promotion pipeline, each in one transaction: recording and editing a
prospect (its scorecard worked out again from its data), its stages (`workflow.PROSPECT`, with the
`version` its writer read), contacts and their next steps, documents checked by content, a parcel
reserved for it (`planning.reservations`), the public enquiry that becomes a prospect, the
screening weights, the events, and what the one-stop desk tells it (`procedures.hooks`): a dossier
filed by the prospect's enterprise, the result returned that makes it licensed with its project.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.cases import timeline
from zonedesk.cases.attachments import check_files, store
from zonedesk.cases.clock import end_of_working_day
from zonedesk.cases.notifications import notify_users
from zonedesk.core.calendar import add_working_days, is_working_day, next_working_day
from zonedesk.core.counters import counter_next
from zonedesk.core.errors import ServiceError
from zonedesk.core.inputs import MAX_VND, clean_amount, clean_count, clean_text, parse_decimal, raise_if
from zonedesk.core.permissions import actor_of
from zonedesk.core.rules import rule_value
from zonedesk.core.text import fold
from zonedesk.core.versions import locked
from zonedesk.investment.models import Sector
from zonedesk.planning import reservations
from zonedesk.promotion import screening
from zonedesk.promotion.models import (
    Contact,
    Criterion,
    Environment,
    PromotionEvent,
    Prospect,
    ProspectDocument,
    ProspectEvent,
    ScreeningWeight,
    Source,
    Stage,
)
from zonedesk.promotion.workflow import PROSPECT

# lazy: said in the language of whoever is refused, not of the process that imported this
CHANGED = gettext_lazy(
    "The prospect was changed by someone else (version %(theirs)s, you had read %(yours)s): read it again."
)
EVENT_CHANGED = gettext_lazy(
    "The event was changed by someone else (version %(theirs)s, you had read %(yours)s): read it again."
)
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
MAX_PCT = Decimal(100)
MAX_HA = Decimal(100_000)
MAX_PEOPLE = 1_000_000
COUNTRY = re.compile(r"^[A-Z]{2}$")

# the fields of a prospect an officer writes (the rest is the system's)
FIELDS = (
    "company",
    "country",
    "sector",
    "project_name",
    "capital_vnd",
    "capital_usd",
    "land_ha",
    "land_use",
    "needs_networks",
    "jobs",
    "jobs_with_degrees",
    "technology",
    "value_added_vnd",
    "rnd_spending_pct",
    "rnd_staff",
    "hitech_revenue_pct",
    "exports_pct",
    "environment",
    "environment_notes",
    "local_suppliers_pct",
    "source",
    "source_event",
    "manager",
    "enterprise",
    "published",
)


def _officer(by: Any) -> None:
    if actor_of(by).role not in {"board", "admin"}:
        raise PermissionDenied(_("Only the board's officers keep the promotion pipeline."))


def _pct(value: Any, field: str, errors: dict[str, str]) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    number = parse_decimal(value)
    if number is None or number < 0 or number > MAX_PCT:
        errors[field] = _("Enter a share from 0 to 100 (%).")
        return Decimal(0)
    return number.quantize(Decimal("0.01"))


def clean_fields(values: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """The prospect's fields, checked (every refusal at once): `ServiceError`."""
    from zonedesk.core.models import User
    from zonedesk.investment.models import Enterprise

    errors: dict[str, str] = {}
    out: dict[str, Any] = {}

    def has(name: str) -> bool:
        return not partial or name in values

    if has("company"):
        out["company"] = clean_text(values.get("company"), "company", errors, required=True, limit=255)
    if has("country"):
        country = str(values.get("country") or "").strip().upper()
        if not COUNTRY.match(country):
            errors["country"] = _("Enter the country's two-letter ISO code (JP, KR, US, VN…).")
        out["country"] = country
    if has("sector"):
        if values.get("sector") not in Sector.values:
            errors["sector"] = _("Choose a sector.")
        out["sector"] = values.get("sector")
    if has("source"):
        if values.get("source") not in Source.values:
            errors["source"] = _("Choose where the prospect came from.")
        out["source"] = values.get("source")
    for name, limit in (("project_name", 255), ("technology", 5000), ("environment_notes", 5000), ("land_use", 20)):
        if has(name):
            out[name] = clean_text(values.get(name), name, errors, required=False, limit=limit)
    for name in ("capital_vnd", "value_added_vnd"):
        if has(name):
            out[name] = clean_amount(values.get(name), name, errors, required=False) or 0
    if has("capital_usd"):
        out["capital_usd"] = (
            clean_count(values.get("capital_usd"), "capital_usd", errors, high=MAX_VND, required=False) or 0
        )
    for name in ("jobs", "jobs_with_degrees", "rnd_staff"):
        if has(name):
            out[name] = clean_count(values.get(name), name, errors, high=MAX_PEOPLE, required=False) or 0
    if has("land_ha"):
        land = parse_decimal(values.get("land_ha")) if values.get("land_ha") not in (None, "") else Decimal(0)
        if land is None or land < 0 or land > MAX_HA:
            errors["land_ha"] = _("Enter the land needed in hectares, from 0 to 100,000.")
            land = Decimal(0)
        out["land_ha"] = land.quantize(Decimal("0.01"))
    for name in ("rnd_spending_pct", "hitech_revenue_pct", "exports_pct", "local_suppliers_pct"):
        if has(name):
            out[name] = _pct(values.get(name), name, errors)
    if has("environment"):
        env = values.get("environment") or Environment.MEDIUM
        if env not in Environment.values:
            errors["environment"] = _("Choose the environmental impact.")
        out["environment"] = env
    if has("needs_networks"):
        out["needs_networks"] = bool(values.get("needs_networks"))
    if has("published"):
        out["published"] = bool(values.get("published"))
    if has("manager"):
        manager = values.get("manager")
        if manager is not None and not (isinstance(manager, User) and manager.role in {"board", "leader", "admin"}):
            errors["manager"] = _("The account manager is one of the board's people.")
        out["manager"] = manager
    if has("enterprise"):
        enterprise = values.get("enterprise")
        if enterprise is not None and not isinstance(enterprise, Enterprise):
            errors["enterprise"] = _("Choose an enterprise of the registry.")
        out["enterprise"] = enterprise
    if has("source_event"):
        event = values.get("source_event")
        if event is not None and not isinstance(event, PromotionEvent):
            errors["source_event"] = _("Choose an event.")
        out["source_event"] = event
    if "jobs" in out and "jobs_with_degrees" in out and out["jobs_with_degrees"] > out["jobs"]:
        errors["jobs_with_degrees"] = _("Not more than the jobs.")
    if "jobs" in out and "rnd_staff" in out and out["rnd_staff"] > out["jobs"]:
        errors["rnd_staff"] = _("Not more than the jobs.")
    raise_if(errors)
    return out


def _rescore(prospect: Prospect, on: dt.date | None = None) -> int:
    """The derived fields: the score from the scorecard, the folded text the search reads."""
    prospect.score = screening.scorecard(prospect, on=on, explain=False).score
    prospect.search_text = search_text_of(prospect.code, prospect.company)
    return prospect.score


def search_text_of(code: str, company: str) -> str:
    return fold(f"{code} {company}")[:300]


def _code(at: dt.datetime) -> str:
    return f"XT-{at:%Y}-{counter_next(key=f'prospect-code:{at:%Y}'):04d}"


def _save(prospect: Prospect, fields: Iterable[str]) -> None:
    prospect.version += 1
    prospect.save(update_fields=sorted({*fields, "version"}))


def _lock(prospect: Prospect, version: int | None) -> Prospect:
    return locked(prospect, version, CHANGED)


@transaction.atomic
def prospect_create(*, by: Any, agencies: Iterable[Any] = (), at: dt.datetime | None = None, **values: Any) -> Prospect:
    """Record a prospect (an officer of the board); its scorecard is worked out at once."""
    _officer(by)
    at = at or timezone.now()
    fields = clean_fields(values)
    if fields.get("manager") is None:
        fields["manager"] = by
    prospect = Prospect(**fields, code=_code(at), stage=Stage.ENQUIRY, stage_since=at, created_at=at, created_by=by)
    _rescore(prospect, timezone.localdate(at))
    prospect.save()
    if agencies:
        prospect.helping_agencies.set(list(agencies))
    timeline.record(ProspectEvent, prospect, "create", by, from_status="", to_status=Stage.ENQUIRY, at=at, notify=False)
    return prospect


@transaction.atomic
def prospect_update(
    prospect: Prospect, *, by: Any, version: int | None, agencies: Iterable[Any] | None = None, **values: Any
) -> Prospect:
    """Change a prospect's data (what the officer sent); the scorecard follows."""
    _officer(by)
    prospect = _lock(prospect, version)
    fields = clean_fields(values, partial=True)
    changed = [k for k, v in fields.items() if getattr(prospect, k) != v]
    for k, v in fields.items():
        setattr(prospect, k, v)
    _rescore(prospect)
    _save(prospect, [*fields, "score", "search_text"])
    if agencies is not None:
        prospect.helping_agencies.set(list(agencies))
        changed.append("helping_agencies")
    if changed:
        timeline.record(ProspectEvent, prospect, "edit", by, notify=False, fields=sorted(changed))
    return prospect


def _link_dossier(prospect: Prospect, dossier: Any) -> None:
    from zonedesk.procedures.models import Dossier, RegistryEffect

    if not isinstance(dossier, Dossier):
        raise ServiceError({"dossier": _("Name the dossier the investor filed at the one-stop desk.")})
    if dossier.procedure.registry_effect not in {RegistryEffect.NEW_PROJECT, RegistryEffect.AMEND_PROJECT}:
        raise ServiceError({"dossier": _("This dossier neither registers nor amends a project.")})
    if prospect.enterprise_id is not None and dossier.enterprise_id != prospect.enterprise_id:
        raise ServiceError({"dossier": _("This dossier is another enterprise's.")})
    if Prospect.objects.filter(dossier=dossier).exclude(pk=prospect.pk).exists():
        raise ServiceError({"dossier": _("This dossier is linked to another prospect.")})
    if dossier.status in {"refused", "withdrawn", "stopped"}:
        raise ServiceError({"dossier": _("This dossier was closed without a result.")})
    prospect.dossier, prospect.enterprise_id = dossier, dossier.enterprise_id


def _returned_project(dossier: Any) -> Any:
    """The project a returned dossier's result registered or amended."""
    from zonedesk.investment.models import Project

    if dossier.project_id:
        return dossier.project
    result = getattr(dossier, "result", None)
    rows = Project.objects.filter(enterprise_id=dossier.enterprise_id)
    if result is not None:
        rows = rows.filter(certificate_date=result.decision_date)
    return rows.order_by("-id").first()


def _project_of(dossier: Any, written: Any) -> Any:
    from zonedesk.investment.models import Amendment, Project

    if isinstance(written, Project):
        return written
    if isinstance(written, Amendment):
        return written.project
    return dossier.project


@transaction.atomic
def prospect_act(
    prospect: Prospect,
    action: str,
    *,
    by: Any,
    version: int | None,
    reason: str = "",
    dossier: Any = None,
    project: Any = None,
    at: dt.datetime | None = None,
) -> Prospect:
    """Move the prospect to its next stage (`workflow.PROSPECT`) with the version its writer read.
    "propose" freezes the capital and jobs projected; "file_dossier" links a dossier of the
    prospect's enterprise (and, when its result was returned already, licenses it at once);
    "license" is the system's, with the project the result registered."""
    at = at or timezone.now()
    prospect = _lock(prospect, version)
    move = PROSPECT.move(prospect, action, by, reason)
    changed = {"stage", "stage_since"}
    data: dict[str, Any] = {}
    prospect.stage_since = at
    if action == "propose":
        prospect.projected_capital_vnd, prospect.projected_jobs = prospect.capital_vnd, prospect.jobs
        prospect.proposal_at = at
        changed |= {"projected_capital_vnd", "projected_jobs", "proposal_at"}
        data = {"capital_vnd": prospect.capital_vnd, "jobs": prospect.jobs}
    elif action == "file_dossier":
        _link_dossier(prospect, dossier)
        changed |= {"dossier", "enterprise"}
        data = {"dossier": dossier.code}
    elif action == "license":
        prospect.project, prospect.licensed_at = project, at
        changed |= {"project", "licensed_at"}
        data = {"project": getattr(project, "code", "")}
    elif action == "lose":
        prospect.lost_reason = move.reason
        changed.add("lost_reason")
        _release_all(prospect, at, "lost")
    elif action == "reopen":
        prospect.lost_reason = ""
        changed.add("lost_reason")
    _save(prospect, changed)
    timeline.record(
        ProspectEvent,
        prospect,
        action,
        by,
        from_status=move.from_state,
        reason=move.reason,
        at=at,
        state_field="stage",
        **data,
    )
    if action == "file_dossier" and dossier.status == "returned":  # its result came before the link
        return prospect_act(
            prospect, "license", by=None, version=None, project=_returned_project(dossier), at=dossier.closed_at or at
        )
    return prospect


@transaction.atomic
def contact_add(
    prospect: Prospect,
    *,
    by: Any,
    date: Any,
    kind: str,
    summary: str,
    next_step: str = "",
    next_step_due: Any = None,
    at: dt.datetime | None = None,
) -> Contact:
    """Record a contact with the prospect and the next step it set: the prospect's next step is
    this one's; the earlier ones are done."""
    _officer(by)
    at = at or timezone.now()
    errors: dict[str, str] = {}
    if not isinstance(date, dt.date) or date > timezone.localdate(at) or date.year < 2000:
        errors["date"] = _("Enter the date of the contact (not in the future).")
    if kind not in Contact.Kind.values:
        errors["kind"] = _("Choose the kind of contact.")
    summary = clean_text(summary, "summary", errors, required=True, limit=5000)
    next_step = clean_text(next_step, "next_step", errors, required=False, limit=500)
    if next_step and not isinstance(next_step_due, dt.date):
        errors["next_step_due"] = _("Give the date of the next step.")
    elif next_step_due is not None and not isinstance(next_step_due, dt.date):
        errors["next_step_due"] = _("Enter a date.")
    elif next_step_due is not None and (
        next_step_due.year > 2100 or (isinstance(date, dt.date) and next_step_due < date)
    ):
        errors["next_step_due"] = _("The next step comes after the contact.")
    raise_if(errors)
    prospect = _lock(prospect, None)
    Contact.objects.filter(prospect=prospect, done_at__isnull=True).exclude(next_step="").update(done_at=at)
    contact = Contact.objects.create(
        prospect=prospect,
        date=date,
        kind=kind,
        summary=summary,
        next_step=next_step,
        next_step_due=next_step_due if next_step else None,
        by=by,
        recorded_at=at,
    )
    prospect.next_step, prospect.next_step_due = next_step, contact.next_step_due
    _save(prospect, ["next_step", "next_step_due"])
    timeline.record(ProspectEvent, prospect, "contact", by, at=at, notify=False, kind=kind)
    return contact


@transaction.atomic
def document_add(
    prospect: Prospect, *, by: Any, title: str, upload: Any, at: dt.datetime | None = None
) -> ProspectDocument:
    """A file of the prospect, checked by its content before anything is written."""
    _officer(by)
    at = at or timezone.now()
    errors: dict[str, str] = {}
    title = clean_text(title, "title", errors, required=True, limit=255)
    raise_if(errors)
    checked = check_files([upload], limit=DOCUMENT_MAX_BYTES, max_count=1, too_many="%(n)s", field="file")
    if not checked:
        raise ServiceError({"file": _("Choose a file.")})
    c = checked[0]
    row = ProspectDocument(
        prospect=prospect,
        title=title,
        original_name=c.name,
        content_type=c.kind.content_type,
        size=c.size,
        uploaded_by=by,
        uploaded_at=at,
    )
    return store(
        row,
        c,
        then=lambda d: timeline.record(ProspectEvent, prospect, "document", by, at=at, notify=False, title=title),
    )


# --- land -------------------------------------------------------------------------------------------


def _release_all(prospect: Prospect, at: dt.datetime, reason: str) -> None:
    from zonedesk.planning.models import ParcelReservation

    for r in ParcelReservation.objects.filter(holder=prospect.holder_key, released_at__isnull=True):
        reservations.release(r, reason=reason, at=at)


@transaction.atomic
def reserve(
    prospect: Prospect, *, by: Any, zone: Any, parcel_code: str, until: Any, at: dt.datetime | None = None
) -> Any:
    """Hold a parcel for the prospect until a date (refused when the parcel is taken)."""
    _officer(by)
    at = at or timezone.now()
    # read again and held to the end: a prospect lost meanwhile (its parcels let go) reserves nothing
    prospect = Prospect.objects.select_for_update().get(pk=prospect.pk)
    if not prospect.is_open:
        raise ServiceError({"__all__": _("A parcel is reserved for a prospect still in the pipeline.")})
    if zone is None:
        raise ServiceError({"parcel": _("No parcel of this code in the plan in force.")})
    r = reservations.reserve(zone=zone, parcel_code=parcel_code, until=until, holder=prospect.holder_key, by=by, at=at)
    timeline.record(
        ProspectEvent,
        prospect,
        "reserve",
        by,
        at=at,
        notify=False,
        parcel=f"{zone.code}:{parcel_code}",
        until=until.isoformat(),
    )
    return r


@transaction.atomic
def release(prospect: Prospect, *, by: Any, reservation: Any, at: dt.datetime | None = None) -> bool:
    _officer(by)
    if reservation.holder != prospect.holder_key:
        raise ServiceError({"__all__": _("This reservation is not this prospect's.")})
    done = reservations.release(reservation, at=at)
    if done:
        timeline.record(ProspectEvent, prospect, "release", by, at=at, notify=False, parcel=reservation.parcel_code)
    return done


# --- the public enquiry -------------------------------------------------------------------------------


@transaction.atomic
def enquiry_submit(
    *,
    company: str,
    country: str,
    sector: str,
    land_ha: Any,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    message: str = "",
    site_visit_wished: bool = False,
    site_visit_from: Any = None,
    parcel_wished: str = "",
    at: dt.datetime | None = None,
) -> Prospect:
    """An investor's enquiry or site-visit request through the public site: a prospect (source
    "public site") with the reply promised within the working days of the rule
    `promotion.reply_days`, and its tracking token for the visitor."""
    at = at or timezone.now()
    errors: dict[str, str] = {}
    try:
        fields = clean_fields(
            {"company": company, "country": country, "sector": sector, "land_ha": land_ha, "source": Source.PUBLIC_SITE}
        )
    except ServiceError as exc:
        errors.update({k: "; ".join(v) for k, v in exc.message_dict.items()})
        fields = {}
    name = clean_text(contact_name, "contact_name", errors, required=True, limit=200)
    email = clean_text(contact_email, "contact_email", errors, required=True, limit=254)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors["contact_email"] = _("Enter a valid e-mail address.")
    phone = clean_text(contact_phone, "contact_phone", errors, required=False, limit=30)
    text = clean_text(message, "message", errors, required=False, limit=5000)
    parcel = clean_text(parcel_wished, "parcel_wished", errors, required=False, limit=70)
    today = timezone.localdate(at)
    if site_visit_from is not None and (
        not isinstance(site_visit_from, dt.date) or site_visit_from < today or site_visit_from.year > today.year + 2
    ):
        errors["site_visit_from"] = _("Choose a date from today on, within two years.")
    raise_if(errors)
    prospect = Prospect(
        **fields,
        code=_code(at),
        stage=Stage.ENQUIRY,
        stage_since=at,
        created_at=at,
        contact_name=name,
        contact_email=email,
        contact_phone=phone,
        message=text,
        site_visit_wished=bool(site_visit_wished),
        site_visit_from=site_visit_from if site_visit_wished else None,
        parcel_wished=parcel,
        reply_due=add_working_days(today, int(rule_value("promotion.reply_days", on=today))),
        next_step=_("Reply to the enquiry"),
    )
    prospect.next_step_due = prospect.reply_due
    _rescore(prospect, today)
    prospect.save()
    timeline.record(
        ProspectEvent, prospect, "enquiry", None, from_status="", to_status=Stage.ENQUIRY, at=at, notify=False
    )
    from zonedesk.core.models import User

    officers = User.objects.filter(role="board", is_active=True)
    text_ = _("A new investor enquiry through the public site: %(company)s (%(country)s).") % {
        "company": prospect.company,
        "country": prospect.country,
    }
    notify_users(users=officers, subject=text_[:255], body=text_, link=prospect.get_absolute_url())
    return prospect


@transaction.atomic
def enquiry_reply(prospect: Prospect, *, by: Any, at: dt.datetime | None = None) -> Prospect:
    """Record that the board replied to the enquiry (the visitor's tracking page says so)."""
    _officer(by)
    at = at or timezone.now()
    prospect = _lock(prospect, None)
    if prospect.replied_at is None:
        prospect.replied_at = at
        _save(prospect, ["replied_at"])
        timeline.record(ProspectEvent, prospect, "reply", by, at=at, notify=False)
    return prospect


# --- screening weights ---------------------------------------------------------------------------------


@transaction.atomic
def weight_set(
    *, by: Any, criterion: str, points: Any, target: Any = 0, effective_from: Any, note: str = ""
) -> ScreeningWeight:
    """A criterion's weight from a date (a board officer); the open prospects are scored again."""
    _officer(by)
    errors: dict[str, str] = {}
    if criterion not in Criterion.values:
        errors["criterion"] = _("Choose a criterion.")
    points = clean_count(points, "points", errors, high=100)
    target = clean_amount(target, "target", errors, required=False) or 0
    if not isinstance(effective_from, dt.date) or not 2000 <= effective_from.year <= 2100:
        errors["effective_from"] = _("Enter a date.")
    raise_if(errors)
    weight, _created = ScreeningWeight.objects.update_or_create(
        criterion=criterion,
        effective_from=effective_from,
        defaults={"points": points, "target": target, "note": note[:500]},
    )
    rescore_all()
    return weight


SCORED_FIELDS = (
    "pk",
    "score",
    "capital_vnd",
    "value_added_vnd",
    "land_ha",
    "jobs",
    "jobs_with_degrees",
    "rnd_staff",
    "rnd_spending_pct",
    "hitech_revenue_pct",
    "exports_pct",
    "local_suppliers_pct",
    "environment",
)


def rescore_all(on: dt.date | None = None) -> int:
    """Every prospect's score with the weights in force (after the board changed them)."""
    weights = screening.weights_on(on)
    changed = []
    for p in Prospect.objects.only(*SCORED_FIELDS).iterator(chunk_size=2000):
        score = screening.scorecard(p, weights=weights, explain=False).score
        if score != p.score:
            p.score = score
            changed.append(p)
    Prospect.objects.bulk_update(changed, ["score"], batch_size=500)
    if changed:  # bulk_update sends no signal: the cached lists sorted by score must not outlive it
        from zonedesk.core.generations import generation_bump
        from zonedesk.promotion.figures import PROMOTION_FIGURES_GENERATION

        generation_bump(PROMOTION_FIGURES_GENERATION)
    return len(changed)


# --- events ---------------------------------------------------------------------------------------------


@transaction.atomic
def event_save(
    *,
    by: Any,
    event: PromotionEvent | None = None,
    kind: str,
    title: str,
    date: Any,
    place: str,
    organisers: str,
    follow_up: str = "",
    prospects: Iterable[Prospect] = (),
    enterprises: Iterable[Any] = (),
    version: int | None = None,
) -> PromotionEvent:
    """Record an event, or change one (`event`) with the version its writer read (409 when it
    changed since)."""
    _officer(by)
    errors: dict[str, str] = {}
    if kind not in PromotionEvent.Kind.values:
        errors["kind"] = _("Choose the kind of event.")
    title = clean_text(title, "title", errors, required=True, limit=255)
    place = clean_text(place, "place", errors, required=True, limit=255)
    organisers = clean_text(organisers, "organisers", errors, required=True, limit=500)
    follow_up = clean_text(follow_up, "follow_up", errors, required=False, limit=5000)
    if not isinstance(date, dt.date) or not 2000 <= date.year <= 2100:
        errors["date"] = _("Enter a date.")
    raise_if(errors)
    if event is None:
        event = PromotionEvent(created_by=by)
    else:
        event = locked(event, version, EVENT_CHANGED)
        event.version += 1
    event.kind, event.title, event.date, event.place = kind, title, date, place
    event.organisers, event.follow_up = organisers, follow_up
    event.save()
    event.prospects.set(list(prospects))
    event.enterprises.set(list(enterprises))
    return event


# --- what the one-stop desk tells the pipeline (procedures.hooks) ----------------------------------------


def on_dossier_filed(dossier: Any, *, by: Any, at: dt.datetime) -> None:
    """A dossier that registers or amends a project, filed by the enterprise of a prospect at the
    proposal or decision: the prospect's dossier is filed (the system's move)."""
    from zonedesk.procedures.models import RegistryEffect

    if dossier.procedure.registry_effect not in {RegistryEffect.NEW_PROJECT, RegistryEffect.AMEND_PROJECT}:
        return
    for prospect in Prospect.objects.filter(
        enterprise_id=dossier.enterprise_id, stage__in=[Stage.PROPOSAL, Stage.DECISION], dossier__isnull=True
    ):
        prospect_act(prospect, "file_dossier", by=None, version=None, dossier=dossier, at=at)


def on_result_returned(dossier: Any, written: Any, *, by: Any, at: dt.datetime) -> None:
    """The result of a prospect's dossier returned: the prospect is licensed, with the project
    the result registered or amended."""
    project = _project_of(dossier, written)
    for prospect in Prospect.objects.filter(dossier=dossier, stage=Stage.DOSSIER_FILED):
        prospect_act(prospect, "license", by=None, version=None, project=project, at=at)


# --- reminders -------------------------------------------------------------------------------------------


def overdue_since(due: dt.date) -> dt.datetime:
    """When a next step due on `due` is overdue: the close of office of that day, or of the next
    working day when it falls on a day off."""
    return end_of_working_day(due if is_working_day(due) else next_working_day(due))


@transaction.atomic
def next_steps_remind(*, now: dt.datetime | None = None) -> int:
    """Tell the account manager of each next step now overdue, once per next step (the periodic
    job); only on a working day. How many were told."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not is_working_day(today):
        return 0
    told = 0
    rows = (
        Contact.objects.select_for_update(of=("self",))
        .filter(reminded_at__isnull=True, done_at__isnull=True, next_step_due__lt=today + dt.timedelta(days=1))
        .exclude(next_step="")
        .select_related("prospect", "prospect__manager")
    )
    for contact in rows:
        due = contact.next_step_due
        if due is None or now <= overdue_since(due) or not contact.prospect.is_open:
            continue
        contact.reminded_at = now
        contact.save(update_fields=["reminded_at"])
        p = contact.prospect
        if p.manager_id:
            text = _("Prospect %(code)s (%(company)s): the next step “%(step)s” was due on %(day)s.") % {
                "code": p.code,
                "company": p.company,
                "step": contact.next_step,
                "day": due.strftime("%d/%m/%Y"),
            }
            notify_users(users=[p.manager], subject=text[:255], body=text, link=p.get_absolute_url())
        timeline.record(ProspectEvent, p, "remind", None, at=now, notify=False, step=contact.next_step)
        told += 1
    return told


__all__ = [
    "contact_add",
    "document_add",
    "enquiry_reply",
    "enquiry_submit",
    "event_save",
    "next_steps_remind",
    "on_dossier_filed",
    "on_result_returned",
    "prospect_act",
    "prospect_create",
    "prospect_update",
    "release",
    "rescore_all",
    "reserve",
    "weight_set",
]

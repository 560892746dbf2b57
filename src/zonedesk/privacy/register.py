"""The register of processing (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): every field that holds
personal data, read from the marks where the fields are declared (`marks.personal`) and, for the
models of the libraries we use (whose declarations we cannot wrap), from `THIRD_PARTY`.

- `entries()`: one row per field, grouped per model: whose data, basic or sensitive, why, which
  retention rule ends it (and its months: the board's rule, else the default), who reads it. The
  board's page (`/privacy/register/`) and `docs/PERSONAL_DATA.md` (`zonedesk privacy-register`)
  show it.
- `mask_in_audit()`: the audit trail (django-auditlog) never keeps the value of a marked field
  (it records that the field changed), and names a record whose name would show personal data by
  its key alone (`neutral_repr`).
- `unmarked_personal(fields)`: the fields that look personal (their name or type) and are
  neither marked nor in `NOT_PERSONAL`; tests/test_privacy_register.py fails on any.

Almost everything ZoneDesk keeps about people is basic personal data (names, e-mail addresses,
phone numbers, login names, network addresses, nationality). Nothing sensitive in the law's sense
(health, biometrics, precise location of a person, bank accounts, criminal records, political or
religious views) is asked for; a petition's text or attachment is free and may hold some, which
is why attachments are marked and erasure removes them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from zonedesk.privacy.marks import Kind, Mark, Subject, mark_of, marked_fields

# --- the libraries' models ------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """A field of a library's model that holds personal data, with its mark."""

    model: str  # "app_label.ModelName"
    field: str
    mark: Mark


THIRD_PARTY: list[Declared] = [
    Declared(
        "auditlog.LogEntry",
        "remote_addr",
        Mark(
            subject=Subject.VISITOR,
            purpose=_("to know from where each change was made (the audit trail)"),
            retention="audit_addresses",
        ),
    ),
    Declared(
        "auditlog.LogEntry",
        "actor_email",
        Mark(
            subject=Subject.USER,
            purpose=_("to know who made each change (the audit trail)"),
            note=_("kept with the audit trail, as the law on archives asks"),
        ),
    ),
    Declared(
        "sessions.Session",
        "session_data",
        Mark(
            subject=Subject.USER,
            purpose=_("to keep a person logged in (who they are, when they logged in, two-step login)"),
            retention="login_records",
            note=_("deleted when the session ends (idle time or longest session)"),
        ),
    ),
    Declared(
        "otp_totp.TOTPDevice",
        "user",
        Mark(
            subject=Subject.USER,
            purpose=_("two-step login: the authenticator app a person set up"),
            note=_("deleted when the person turns two-step login off or the account is deleted"),
        ),
    ),
]

# Who reads the data, by whose it is (core/access.py: the pages and the API that show it).
READERS: dict[str, Any] = {
    Subject.PETITIONER: _("Board officers, leaders and admins; never the agencies nor the public"),
    Subject.USER: _("The person; board officers and admins (accounts, the audit trail)"),
    Subject.CONTACT: _("Board officers and admins; the enterprise's own users"),
    Subject.INVESTOR: _("Officers; the public where a project's register is published"),
    Subject.OFFICIAL: _("Officers; the public where the conference is public"),
    Subject.VISITOR: _("Board officers and admins (the audit trail)"),
}
# ... and where one field is read by others than its subject's usual readers
READERS_BY_FIELD: dict[str, Any] = {
    "core.RateCount.key": _("No one: the site counts attempts with it"),
    "sessions.Session.session_data": _("No one: the site reads it to know who is logged in"),
    "otp_totp.TOTPDevice.user": _("No one: the site checks the codes with it"),
    "petitions.Notification.email": _("No one: the site sends the e-mail to it; admins"),
    "petitions.Notification.body": _("The person it is sent to (the inbox, the e-mail); admins"),
    "petitions.Attachment.file": _(
        "Those who may see the petition (the board side, the agencies it is routed to, the enterprise that filed it); the public only where its author made the files public"
    ),
    "petitions.Attachment.original_name": _(
        "Those who may see the petition (the board side, the agencies it is routed to, the enterprise that filed it); the public only where its author made the files public"
    ),
}


# --- the register ---------------------------------------------------------------------------

# Names for models and fields whose own are not translated (the libraries', or left to Django:
# changing a verbose name would make a migration)
MODEL_NAMES: dict[str, Any] = {
    "core.RateCount": _("count of attempts (rate limits)"),
    "petitions.Attachment": _("petition attachment"),
    "petitions.Notification": _("notification"),
    "auditlog.LogEntry": _("audit trail entry"),
    "sessions.Session": _("login session"),
    "otp_totp.TOTPDevice": _("authenticator (two-step login)"),
}
FIELD_NAMES: dict[str, Any] = {
    "core.RateCount.key": _("what is counted (an address or a login name)"),
    "investment.Investor.name_folded": _("name without accents (for search)"),
    "petitions.Attachment.file": _("file"),
    "petitions.Notification.email": _("e-mail address"),
    "petitions.Notification.body": _("message"),
    "auditlog.LogEntry.remote_addr": _("network address (IP)"),
    "auditlog.LogEntry.actor_email": _("e-mail address of the person who acted"),
    "sessions.Session.session_data": _("session data"),
    "otp_totp.TOTPDevice.user": _("whose authenticator"),
}


@dataclass(frozen=True)
class Row:
    app: str  # the app's verbose name
    model: str  # "app_label.ModelName"
    model_name: str  # its verbose name
    field: str
    field_name: str  # its verbose name
    kind: str
    kind_label: Any
    subject: str
    subject_label: Any
    purpose: Any
    retention: str  # a retention rule's code, "" when none ends it (`note` says how long)
    months: int | None
    note: Any
    readers: Any
    library: bool  # a library's model (`THIRD_PARTY`), not one of ours


@dataclass(frozen=True)
class Group:
    model: str
    app: str
    model_name: str
    rows: list[Row]


def all_marks() -> list[tuple[type[models.Model], models.Field, Mark, bool]]:
    """Every marked field (ours, then the libraries'): model, field, mark, is it a library's."""
    out = [(model, field, mark, False) for model, field, mark in marked_fields()]
    for item in THIRD_PARTY:
        try:
            model = apps.get_model(item.model)
        except LookupError:  # the library is not installed here
            continue
        out.append((model, model._meta.get_field(item.field), item.mark, True))
    return out


def _rule_months() -> dict[str, int]:
    """The months the board set per retention kind (none when the table is not there yet)."""
    from django.db import connection

    from zonedesk.privacy.models import RetentionRule

    if RetentionRule._meta.db_table not in connection.introspection.table_names():
        return {}
    return dict(RetentionRule.objects.values_list("kind", "months"))


def default_months(code: str) -> int | None:
    """A retention kind's default months (`privacy.retention.KINDS`), None when unknown."""
    try:
        from zonedesk.privacy import retention
    except ImportError:
        return None
    kinds = getattr(retention, "KINDS", None) or {}
    kind = (
        kinds.get(code)
        if isinstance(kinds, dict)
        else next((k for k in kinds if getattr(k, "code", None) == code), None)
    )
    for attribute in ("default_months", "months"):
        value = getattr(kind, attribute, None)
        if isinstance(value, int):
            return value
    return None


def entries() -> list[Group]:
    """The register: one row per field that holds personal data, grouped per model, the models
    by app (ours in the order of INSTALLED_APPS, then the libraries')."""
    months = _rule_months()
    order = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    groups: dict[str, list[Row]] = {}
    for model, field, mark, library in all_marks():
        meta = model._meta
        label = meta.label
        code = mark.retention
        groups.setdefault(label, []).append(
            Row(
                app=str(capfirst(meta.app_config.verbose_name)),
                model=label,
                model_name=str(capfirst(MODEL_NAMES.get(label) or meta.verbose_name)),
                field=field.name,
                field_name=str(capfirst(FIELD_NAMES.get(f"{label}.{field.name}") or field.verbose_name)),
                kind=mark.kind,
                kind_label=Kind(mark.kind).label,
                subject=mark.subject,
                subject_label=Subject(mark.subject).label,
                purpose=mark.purpose,
                retention=code,
                months=(months.get(code) or default_months(code)) if code else None,
                note=mark.note,
                readers=READERS_BY_FIELD.get(f"{label}.{field.name}") or READERS[mark.subject],
                library=library,
            )
        )
    out = [
        Group(model=label, app=rows[0].app, model_name=rows[0].model_name, rows=rows) for label, rows in groups.items()
    ]
    out.sort(key=lambda g: (g.rows[0].library, order.get(g.model.split(".")[0], 99)))  # models as declared
    return out


# --- the audit trail --------------------------------------------------------------------------

# Models whose name (str()) shows personal data though none of their own fields is marked: the
# trail names their records by key (`neutral_repr`).
REPR_SHOWS_PERSONAL = {
    "investment.ProjectInvestor": "names its investor",
}
# (and the libraries' models of THIRD_PARTY: an authenticator is named "name (username)")
# Models with marked fields whose name shows none of them: the trail keeps their name.
REPR_WITHOUT_PERSONAL = {
    "petitions.Petition": "its reference and title",
    "petitions.Notification": "its subject",
    "dialogue.Conference": "its number and theme",
    "dialogue.Tabling": "the keys of the conference and petition",
}


def record_name(obj: models.Model) -> str:
    """A record's name in the trail: its key alone where its name would show personal data."""
    return f"#{obj.pk}" if neutral_repr(type(obj)) else str(obj)


@functools.cache  # read for every audit entry written (a pre_save receiver): the marks never change
def neutral_repr(model: type[models.Model]) -> bool:
    """Does the trail name this model's records by key alone (their name shows personal data)?"""
    label = model._meta.label
    if label in REPR_WITHOUT_PERSONAL:
        return False
    return (
        label in REPR_SHOWS_PERSONAL
        or any(item.model == label for item in THIRD_PARTY)
        or any(mark_of(f) for f in model._meta.get_fields())
    )


def mask_in_audit() -> None:
    """Mask every marked field in the audit trail: auditlog's registry (filled from the settings
    when its app is ready, before ours) gets each model's marked fields as `mask_fields`, and the
    mask (settings.AUDITLOG_MASK_CALLABLE) keeps nothing of the value. Then an entry's name of the
    record and the names of the related records of a many-to-many change are neutral where they
    would show personal data (`_neutral_names`, before the entry is saved)."""
    from auditlog import get_logentry_model
    from auditlog.registry import auditlog
    from django.db.models.signals import pre_save

    for model, field, _mark, _library in all_marks():
        if auditlog.contains(model):
            masked = auditlog._registry[model]["mask_fields"]  # auditlog has no public setter
            if field.name not in masked:
                masked.append(field.name)
    pre_save.connect(_neutral_names, sender=get_logentry_model(), dispatch_uid="zonedesk.privacy.register.names")


HIDDEN = "••••••"


def _neutral_names(sender, instance, **kwargs) -> None:
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is None:
        return
    if neutral_repr(model) and "records" not in (instance.additional_data or {}):  # not an import's one entry
        instance.object_repr = f"#{instance.object_pk}"
    changes = instance.changes if isinstance(instance.changes, dict) else None
    for name, change in (changes or {}).items():
        if not (isinstance(change, dict) and change.get("type") == "m2m"):
            continue
        try:
            related = model._meta.get_field(name).related_model
        except Exception:  # noqa: S112 - a key that is no field: left as recorded
            continue
        if related is not None and neutral_repr(related):
            change["objects"] = [HIDDEN for _ in change.get("objects", [])]


# --- fields that look personal ----------------------------------------------------------------

# A field whose name says it holds data about a person (a whole word of its name, or part of it)
LOOKS_PERSONAL = re.compile(
    r"(^|_)names?($|_)|first_?name|last_?name|full_?name|surname|given_?name|family_?name"
    r"|(^|_)e_?mails?($|_)|phone|mobile|(^|_)fax($|_)|(^|_)tel($|_)|zalo"
    r"|address|(^|_)addr($|_)|(^|_)ip($|_)"
    r"|identity|id_?number|id_?card|cccd|cmnd|passport"
    r"|birth|(^|_)dob($|_)|gender|(^|_)sex($|_)|nationality|signature"
    r"|speaker|attendee|(^|_)chair($|_)|contact|(^|_)persons?($|_)"
)
PERSONAL_TYPES = (models.EmailField, models.GenericIPAddressField)

# Fields that look personal but hold no data about a person, each with its reason.
NOT_PERSONAL: dict[str, str] = {
    # names of places, organisations and things, in Vietnamese and English
    "core.Zone.name_vi": "a zone's name",
    "core.Zone.name_en": "a zone's name",
    "promotion.Prospect.project_name": "the name of the project an investor has in mind",
    # the board's public contact points (an office: its name, address, switchboard and mailbox)
    "investment.BoardContact.name_vi": "the name of one of the board's offices",
    "investment.BoardContact.name_en": "the name of one of the board's offices",
    "investment.BoardContact.address_vi": "an office's address",
    "investment.BoardContact.address_en": "an office's address",
    "investment.BoardContact.phone": "an office's switchboard, published by the board",
    "investment.BoardContact.email": "an office's mailbox, published by the board",
    "core.Agency.name_vi": "an agency's name",
    "core.Agency.name_en": "an agency's name",
    "core.CalendarDay.name": "a holiday's name",
    "investment.Project.name_vi": "a project's name",
    "investment.Project.name_en": "a project's name",
    "investment.Enterprise.name": "an enterprise is a legal person, not a natural one",
    "investment.Enterprise.name_folded": "an enterprise's name, folded for search",
    "investment.Enterprise.address": "an enterprise's registered office, not a person's home",
    "petitions.SavedFilter.name": "the name a person gives a saved filter",
    "procedures.Unit.name_vi": "a unit of the board's name",
    "procedures.Unit.name_en": "a unit of the board's name",
    "procedures.Procedure.name_vi": "an administrative procedure's name",
    "procedures.Procedure.name_en": "an administrative procedure's name",
    "procedures.DossierPart.name_vi": "the name of a document a dossier holds",
    "procedures.DossierPart.name_en": "the name of a document a dossier holds",
    "dialogue.ConferenceSeries.name_vi": "a series of conferences",
    "dialogue.ConferenceSeries.name_en": "a series of conferences",
    "planning.LandUse.name_vi": "a land use",
    "planning.LandUse.name_en": "a land use",
    "planning.FunctionalArea.name": "an area of a zone's plan",
    "roadmaps.Roadmap.owner_name": "the unit in charge (an agency or enterprise), not a person",
    "roadmaps.Milestone.responsible_name": "the unit responsible, not a person",
    "ecosystem.Condition.name_vi": "a condition of the ecosystem",
    "ecosystem.Condition.name_en": "a condition of the ecosystem",
    "ecosystem.Indicator.name_vi": "an indicator",
    "ecosystem.Indicator.name_en": "an indicator",
    "ecosystem.Actor.name_vi": "an institution of the ecosystem (fund, institute, school)",
    "ecosystem.Actor.name_en": "an institution of the ecosystem (fund, institute, school)",
    # names of files an officer imports (plans, spreadsheets, decisions): official documents
    "planning.PlanningDecision.document_name": "an official decision's file",
    "planning.PlanRevision.source_name": "the plan's source file, imported by an officer",
    "planning.ImportJob.original_name": "the plan's source file, imported by an officer",
    "sheets.SheetImport.original_name": "a spreadsheet imported by an officer",
}


def field_label(field: models.Field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def looks_personal(field: models.Field) -> bool:
    return isinstance(field, PERSONAL_TYPES) or bool(LOOKS_PERSONAL.search(field.name.lower()))


def project_fields() -> list[models.Field]:
    """Every concrete field declared by a model of ours (the zonedesk.* apps)."""
    out = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zonedesk."):
            continue
        for model in config.get_models():
            out += [f for f in model._meta.concrete_fields if f.model is model]
    return out


def unmarked_personal(fields: Iterable[models.Field]) -> list[str]:
    """The fields that look personal and are neither marked nor known not to be ("app.Model.field")."""
    return [
        field_label(f)
        for f in fields
        if looks_personal(f) and mark_of(f) is None and field_label(f) not in NOT_PERSONAL
    ]

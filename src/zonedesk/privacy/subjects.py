"""The people whose data a table holds, in a period: to tell them of a breach (docs/SECURITY.md,
Law 91/2025/QH15). Read through the marks (privacy/marks.py): any model with a field marked
personal can be listed, with no code of its own here.

A marked field is read as a person's name, e-mail or phone by its kind: an `EmailField` is an
e-mail, a field whose name says phone (phone, mobile, tel) a phone, one whose name says name a
name (several are joined: first and last name); the other marked fields are named in "data held".
People are the same person when they share an e-mail (case aside), else a phone (digits only),
else a name (accents and case aside): one line each, with the records concerned.

The period reads the table's own date: its `get_latest_by`, else the first date of its ordering,
else a field set when the row is created. Each listing is written to the audit trail: who listed
which table and period, and how many people (never who).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.exports import Column
from zonedesk.core.text import fold
from zonedesk.privacy.marks import marked_fields
from zonedesk.privacy.retention import ERASED_NAME

PHONE = re.compile(r"phone|mobile|(^|_)tel($|_)")
MAX_RECORDS_SHOWN = 50  # per person: the references of more are counted


class SubjectsError(Exception):
    """The table or period cannot be listed."""


def marked_models() -> list[tuple[str, str]]:
    """("app_label.Model", its name) of every model with a marked field, in order."""
    seen: dict[str, str] = {}
    for model, _f, _m in marked_fields():
        seen.setdefault(model._meta.label, str(model._meta.verbose_name_plural).capitalize())
    return sorted(seen.items())


def date_field(model: type[models.Model]) -> models.Field | None:
    """The field that dates a row of `model`, for the period."""
    opts = model._meta
    names = [opts.get_latest_by] if isinstance(opts.get_latest_by, str) else []
    names += [o.lstrip("-") for o in opts.ordering if isinstance(o, str)]
    for name in names:
        try:
            f = opts.get_field(name)
        except FieldDoesNotExist:  # a lookup across a relation
            continue
        if isinstance(f, models.DateField):
            return f
    for f in opts.concrete_fields:
        if isinstance(f, models.DateField) and (getattr(f, "auto_now_add", False) or f.name == "date_joined"):
            return f
    return None


@dataclass
class Person:
    name: str = ""
    email: str = ""
    phone: str = ""
    records: list[str] = field(default_factory=list)
    count: int = 0
    held: set[str] = field(default_factory=set)

    def row(self) -> Person:
        return self


COLUMNS = [
    Column(gettext_lazy("Name"), lambda p: p.name, "name"),
    Column(gettext_lazy("E-mail"), lambda p: p.email, "email"),
    Column(gettext_lazy("Phone"), lambda p: p.phone, "phone"),
    Column(gettext_lazy("Records"), lambda p: p.count, "records"),
    Column(gettext_lazy("References"), lambda p: " ".join(p.records), "references"),
    Column(gettext_lazy("Data held"), lambda p: ", ".join(sorted(p.held)), "data_held"),
]


def _role(f: models.Field) -> str:
    if isinstance(f, models.EmailField):
        return "email"
    if PHONE.search(f.name):
        return "phone"
    if "name" in f.name:
        return "name"
    return "other"


def _reference(obj: models.Model) -> str:
    return str(getattr(obj, "reference", "") or f"#{obj.pk}")


def subjects_list(
    *, model: str, since: dt.date | None = None, until: dt.date | None = None, by: Any = None, via: str = "page"
) -> list[Person]:
    """Every person whose data `model` ("app_label.Model") holds in rows dated from `since` to
    `until` (inclusive), deduplicated, with their contacts and records. Audited."""
    try:
        cls = apps.get_model(model)
    except (LookupError, ValueError) as exc:
        raise SubjectsError(_("Unknown table: %(model)s.") % {"model": model}) from exc
    fields = [(f, m) for mdl, f, m in marked_fields() if mdl is cls]
    if not fields:
        raise SubjectsError(_("%(model)s holds no field marked as personal data.") % {"model": model})
    rows = cls._default_manager.all()
    dated = date_field(cls)
    if since or until:
        if dated is None:
            raise SubjectsError(_("%(model)s has no date to choose a period by: list it whole.") % {"model": model})
        lookup = f"{dated.name}__date" if isinstance(dated, models.DateTimeField) else dated.name
        if since:
            rows = rows.filter(**{f"{lookup}__gte": since})
        if until:
            rows = rows.filter(**{f"{lookup}__lte": until})
    roles = {f.name: _role(f) for f, _m in fields}
    people: dict[str, Person] = {}
    extra = ["reference"] if any(f.name == "reference" for f in cls._meta.concrete_fields) else []
    for obj in rows.only("pk", *extra, *roles).order_by("pk").iterator(2000):
        values = {name: (getattr(obj, name) or "") for name in roles}
        name = " ".join(
            str(v).strip() for n, v in values.items() if roles[n] == "name" and str(v).strip() not in ("", ERASED_NAME)
        )
        email = next((str(v).strip() for n, v in values.items() if roles[n] == "email" and str(v).strip()), "")
        phone = next((str(v).strip() for n, v in values.items() if roles[n] == "phone" and str(v).strip()), "")
        if not (name or email or phone):
            continue  # nothing of a person left (erased, expired)
        digits = re.sub(r"\D", "", phone)
        key = f"e:{email.casefold()}" if email else (f"p:{digits}" if digits else f"n:{fold(name)}")
        person = people.setdefault(key, Person(name=name, email=email, phone=phone))
        person.name, person.phone = person.name or name, person.phone or phone
        person.count += 1
        if len(person.records) < MAX_RECORDS_SHOWN:
            person.records.append(_reference(obj))
        person.held |= {str(cls._meta.get_field(n).verbose_name) for n, v in values.items() if v}
    found = sorted(people.values(), key=lambda p: (fold(p.name), p.email, p.phone))
    _audit(cls, since, until, len(found), sum(p.count for p in found), by, via)
    return found


def _audit(cls, since, until, people: int, records: int, by: Any, via: str) -> None:
    """One entry: who listed which table and period, how many people and records; no value."""
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    period = f"{since.isoformat() if since else '…'} – {until.isoformat() if until else '…'}"
    actor = by if getattr(by, "pk", None) else None
    with transaction.atomic():
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(cls),
            object_pk="",
            object_id=None,
            object_repr=(
                _("The people whose data %(records)s hold (%(period)s) were listed: %(n)s")
                % {"records": cls._meta.verbose_name_plural, "period": period, "n": people}
            )[:2000],
            action=LogEntry.Action.ACCESS,
            changes={"listed": [None, cls._meta.label], "period": [None, period], "people": [None, people]},
            actor=actor,
            actor_email=getattr(actor, "email", None),
            cid=get_cid(),
            additional_data={
                "privacy_subjects": cls._meta.label,
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "people": people,
                "records": records,
                "via": via,
            },
        )

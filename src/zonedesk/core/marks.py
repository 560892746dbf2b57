"""Personal data marked where it is declared (Law 91/2025/QH15 on personal data protection,
Decree 356/2025/NĐ-CP): a model field that holds data about a person is wrapped in `personal()`,
which says whose data it is, whether it is basic or sensitive, why it is kept and which retention
rule ends it. The register of processing (`privacy.register`), the audit trail's masking and the
erasure of a person's data are read from these marks, never from a second list. They live in core
so that core's own models (User) mark their fields; `zonedesk.privacy.marks` re-exports them.

    petitioner_email = personal(
        models.EmailField(_("e-mail"), blank=True),
        subject=Subject.PETITIONER, purpose=_("to answer the petition"), retention="petitioner_contacts",
    )

The mark is an attribute of the field object only: it is not part of the field's `deconstruct()`,
so it never makes a migration.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

F = TypeVar("F", bound=models.Field)


class Kind(models.TextChoices):
    """The law's two kinds: basic personal data, and sensitive (health, finances, location…)."""

    BASIC = "basic", _("Basic")
    SENSITIVE = "sensitive", _("Sensitive")


class Subject(models.TextChoices):
    """Whose data: a person with no account, or one with an account."""

    PETITIONER = "petitioner", _("Public petitioner (no account)")
    USER = "user", _("Person with an account (enterprise, officer)")
    CONTACT = "contact", _("Contact person of an enterprise or investor")
    INVESTOR = "investor", _("Investor who is an individual")
    OFFICIAL = "official", _("Official named in a record (chair, speaker)")
    VISITOR = "visitor", _("Anyone who uses the site (their address)")


@dataclass(frozen=True)
class Mark:
    subject: str
    purpose: Any  # a lazy translatable text
    kind: str = Kind.BASIC
    retention: str = ""  # the code of the retention rule that ends it ("" : kept as the law on archives asks)
    note: Any = ""  # how long it is kept when no rule ends it (a lazy translatable text), or a caveat


def personal(field: F, *, subject: str, purpose: Any, kind: str = Kind.BASIC, retention: str = "", note: Any = "") -> F:
    """Mark `field` as holding personal data; returns the field, so it wraps a declaration."""
    field.personal = Mark(subject=subject, purpose=purpose, kind=kind, retention=retention, note=note)  # type: ignore[attr-defined]
    return field


def mark_of(field: Any) -> Mark | None:
    return getattr(field, "personal", None)


def marked_fields() -> Iterator[tuple[type[models.Model], Any, Mark]]:
    """Every field of every installed model that is marked personal, app by app."""
    for model in apps.get_models(include_auto_created=False):
        for field in model._meta.get_fields(include_parents=True):
            mark = mark_of(field)
            if mark is not None and getattr(field, "model", model) is model:
                yield model, field, mark

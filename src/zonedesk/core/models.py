"""Core reference data: zones, agencies, users and their roles, rules and the calendar."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return bilingual(self.name_vi, self.name_en)

    def __str__(self) -> str:
        return self.name


def bilingual(name_vi: str, name_en: str) -> str:
    """The name in the active language: English when asked for and given, else Vietnamese."""
    if (get_language() or "vi").startswith("en") and name_en:
        return name_en
    return name_vi


class Zone(BilingualName):
    class Kind(models.TextChoices):
        HITECH = "hitech", _("Hi-tech park")
        INDUSTRIAL = "industrial", _("Industrial zone")

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.CharField(_("province"), max_length=100)
    area_ha = models.DecimalField(_("area (ha)"), max_digits=10, decimal_places=2)
    leasable_area_ha = models.DecimalField(
        _("land for investment projects (ha)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Basis of the land registration rate."),
    )
    description = models.TextField(_("description"), blank=True)
    is_synthetic = models.BooleanField(_("synthetic (demo) data"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")


class Agency(BilingualName):
    class Kind(models.TextChoices):
        BOARD = "board", _("Management board")
        TAX = "tax", _("Tax")
        CUSTOMS = "customs", _("Customs")
        PLANNING = "planning", _("Planning and architecture")
        CONSTRUCTION = "construction", _("Construction")
        COMMUNE = "commune", _("Commune or district")
        POLICE = "police", _("Police")
        LABOUR = "labour", _("Labour and home affairs")
        ENVIRONMENT = "environment", _("Agriculture and environment")
        UTILITY = "utility", _("Utility (power, water, telecom)")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    zones = models.ManyToManyField(Zone, blank=True, related_name="agencies", verbose_name=_("zones"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise user")
    AGENCY = "agency", _("Agency officer")
    BOARD = "board", _("Board officer")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person who logs in. The public is anonymous and has no row here."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ENTERPRISE)
    enterprise = models.ForeignKey(
        "investment.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("enterprise"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("agency"),
    )
    is_demo = models.BooleanField(
        _("demo account"), default=False, help_text=_("Can log in only while demo mode is on.")
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_enterprise_iff_enterprise_role",
                condition=(Q(role="enterprise", enterprise__isnull=False) | ~Q(role="enterprise"))
                & (Q(enterprise__isnull=True) | Q(role="enterprise")),
            ),
            models.CheckConstraint(
                name="user_agency_iff_agency_role",
                condition=(Q(role="agency", agency__isnull=False) | ~Q(role="agency"))
                & (Q(agency__isnull=True) | Q(role="agency")),
            ),
        ]


class Rule(models.Model):
    """A rule that law or the board may change, with the date it takes effect.

    The rule in force on a date is the row with the latest `effective_from` on or before it;
    the defaults and their legal basis live in `zonedesk.core.rules.DEFAULTS`.
    """

    key = models.CharField(_("key"), max_length=100)
    value = models.JSONField(_("value"))
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["key", "-effective_from"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="rule_unique_key_date")]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.effective_from})"


class CalendarDay(models.Model):
    """A day the board marks off the ordinary calendar: a swapped working Saturday, an extra day off."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Counter(models.Model):
    """A named sequence (reference numbers such as PAKN-2026-000123), incremented under a row lock."""

    key = models.CharField(max_length=100, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class WorkerBeat(models.Model):
    """A running `zonedesk worker`: where it runs and its last sign of life. A task claimed by a
    worker that is gone (its process ended on this machine, or no beat for a while from another)
    is run again once (`core.workers.recover_abandoned`)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    process_start = models.CharField(max_length=32, blank=True)  # the process's start in the kernel's clock ticks
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id


class AuditRange(models.Model):
    """Records created by one import, recorded by one entry of the audit trail: ids `first_id` to
    `last_id` of one model (`core.audit.log_bulk_created`). One record's history finds its
    creation here (`core.audit.entries`): who imported it, when, through which import."""

    entry = models.ForeignKey("auditlog.LogEntry", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["content_type", "first_id"], name="core_auditrange_type_first")]

    def __str__(self) -> str:
        return f"{self.content_type_id}: {self.first_id}–{self.last_id}"

"""Core reference data: zones, agencies, users and their roles, rules and the calendar."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zonedesk.core.marks import Subject, personal


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
    """A person who logs in. The public is anonymous and has no row here.

    The name, e-mail address and username are Django's own declarations (`AbstractUser`), marked
    as personal data right after this class (the register, the audit trail's masking): declared
    again here, they would move to the end of the table's columns, which the bulk writers of the
    scale generator and the backups read in order."""

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


# Django's declarations of a person's names, username and e-mail (AbstractUser), marked in place
for _name, _purpose in (
    ("username", _("to identify the person who logs in (it is often their name or e-mail address)")),
    ("first_name", _("to name the person in what they write and in the messages they receive")),
    ("last_name", _("to name the person in what they write and in the messages they receive")),
    ("email", _("to send the person notifications and let them recover their access")),
):
    personal(
        User._meta.get_field(_name), subject=Subject.USER, purpose=_purpose, note=_("kept while the account exists")
    )


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


class RateCount(models.Model):
    """A count of the rate limits (`core.throttle`) where no cache server is configured: one row
    per limit and caller, counted with one atomic statement, so that every process of the server
    (gunicorn's workers) and every thread share it. Rows past `expires` count as zero; the
    worker's periodic work deletes them."""

    key = personal(
        models.CharField(max_length=200, primary_key=True),
        subject=Subject.VISITOR,
        purpose=_(
            "to limit repeated attempts (login lock-out, rate limits): a key holds the address of the caller and the login name tried"
        ),
        retention="login_records",
        note=_("deleted when its counting window ends (at most a day)"),
    )
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class IdempotentRequest(models.Model):
    """A write sent with an idempotency key (the API's `Idempotency-Key` header, a page form's
    hidden submission token) and the answer it got, kept `IDEMPOTENCY_SECONDS` (24 h): the same
    key sent again by the same person gets the same answer, and the write is done once
    (`core.idempotency`)."""

    owner = models.CharField(max_length=64)  # "user:<id>" or "address:<ip>"
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the method, path and body
    status = models.PositiveSmallIntegerField()
    answer_kept = models.BooleanField(default=False)  # False: done, its answer too large or streamed to keep
    content_type = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    body = models.BinaryField(blank=True)
    # the session the first request saved (a visitor's first session): given again with the answer,
    # so that a visitor whose first answer was lost reaches what it saved (the thanks page)
    session_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotent_request_once")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"


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


class RecoveryCode(models.Model):
    """One recovery code of a person's two-step login: it stands in once for the authenticator's
    code (a lost or dead phone). Only a slow salted hash of it is kept (`core.twofactor`), never
    the code; it belongs to the authenticator, so removing that (the admin, for a lost phone, or
    the person turning two-step login off) removes its codes with it."""

    device = models.ForeignKey(
        "otp_totp.TOTPDevice",
        on_delete=models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("authenticator"),
    )
    code_hash = models.CharField(_("hash of the code"), max_length=200)
    created_at = models.DateTimeField(_("made at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:  # the audit trail's name for it: nothing of the code
        return f"{self._meta.verbose_name} #{self.pk}"


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

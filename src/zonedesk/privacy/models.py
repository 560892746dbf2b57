"""Personal data: the privacy notice (versioned text the board edits), the consent a person
gives to a version of it, and the retention rules (data the board edits, applied by the worker).

Models that take personal data from someone with no account inherit `ConsentFields`: the notice
version the person agreed to, when, and when they withdrew it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PrivacyNotice(models.Model):
    """One version of the privacy notice. A change is a new version (`services.notice_publish`):
    a consent keeps the version it was given to."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    summary_vi = models.TextField(_("short notice (Vietnamese)"))
    summary_en = models.TextField(_("short notice (English)"))
    text_vi = models.TextField(_("full notice (Vietnamese)"))
    text_en = models.TextField(_("full notice (English)"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return str(_("Privacy notice, version %(n)s") % {"n": self.version})

    @property
    def summary(self) -> str:
        return self.summary_en if (get_language() or "vi").startswith("en") else self.summary_vi

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "vi").startswith("en") else self.text_vi


class ConsentFields(models.Model):
    """The consent of a person with no account, on the record that holds their data."""

    consent_notice = models.ForeignKey(
        PrivacyNotice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("privacy notice agreed to"),
    )
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    # the key of the person's private link (`rights_services.link_issue`): a new link, or the
    # erasure, changes it, and every link signed with the old one dies (not in the audit trail)
    rights_link_key = models.CharField(max_length=32, blank=True, default="", editable=False)

    class Meta:
        abstract = True


class RetentionRule(models.Model):
    """How long one kind of personal data is kept (`retention.KINDS` says what each kind is and
    from when it counts); the board edits the months, the worker applies them."""

    kind = models.CharField(_("kind of data"), max_length=50, unique=True)
    months = models.PositiveIntegerField(_("kept for (months)"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.kind}: {self.months}"


class RetentionRun(models.Model):
    """One application of the retention rules (`retention_services.retention_run`): the day it
    applied them for, who asked (none: the worker's daily run) and how many records of each kind
    it cleared, never which values. The worker runs them once a day: a day with a run is done."""

    day = models.DateField(_("day"), db_index=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cleared = models.JSONField(_("records cleared, by kind"), default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.day}: {sum(self.cleared.values())}"

"""Dialogue conferences: a yearly series of themed conferences between the city and enterprises.

Petitions are tabled for a conference before or during its session; answers given on the spot
are recorded on the tabling; afterwards each tabled petition is followed through its own
lifecycle (`zonedesk.petitions`), which this app never changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zonedesk.core.models import Agency, BilingualName, Zone
from zonedesk.core.permissions import Actor, RestrictedQuerySet
from zonedesk.privacy.marks import Subject, personal


class ConferenceSeries(BilingualName):
    """A yearly series of themed dialogue conferences (for example six in 2024)."""

    year = models.PositiveSmallIntegerField(_("year"))
    planned_count = models.PositiveSmallIntegerField(_("conferences planned"))

    class Meta:
        ordering = ["-year", "name_vi"]
        verbose_name = _("conference series")
        verbose_name_plural = _("conference series")
        constraints = [
            models.UniqueConstraint(fields=["name_vi", "year"], name="conference_series_unique_name_year"),
            models.CheckConstraint(
                name="conference_series_planned_1_100", condition=Q(planned_count__gte=1, planned_count__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ConferenceQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> ConferenceQuerySet:
        """view: the board side sees every conference, everyone else the public ones.
        change: board officers and admins."""
        if action == "view":
            return self.all() if actor.is_board_side else self.filter(public=True)
        if action == "change" and actor.role in {"board", "admin"}:
            return self.all()
        return self.none()


class Conference(models.Model):
    series = models.ForeignKey(
        ConferenceSeries, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("series")
    )
    sequence = models.PositiveSmallIntegerField(_("number in the series"))
    theme_vi = models.CharField(_("theme (Vietnamese)"), max_length=300)
    theme_en = models.CharField(_("theme (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    zones = models.ManyToManyField(Zone, blank=True, related_name="conferences", verbose_name=_("zones"))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300)
    chair = personal(
        models.CharField(_("chair"), max_length=300, help_text=_("Name and title.")),
        subject=Subject.OFFICIAL,
        purpose=_("to record who chaired the conference (a public record)"),
        note=_("kept with the conference's record, as the law on archives asks"),
    )
    enterprises = models.ManyToManyField(
        "investment.Enterprise", blank=True, related_name="conferences", verbose_name=_("participating enterprises")
    )
    head_count = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNED
    )
    public = models.BooleanField(_("on the public calendar"), default=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("dialogue conference")
        verbose_name_plural = _("dialogue conferences")
        constraints = [
            models.UniqueConstraint(fields=["series", "sequence"], name="conference_unique_sequence"),
            models.CheckConstraint(name="conference_sequence_positive", condition=Q(sequence__gte=1)),
            models.CheckConstraint(name="conference_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.theme}"

    def get_absolute_url(self) -> str:
        return reverse("conference_detail", args=[self.pk])

    @property
    def label(self) -> str:
        """The number in the series: "2/6"."""
        return f"{self.sequence}/{self.series.planned_count}"

    @property
    def theme(self) -> str:
        if (get_language() or "vi").startswith("en") and self.theme_en:
            return self.theme_en
        return self.theme_vi

    @property
    def is_cancelled(self) -> bool:
        return self.status == ConferenceStatus.CANCELLED


class Tabling(models.Model):
    """A petition tabled for a conference, and the answer given on the spot, if any."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="tablings")
    petition = models.ForeignKey(
        "petitions.Petition", on_delete=models.PROTECT, related_name="tablings", verbose_name=_("petition")
    )
    tabled_at = models.DateTimeField(_("tabled at"))
    during_session = models.BooleanField(_("raised during the session"), default=False)
    tabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    spot_answer = models.TextField(_("answer given on the spot"), blank=True)
    spot_answered_by = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spot_answers",
        verbose_name=_("agency that answered on the spot"),
    )
    spot_speaker = personal(
        models.CharField(_("answered by (name and title)"), max_length=300, blank=True),
        subject=Subject.OFFICIAL,
        purpose=_("to record who answered a petition at the conference"),
        note=_("kept with the conference's record, as the law on archives asks"),
    )
    spot_recorded_at = models.DateTimeField(_("answer recorded at"), null=True, blank=True)
    spot_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(
        default=1, db_default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )

    class Meta:
        ordering = ["conference", "tabled_at", "id"]
        verbose_name = _("tabled petition")
        verbose_name_plural = _("tabled petitions")
        constraints = [
            models.UniqueConstraint(fields=["conference", "petition"], name="tabling_unique_petition"),
            models.CheckConstraint(
                name="tabling_spot_answer_has_agency",
                condition=Q(spot_answer="") | Q(spot_answered_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference_id} {self.petition_id}"

    def get_absolute_url(self) -> str:
        return reverse("conference_detail", args=[self.conference_id])

    @property
    def answered_on_the_spot(self) -> bool:
        return bool(self.spot_answer)

"""Roadmaps: site clearance, enterprises' development roadmaps and city or board tasks.

A roadmap belongs to a zone and an owner and is made of milestones with planned and actual
dates, progress and dependencies; a milestone's status is derived (`status.milestone_status`),
never stored. A site-clearance roadmap (of a commune, say) has its packages as milestones: each
package adds its figures (parcels, area, households, compensation, resettlement) and the history
of its progress, from which the charts are drawn.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zonedesk.core.models import Agency, Zone
from zonedesk.core.permissions import Actor, RestrictedQuerySet


class RoadmapKind(models.TextChoices):
    CLEARANCE = "clearance", _("Site clearance")
    ENTERPRISE = "enterprise", _("Enterprise development roadmap")
    TASK = "task", _("City or board task")


class OwnerKind(models.TextChoices):
    BOARD = "board", _("Management board")
    AGENCY = "agency", _("Agency")
    COMMUNE = "commune", _("Commune")
    ENTERPRISE = "enterprise", _("Enterprise")
    COMMITTEE = "committee", _("Steering committee")


class RoadmapQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> RoadmapQuerySet:
        """view: the board side sees every roadmap; an enterprise the public ones and its own;
        an agency the public ones, its own and those with a milestone it answers for (an
        enterprise too: those with a milestone it answers for); the
        public the public ones. change: board officers and admins every roadmap, an enterprise
        its own development roadmaps, an agency or commune the roadmaps it owns."""
        if action == "view":
            if actor.is_board_side:
                return self.all()
            shown = Q(public=True)
            if actor.enterprise_id:
                shown |= Q(owner_enterprise_id=actor.enterprise_id) | Q(
                    milestones__responsible_enterprise_id=actor.enterprise_id
                )
            if actor.agency_id:
                shown |= Q(owner_agency_id=actor.agency_id) | Q(milestones__responsible_agency_id=actor.agency_id)
            return self.filter(pk__in=self.model.objects.filter(shown).values("pk"))
        if action == "change":
            if actor.role in {"board", "admin"}:
                return self.all()
            if actor.role == "enterprise" and actor.enterprise_id:
                return self.filter(kind=RoadmapKind.ENTERPRISE, owner_enterprise_id=actor.enterprise_id)
            if actor.role == "agency" and actor.agency_id:  # a commune keeps its site clearance
                return self.filter(owner_agency_id=actor.agency_id)
        return self.none()


class Roadmap(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="roadmaps", verbose_name=_("zone"))
    kind = models.CharField(_("kind"), max_length=20, choices=RoadmapKind.choices)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    owner_kind = models.CharField(_("owner"), max_length=20, choices=OwnerKind.choices)
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="roadmaps", verbose_name=_("agency")
    )
    owner_enterprise = models.ForeignKey(
        "investment.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name=_("enterprise"),
    )
    owner_name = models.CharField(
        _("owner's name"), max_length=300, blank=True, help_text=_("A steering committee's name, for example.")
    )
    project = models.ForeignKey(
        "investment.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name=_("project"),
    )
    key_task = models.BooleanField(_("key local task"), default=False)
    public = models.BooleanField(_("public"), default=True)
    is_synthetic = models.BooleanField(_("synthetic (demo) data"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "kind", "title_vi", "id"]
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        constraints = [
            models.CheckConstraint(
                name="roadmap_enterprise_owner",
                condition=(Q(owner_kind="enterprise") & Q(owner_enterprise__isnull=False))
                | (~Q(owner_kind="enterprise") & Q(owner_enterprise__isnull=True)),
            ),
            models.CheckConstraint(
                name="roadmap_agency_owner",
                condition=(Q(owner_kind__in=["agency", "commune"]) & Q(owner_agency__isnull=False))
                | (~Q(owner_kind__in=["agency", "commune"]) & Q(owner_agency__isnull=True)),
            ),
            models.UniqueConstraint(fields=["project"], condition=Q(kind="enterprise"), name="roadmap_one_per_project"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmap_detail", args=[self.pk])

    @property
    def title(self) -> str:
        if (get_language() or "vi").startswith("en") and self.title_en:
            return self.title_en
        return self.title_vi

    @property
    def owner(self) -> str:
        """Who owns it, as people read it."""
        if self.owner_enterprise_id:
            return self.owner_enterprise.name
        if self.owner_agency_id:
            return self.owner_agency.name
        return self.owner_name or self.get_owner_kind_display()


class Milestone(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    responsible_name = models.CharField(_("responsible party"), max_length=300)
    responsible_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("responsible agency"),
        help_text=_("Its officers are told when the milestone is late."),
    )
    responsible_enterprise = models.ForeignKey(
        "investment.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("responsible enterprise"),
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    progress_pct = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents", verbose_name=_("depends on")
    )
    condition = models.ForeignKey(
        "ecosystem.Condition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("condition of the ecosystem it acts on"),
    )
    schedule_milestone = models.ForeignKey(
        "investment.ScheduleMilestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_milestones",
        verbose_name=_("milestone of the investment certificate"),
    )
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["roadmap", "position", "planned_start", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(name="milestone_planned_order", condition=Q(planned_end__gte=F("planned_start"))),
            models.CheckConstraint(
                name="milestone_actual_order",
                condition=Q(actual_end__isnull=True) | Q(actual_start__isnull=False, actual_end__gte=F("actual_start")),
            ),
            models.CheckConstraint(name="milestone_progress_0_100", condition=Q(progress_pct__lte=100)),
            models.CheckConstraint(
                name="milestone_done_is_100", condition=Q(actual_end__isnull=True) | Q(progress_pct=100)
            ),
        ]
        indexes = [models.Index(fields=["actual_end", "planned_end"], name="milestone_open_by_end")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmap_detail", args=[self.roadmap_id])


class ClearancePackage(models.Model):
    """The figures of a site-clearance package; its dates, progress and status are its milestone's."""

    milestone = models.OneToOneField(Milestone, on_delete=models.CASCADE, related_name="package")
    code = models.CharField(_("package code"), max_length=40)
    parcels = models.ManyToManyField(
        "planning.Parcel", blank=True, related_name="clearance_packages", verbose_name=_("land parcels")
    )
    area_to_clear_m2 = models.DecimalField(_("area to clear (m²)"), max_digits=14, decimal_places=1)
    area_handed_over_m2 = models.DecimalField(_("area handed over (m²)"), max_digits=14, decimal_places=1, default=0)
    households_affected = models.PositiveIntegerField(_("households affected"))
    households_agreed = models.PositiveIntegerField(_("households that agreed"), default=0)
    compensation_approved_vnd = models.BigIntegerField(_("compensation approved (VND)"), default=0)
    compensation_paid_vnd = models.BigIntegerField(_("compensation paid (VND)"), default=0)
    resettlement_households = models.PositiveIntegerField(_("households to resettle"), default=0)
    resettlement_note = models.TextField(_("resettlement needs"), blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("site-clearance package")
        verbose_name_plural = _("site-clearance packages")
        constraints = [
            models.CheckConstraint(name="package_area_positive", condition=Q(area_to_clear_m2__gt=0)),
            models.CheckConstraint(
                name="package_area_handed_0_to_clear",
                condition=Q(area_handed_over_m2__gte=0, area_handed_over_m2__lte=F("area_to_clear_m2")),
            ),
            models.CheckConstraint(
                name="package_agreed_le_affected", condition=Q(households_agreed__lte=F("households_affected"))
            ),
            models.CheckConstraint(
                name="package_resettle_le_affected",
                condition=Q(resettlement_households__lte=F("households_affected")),
            ),
            models.CheckConstraint(
                name="package_compensation",
                condition=Q(compensation_approved_vnd__gte=0, compensation_paid_vnd__gte=0)
                & Q(compensation_paid_vnd__lte=F("compensation_approved_vnd")),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("roadmap_detail", args=[self.milestone.roadmap_id])


class ClearanceProgress(models.Model):
    """The state of a package as recorded on a day (the figures so far, not the day's increment)."""

    package = models.ForeignKey(ClearancePackage, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField(_("date"))
    area_handed_over_m2 = models.DecimalField(_("area handed over (m²)"), max_digits=14, decimal_places=1)
    households_agreed = models.PositiveIntegerField(_("households that agreed"))
    compensation_paid_vnd = models.BigIntegerField(_("compensation paid (VND)"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["package", "on", "id"]
        verbose_name = _("site-clearance progress")
        verbose_name_plural = _("site-clearance progress")

    def __str__(self) -> str:
        return f"{self.package_id} {self.on}"


class RoadmapReview(models.Model):
    """An owner's yearly review of its roadmap (the board sees who has reviewed theirs)."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    note = models.TextField(_("what changed"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["roadmap", "-reviewed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "reviewed_on"], name="roadmap_review_one_a_day")]
        verbose_name = _("roadmap review")
        verbose_name_plural = _("roadmap reviews")

    def __str__(self) -> str:
        return f"{self.roadmap_id} {self.reviewed_on}"

    def get_absolute_url(self) -> str:
        return reverse("roadmap_detail", args=[self.roadmap_id])

"""The zoning plan: land uses, planning decisions, revisions, and the features of each layer.

Every import makes a new `PlanRevision` of one layer of one zone (its boundary, its functional
areas or its parcels) with an effective date; the features belong to their revision and are
never changed in place. The current revision of a layer is the newest one in force
(`selectors.current_revision`); that is what the public sees. Two revisions of a layer are
compared by feature code (`selectors.revision_diff`).

Geometry is GeoJSON text in WGS 84 (longitude, latitude) with its bounding box in indexed
columns for `bbox` filters; areas are computed from the geometry (`geometry.area_m2`), never
taken from input.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonedesk.core.jobs import Job
from zonedesk.core.models import BilingualName, Zone
from zonedesk.core.permissions import Actor, RestrictedQuerySet


class LandUse(BilingualName):
    """A land-use category of the plan (reference data the board keeps): parcels and functional
    areas carry one; an import refuses codes that are not here."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    color = models.CharField(_("map colour"), max_length=7, default="#9e9e9e", help_text=_("#RRGGBB"))
    leasable = models.BooleanField(
        _("land for investment projects"),
        default=False,
        help_text=_("Parcels of this use count in the land registration rate."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("land use")
        verbose_name_plural = _("land uses")
        constraints = [
            models.CheckConstraint(name="land_use_color_hex", condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"))
        ]


def _decision_path(instance: PlanningDecision, filename: str) -> str:
    # The stored name never comes from the user: no path tricks, no overwrites. The content was
    # checked to be a PDF (`services.check_decision_document`) before it gets here.
    import uuid

    return f"planning/decisions/{uuid.uuid4().hex}.pdf"


class PlanningDecisionQuerySet(models.QuerySet):
    def with_revisions(self, user: Any) -> PlanningDecisionQuerySet:
        """The decisions with their zone and, as `shown_revisions`, the revisions made under each
        that this person may see (`PlanRevision.objects.restrict`), in two queries."""
        return self.select_related("zone").prefetch_related(
            models.Prefetch(
                "revisions",
                queryset=PlanRevision.objects.restrict(user).order_by("layer", "number"),
                to_attr="shown_revisions",
            )
        )


class PlanningDecision(models.Model):
    """The legal act behind a revision: number, date, authority and the document itself (a PDF
    checked by its content, stored under a random name; `document_name` is the sender's file
    name, cleaned, for display and downloads). Decisions are public legal acts."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="planning_decisions", verbose_name=_("zone"))
    number = models.CharField(_("number"), max_length=60)
    date = models.DateField(_("date"))
    authority = models.CharField(_("authority"), max_length=255)
    authority_en = models.CharField(_("authority (English)"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    document = models.FileField(_("document"), upload_to=_decision_path, max_length=255, blank=True)
    document_name = models.CharField(_("document file name"), max_length=255, blank=True)
    version = models.PositiveIntegerField(
        default=1, db_default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanningDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "number"]
        verbose_name = _("planning decision")
        verbose_name_plural = _("planning decisions")
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="planning_decision_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("plan_decision", args=[self.pk])


class Layer(models.TextChoices):
    BOUNDARY = "boundary", _("Zone boundary")
    AREAS = "areas", _("Functional areas")
    PARCELS = "parcels", _("Land parcels")


class PlanRevisionQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> PlanRevisionQuerySet:
        """The board side sees every revision; everyone else those in force or past (a revision
        not yet in force is the board's until its day)."""
        if actor.is_board_side:
            return self.all()
        return self.filter(effective_date__lte=timezone.localdate())


class PlanRevision(models.Model):
    """One import of one layer of a zone: a complete, immutable set of features."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="plan_revisions", verbose_name=_("zone"))
    layer = models.CharField(_("layer"), max_length=20, choices=Layer.choices)
    number = models.PositiveIntegerField(_("revision"))
    effective_date = models.DateField(_("in force from"))
    decision = models.ForeignKey(
        PlanningDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("planning decision"),
    )
    note = models.TextField(_("note"), blank=True)
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    source_format = models.CharField(_("source format"), max_length=40, blank=True)
    source_crs = models.CharField(_("source coordinate system"), max_length=80, blank=True)
    repairs = models.JSONField(_("repairs accepted at import"), default=list, blank=True)
    feature_count = models.PositiveIntegerField(_("features"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "layer", "-number"]
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        constraints = [models.UniqueConstraint(fields=["zone", "layer", "number"], name="plan_revision_unique_number")]
        indexes = [models.Index(fields=["zone", "layer", "effective_date"])]

    def __str__(self) -> str:
        return f"{self.zone.code} {self.get_layer_display()} #{self.number} ({self.effective_date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("plan_revision", args=[self.pk])


class Geo(models.Model):
    """GeoJSON geometry in WGS 84 with its bounding box (indexed) and its computed area."""

    geometry = models.TextField(_("geometry (GeoJSON, WGS 84)"))
    minx = models.FloatField()
    miny = models.FloatField()
    maxx = models.FloatField()
    maxy = models.FloatField()
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=14, decimal_places=1)

    class Meta:
        abstract = True

    @property
    def geojson(self) -> dict[str, Any]:
        return json.loads(self.geometry)

    @property
    def area_ha(self):
        return self.area_m2 / 10_000


def _bbox_index(name: str) -> models.Index:
    return models.Index(fields=["revision", "minx", "maxx", "miny", "maxy"], name=name)


class ZoneBoundary(Geo):
    revision = models.ForeignKey(PlanRevision, on_delete=models.CASCADE, related_name="boundaries")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("zone boundary")
        verbose_name_plural = _("zone boundaries")
        constraints = [models.UniqueConstraint(fields=["revision"], name="zone_boundary_one_per_revision")]

    def __str__(self) -> str:
        return f"{self.zone.code} #{self.revision_id}"


class FunctionalArea(Geo):
    revision = models.ForeignKey(PlanRevision, on_delete=models.CASCADE, related_name="areas")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255, blank=True)
    land_use = models.ForeignKey(LandUse, on_delete=models.PROTECT, related_name="+", verbose_name=_("function"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("functional area")
        verbose_name_plural = _("functional areas")
        constraints = [models.UniqueConstraint(fields=["revision", "code"], name="functional_area_unique_code")]
        indexes = [_bbox_index("area_bbox")]

    def __str__(self) -> str:
        return self.code


class Occupancy(models.TextChoices):
    VACANT = "vacant", _("Vacant")
    RESERVED = "reserved", _("Reserved")
    LEASED = "leased", _("Leased")
    CLEARANCE = "clearance", _("Under site clearance")
    PUBLIC = "public", _("Public use")


INFRASTRUCTURE = ("power", "water", "drainage", "telecom")


class Parcel(Geo):
    revision = models.ForeignKey(PlanRevision, on_delete=models.CASCADE, related_name="parcels")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    land_use = models.ForeignKey(LandUse, on_delete=models.PROTECT, related_name="+", verbose_name=_("land use"))
    max_density_pct = models.DecimalField(
        _("maximum building density (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_height_m = models.DecimalField(_("maximum height (m)"), max_digits=6, decimal_places=1, null=True, blank=True)
    max_far = models.DecimalField(_("maximum floor-area ratio"), max_digits=5, decimal_places=2, null=True, blank=True)
    power = models.BooleanField(_("power ready"), default=False)
    water = models.BooleanField(_("water ready"), default=False)
    drainage = models.BooleanField(_("drainage ready"), default=False)
    telecom = models.BooleanField(_("telecom ready"), default=False)
    occupancy = models.CharField(_("occupancy"), max_length=20, choices=Occupancy.choices, default=Occupancy.VACANT)
    project = models.ForeignKey(
        "investment.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parcels",
        verbose_name=_("project"),
    )
    # private: never in published layers
    lease_price_vnd_m2 = models.BigIntegerField(_("lease price (VND/m²/year)"), null=True, blank=True)
    private_note = models.TextField(_("internal note"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("land parcel")
        verbose_name_plural = _("land parcels")
        constraints = [
            models.UniqueConstraint(fields=["revision", "code"], name="parcel_unique_code"),
            models.CheckConstraint(
                name="parcel_density_0_100",
                condition=Q(max_density_pct__isnull=True) | Q(max_density_pct__gte=0, max_density_pct__lte=100),
            ),
            models.CheckConstraint(
                name="parcel_height_not_negative", condition=Q(max_height_m__isnull=True) | Q(max_height_m__gte=0)
            ),
            models.CheckConstraint(
                name="parcel_far_not_negative", condition=Q(max_far__isnull=True) | Q(max_far__gte=0)
            ),
            models.CheckConstraint(
                name="parcel_price_not_negative",
                condition=Q(lease_price_vnd_m2__isnull=True) | Q(lease_price_vnd_m2__gte=0),
            ),
        ]
        indexes = [
            _bbox_index("parcel_bbox"),
            models.Index(fields=["revision", "occupancy", "land_use"], name="parcel_finder"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("planning_parcel", args=[self.zone.code, self.code])

    @property
    def infrastructure_ready(self) -> bool:
        return all(getattr(self, name) for name in INFRASTRUCTURE)


def _import_path(instance: ImportJob, filename: str) -> str:
    # The stored name never comes from the user (only its checked extension, which GDAL needs).
    import uuid

    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    ext = ext if ext in {".geojson", ".json", ".zip", ".gpkg", ".dxf"} else ""
    return f"planning/imports/{uuid.uuid4().hex}{ext}"


class ImportJob(Job):
    """A web import of a plan file on its way (a `core.jobs.Job`): the uploaded file (kept until
    it is saved or discarded), the officer's choices, the progress of the background step and its
    report. A running import that looks stalled (`Job.stalled`: its worker died) may be discarded
    (`services.import_job_discard`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        READY = "ready", _("Checked")
        DONE = "done", _("Saved")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        ANALYSE = "analyse", _("Checking the file")
        COMMIT = "commit", _("Saving the revision")

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", verbose_name=_("zone"))
    layer = models.CharField(_("layer"), max_length=20, choices=Layer.choices)
    effective_date = models.DateField(_("in force from"))
    decision = models.ForeignKey(
        PlanningDecision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planning decision"),
    )
    note = models.TextField(_("note"), blank=True)
    file = models.FileField(upload_to=_import_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    crs = models.CharField(_("coordinate system"), max_length=40, blank=True)
    source_layer = models.CharField(_("layer of the file"), max_length=255, blank=True)
    mapping = models.JSONField(_("field mapping"), null=True, blank=True)
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.ANALYSE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    accepted_repairs = models.JSONField(default=list, blank=True)
    revision = models.ForeignKey(PlanRevision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self) -> str:
        return f"{self.original_name} → {self.zone.code} {self.get_layer_display()}"


class PriceBasis(models.TextChoices):
    YEAR = "year", _("per m² per year")
    TERM = "term", _("per m² for the whole term")


class ParcelTerms(models.Model):
    """A plot's commercial terms, kept by the board: the lease price (VND, and USD stated or
    derived from an exchange rate of a given date), the lease term and the hand-over date.

    Keyed by zone and parcel code, not by a revision's parcel: the terms survive a new revision of
    the plan that keeps the code. The public sees them only when `public` is set."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    parcel_code = models.CharField(_("parcel code"), max_length=40)
    price_vnd_m2 = models.BigIntegerField(_("lease price (VND/m²)"), null=True, blank=True)
    price_basis = models.CharField(_("price basis"), max_length=10, choices=PriceBasis.choices, default=PriceBasis.YEAR)
    price_usd_m2 = models.DecimalField(
        _("lease price (USD/m²), stated"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    usd_rate_vnd = models.PositiveIntegerField(_("exchange rate (VND per USD)"), null=True, blank=True)
    rate_date = models.DateField(_("date of the exchange rate"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("lease term (years)"), null=True, blank=True)
    term_until = models.DateField(_("lease term until"), null=True, blank=True)
    handover_date = models.DateField(_("hand-over date"), null=True, blank=True)
    public = models.BooleanField(_("public"), default=False)
    version = models.PositiveIntegerField(default=1, db_default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["zone", "parcel_code"]
        verbose_name = _("plot's commercial terms")
        verbose_name_plural = _("plots' commercial terms")
        constraints = [
            models.UniqueConstraint(fields=["zone", "parcel_code"], name="parcel_terms_one_per_code"),
            models.CheckConstraint(
                name="parcel_terms_price_not_negative",
                condition=Q(price_vnd_m2__isnull=True) | Q(price_vnd_m2__gte=0),
            ),
            models.CheckConstraint(
                name="parcel_terms_usd_not_negative",
                condition=Q(price_usd_m2__isnull=True) | Q(price_usd_m2__gte=0),
            ),
            models.CheckConstraint(
                name="parcel_terms_rate_has_date", condition=Q(usd_rate_vnd__isnull=True) | Q(rate_date__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone.code} {self.parcel_code}"

    @property
    def price_usd(self):
        """(USD per m², how it is known: "stated" or "derived"), or None: a stated USD price wins;
        else the VND price at the stored rate, to the cent."""
        from decimal import ROUND_HALF_UP, Decimal

        if self.price_usd_m2 is not None:
            return self.price_usd_m2, "stated"
        if self.price_vnd_m2 is not None and self.usd_rate_vnd:
            value = (Decimal(self.price_vnd_m2) / Decimal(self.usd_rate_vnd)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            return value, "derived"
        return None


class ParcelReservation(models.Model):
    """A parcel held for someone the board is courting (a prospect of `zonedesk.promotion`), until
    a date. Keyed by the zone and the parcel's code, not by a parcel row: parcels belong to their
    plan revision, and a reservation outlives a new revision of the plan. At most one reservation
    of a parcel is held at a time (a partial unique constraint: two reservations at once, exactly
    one wins). The read side treats one past its date as released, before the periodic job marks
    it. Whom it is for is the holder's business (`holder`: "app.Model:pk"); the public map shows
    only that the parcel is reserved."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone"))
    parcel_code = models.CharField(_("parcel"), max_length=40)
    until = models.DateField(_("reserved until"))
    holder = models.CharField(_("reserved for"), max_length=60)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reserved_at = models.DateTimeField(_("reserved at"))
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(_("why released"), max_length=20, blank=True)

    class Meta:
        ordering = ["-reserved_at", "-id"]
        verbose_name = _("parcel reservation")
        verbose_name_plural = _("parcel reservations")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "parcel_code"],
                condition=Q(released_at__isnull=True),
                name="parcel_reservation_one_held",
            )
        ]
        indexes = [models.Index(fields=["holder"], name="parcel_reservation_holder")]

    def __str__(self) -> str:
        return f"{self.parcel_code} → {self.until:%d/%m/%Y}"

    def held_on(self, day: Any) -> bool:
        """Whether it holds the parcel on `day` (not released, not past its date)."""
        return self.released_at is None and self.until >= day

"""The promotion pipeline: the investors the board is courting (prospects), every contact with
them, their documents, their stages on the case machinery (`workflow.PROSPECT`), the screening
weights the board keeps, and the events (forums, roadshows, delegations, site visits) where they
are met.

A prospect's links to the one-stop desk (its dossier) and the registry (its project) are made by
the system (`services`, through `procedures.hooks`), never typed, so that the conversion is
counted from facts. Nothing of a prospect is public."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zonedesk.cases.timeline import timeline_base
from zonedesk.core.permissions import Actor, RestrictedQuerySet
from zonedesk.investment.models import Sector
from zonedesk.privacy.marks import Subject, personal


class Source(models.TextChoices):
    FORUM = "forum", _("Investment forum")
    ROADSHOW = "roadshow", _("Roadshow abroad")
    EMBASSY = "embassy", _("Embassy or trade office")
    FDI_GROUP = "fdi_group", _("FDI working group")
    REFERRAL = "referral", _("Referral")
    PUBLIC_SITE = "public_site", _("Enquiry through the public site")


class Stage(models.TextChoices):
    ENQUIRY = "enquiry", _("Enquiry")
    QUALIFIED = "qualified", _("Qualified")
    SITE_VISIT = "site_visit", _("Site visit")
    PROPOSAL = "proposal", _("Proposal")
    DECISION = "decision", _("Decision")
    DOSSIER_FILED = "dossier_filed", _("Dossier filed")
    LICENSED = "licensed", _("Licensed")
    AFTERCARE = "aftercare", _("Aftercare")
    LOST = "lost", _("Lost")


FUNNEL = [s.value for s in Stage if s != Stage.LOST]  # the stages in order
OPEN_STAGES = frozenset(FUNNEL[:6])  # not yet licensed nor lost


class Environment(models.TextChoices):
    LOW = "low", _("Low impact (no production waste to speak of)")
    MEDIUM = "medium", _("Moderate impact (treated at the park's plant)")
    HIGH = "high", _("High impact (needs its own treatment and an environmental permit)")


class Criterion(models.TextChoices):
    CAPITAL_PER_HA = "capital_per_ha", _("Capital per hectare of land asked")
    VALUE_ADDED_PER_HA = "value_added_per_ha", _("Value added per hectare of land asked")
    TECHNOLOGY = "technology", _("Technology level (hi-tech criteria)")
    DEGREES = "degrees", _("Jobs with degrees")
    EXPORTS = "exports", _("Exports")
    ENVIRONMENT = "environment", _("Environment")
    LOCAL_SUPPLIERS = "local_suppliers", _("Links to local suppliers")


class ScreeningWeight(models.Model):
    """How many points a criterion is worth, and the figure that earns them all (`target`: VND per
    ha for the two per-hectare criteria, a share in % for degrees, exports and local suppliers;
    unused for technology and environment), from a date. The board edits them (a new row with a
    later date replaces a criterion's weight from that day on)."""

    criterion = models.CharField(_("criterion"), max_length=30, choices=Criterion.choices)
    points = models.PositiveSmallIntegerField(_("points"))
    target = models.BigIntegerField(_("figure that earns every point"), default=0)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("why"), max_length=500, blank=True)

    class Meta:
        ordering = ["criterion", "-effective_from"]
        verbose_name = _("screening weight")
        verbose_name_plural = _("screening weights")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "effective_from"], name="screening_weight_once"),
            models.CheckConstraint(name="screening_points_0_100", condition=Q(points__lte=100)),
            models.CheckConstraint(name="screening_target_not_negative", condition=Q(target__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.points}"


class ProspectQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> ProspectQuerySet:
        if actor.is_board_side:
            return self.all()
        if actor.role == "agency" and actor.agency_id:
            return self.filter(helping_agencies=actor.agency_id).distinct()
        return self.none()


def _token() -> str:
    return secrets.token_urlsafe(24)


class Prospect(models.Model):
    """An investor the board is courting, and the project it has in mind."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    company = models.CharField(_("company"), max_length=255)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. JP, KR, VN"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    project_name = models.CharField(_("project in mind"), max_length=255, blank=True)
    capital_vnd = models.BigIntegerField(_("capital (VND)"), default=0)
    capital_usd = models.BigIntegerField(_("capital (USD)"), default=0)
    land_ha = models.DecimalField(_("land needed (ha)"), max_digits=8, decimal_places=2, default=0)
    land_use = models.CharField(_("land use wanted"), max_length=20, blank=True)
    needs_networks = models.BooleanField(_("needs every network ready"), default=True)
    jobs = models.PositiveIntegerField(_("jobs"), default=0)
    jobs_with_degrees = models.PositiveIntegerField(_("jobs with degrees"), default=0)
    technology = models.TextField(_("technology"), blank=True)
    value_added_vnd = models.BigIntegerField(_("value added a year (VND)"), default=0)
    rnd_spending_pct = models.DecimalField(
        _("R&D spending (% of net revenue less inputs)"), max_digits=5, decimal_places=2, default=0
    )
    rnd_staff = models.PositiveIntegerField(_("R&D staff with degrees"), default=0)
    hitech_revenue_pct = models.DecimalField(
        _("hi-tech products (% of revenue)"), max_digits=5, decimal_places=2, default=0
    )
    exports_pct = models.DecimalField(_("exports (% of revenue)"), max_digits=5, decimal_places=2, default=0)
    environment = models.CharField(
        _("environmental impact"), max_length=10, choices=Environment.choices, default="medium"
    )
    environment_notes = models.TextField(_("environment notes"), blank=True)
    local_suppliers_pct = models.DecimalField(
        _("local suppliers (% of inputs)"), max_digits=5, decimal_places=2, default=0
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_event = models.ForeignKey(
        "PromotionEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("met at")
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prospects_managed",
        verbose_name=_("account manager"),
    )
    helping_agencies = models.ManyToManyField(
        "core.Agency", blank=True, related_name="prospects", verbose_name=_("agencies asked to help")
    )
    enterprise = models.ForeignKey(
        "investment.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prospects",
        verbose_name=_("enterprise in Vietnam"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.ENQUIRY, db_index=True)
    lost_reason = models.TextField(_("why lost"), blank=True)
    stage_since = models.DateTimeField(_("in this stage since"))
    # frozen when it reaches "proposal": what the board counted on, against what was licensed
    projected_capital_vnd = models.BigIntegerField(_("capital projected at the proposal (VND)"), null=True, blank=True)
    projected_jobs = models.PositiveIntegerField(_("jobs projected at the proposal"), null=True, blank=True)
    proposal_at = models.DateTimeField(_("proposal made"), null=True, blank=True)
    # set by the system: the dossier filed at the one-stop desk, the project its result registered
    dossier = models.ForeignKey(
        "procedures.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prospects",
        editable=False,
        verbose_name=_("dossier"),
    )
    project = models.ForeignKey(
        "investment.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prospects",
        editable=False,
        verbose_name=_("project in the registry"),
    )
    licensed_at = models.DateTimeField(_("licensed"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), default=0, db_index=True)
    # the code and the company folded (`core.text.fold`), written by the services: the pipeline's
    # search reads it in the database, accents and case aside
    search_text = models.CharField(max_length=300, blank=True, default="", editable=False)
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    next_step_due = models.DateField(_("next step by"), null=True, blank=True, db_index=True)
    # an enquiry through the public site
    contact_name = personal(
        models.CharField(_("contact person"), max_length=200, blank=True),
        subject=Subject.CONTACT,
        purpose=_("to answer the investor's enquiry and arrange a site visit"),
        note=_("kept while the board follows the prospect"),
    )
    contact_email = personal(
        models.EmailField(_("contact e-mail"), blank=True),
        subject=Subject.CONTACT,
        purpose=_("to answer the investor's enquiry and arrange a site visit"),
        note=_("kept while the board follows the prospect"),
    )
    contact_phone = personal(
        models.CharField(_("contact phone"), max_length=30, blank=True),
        subject=Subject.CONTACT,
        purpose=_("to answer the investor's enquiry and arrange a site visit"),
        note=_("kept while the board follows the prospect"),
    )
    message = models.TextField(_("message"), blank=True)
    site_visit_wished = models.BooleanField(_("asks for a site visit"), default=False)
    site_visit_from = models.DateField(_("site visit wished from"), null=True, blank=True)
    parcel_wished = models.CharField(_("plot asked about"), max_length=70, blank=True)
    tracking_token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    reply_due = models.DateField(_("reply promised by"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("recorded"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )

    objects = ProspectQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "-created_at", "-id"]
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects")
        indexes = [models.Index(fields=["stage", "-score"], name="prospect_pipeline")]
        constraints = [
            models.CheckConstraint(
                name="prospect_capital_not_negative", condition=Q(capital_vnd__gte=0, capital_usd__gte=0)
            ),
            models.CheckConstraint(name="prospect_land_not_negative", condition=Q(land_ha__gte=0)),
            models.CheckConstraint(name="prospect_lost_has_reason", condition=~Q(stage="lost") | ~Q(lost_reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("prospect_detail", args=[self.pk])

    @property
    def holder_key(self) -> str:
        """How a parcel reservation names this prospect (`planning.ParcelReservation.holder`)."""
        return f"promotion.Prospect:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class Contact(models.Model):
    """A meeting, visit, letter or call with the prospect, and the next step it set."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        VISIT = "visit", _("Site visit")
        LETTER = "letter", _("Letter or e-mail")
        CALL = "call", _("Call")

    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    summary = models.TextField(_("summary"))
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    next_step_due = models.DateField(_("next step by"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # once per next step
    done_at = models.DateTimeField(_("next step done"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["prospect", "-date", "-id"]
        indexes = [
            models.Index(fields=["next_step_due"], name="contact_next_due", condition=Q(reminded_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


def _document_path(instance: ProspectDocument, filename: str) -> str:
    import uuid

    return f"promotion/{uuid.uuid4().hex}"


class ProspectDocument(models.Model):
    """A file of a prospect (a letter of intent, a presentation, a memorandum), checked by content."""

    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = personal(
        models.FileField(upload_to=_document_path, max_length=255),
        subject=Subject.CONTACT,
        purpose=_("to follow the prospect (a letter or presentation may name the investor's people)"),
        note=_("kept while the board follows the prospect"),
    )
    original_name = personal(
        models.CharField(_("file name"), max_length=255),
        subject=Subject.CONTACT,
        purpose=_("to follow the prospect (a file's name may name the investor's people)"),
        note=_("kept while the board follows the prospect"),
    )
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["prospect", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProspectEvent(timeline_base(Prospect, case_field="prospect")):  # type: ignore[misc]
    class Meta:
        ordering = ["prospect", "at", "id"]


class PromotionEvent(models.Model):
    """A forum, roadshow, delegation or site visit: who organised it, who came."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Investment forum")
        ROADSHOW = "roadshow", _("Roadshow")
        DELEGATION = "delegation", _("Delegation")
        SITE_VISIT = "site_visit", _("Site visit")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    date = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=255)
    organisers = models.CharField(_("organisers"), max_length=500)
    prospects = models.ManyToManyField(
        Prospect, blank=True, related_name="events_attended", verbose_name=_("prospects")
    )
    enterprises = models.ManyToManyField(
        "investment.Enterprise", blank=True, related_name="promotion_events", verbose_name=_("enterprises")
    )
    follow_up = models.TextField(_("follow-up tasks"), blank=True)
    version = models.PositiveIntegerField(default=1, db_default=1)  # the edit form sends the one it read
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("promotion event")
        verbose_name_plural = _("promotion events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("promotion_event", args=[self.pk])

"""The innovation ecosystem: the seven conditions and their indicators (reference data), yearly
targets and measurements per zone, and the registry of the actors behind them (universities,
research institutes, corporate R&D centres, incubators, accelerators, technology-transfer
offices, funds, sandbox pilots, infrastructure works, transport links).

Indicators marked `computed` are counted from the registry (`selectors.computed_value`), so a
count is never typed in twice; the others are measured, each with its source.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zonedesk.core.models import BilingualName, Zone, bilingual


class Condition(BilingualName):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_vi = models.CharField(_("short name (Vietnamese)"), max_length=60)
    short_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("condition of the ecosystem")
        verbose_name_plural = _("conditions of the ecosystem")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def short(self) -> str:
        """For the axes of a chart."""
        return bilingual(self.short_vi, self.short_en)


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Computed(models.TextChoices):
    """What the registry (and the periodic reports) can count for an indicator."""

    UNIVERSITIES = "universities", _("Universities and research institutes (registry)")
    RESEARCHERS = "researchers_per_1000", _("Researchers per 1,000 workers (registry, periodic reports)")
    RD_CENTRES = "rd_centres", _("Corporate R&D centres (registry)")
    RD_CENTRES_FOREIGN = "rd_centres_foreign", _("R&D centres of foreign corporations (registry)")
    BUSINESS_RD = "business_rd_pct", _("R&D spending as a share of revenue (periodic reports)")
    INTERMEDIARIES = "intermediaries", _("Incubators, accelerators, technology-transfer offices (registry)")
    FUNDS = "funds", _("Funds active (registry)")
    FUND_CAPITAL = "fund_capital_bn", _("Capital committed by the funds, billion VND (registry)")
    SANDBOXES = "sandboxes_running", _("Sandbox pilots running (registry)")
    INFRASTRUCTURE = "infrastructure_built_pct", _("Share of the planned infrastructure works built (registry)")
    TRANSPORT = "transport_links", _("Transport links in service (registry)")


class Indicator(BilingualName):
    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("condition")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    unit_vi = models.CharField(_("unit (Vietnamese)"), max_length=50)
    unit_en = models.CharField(_("unit (English)"), max_length=50, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    computed = models.CharField(
        _("counted from"),
        max_length=40,
        choices=Computed.choices,
        blank=True,
        help_text=_("Empty: measured and recorded with its source."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["condition__number", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def unit(self) -> str:
        return bilingual(self.unit_vi, self.unit_en)

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    note = models.CharField(_("basis"), max_length=300, blank=True)
    version = models.PositiveIntegerField(
        default=1, db_default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )

    class Meta:
        ordering = ["indicator", "zone", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "zone", "year"], name="target_unique_year"),
            models.CheckConstraint(name="target_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.zone_id} {self.year}: {self.value}"


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(
        default=1, db_default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "zone", "year"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "zone", "year"], name="measurement_unique_year"),
            models.CheckConstraint(name="measurement_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.zone_id} {self.year}: {self.value}"


class ActorKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    RD_CENTRE = "rd_centre", _("Corporate R&D centre")
    INCUBATOR = "incubator", _("Incubator")
    ACCELERATOR = "accelerator", _("Accelerator")
    TTO = "tto", _("Technology-transfer office")
    FUND = "fund", _("Fund")
    SANDBOX = "sandbox", _("Sandbox pilot")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure work")
    TRANSPORT = "transport", _("Transport link")


class FundKind(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    VENTURE = "venture", _("Venture capital")


class Actor(BilingualName):
    """Someone or something behind the conditions: the registry the counts come from."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="ecosystem_actors", verbose_name=_("zone"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices)
    enterprise = models.ForeignKey(
        "investment.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ecosystem_roles",
        verbose_name=_("enterprise"),
    )
    project = models.ForeignKey(
        "investment.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ecosystem_roles",
        verbose_name=_("project"),
    )
    foreign = models.BooleanField(_("foreign"), default=False)
    fund_kind = models.CharField(_("kind of fund"), max_length=20, choices=FundKind.choices, blank=True)
    capital_committed_vnd = models.BigIntegerField(_("capital committed (VND)"), null=True, blank=True)
    researchers = models.PositiveIntegerField(_("researchers"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    active_from = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Opened, approved, or (a work) completed and in service.")
    )
    active_until = models.DateField(_("until"), null=True, blank=True, help_text=_("Closed or ended."))
    note = models.TextField(_("note"), blank=True)
    is_synthetic = models.BooleanField(_("synthetic (demo) data"), default=False)
    version = models.PositiveIntegerField(
        default=1, db_default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )

    class Meta:
        ordering = ["zone", "kind", "name_vi", "id"]
        verbose_name = _("actor of the ecosystem")
        verbose_name_plural = _("actors of the ecosystem")
        constraints = [
            models.CheckConstraint(name="actor_fund_kind_only_for_funds", condition=Q(kind="fund") | Q(fund_kind="")),
            models.CheckConstraint(
                name="actor_capital_not_negative",
                condition=Q(capital_committed_vnd__isnull=True) | Q(capital_committed_vnd__gte=0),
            ),
            models.CheckConstraint(
                name="actor_period_order",
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=F("active_from")),
            ),
        ]
        indexes = [models.Index(fields=["zone", "kind"], name="actor_zone_kind")]

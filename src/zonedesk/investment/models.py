"""The investment registry: investors, enterprises, projects and their periodic reports.

Invariants that the database can hold are constraints here; everything else is checked by
the services (`services.py`), which are the only writers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from zonedesk.core.models import Zone, bilingual
from zonedesk.core.permissions import Actor, RestrictedQuerySet
from zonedesk.privacy.marks import Subject, personal

# An investor may be a person: their name, nationality and tax code are then personal data
INVESTOR_PURPOSE = _("to keep the register of investment projects and their investors (Law on Investment)")
INVESTOR_NOTE = _("personal only where the investor is an individual; kept as the investment register is")

VIETNAM = "VN"


class Investor(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        INDIVIDUAL = "individual", _("Individual")

    name = personal(
        models.CharField(_("name"), max_length=255),
        subject=Subject.INVESTOR,
        purpose=INVESTOR_PURPOSE,
        note=INVESTOR_NOTE,
    )
    name_folded = personal(
        models.CharField(max_length=255, db_index=True, editable=False),
        subject=Subject.INVESTOR,
        purpose=_("to find an investor by name, with or without accents"),
        note=INVESTOR_NOTE,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGANISATION)
    nationality = personal(
        models.CharField(_("nationality (ISO code)"), max_length=2, default=VIETNAM),
        subject=Subject.INVESTOR,
        purpose=INVESTOR_PURPOSE,
        note=INVESTOR_NOTE,
    )
    tax_code = personal(
        models.CharField(_("tax code"), max_length=14, blank=True),
        subject=Subject.INVESTOR,
        purpose=INVESTOR_PURPOSE,
        note=INVESTOR_NOTE,
    )
    is_synthetic = models.BooleanField(_("synthetic (demo) data"), default=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("investor")
        verbose_name_plural = _("investors")

    def __str__(self) -> str:
        return self.name

    @property
    def is_foreign(self) -> bool:
        return self.nationality != VIETNAM


class EnterpriseQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> EnterpriseQuerySet:
        # Enterprises' public fields are public; private data hangs off them with its own rules.
        if action == "view":
            return self.all()
        if action == "view_private" and actor.is_board_side:
            return self.all()
        if action == "view_private" and actor.role == "enterprise":
            return self.filter(pk=actor.enterprise_id)
        if action == "change" and actor.role in {"board", "admin"}:
            return self.all()
        return self.none()


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    tax_code = models.CharField(_("tax code"), max_length=14, unique=True)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("zone"))
    investors = models.ManyToManyField(Investor, blank=True, related_name="enterprises", verbose_name=_("investors"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_synthetic = models.BooleanField(_("synthetic (demo) data"), default=False)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    SOFTWARE = "software", _("Software and IT services")
    ELECTRONICS = "electronics", _("Electronics and semiconductors")
    TELECOM = "telecom", _("Telecommunications")
    BIOTECH = "biotech", _("Biotechnology and pharmaceuticals")
    MATERIALS = "materials", _("New materials and energy")
    MECHATRONICS = "mechatronics", _("Mechatronics and automation")
    AEROSPACE = "aerospace", _("Aerospace")
    RESEARCH = "research", _("Research and development")
    EDUCATION = "education", _("Education and training")
    MANUFACTURING = "manufacturing", _("Other manufacturing")
    SERVICES = "services", _("Services and infrastructure")


class ProjectStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    LAND_HANDED_OVER = "land_handed_over", _("Land handed over")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


# The project lifecycle: the only transitions a service accepts.
_ACTIVE = {"registered", "land_handed_over", "under_construction", "operating"}
PROJECT_TRANSITIONS: dict[str, frozenset[str]] = {
    "registered": frozenset({"land_handed_over", "under_construction", "suspended", "terminated"}),
    "land_handed_over": frozenset({"under_construction", "suspended", "terminated"}),
    "under_construction": frozenset({"operating", "suspended", "terminated"}),
    "operating": frozenset({"suspended", "terminated"}),
    "suspended": frozenset(_ACTIVE | {"terminated"}),
    "terminated": frozenset(),
}


class ProjectQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> ProjectQuerySet:
        if action == "view":  # the public fields of every project are public
            return self.all()
        if action == "view_private":
            if actor.is_board_side:
                return self.all()
            if actor.role == "enterprise":
                return self.filter(enterprise_id=actor.enterprise_id)
            return self.none()
        if action == "report":  # file or correct periodic reports
            if actor.role == "enterprise":
                return self.filter(enterprise_id=actor.enterprise_id)
            return self.none()
        if action == "change":
            return self.all() if actor.role in {"board", "admin"} else self.none()
        return self.none()


class Project(models.Model):
    code = models.CharField(_("project code"), max_length=20, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    search_text = models.CharField(max_length=1000, db_index=True, editable=False)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="projects", verbose_name=_("enterprise")
    )
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="projects", verbose_name=_("zone"))
    investors = models.ManyToManyField(
        Investor, through="ProjectInvestor", related_name="projects", verbose_name=_("investors")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    objectives = models.TextField(_("objectives and scale"), blank=True)
    objectives_en = models.TextField(_("objectives and scale (English)"), blank=True)
    is_foreign_invested = models.BooleanField(_("foreign-invested"), default=False, db_index=True)
    initial_capital_vnd = models.BigIntegerField(_("capital at first registration (VND)"))
    registered_capital_vnd = models.BigIntegerField(_("registered capital (VND)"))
    registered_capital_usd = models.BigIntegerField(_("registered capital (USD)"), null=True, blank=True)
    land_area_m2 = models.DecimalField(_("land area (m²)"), max_digits=14, decimal_places=2, default=0)
    certificate_date = models.DateField(_("certificate date"), db_index=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.REGISTERED, db_index=True
    )
    target_workers = models.PositiveIntegerField(_("target workers"), null=True, blank=True)
    target_revenue_vnd = models.BigIntegerField(_("target yearly revenue (VND)"), null=True, blank=True)
    target_export_vnd = models.BigIntegerField(_("target yearly export (VND)"), null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, db_default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )
    is_synthetic = models.BooleanField(_("synthetic (demo) data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["zone", "certificate_date"]),
            # a zone's list by status in the list's order: a page of a search stops at its last row
            models.Index(fields=["zone", "status", "code", "id"], name="project_zone_status_code"),
        ]
        constraints = [
            models.CheckConstraint(name="project_capital_not_negative", condition=Q(registered_capital_vnd__gte=0)),
            models.CheckConstraint(
                name="project_initial_capital_not_negative", condition=Q(initial_capital_vnd__gte=0)
            ),
            models.CheckConstraint(name="project_land_not_negative", condition=Q(land_area_m2__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("project_detail", args=[self.code])

    @property
    def name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi

    @property
    def allowed_next_statuses(self) -> list[str]:
        return sorted(PROJECT_TRANSITIONS[self.status])


class ProjectInvestor(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="shares")
    investor = models.ForeignKey(Investor, on_delete=models.PROTECT, related_name="shares")
    capital_vnd = models.BigIntegerField(_("capital contributed (VND)"))

    class Meta:
        ordering = ["-capital_vnd", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "investor"], name="project_investor_unique"),
            models.CheckConstraint(name="share_capital_not_negative", condition=Q(capital_vnd__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.investor} → {self.project.code}"


class Amendment(models.Model):
    """An amendment of the investment registration certificate."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("amendment number"))
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    capital_change_vnd = models.BigIntegerField(_("change of registered capital (VND)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # the dossier (or other record) the amendment came from, and its page: written by the app that
    # made it (the one-stop desk), read here without knowing that app
    reference = models.CharField(_("made by"), max_length=60, blank=True)
    reference_url = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="amendment_unique_number")]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.project.code} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("project_detail", args=[self.project.code])


class ScheduleMilestone(models.Model):
    class Kind(models.TextChoices):
        CAPITAL = "capital", _("Capital contribution")
        LAND = "land", _("Land hand-over")
        CONSTRUCTION = "construction", _("Construction start")
        OPERATION = "operation", _("Operation start")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        ordering = ["project", "planned_date", "id"]
        indexes = [models.Index(fields=["actual_date", "planned_date"])]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse("project_detail", args=[self.project.code])


class StatusChange(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ProjectStatus.choices)
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.from_status} → {self.to_status}"

    def get_absolute_url(self) -> str:
        return reverse("project_detail", args=[self.project.code])


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class ReportQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> ReportQuerySet:
        if actor.is_board_side and action == "view":
            return self.all()
        if actor.role == "enterprise":
            return self.filter(project__enterprise_id=actor.enterprise_id)
        return self.none()

    def current(self) -> ReportQuerySet:
        return self.filter(is_current=True)


REPORT_FIGURES = (
    "revenue_vnd",
    "export_vnd",
    "import_vnd",
    "workers_total",
    "workers_degree",
    "rnd_spend_vnd",
    "taxes_paid_vnd",
    "capital_disbursed_cum_vnd",
)


class PeriodicReport(models.Model):
    """A periodic report of a project. A correction adds a new version; the old one stays."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0, help_text=_("0 for a yearly report"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    revenue_vnd = models.BigIntegerField(_("revenue (VND)"), default=0)
    export_vnd = models.BigIntegerField(_("export (VND)"), default=0)
    import_vnd = models.BigIntegerField(_("import (VND)"), default=0)
    workers_total = models.PositiveIntegerField(_("workers"), default=0)
    workers_degree = models.PositiveIntegerField(_("workers with a university degree"), default=0)
    rnd_spend_vnd = models.BigIntegerField(_("R&D spending (VND)"), default=0)
    taxes_paid_vnd = models.BigIntegerField(_("taxes paid (VND)"), default=0)
    capital_disbursed_cum_vnd = models.BigIntegerField(_("capital disbursed, cumulative (VND)"), default=0)
    correction_reason = models.TextField(_("reason for correction"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    submitted_at = models.DateTimeField(_("submitted at"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-year", "-quarter", "-version"]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        indexes = [models.Index(fields=["year", "period_kind", "is_current"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_kind", "year", "quarter"],
                condition=Q(is_current=True),
                name="report_one_current_per_period",
            ),
            models.UniqueConstraint(
                fields=["project", "period_kind", "year", "quarter", "version"], name="report_unique_version"
            ),
            models.CheckConstraint(
                name="report_quarter_matches_kind",
                condition=Q(period_kind="year", quarter=0) | Q(period_kind="quarter", quarter__gte=1, quarter__lte=4),
            ),
            models.CheckConstraint(
                name="report_money_not_negative",
                condition=Q(revenue_vnd__gte=0)
                & Q(export_vnd__gte=0)
                & Q(import_vnd__gte=0)
                & Q(rnd_spend_vnd__gte=0)
                & Q(taxes_paid_vnd__gte=0)
                & Q(capital_disbursed_cum_vnd__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period_label} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("project_detail", args=[self.project.code]) + "#reports"

    @property
    def period_label(self) -> str:
        return period_label(self.period_kind, self.year, self.quarter)

    @property
    def period_end(self) -> dt.date:
        return period_end(self.period_kind, self.year, self.quarter)


def period_end(kind: str, year: int, quarter: int) -> dt.date:
    if kind == PeriodKind.YEAR:
        return dt.date(year, 12, 31)
    month = quarter * 3
    return (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


def period_label(kind: str, year: int, quarter: int) -> str:
    if kind == PeriodKind.YEAR:
        return gettext("Year %(year)s") % {"year": year}
    return gettext("Q%(quarter)s/%(year)s") % {"quarter": quarter, "year": year}


# --- the investor's site: reference data the board keeps (issue 26) ------------------------------


def _en(vi: str, en: str) -> str:
    return bilingual(vi, en)


class Incentive(models.Model):
    """An investment incentive (tax, land rent, import duty…) with its conditions and legal basis,
    in force from a date (and until one, when it ends). Vietnamese required, English optional;
    `indicative` marks an entry the board has not checked against the law in force."""

    class AppliesTo(models.TextChoices):
        HITECH = "hitech", _("Hi-tech parks")
        INDUSTRIAL = "industrial", _("Industrial zones")
        ALL = "all", _("Hi-tech parks and industrial zones")

    class Category(models.TextChoices):
        CIT = "cit", _("Corporate income tax")
        LAND = "land", _("Land rent")
        IMPORT = "import", _("Import duty")
        OTHER = "other", _("Other")

    applies_to = models.CharField(_("applies to"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.ALL)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    benefit_vi = models.TextField(_("benefit (Vietnamese)"))
    benefit_en = models.TextField(_("benefit (English)"), blank=True)
    conditions_vi = models.TextField(_("conditions (Vietnamese)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    legal_basis_vi = models.TextField(_("legal basis (Vietnamese)"))
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    indicative = models.BooleanField(
        _("indicative"), default=False, help_text=_("Shown with a note to check the law in force.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(
        default=1, db_default=1, editable=False
    )  # the board's form sends the one it read

    class Meta:
        ordering = ["order", "category", "id"]
        verbose_name = _("investment incentive")
        verbose_name_plural = _("investment incentives")
        constraints = [
            models.CheckConstraint(
                name="incentive_ends_after_it_starts",
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=models.F("effective_from")),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _en(self.title_vi, self.title_en)


class ZoneProfile(models.Model):
    """A park's profile for investors: distances, utilities and their tariffs, the labour pool
    and the regional minimum wage. The texts the board writes are Vietnamese, with English."""

    class WageRegion(models.TextChoices):
        I = "I", _("Region I")  # noqa: E741
        II = "II", _("Region II")
        III = "III", _("Region III")
        IV = "IV", _("Region IV")

    zone = models.OneToOneField(Zone, on_delete=models.CASCADE, related_name="profile", verbose_name=_("zone"))
    summary_vi = models.TextField(_("summary (Vietnamese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    km_noi_bai = models.DecimalField(
        _("to Noi Bai airport (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    km_hai_phong = models.DecimalField(
        _("to Hai Phong port (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    km_hanoi = models.DecimalField(_("to central Hanoi (km)"), max_digits=6, decimal_places=1, null=True, blank=True)
    power_vi = models.TextField(_("power supply and tariff (Vietnamese)"), blank=True)
    power_en = models.TextField(_("power supply and tariff (English)"), blank=True)
    water_vi = models.TextField(_("water supply and tariff (Vietnamese)"), blank=True)
    water_en = models.TextField(_("water supply and tariff (English)"), blank=True)
    wastewater_vi = models.TextField(_("wastewater treatment and tariff (Vietnamese)"), blank=True)
    wastewater_en = models.TextField(_("wastewater treatment and tariff (English)"), blank=True)
    labour_vi = models.TextField(_("labour pool (Vietnamese)"), blank=True)
    labour_en = models.TextField(_("labour pool (English)"), blank=True)
    wage_region = models.CharField(_("minimum-wage region"), max_length=3, choices=WageRegion.choices, blank=True)
    min_wage_vnd = models.PositiveIntegerField(_("regional minimum wage (VND/month)"), null=True, blank=True)
    min_wage_from = models.DateField(_("minimum wage in force from"), null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, db_default=1, editable=False
    )  # the board's form sends the one it read

    class Meta:
        ordering = ["zone__code"]
        verbose_name = _("park profile")
        verbose_name_plural = _("park profiles")

    def __str__(self) -> str:
        return self.zone.code


class BoardContact(models.Model):
    """Where an investor reaches the board: an office (of a zone, or the board's own), its address,
    phone, e-mail and opening hours."""

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts", verbose_name=_("zone")
    )
    name_vi = models.CharField(_("office (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("office (English)"), max_length=255, blank=True)
    address_vi = models.CharField(_("address (Vietnamese)"), max_length=500)
    address_en = models.CharField(_("address (English)"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    hours_vi = models.CharField(_("opening hours (Vietnamese)"), max_length=255, blank=True)
    hours_en = models.CharField(_("opening hours (English)"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(
        default=1, db_default=1, editable=False
    )  # the board's form sends the one it read

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("board contact")
        verbose_name_plural = _("board contacts")

    def __str__(self) -> str:
        return _en(self.name_vi, self.name_en)

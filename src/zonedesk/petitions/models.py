"""The petition channel: each difficulty of an enterprise, its route, deadlines, answers and history.

The lifecycle lives in `workflow.py` (one table of transitions); the writes in `services.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zonedesk.cases.timeline import timeline_base
from zonedesk.core.models import Agency, Zone
from zonedesk.core.permissions import Actor, RestrictedQuerySet
from zonedesk.privacy.marks import Subject, personal
from zonedesk.privacy.models import ConsentFields


class Category(models.TextChoices):
    LAND = "land", _("Land and site clearance")
    CONSTRUCTION = "construction", _("Construction permits and planning")
    INVESTMENT = "investment", _("Investment procedures")
    TAX = "tax", _("Tax")
    CUSTOMS = "customs", _("Customs")
    LABOUR = "labour", _("Labour and work permits for foreign experts")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure: power, water, roads, telecom")
    ENVIRONMENT = "environment", _("Environment")
    SECURITY = "security", _("Security and order")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    TRANSFERRED = "transferred", _("Transferred")
    MERGED = "merged", _("Merged")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = frozenset({"submitted", "triaged", "assigned", "in_progress", "transferred", "reopened"})
RESOLVED_STATUSES = frozenset({"answered", "published", "closed"})


class Source(models.TextChoices):
    PORTAL = "portal", _("Enterprise portal")
    PUBLIC = "public", _("Public form")
    CONFERENCE = "conference", _("Dialogue conference")
    BOARD = "board", _("Recorded by the board")


class SLAPolicy(models.Model):
    """Deadlines for a category and priority (blank: any), in force from a date. The most
    specific policy in force wins. Hours are office hours, days are working days."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    acknowledge_hours = models.PositiveSmallIntegerField(_("acknowledge within (office hours)"), default=8)
    transfer_days = models.PositiveSmallIntegerField(
        _("forward if outside competence within (working days)"), default=5
    )
    answer_days = models.PositiveSmallIntegerField(_("answer within (working days)"), null=True, blank=True)
    answer_hours = models.PositiveSmallIntegerField(_("answer within (office hours)"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        ordering = ["category", "priority", "-effective_from"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.CheckConstraint(
                name="sla_one_answer_unit",
                condition=Q(answer_days__isnull=False, answer_hours__isnull=True)
                | Q(answer_days__isnull=True, answer_hours__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'}/{self.priority or '*'} {self.effective_from}"


class PolicyAction(models.Model):
    """A policy change that a group of repeated difficulties needs; its progress is followed."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="policy_actions", verbose_name=_("owner"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PROPOSED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    version = models.PositiveIntegerField(
        default=1, db_default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("policy action")
        verbose_name_plural = _("policy actions")
        constraints = [models.CheckConstraint(name="policy_progress_0_100", condition=Q(progress__lte=100))]

    def __str__(self) -> str:
        return self.title


class PetitionQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> PetitionQuerySet:
        """view: the board side sees all; an agency the petitions routed to it now (as lead or
        coordinating agency); an enterprise its own. `public`: published ones, for everyone."""
        if action == "public":  # published once: it stays public when the petition is closed
            return self.filter(published_at__isnull=False)
        if actor.is_board_side:
            return self.all()
        if actor.role == "agency":
            coordinated = Petition.coordinating_agencies.through.objects.filter(agency_id=actor.agency_id)
            return self.filter(Q(lead_agency_id=actor.agency_id) | Q(pk__in=coordinated.values("petition_id")))
        if actor.role == "enterprise":
            return self.filter(enterprise_id=actor.enterprise_id)
        return self.none()


class Petition(ConsentFields):
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("content"))
    search_text = models.TextField(editable=False, default="")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, db_index=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("zone"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # who raised it: an enterprise through the portal, or a person through the public form
    enterprise = models.ForeignKey(
        "investment.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("enterprise"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    petitioner_name = personal(
        models.CharField(_("name"), max_length=200, blank=True),
        subject=Subject.PETITIONER,
        purpose=_("to answer the petition and reach its author"),
        retention="petitioner_contacts",
    )
    petitioner_email = personal(
        models.EmailField(_("e-mail"), blank=True),
        subject=Subject.PETITIONER,
        purpose=_("to answer the petition and reach its author"),
        retention="petitioner_contacts",
    )
    petitioner_phone = personal(
        models.CharField(_("phone"), max_length=30, blank=True),
        subject=Subject.PETITIONER,
        purpose=_("to answer the petition and reach its author"),
        retention="petitioner_contacts",
    )
    publish_allowed = models.BooleanField(_("the answer may be published"), default=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    lead_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_petitions",
        verbose_name=_("lead agency"),
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="coordinated_petitions", verbose_name=_("coordinating agencies")
    )
    # triage: what it concerns and what it costs the enterprise
    project = models.ForeignKey(
        "investment.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("project"),
    )
    parcel_code = models.CharField(_("land parcel"), max_length=50, blank=True)
    procedure = models.CharField(_("administrative procedure"), max_length=255, blank=True)
    impact_production_stopped = models.BooleanField(_("production stopped"), default=False)
    impact_workers = models.PositiveIntegerField(_("workers affected"), null=True, blank=True)
    impact_investment_vnd = models.BigIntegerField(_("investment at risk (VND)"), null=True, blank=True)
    confidential_note = models.TextField(_("confidential figures and notes"), blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    # the answer the public reads: set when the board publishes, never by a later approval
    published_answer = models.ForeignKey(
        "Answer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published answer"),
    )
    # folded summary and answer: the public search never looks into the private text
    public_search_text = models.TextField(editable=False, default="")
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    policy_action = models.ForeignKey(
        PolicyAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("policy action"),
    )
    # suggestions made at intake, kept to measure them; never applied silently
    suggested_category = models.CharField(max_length=20, blank=True)
    suggested_agency = models.CharField(max_length=40, blank=True)
    # deadlines
    received_at = models.DateTimeField(_("received at"), db_index=True)
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    transfer_due_at = models.DateTimeField(_("forward by"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer by"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(_("waiting for the enterprise since"), null=True, blank=True)
    extended = models.BooleanField(_("deadline extended"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="petition_unique_sequence"),
            models.CheckConstraint(
                name="petition_has_a_petitioner",
                condition=Q(enterprise__isnull=False) | ~Q(petitioner_name=""),
            ),
        ]
        indexes = [
            models.Index(fields=["lead_agency", "status", "answer_due_at"]),
            models.Index(fields=["zone", "status"]),
            # the open petitions by deadline (queues, overdue checks): a small part of the table,
            # with the lead agency so that counting an agency's queue reads the index alone
            models.Index(
                fields=["answer_due_at", "id", "lead_agency"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="petition_open_by_due",
            ),
            # the overdue petitions of a year, counted each minute for the public figures
            models.Index(
                fields=["year", "answer_due_at"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="petition_open_by_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("petition_detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def public_state(self) -> str:
        """What the public is told of a published petition: `resolved` (closed), `answered`
        (waiting for the enterprise to confirm) or `reopened` (the enterprise reopened it, or a
        new answer awaits publication: the published answer stays as the record, marked as being
        handled again)."""
        if self.status == Status.CLOSED:
            return "resolved"
        if self.status in OPEN_STATUSES:
            return "reopened"
        if self.published_at and self.answered_at and self.answered_at > self.published_at:
            return "reopened"
        return "answered"


class PetitionEvent(timeline_base(Petition, case_field="petition")):
    """One step of a petition's timeline: who, when, what and why (`cases.timeline`)."""

    class Meta:
        ordering = ["petition", "at", "id"]


class Answer(models.Model):
    """An agency's text: the lead agency's consolidated answer or a coordinating agency's contribution.
    It reaches the enterprise only once a board officer approves it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="answers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_contribution = models.BooleanField(_("contribution of a coordinating agency"), default=False)
    body = models.TextField(_("answer"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["petition", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.agency_id} {self.state}"

    def get_absolute_url(self) -> str:
        return reverse("petition_detail", args=[self.petition.reference])


class AnswerTemplate(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="answer_templates")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.title


def _attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the user: no path tricks, no overwrites.
    import uuid

    return f"petitions/{instance.petition.year}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a petition, stored in MEDIA_ROOT (outside the web root, served only
    through a view that checks access). Confidential ones stay private even when published."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = personal(
        models.FileField(upload_to=_attachment_path, max_length=255),
        subject=Subject.PETITIONER,
        purpose=_("to examine the petition (a document its author sends may name or show them)"),
        note=_("kept with the petition's file; erased with its author's personal data"),
    )
    original_name = personal(
        models.CharField(_("file name"), max_length=255),
        subject=Subject.PETITIONER,
        purpose=_("to examine the petition (a file's name may name its author)"),
        note=_("kept with the petition's file; erased with its author's personal data"),
    )
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    confidential = models.BooleanField(_("confidential"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["petition", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("petition_detail", args=[self.petition.reference])


class Notification(models.Model):
    """A message to a person about a petition: shown in the in-app inbox (users) and sent by
    e-mail from background work (users with an address, and public petitioners)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    email = personal(
        models.EmailField(blank=True),
        subject=Subject.PETITIONER,
        purpose=_("to send a public petitioner (or a person with an account) the news of their petition"),
        retention="notifications",
    )
    petition = models.ForeignKey(
        Petition, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=255)
    body = personal(
        models.TextField(),
        subject=Subject.PETITIONER,
        purpose=_("the message sent to the person about their petition"),
        retention="notifications",
    )
    link = models.CharField(max_length=300, blank=True, help_text="A site path the inbox opens (no petition).")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class SavedFilter(models.Model):
    """A filter of the petition queue a person saved under a name, to find it again: theirs
    only (nobody else lists or uses it). `params` is the queue's query string as a mapping
    (`selectors.filter_params`): only the queue's own filters, never a page number."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_petition_filters")
    name = models.CharField(_("name"), max_length=80)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "name", "id"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_one_name_per_user")]

    def __str__(self) -> str:
        return self.name

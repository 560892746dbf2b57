"""The board's one-stop desk: its procedures (a catalogue the board edits, each with versions that
take effect on a date), the dossiers enterprises file under them, and every step of a dossier on
the working-day clock, from receipt to the signed result that changes the registry.

The lifecycle lives in `workflow.py` (one table of transitions); the writes in `services.py`;
the reads that are more than a lookup in `selectors.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zonedesk.cases.timeline import timeline_base
from zonedesk.core.models import BilingualName, Zone, bilingual
from zonedesk.core.permissions import Actor, RestrictedQuerySet
from zonedesk.privacy.marks import Subject, personal


# --- the board's units --------------------------------------------------------------------------
class Unit(BilingualName):
    """A unit of the board that holds a step of a dossier: the one-stop desk, a specialist
    division, the board's leadership. Its members act on the dossiers at its steps; a step that
    needs the unit's head (reviewing, signing off an apology) needs a member marked as head."""

    class Kind(models.TextChoices):
        DESK = "desk", _("One-stop desk")
        DIVISION = "division", _("Specialist division")
        LEADERSHIP = "leadership", _("Board leadership")

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="UnitMember", related_name="units", verbose_name=_("members")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit of the board")
        verbose_name_plural = _("units of the board")


class UnitMember(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships")
    is_head = models.BooleanField(_("head of the unit"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "user"], name="unit_member_once")]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.user}"


# --- the catalogue --------------------------------------------------------------------------------
class RegistryEffect(models.TextChoices):
    NONE = "none", _("Does not change the registry")
    NEW_PROJECT = "new_project", _("Registers a new project")
    AMEND_PROJECT = "amend_project", _("Amends the project's certificate")
    EXTEND_SCHEDULE = "extend_schedule", _("Extends the project's schedule")
    TERMINATE_PROJECT = "terminate_project", _("Terminates the project")


class ResultKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Investment registration certificate")
    DECISION = "decision", _("Decision")
    PERMIT = "permit", _("Permit")
    CONFIRMATION = "confirmation", _("Certificate of confirmation")
    NOTICE = "notice", _("Notice")


class TimeKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_HOURS = "working_hours", _("working hours")


class Procedure(BilingualName):
    """An administrative procedure of the board. What changes with the law (time limit, parts,
    fee, steps) is in its versions; a dossier follows the version in force on the day it is
    received."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    field_vi = models.CharField(_("field (Vietnamese)"), max_length=120)
    field_en = models.CharField(_("field (English)"), max_length=120, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    result_kind = models.CharField(_("result"), max_length=20, choices=ResultKind.choices)
    registry_effect = models.CharField(
        _("effect on the registry"), max_length=20, choices=RegistryEffect.choices, default=RegistryEffect.NONE
    )
    needs_project = models.BooleanField(
        _("concerns a registered project"),
        default=False,
        help_text=_("The dossier names one of the enterprise's projects."),
    )
    search_text = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    @property
    def field(self) -> str:
        return bilingual(self.field_vi, self.field_en)

    @property
    def description(self) -> str:
        return bilingual(self.description_vi, self.description_en)

    def get_absolute_url(self) -> str:
        return reverse("procedure_detail", args=[self.code])


class ProcedureVersion(models.Model):
    """What a procedure asks and allows from a date on: the time limit as a number and its kind,
    the legal basis, the fee, the parts of the dossier, the steps and who holds each."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.TextField(_("legal basis"))
    processing_time = models.PositiveSmallIntegerField(_("processing time"))
    time_kind = models.CharField(_("counted in"), max_length=20, choices=TimeKind.choices)
    fee_vnd = models.BigIntegerField(_("fee (VND)"), default=0)
    fee_note = models.CharField(_("about the fee"), max_length=255, blank=True)
    form_fields = models.JSONField(
        _("form fields"), default=list, blank=True, help_text=_("The fields of the form the dossier fills in.")
    )
    uncertain = models.BooleanField(
        _("time limit to be confirmed"),
        default=False,
        help_text=_("The public sources disagree on this limit: a plausible default the board should check."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["procedure", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["procedure", "effective_from"], name="procedure_version_once")]
        verbose_name = _("version of a procedure")
        verbose_name_plural = _("versions of procedures")

    def __str__(self) -> str:
        return f"{self.procedure.code} {self.effective_from:%d/%m/%Y}"


class VersionStep(models.Model):
    """A step of the procedure's processing: which unit holds it and its share of the time limit
    (in the version's kind; the shares add up to the whole)."""

    class Kind(models.TextChoices):
        DESK = "desk", _("Desk: receipt and hand-over")
        DIVISION = "division", _("Specialist division: appraisal")
        HEAD = "head", _("Head of division: review")
        LEADER = "leader", _("Board leader: signature")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    time = models.PositiveSmallIntegerField(_("time allowed"))

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="version_step_once")]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_kind_display()}"


class DossierPart(models.Model):
    """A document the dossier must (or may) contain, the file types accepted and a template."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveSmallIntegerField(_("order"))
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    file_types = models.CharField(
        _("accepted file types"),
        max_length=100,
        default="pdf",
        help_text=_("Comma-separated: pdf, docx, xlsx, jpeg, png"),
    )
    template = models.FileField(_("template"), upload_to="procedures/templates/", blank=True, max_length=255)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="dossier_part_once")]

    @property
    def name(self) -> str:
        return bilingual(self.name_vi, self.name_en)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(t.strip() for t in self.file_types.split(",") if t.strip())

    def __str__(self) -> str:
        return self.name


# --- dossiers -------------------------------------------------------------------------------------
class Status(models.TextChoices):
    FILED = "filed", _("Filed online, awaiting receipt")
    RECEIVED = "received", _("Received")
    SUPPLEMENT = "supplement", _("Supplement requested")
    FEES_DUE = "fees_due", _("Fees due")
    PROCESSING = "processing", _("Processing")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Stopped")
    PROCESSED = "processed", _("Processed")
    RETURNED = "returned", _("Result returned")


OPEN_STATUSES = frozenset({"filed", "received", "supplement", "fees_due", "processing", "processed"})
CLOSED_STATUSES = frozenset({"refused", "withdrawn", "stopped", "returned"})
# the clock runs from receipt to the result: these are the states it counts in
CLOCKED_STATUSES = frozenset({"received", "processing", "processed"})


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper, at the desk")


class DossierQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> DossierQuerySet:
        if actor.is_board_side:
            return self.all()
        if actor.role == "enterprise" and actor.enterprise_id:
            return self.filter(enterprise_id=actor.enterprise_id)
        return self.none()


class Dossier(models.Model):
    """A dossier filed under a procedure: its parts, form, clock, steps and result."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers")
    enterprise = models.ForeignKey(
        "investment.Enterprise", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("enterprise")
    )
    project = models.ForeignKey(
        "investment.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("project"),
    )
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("zone"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.FILED, db_index=True)
    form = personal(
        models.JSONField(_("form"), default=dict, blank=True),
        subject=Subject.CONTACT,
        purpose=_(
            "to process the dossier (a work permit's form names the foreign expert, with nationality and position)"
        ),
        note=_("kept with the dossier, as the archives law asks of administrative records"),
    )
    filed_at = models.DateTimeField(_("filed at"), db_index=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True, db_index=True)
    due_at = models.DateTimeField(_("appointment for the result"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("first appointment"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_hours = models.FloatField(default=0)  # office hours the clock stood still, all told
    resume_status = models.CharField(max_length=20, blank=True)  # where a supplement or a fee returns it
    step = models.PositiveSmallIntegerField(_("step"), default=1)  # the order of the version's step that holds it
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("held by")
    )
    processed_at = models.DateTimeField(_("result signed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)
    closing_reason = models.TextField(_("reason"), blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days taken"), null=True, blank=True)
    supplements = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    apologies = models.PositiveSmallIntegerField(_("apologies"), default=0)
    rating = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["unit", "status"], name="dossier_queue"),
            # a unit's queue: its open dossiers, the earliest appointment first (selectors.dossiers_for)
            models.Index(
                fields=["unit", "due_at", "-filed_at"],
                name="dossier_open_queue",
                condition=Q(status__in=sorted(OPEN_STATUSES)),
            ),
            models.Index(fields=["procedure", "received_at"], name="dossier_by_procedure"),
            models.Index(fields=["zone", "closed_at"], name="dossier_by_zone"),
        ]
        constraints = [
            models.CheckConstraint(
                name="dossier_rating_1_to_5", condition=Q(rating__isnull=True) | Q(rating__range=(1, 5))
            )
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("dossier_detail", args=[self.code])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def _dossier_file_path(instance: DossierFile, filename: str) -> str:
    # the stored name never comes from the user: no path tricks, no overwrites
    import uuid

    return f"dossiers/{instance.dossier.filed_at:%Y}/{uuid.uuid4().hex}"


class DossierFile(models.Model):
    """A file of a dossier, for one of its parts. A supplement adds a newer file for a part: the
    older one stays, no longer current."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    part = models.ForeignKey(DossierPart, on_delete=models.PROTECT, related_name="+")
    file = personal(
        models.FileField(upload_to=_dossier_file_path, max_length=255),
        subject=Subject.USER,
        purpose=_("to process the dossier (a document may name the investor's people or a foreign expert)"),
        note=_("kept with the dossier, as the archives law asks of administrative records"),
    )
    original_name = personal(
        models.CharField(_("file name"), max_length=255),
        subject=Subject.USER,
        purpose=_("to process the dossier (a file's name may name a person)"),
        note=_("kept with the dossier, as the archives law asks of administrative records"),
    )
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    current = models.BooleanField(_("current"), default=True)
    supplement = models.ForeignKey(
        "SupplementRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["dossier", "part__order", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class DossierEvent(timeline_base(Dossier, case_field="dossier")):  # type: ignore[misc]
    class Meta:
        ordering = ["dossier", "at", "id"]


class DossierStep(models.Model):
    """A line of the processing-control slip: which unit held the dossier, who in it, from when
    to when, against which deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("step"))
    kind = models.CharField(_("kind"), max_length=20, choices=VersionStep.Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("from"))
    due_at = models.DateTimeField(_("due"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)

    class Meta:
        ordering = ["dossier", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.order}"

    @property
    def on_time(self) -> bool | None:
        if self.ended_at is None:
            return None
        return self.ended_at <= self.due_at


class SupplementRequest(models.Model):
    """One request to complete the dossier: everything missing at once, a reason for each item."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    number = models.PositiveSmallIntegerField(_("number"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_due = models.DateField(_("answer by"))
    before_receipt = models.BooleanField(default=False)
    why_new_items = models.TextField(_("why items not asked before are asked now"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["dossier", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="supplement_request_once")]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.number}"

    @property
    def document_name(self) -> str:
        return f"supplement-{self.number}"


class SupplementItem(models.Model):
    request = models.ForeignKey(SupplementRequest, on_delete=models.CASCADE, related_name="items")
    part = models.ForeignKey(DossierPart, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("form field"), max_length=50, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return self.field or str(self.part_id)

    @property
    def key(self) -> str:
        return f"part:{self.part_id}" if self.part_id else f"field:{self.field}"

    @property
    def label(self) -> str:
        """What the item names, as a person reads it: the part's name or the field's label."""
        from zonedesk.procedures.fields import FIELDS

        if self.part_id:
            return self.part.name if self.part else ""
        found = FIELDS.get(self.field)
        return str(found.label) if found else self.field


class Apology(models.Model):
    """A letter of apology for a dossier that will be late, with its new appointment, signed off
    by the head of the unit that holds it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apology_letters")
    number = models.PositiveSmallIntegerField(_("number"))
    issued_at = models.DateTimeField(_("issued at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason for the delay"))
    old_due_at = models.DateTimeField(_("appointment before"))
    new_due_at = models.DateTimeField(_("new appointment"))

    class Meta:
        ordering = ["dossier", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="apology_once")]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.number}"

    @property
    def document_name(self) -> str:
        return f"apology-{self.number}"


def _result_path(instance: Result, filename: str) -> str:
    import uuid

    return f"results/{instance.signed_at:%Y}/{uuid.uuid4().hex}.pdf"


class Result(models.Model):
    """The signed result of a dossier: its number, date and the PDF signed with the board's key."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result")
    code = models.CharField(_("number"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ResultKind.choices)
    decision_date = models.DateField(_("date of the decision"))
    summary = models.TextField(_("summary"))
    file = models.FileField(upload_to=_result_path, max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signer_name = personal(
        models.CharField(_("signed by"), max_length=255),
        subject=Subject.OFFICIAL,
        purpose=_("to show who signed the result, as an administrative document does"),
        note=_("kept with the result, as the archives law asks of administrative records"),
    )

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return self.code

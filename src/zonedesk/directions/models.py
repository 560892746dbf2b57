"""The follow-up of directions: a conclusion notice, a memorandum, a conference's conclusions or a
leader's instruction (`Direction`), the tasks it sets (`Task`, each with one lead unit: an agency
or commune, a division of the board or an enterprise), the lead unit's progress reports
(`ProgressReport`), the reminders sent (`TaskReminder`, each once) and what a task acts on
(`TaskLink`: a petition, a milestone, a dossier, a policy action, a prospect: `links`).

A task is finished only when its lead unit reported it done and the board accepted it; its
deadline is a date or none ("regular": reported on periodically, never due). The writes are in
`services.py`, the lifecycle in `workflow.py`, the figures in `figures.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zonedesk.cases.timeline import timeline_base
from zonedesk.core.models import bilingual
from zonedesk.core.permissions import Actor, RestrictedQuerySet
from zonedesk.privacy.marks import Subject, personal


class DirectionKind(models.TextChoices):
    NOTICE = "notice", _("Conclusion notice")
    MEMORANDUM = "memorandum", _("Memorandum of a working session")
    CONFERENCE = "conference", _("Conference conclusions")
    INSTRUCTION = "instruction", _("Leader's instruction")


def _lead_of_actor(actor: Actor) -> Q:
    """The tasks a person's own unit leads, supports or monitors (an agency, an enterprise)."""
    if actor.role == "agency" and actor.agency_id:
        return (
            Q(lead_agency_id=actor.agency_id)
            | Q(support_agencies=actor.agency_id)
            | Q(monitor_agencies=actor.agency_id)
        )
    if actor.role == "enterprise" and actor.enterprise_id:
        return Q(lead_enterprise_id=actor.enterprise_id)
    return Q(pk__in=[])


class DirectionQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> DirectionQuerySet:
        if actor.is_board_side:
            return self.all()
        if action != "view":
            return self.none()
        if actor.is_public:
            return self.filter(published=True)
        theirs = Task.objects.filter(_lead_of_actor(actor)).values("direction_id")
        return self.filter(Q(published=True) | Q(pk__in=theirs))


def _document_path(instance: Direction, filename: str) -> str:
    import uuid

    return f"directions/{instance.date:%Y}/{uuid.uuid4().hex}.pdf"


class Direction(models.Model):
    """A document that sets tasks: its kind, number, date, who issued it, and the PDF."""

    kind = models.CharField(_("kind"), max_length=20, choices=DirectionKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    date = models.DateField(_("date"), db_index=True)
    issuer = personal(
        models.CharField(_("issued by"), max_length=255),
        subject=Subject.OFFICIAL,
        purpose=_("to show who issued the direction, as an administrative document does"),
        note=_("kept with the direction, as the archives law asks of administrative records"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("document"), upload_to=_document_path, max_length=255, blank=True)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown to the public with its tasks (no personal data).")
    )
    conference = models.ForeignKey(
        "dialogue.Conference",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directions",
        verbose_name=_("conference"),
    )
    created_at = models.DateTimeField(_("recorded at"))
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )

    objects = DirectionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")

    def __str__(self) -> str:
        return f"{self.number} {self.title_vi}".strip()

    @property
    def title(self) -> str:
        return bilingual(self.title_vi, self.title_en)

    def get_absolute_url(self) -> str:
        return reverse("direction_detail", args=[self.pk])


class Status(models.TextChoices):
    ASSIGNED = "assigned", _("Newly assigned")
    IN_PROGRESS = "in_progress", _("Under way")
    REPORTED = "reported", _("Reported done, awaiting acceptance")
    DONE = "done", _("Done (accepted)")
    RETURNED = "returned", _("Returned for more work")


OPEN_STATUSES = frozenset({"assigned", "in_progress", "reported", "returned"})
# the lead unit still works on it: reminders and weekly reports
WORKING_STATUSES = frozenset({"assigned", "in_progress", "returned"})


class TaskQuerySet(RestrictedQuerySet):
    def visible_to(self, actor: Actor, action: str) -> TaskQuerySet:
        if actor.is_board_side:
            return self.all()
        if action != "view":
            return self.none()
        if actor.is_public:
            return self.filter(direction__published=True)
        return self.filter(Q(direction__published=True) | _lead_of_actor(actor)).distinct()

    def led_by_user(self, user) -> TaskQuerySet:
        """The tasks whose lead unit the person belongs to (their agency, enterprise or a unit of
        the board they are a member of)."""
        if user is None or not user.is_authenticated:
            return self.none()
        q = Q(pk__in=[])
        if user.role == "agency" and user.agency_id:
            q |= Q(lead_agency_id=user.agency_id)
        if user.role == "enterprise" and user.enterprise_id:
            q |= Q(lead_enterprise_id=user.enterprise_id)
        if user.role in {"board", "leader"}:
            q |= Q(lead_unit__memberships__user=user)
        return self.filter(q).distinct()


class Task(models.Model):
    """A task a direction sets: its content, one lead unit, those who support and monitor it, its
    deadline (none: a regular task, reported on periodically), its state and progress."""

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("number"))
    content = models.TextField(_("content"))
    lead_agency = models.ForeignKey(
        "core.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks"
    )
    lead_unit = models.ForeignKey(
        "procedures.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks"
    )
    lead_enterprise = models.ForeignKey(
        "investment.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks"
    )
    support_agencies = models.ManyToManyField("core.Agency", blank=True, related_name="supported_tasks")
    support_units = models.ManyToManyField("procedures.Unit", blank=True, related_name="supported_tasks")
    monitor_agencies = models.ManyToManyField("core.Agency", blank=True, related_name="monitored_tasks")
    monitor_units = models.ManyToManyField("procedures.Unit", blank=True, related_name="monitored_tasks")
    deadline = models.DateField(_("deadline"), null=True, blank=True, help_text=_("Empty: a regular task."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    assigned_at = models.DateTimeField(_("assigned at"))
    last_report_at = models.DateTimeField(_("last report"), null=True, blank=True)
    reported_done_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    done_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; a stale writer gets a conflict.")
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["direction", "number"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["direction", "number"], name="task_number_once"),
            models.CheckConstraint(
                name="task_one_lead",
                condition=Q(lead_agency__isnull=False, lead_unit__isnull=True, lead_enterprise__isnull=True)
                | Q(lead_agency__isnull=True, lead_unit__isnull=False, lead_enterprise__isnull=True)
                | Q(lead_agency__isnull=True, lead_unit__isnull=True, lead_enterprise__isnull=False),
            ),
            models.CheckConstraint(name="task_percent_0_100", condition=Q(percent__lte=100)),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="task_open_deadline")]

    def __str__(self) -> str:
        return f"{self.direction_id}.{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("direction_detail", args=[self.direction_id]) + f"#task-{self.pk}"

    @property
    def lead(self):
        return self.lead_agency or self.lead_unit or self.lead_enterprise

    @property
    def lead_key(self) -> str:
        if self.lead_agency_id:
            return f"agency:{self.lead_agency_id}"
        if self.lead_unit_id:
            return f"unit:{self.lead_unit_id}"
        return f"enterprise:{self.lead_enterprise_id}"

    @property
    def lead_name(self) -> str:
        lead = self.lead
        return str(getattr(lead, "name", lead or ""))

    @property
    def is_regular(self) -> bool:
        return self.deadline is None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < today


class TaskEvent(timeline_base(Task, case_field="task")):  # type: ignore[misc]
    class Meta:
        ordering = ["task", "at", "id"]


def _report_path(instance: ProgressReport, filename: str) -> str:
    import uuid

    return f"directions/reports/{instance.created_at:%Y}/{uuid.uuid4().hex}"


class ProgressReport(models.Model):
    """A report of the lead unit on its task: what was done, how far (%), whether it is done."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField(_("report"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    done = models.BooleanField(_("reports the task done"), default=False)
    created_at = models.DateTimeField(_("reported at"), db_index=True)
    file = personal(
        models.FileField(_("file"), upload_to=_report_path, max_length=255, blank=True),
        subject=Subject.USER,
        purpose=_("to follow the task (a report's document may name the people who worked on it)"),
        note=_("kept with the task, as the archives law asks of administrative records"),
    )
    original_name = personal(
        models.CharField(_("file name"), max_length=255, blank=True),
        subject=Subject.USER,
        purpose=_("to follow the task (a file's name may name a person)"),
        note=_("kept with the task, as the archives law asks of administrative records"),
    )

    class Meta:
        ordering = ["task", "-created_at", "-id"]
        constraints = [models.CheckConstraint(name="report_percent_0_100", condition=Q(percent__lte=100))]

    def __str__(self) -> str:
        return f"{self.task_id} {self.created_at:%Y-%m-%d} {self.percent}%"


class TaskReminder(models.Model):
    """A reminder or an escalation sent about a task: each `key` once (`before:7`, `before:3`,
    `before:1`, `overdue:1`, `overdue:2`, `report:<period>`)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=40)
    sent_on = models.DateField(_("sent on"))
    told = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["task", "sent_on", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "key"], name="task_reminder_once")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.key}"


class TaskLink(models.Model):
    """What a task acts on: a kind registered in `links` and the target's code or id."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=30)
    target = models.CharField(_("target"), max_length=64)

    class Meta:
        ordering = ["task", "kind", "target"]
        constraints = [models.UniqueConstraint(fields=["task", "kind", "target"], name="task_link_once")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}"

"""A web import of a spreadsheet on its way: the uploaded file, the column mapping, the progress
of the background step and its report (the dry run's counts and problems)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zonedesk.core.jobs import Job


def _upload_path(instance: SheetImport, filename: str) -> str:
    # the stored name never comes from the user (only its checked extension)
    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    ext = ext if ext in {".xlsx", ".csv"} else ""
    return f"sheets/{uuid.uuid4().hex}{ext}"


class SheetImport(Job):
    """A `core.jobs.Job`: a running step that looks stalled (`Job.stalled`: its worker died) may be
    queued again (`services.job_queue`)."""

    class Kind(models.TextChoices):
        ENTERPRISES = "enterprises", _("Enterprises")
        PROJECTS = "projects", _("Projects")
        REPORTS = "reports", _("Periodic reports")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        READY = "ready", _("Checked")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        CHECK = "check", _("Checking the file")
        APPLY = "apply", _("Importing")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=_upload_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)  # field -> the file's header
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.CHECK)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("sheet_import_detail", args=[self.pk])

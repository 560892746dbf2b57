"""Background work of the web import (run by `zonedesk worker`): the check of an uploaded file
(the dry run) and its import, with the progress stored on the job for the page's bar.

The import checks the file again (the registry may have changed since the dry run) and writes it
in one transaction together with the job's "imported": a worker killed midway leaves neither the
records nor a job marked done; the job then looks stalled and the file can be checked again."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.sheets import services
from zonedesk.sheets.kinds import KINDS, check_file
from zonedesk.sheets.models import SheetImport

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between two writes of the progress


def _progress(job_id: int, *, offset: int = 0, scale: int = 1):
    """A progress callback writing the job's bar; `offset`/`scale` place a stage in the bar
    (the import's check is its first half, the writing its second)."""
    last = [0.0]

    def tell(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or (total and done >= total):
            last[0] = now
            SheetImport.objects.filter(pk=job_id).update(
                progress_done=offset * total + done, progress_total=scale * total, updated_at=timezone.now()
            )

    return tell


def _claim(job_id: int) -> SheetImport | None:
    with transaction.atomic():
        claimed = SheetImport.objects.filter(pk=job_id, status=SheetImport.Status.QUEUED).update(
            status=SheetImport.Status.RUNNING, progress_done=0, progress_total=0, error="", updated_at=timezone.now()
        )
    return SheetImport.objects.select_related("created_by").get(pk=job_id) if claimed else None


def requeue_abandoned(job_id: int) -> None:
    """Before the task runs again after its worker died (`core.workers.recover_abandoned`): the job
    waits for its run again, at the same step (what the dead run wrote was rolled back with it)."""
    SheetImport.objects.filter(pk=job_id, status=SheetImport.Status.RUNNING).update(
        status=SheetImport.Status.QUEUED, updated_at=timezone.now()
    )


def _save(job: SheetImport, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    SheetImport.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


@task()
def sheet_import_run(job_id: int) -> str:
    """Run the step the job waits for; returns the job's new status."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    kind = KINDS[job.kind]
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            applying = job.step == SheetImport.Step.APPLY
            check = check_file(
                kind,
                job.file.path,
                by=job.created_by,
                mapping=job.mapping,
                progress=_progress(job.pk, scale=2 if applying else 1),
            )
            if not applying or not check.ok:
                report = check.summary()
                if applying:
                    report["refusal"] = _("The registry changed since the check: the file now has problems.")
                _save(job, status=SheetImport.Status.READY, step=SheetImport.Step.CHECK, report=report)
                return job.status
            stored = job.file.name
            try:
                with transaction.atomic():  # the records and the job's "imported" together, or neither
                    services.apply(
                        check,
                        by=job.created_by,
                        progress=_progress(job.pk, offset=1, scale=2),
                        source=_("web import %(id)s: %(name)s") % {"id": job.pk, "name": job.original_name},
                    )
                    _save(job, status=SheetImport.Status.DONE, report=check.summary(), file="")
                    transaction.on_commit(lambda: job.file.storage.delete(stored))
            except (ServiceError, IntegrityError) as exc:
                report = check.summary()
                report["refusal"] = (
                    " ".join(m for ms in error_dict(exc).values() for m in ms)
                    if isinstance(exc, ServiceError)
                    else _("A record of this file was registered meanwhile: nothing was saved. Check the file again.")
                )
                _save(job, status=SheetImport.Status.READY, step=SheetImport.Step.CHECK, report=report)
            return job.status
    except ServiceError as exc:  # the file could not be read
        report = {
            "problem_count": 1,
            "problems": [],
            "refusal": " ".join(m for ms in error_dict(exc).values() for m in ms),
        }
        _save(job, status=SheetImport.Status.READY, step=SheetImport.Step.CHECK, report=report)
        return job.status
    except Exception:
        log.exception("spreadsheet import %s failed", job_id)
        _save(
            job,
            status=SheetImport.Status.FAILED,
            error=_("The import stopped on an unexpected error. Nothing was saved; try again or ask an administrator."),
        )
        return job.status

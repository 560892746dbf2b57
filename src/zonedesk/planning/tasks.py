"""Background work of the plan (run by `zonedesk worker`): the analysis and the commit of a web
import (`ImportJob`), with their progress stored on the job for the page to show.

Every write of a running job also writes `updated_at`, the job's heartbeat: a job whose worker
died stays "running" with an old heartbeat, and the board may discard it
(`services.import_job_discard`). A job discarded while its step still runs is left alone: the
step stops at its next write and saves nothing."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.planning import imports
from zonedesk.planning.models import ImportJob

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between writes of the progress


def _progress(job_id: int):
    last = [0.0]

    def tell(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or (total and done >= total):
            last[0] = now
            ImportJob.objects.filter(pk=job_id).update(
                progress_done=done, progress_total=total, updated_at=timezone.now()
            )

    return tell


def _claim(job_id: int) -> ImportJob | None:
    """The job, marked running, if it is waiting; None if another run has it or it is gone."""
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.RUNNING, progress_done=0, progress_total=0, error="", updated_at=timezone.now()
        )
    return ImportJob.objects.select_related("zone", "decision", "created_by").get(pk=job_id) if claimed else None


def _analyse(job: ImportJob, *, extra_stages: int = 0) -> imports.Analysis:
    with job.file.open("rb") as stream:
        return imports.analyse(
            zone=job.zone,
            layer=job.layer,
            source=stream,
            name=job.original_name,
            mapping=job.mapping,
            crs=job.crs or None,
            source_layer=job.source_layer,
            effective_date=job.effective_date,
            progress=_progress(job.pk),
            extra_stages=extra_stages,
        )


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        log.warning("could not remove the uploaded plan file %s", name)


class Discarded(Exception):
    """The job was discarded (`services.import_job_discard`) while its step ran."""


def requeue_abandoned(job_id: int) -> None:
    """Before the task runs again after its worker died (`core.workers.recover_abandoned`): the job
    waits for its run again, at the same step (what the dead run wrote was rolled back with it)."""
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.QUEUED, updated_at=timezone.now()
    )


def _save(job: ImportJob, **fields) -> None:
    """The step's outcome on the running job, or `Discarded` when the job is no longer there."""
    for name, value in fields.items():
        setattr(job, name, value)
    job.updated_at = timezone.now()
    if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
        **fields, updated_at=job.updated_at
    ):
        raise Discarded


@task()
def plan_import_run(job_id: int) -> str:
    """Run the step the job waits for: check the file (and keep the guessed mapping), or check it
    again and save it as a revision. Returns the job's new status; runs at most once per queueing."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            if job.step == ImportJob.Step.ANALYSE:
                analysis = _analyse(job)
                _save(
                    job,
                    status=ImportJob.Status.READY,
                    report=analysis.report,
                    # a file that could not be read yet has no attributes: guess again once it can be
                    mapping=job.mapping if job.mapping is not None else (analysis.report["mapping"] or None),
                    accepted_repairs=[],
                )
                return job.status
            # commit: check again what is saved now (the file, the land uses, the boundary), save it
            analysis = _analyse(job, extra_stages=1)
            stored = job.file.name
            try:
                with transaction.atomic():  # the revision and the job's "done" together, or neither
                    revision = imports.commit(
                        analysis,
                        by=job.created_by,
                        effective_date=job.effective_date,
                        decision=job.decision,
                        note=job.note,
                        accept_repairs=bool(job.accepted_repairs),
                        accepted=job.accepted_repairs,
                    )
                    _save(job, status=ImportJob.Status.DONE, revision=revision, report=analysis.report, file="")
                    if stored:  # the revision keeps the features; the upload is not needed
                        transaction.on_commit(lambda: _delete_quietly(job.file.storage, stored))
            except ServiceError as exc:
                report = dict(analysis.report)
                report["refusal"] = [m for ms in error_dict(exc).values() for m in ms]
                _save(job, status=ImportJob.Status.READY, step=ImportJob.Step.ANALYSE, report=report)
                return job.status
            return job.status
    except Discarded:
        log.info("plan import %s was discarded while it ran: nothing saved", job_id)
        return "discarded"
    except Exception:
        log.exception("plan import %s failed", job_id)
        try:
            _save(
                job,
                status=ImportJob.Status.FAILED,
                error=_(
                    "The import stopped on an unexpected error. Nothing was saved; try again or ask an administrator."
                ),
            )
        except Discarded:
            return "discarded"
        return job.status

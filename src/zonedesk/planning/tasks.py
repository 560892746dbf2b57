"""Background work of the plan (run by `zonedesk worker`): the analysis and the commit of a web
import (`ImportJob`, a `core.jobs` kind), with their progress stored on the job for the page to
show.

Every write of a running job also writes `updated_at`, the job's heartbeat: a job whose worker
died stays "running" with an old heartbeat, and the board may discard it
(`services.import_job_discard`). A job discarded while its step still runs is left alone: the
step stops at its next write (`jobs.save` raises `jobs.Discarded`) and saves nothing."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from zonedesk.core import jobs
from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.planning import imports
from zonedesk.planning.models import ImportJob

log = logging.getLogger(__name__)


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
            progress=jobs.progress(job),
            extra_stages=extra_stages,
        )


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        log.warning("could not remove the uploaded plan file %s", name)


def _step(job: ImportJob) -> None:
    if job.step == ImportJob.Step.ANALYSE:
        analysis = _analyse(job)
        jobs.save(
            job,
            status=ImportJob.Status.READY,
            report=analysis.report,
            # a file that could not be read yet has no attributes: guess again once it can be
            mapping=job.mapping if job.mapping is not None else (analysis.report["mapping"] or None),
            accepted_repairs=[],
        )
        return
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
            jobs.save(job, status=ImportJob.Status.DONE, revision=revision, report=analysis.report, file="")
            if stored:  # the revision keeps the features; the upload is not needed
                transaction.on_commit(lambda: _delete_quietly(job.file.storage, stored))
    except ServiceError as exc:
        report = dict(analysis.report)
        report["refusal"] = [m for ms in error_dict(exc).values() for m in ms]
        jobs.save(job, status=ImportJob.Status.READY, step=ImportJob.Step.ANALYSE, report=report)


@task()
def plan_import_run(job_id: int) -> str:
    """Run the step the job waits for: check the file (and keep the guessed mapping), or check it
    again and save it as a revision. Returns the job's new status; runs at most once per queueing."""
    return jobs.run(ImportJob, job_id, _step)


@task()
def reservations_tick() -> int:
    """The periodic work: reservations past their date are released."""
    from zonedesk.planning.reservations import reservations_expire

    return reservations_expire()

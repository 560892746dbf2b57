"""Background work of the web import (run by `zonedesk worker`): the check of an uploaded file
(the dry run) and its import, with the progress stored on the job for the page's bar
(`SheetImport`, a `core.jobs` kind).

The import checks the file again (the registry may have changed since the dry run) and writes it
in one transaction together with the job's "imported": a worker killed midway leaves neither the
records nor a job marked done; the job then looks stalled and the file can be checked again."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_tasks import task

from zonedesk.core import jobs
from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.sheets import services
from zonedesk.sheets.kinds import KINDS, check_file
from zonedesk.sheets.models import SheetImport


def _checked(job: SheetImport, report: dict) -> None:
    jobs.save(job, status=SheetImport.Status.READY, step=SheetImport.Step.CHECK, report=report)


def _step(job: SheetImport) -> None:
    kind = KINDS[job.kind]
    try:
        applying = job.step == SheetImport.Step.APPLY
        check = check_file(
            kind,
            job.file.path,
            by=job.created_by,
            mapping=job.mapping,
            progress=jobs.progress(job, scale=2 if applying else 1),
        )
    except ServiceError as exc:  # the file could not be read
        refusal = " ".join(m for ms in error_dict(exc).values() for m in ms)
        _checked(job, {"problem_count": 1, "problems": [], "refusal": refusal})
        return
    if not applying or not check.ok:
        report = check.summary()
        if applying:
            report["refusal"] = _("The registry changed since the check: the file now has problems.")
        _checked(job, report)
        return
    stored = job.file.name
    try:
        with transaction.atomic():  # the records and the job's "imported" together, or neither
            services.apply(
                check,
                by=job.created_by,
                progress=jobs.progress(job, offset=1, scale=2),
                source=_("web import %(id)s: %(name)s") % {"id": job.pk, "name": job.original_name},
            )
            jobs.save(job, status=SheetImport.Status.DONE, report=check.summary(), file="")
            transaction.on_commit(lambda: job.file.storage.delete(stored))
    except (ServiceError, IntegrityError) as exc:
        report = check.summary()
        report["refusal"] = (
            " ".join(m for ms in error_dict(exc).values() for m in ms)
            if isinstance(exc, ServiceError)
            else _("A record of this file was registered meanwhile: nothing was saved. Check the file again.")
        )
        _checked(job, report)


@task()
def sheet_import_run(job_id: int) -> str:
    """Run the step the job waits for; returns the job's new status."""
    return jobs.run(SheetImport, job_id, _step)

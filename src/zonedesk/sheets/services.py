"""The writes of spreadsheet imports: a checked file, all or nothing, and the web import's jobs.

`import_file` checks a file (`kinds.check_file`) and, when no row has a problem, writes its new
records in one transaction (`apply`): an error or an interruption anywhere in it (the worker
killed, the database gone) leaves the database as it was. The figures generation is bumped in
the same transaction, so every cached figure shows the new records once they are there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zonedesk.core import audit, files, jobs
from zonedesk.core.errors import ServiceError
from zonedesk.core.generations import generation_bump
from zonedesk.core.permissions import has_capability
from zonedesk.investment import services as registry
from zonedesk.investment.imports import write_reports
from zonedesk.investment.selectors import FIGURES_GENERATION
from zonedesk.sheets.kinds import KINDS, Check, Kind, Progress, check_file
from zonedesk.sheets.models import SheetImport

MAX_UPLOAD = 100 * 1024 * 1024  # 100 MB: about a million rows of reports
SUFFIXES = (".xlsx", ".csv")
# a workbook of a million rows unpacks to some hundreds of MB; a "zip bomb" to far more
WORKBOOK_ZIP = files.ZipLimits(entries=2_000, unpacked=2 * 1024 * 1024 * 1024, ratio=100)


def may_import(user: Any, kind: str) -> bool:
    """The board imports every kind; an enterprise imports its own periodic reports."""
    if has_capability(user, "registry.edit"):
        return True
    return kind == "reports" and has_capability(user, "report.file")


def kinds_for(user: Any) -> list[Kind]:
    return [k for slug, k in KINDS.items() if may_import(user, slug)]


@transaction.atomic
def apply(check: Check, *, by: Any = None, progress: Progress | None = None, source: str = "") -> None:
    """Write the new records of a checked file without problems, all or nothing. A record
    registered meanwhile under the same code makes a unique constraint refuse the whole file.
    `source` names the import in the audit trail (the file, the web import's job)."""
    if not check.ok:
        raise ServiceError({"file": _("A file with problems is not imported.")})
    with audit.acting(by), audit.importing(source):
        if check.kind == "enterprises":
            registry.enterprises_create(new=check.new, progress=progress)
        elif check.kind == "projects":
            registry.projects_register(new=check.new, by=by, progress=progress)
        else:
            write_reports(check.new, progress)
    generation_bump(FIGURES_GENERATION)


def import_file(
    kind: str,
    path: str | Path,
    *,
    by: Any = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    saving: Progress | None = None,
) -> Check:
    """Check a file and, when no row has a problem and this is not a dry run, write it. Raises
    `ServiceError` (nothing written) when a row has a problem; the check is in `exc.check`."""
    if by is not None and not may_import(by, kind):
        raise ServiceError({"file": _("You may not import this kind of file.")})
    check = check_file(KINDS[kind], path, by=by, mapping=mapping, progress=progress)
    if not check.ok:
        error = ServiceError(
            {"file": _("%(n)s problems in the file: nothing was imported.") % {"n": len(check.problems)}}
        )
        error.check = check  # type: ignore[attr-defined]
        raise error
    if not dry_run and check.new:
        apply(check, by=by, progress=saving, source=Path(path).name)
    return check


# --- the web import's jobs -------------------------------------------------------------------------


@transaction.atomic
def job_create(*, kind: str, upload: UploadedFile, by: Any) -> SheetImport:
    """Keep an uploaded file as a job waiting for its check (queued by the caller's `job_queue`)."""
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = _("Choose what the file holds.")
    elif not may_import(by, kind):
        errors["kind"] = _("You may not import this kind of file.")
    name = Path(upload.name or "").name
    if not name.lower().endswith(SUFFIXES):
        errors["file"] = _("Choose an XLSX or CSV file.")
    elif upload.size > MAX_UPLOAD:
        errors["file"] = _("The file is larger than %(n)s MB.") % {"n": MAX_UPLOAD // (1024 * 1024)}
    elif upload.size == 0:
        errors["file"] = _("The file is empty.")
    else:  # what the bytes are, whatever the name says: a real workbook (no macros, no bomb) or UTF-8 text
        try:
            content = files.detect(upload.file if hasattr(upload, "file") else upload, zip_limits=WORKBOOK_ZIP)
        except files.Refused as exc:
            errors["file"] = str(exc)
        else:
            wanted = "xlsx" if name.lower().endswith(".xlsx") else "text"
            if content.code != wanted:
                errors["file"] = _("The content of the file is %(kind)s, not what its name says (XLSX or CSV).") % {
                    "kind": content.label
                }
        upload.seek(0)
    if errors:
        raise ServiceError(errors)
    job = SheetImport(kind=kind, original_name=name[:255], created_by=by, language=get_language() or "")
    job.file.save(name, upload, save=False)
    jobs.queue(job, SheetImport.Step.CHECK)
    return job


def _lock(job: SheetImport) -> SheetImport:
    return SheetImport.objects.select_for_update().get(pk=job.pk)


@transaction.atomic
def job_queue(*, job: SheetImport, step: str, mapping: dict[str, str] | None = None) -> SheetImport:
    """Queue the check (again, with a new mapping) or the saving of a checked file. Refused while
    the job runs (unless it looks stalled: its worker died), once it is saved, and for saving a
    file whose check found problems."""
    locked = _lock(job)
    if locked.status == SheetImport.Status.DONE:
        raise ServiceError({"job": _("This file is already imported.")})
    if locked.status == SheetImport.Status.RUNNING and not locked.stalled:
        raise ServiceError({"job": _("The file is being worked on: wait until it is done.")})
    if step == SheetImport.Step.APPLY and (
        locked.status != SheetImport.Status.READY or locked.report.get("problem_count")
    ):
        raise ServiceError({"job": _("Only a checked file without problems can be imported.")})
    if not locked.file:
        raise ServiceError({"job": _("The uploaded file is no longer kept: upload it again.")})
    if mapping is not None:
        locked.mapping = {k: v for k, v in mapping.items() if v}
    jobs.queue(locked, step, also=["mapping"])  # the task's row is written with the job's change, or not at all
    job.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked

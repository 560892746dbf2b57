"""Background jobs: a record the worker (`zonedesk worker`) works on, step by step, while a page
shows its progress — the web imports of plan files (`planning.ImportJob`) and of spreadsheets
(`sheets.SheetImport`), and the kinds that come next.

A job kind is a concrete model on the abstract `Job` (its own fields: the file, the choices of
the person who started it, a `step` field with the steps it runs) and one task that runs a step,
registered with `register` in its app's `AppConfig.ready`. The life of a job:

- `queue(job, step)`: the job waits for the worker at that step (status "queued"); the task's
  row is written in the same transaction, so the job is queued with its change or not at all.
- `run(Model, job_id, work)` (the task's body): `claim` takes the job if it is still queued
  (status "running", the progress reset), runs `work(job)` in the language of the person who
  queued it, and turns an unexpected error into status "failed" with the kind's
  `failure_message`. `work` ends the step with `save(job, status=..., ...)`.
- `progress(job)` gives the callback that writes the progress bar (`progress_done` of
  `progress_total`), at most every `PROGRESS_EVERY` seconds; each write, and `heartbeat(job)`,
  is a sign of life (`updated_at`).
- A job "running" without a sign of life for `STALLED_AFTER` looks stalled (`Job.stalled`): its
  worker died. The kind's pages then offer to queue it again or discard it.
- Each `claim` is one more `attempt` of the job, and a step writes (`progress`, `heartbeat`,
  `save`) only while the job is running as its attempt: a job discarded (deleted) or queued
  again while its step went on — even claimed again by another worker, running again — makes
  the old step's `save` raise `Discarded`, so its transaction writes nothing (`run` returns
  "discarded"), and its progress no longer moves the bar nor keeps the job alive.
- `requeue(Model, job_id)`: before the task runs again after its worker died, the job waits
  again at the same step (what the dead run wrote was rolled back with it). `register` registers
  it with `core.workers.register_retry`, so `recover_abandoned` calls it for every kind.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

# A running job without a sign of life from its worker for this long looks stalled (the worker died).
STALLED_AFTER = dt.timedelta(minutes=10)
PROGRESS_EVERY = 0.5  # seconds between two writes of a job's progress

QUEUED, RUNNING, READY, DONE, FAILED = "queued", "running", "ready", "done", "failed"


class Job(models.Model):
    """The state every background job shares. A kind may declare its own `Status` (the same five
    values, its own words: "Saved", "Imported") and `status` field, and its own `step` field with the
    steps it runs as choices."""

    class Status(models.TextChoices):
        QUEUED = QUEUED, _("Waiting for the worker")
        RUNNING = RUNNING, _("Running")
        READY = READY, _("Checked")
        DONE = DONE, _("Done")
        FAILED = FAILED, _("Failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=10, blank=True)  # a kind declares its own, with its steps as choices
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)  # what the step found, for the job's page
    error = models.TextField(blank=True)  # why it failed
    language = models.CharField(max_length=10, blank=True)  # of the person who queued the step
    # which claim of the job runs its step: each `claim` counts one more, and a step writes only
    # while the job is still its claim's (an older step, whose job was queued again, writes nothing)
    attempt = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # also the heartbeat of a running step

    # the reason a failed job shows (the step's own transaction saved nothing)
    failure_message = _(
        "The import stopped on an unexpected error. Nothing was saved; try again or ask an administrator."
    )

    class Meta:
        abstract = True

    @property
    def busy(self) -> bool:
        return self.status in {QUEUED, RUNNING}

    @property
    def stalled(self) -> bool:
        """Running, but without a sign of life from its worker for `STALLED_AFTER`."""
        return bool(self.status == RUNNING and self.updated_at < timezone.now() - STALLED_AFTER)

    @property
    def stalled_minutes(self) -> int:
        return int(STALLED_AFTER.total_seconds() // 60)

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, int(100 * self.progress_done / self.progress_total))


J = TypeVar("J", bound=Job)


class Discarded(Exception):
    """The job was deleted or queued again while its step ran: the step saves nothing."""


@dataclass(frozen=True)
class Kind:
    model: type[Job]
    task: Any  # a django_tasks Task taking the job's id
    related: tuple[str, ...] = ()  # what `claim` reads with the job (select_related)


_KINDS: dict[type[Job], Kind] = {}


def register(model: type[Job], task: Any, *, related: Iterable[str] = ()) -> None:
    """Declare a job kind: its model and the task that runs its steps (from `AppConfig.ready`).
    Its retry is registered with the worker too: before the task runs again after its worker
    died (`core.workers.recover_abandoned`), the job waits again at its step (`requeue`)."""
    from zonedesk.core import workers  # not at import time: the job models import this module

    _KINDS[model] = Kind(model=model, task=task, related=tuple(related))
    workers.register_retry(task.module_path, functools.partial(requeue, model))


def kind_of(model: type[Job]) -> Kind:
    try:
        return _KINDS[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} is not a registered job kind (core.jobs.register)") from None


@transaction.atomic
def queue(job: J, step: str, *, also: Iterable[str] = ()) -> J:
    """The job waits for the worker at `step`, its progress and error cleared; `also` names
    fields the caller changed on `job` to save with it. The task's row is written in this
    transaction. Whether the job may be queued is the kind's service's to decide."""
    job.step = step
    job.status = QUEUED
    job.progress_done = job.progress_total = 0
    job.error = ""
    if job.pk is None:
        job.save()
    else:
        job.save(update_fields=["step", "status", "progress_done", "progress_total", "error", "updated_at", *also])
    kind_of(type(job)).task.enqueue(job.pk)
    return job


def claim(model: type[J], job_id: int) -> J | None:
    """The job, marked running, if it is waiting; None if another run has it or it is gone. Each
    claim is one more `attempt`: the step's writes (`progress`, `heartbeat`, `save`) name it."""
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=job_id, status=QUEUED).update(
            status=RUNNING,
            attempt=models.F("attempt") + 1,
            progress_done=0,
            progress_total=0,
            error="",
            updated_at=timezone.now(),
        )
        if not claimed:
            return None
        # read in the claim's transaction (the row is still locked): the attempt is this claim's
        job: J = model._default_manager.select_related(*kind_of(model).related).get(pk=job_id)
    return job


def _mine(job: Job) -> models.QuerySet[Any]:
    """The job's row while the step that holds `job` runs it (not deleted, not claimed again)."""
    return type(job)._default_manager.filter(pk=job.pk, status=RUNNING, attempt=job.attempt)


def progress(job: Job, *, offset: int = 0, scale: int = 1) -> Callable[[int, int], None]:
    """A callback `(done, total)` writing the job's progress bar and heartbeat; `offset`/`scale`
    place a stage in the bar (a check that is the first half of a step, the writing its second:
    `scale=2`, then `offset=1, scale=2`)."""
    last = [0.0]

    def tell(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or (total and done >= total):
            last[0] = now
            _mine(job).update(
                progress_done=offset * total + done, progress_total=scale * total, updated_at=timezone.now()
            )

    return tell


def heartbeat(job: Job) -> None:
    """A sign of life of a running step that has no progress to tell."""
    _mine(job).update(updated_at=timezone.now())


def save(job: Job, **fields: Any) -> None:
    """The step's outcome on the running job (`status=READY/DONE...` and the kind's fields), or
    `Discarded` when the job is no longer this step's: deleted, or queued again as stalled (and
    perhaps claimed again by another worker, whose step is now the job's)."""
    for name, value in fields.items():
        setattr(job, name, value)
    job.updated_at = timezone.now()
    if not _mine(job).update(**fields, updated_at=job.updated_at):
        raise Discarded


def requeue(model: type[Job], job_id: int) -> None:
    """A running job waits for its run again, at the same step (its worker died)."""
    model._default_manager.filter(pk=job_id, status=RUNNING).update(status=QUEUED, updated_at=timezone.now())


def run(model: type[J], job_id: int, work: Callable[[J], Any]) -> str:
    """The body of a job kind's task: claim the job, run `work(job)` (which ends with `save`) in
    the job's language, and return the job's new status — "skipped" when it was not waiting,
    "discarded" when it went away meanwhile, "failed" on an unexpected error."""
    job = claim(model, job_id)
    if job is None:
        return "skipped"
    name = model._meta.label
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            work(job)
        return str(job.status)
    except Discarded:
        log.info("%s %s was discarded while it ran: nothing saved", name, job_id)
        return "discarded"
    except Exception:
        log.exception("%s %s failed", name, job_id)
        try:
            save(job, status=FAILED, error=str(job.failure_message))
        except Discarded:
            return "discarded"
        return str(job.status)

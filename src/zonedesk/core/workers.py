"""The workers' signs of life, and the tasks of a worker that died.

A task of the database queue is a row that `db_worker` marks running when it claims it and done
when it finishes; a worker killed in between (SIGKILL, a machine lost) leaves the row running
for ever, and its work undone: the work itself is in transactions that the database rolled back.
Each `zonedesk worker` therefore registers itself (`WorkerBeat`: machine, process, last beat,
written every `BEAT_EVERY` seconds by a thread), and before each look for tasks it runs
`recover_abandoned`: a running task whose worker is gone goes back to the queue, once (its second
claim makes it its second attempt); abandoned twice, it fails with the reason, so that a task that
kills its worker does not kill every worker in turn.

A worker is gone when its process no longer exists on this machine (the same process id with the
same start time: a reused id is another process), or, on another machine, when it has not beaten
for `WORKER_STALE_SECONDS`. The machine is told by its host name, so containers sharing one must
have names of their own (Docker and Kubernetes give each its own).

Before a retry, the task's own state is reset by the function `RETRY_PREPARE` holds for it,
called with the task's arguments: a background job's task (`core.jobs.register` registers it
for every job kind) puts its job back in the queue, which its run waits for; the other tasks
are idempotent as they are (an e-mail records that it was sent, the periodic work looks at the
clock).

The apps register what is theirs in their AppConfig.ready(), so that core imports no app: their
periodic work (`register_periodic`, by dotted path, queued by `zonedesk worker` every tick) and
the reset before a retry (`register_retry`; a job kind gets it from `core.jobs.register`).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zonedesk.core.models import WorkerBeat

log = logging.getLogger(__name__)

BEAT_EVERY = 10.0  # seconds between two beats of a worker
MAX_ATTEMPTS = 2  # a task's first run and one retry after its worker died
# a task's path → the function (or its dotted path) that resets its state before a retry
RETRY_PREPARE: dict[str, Callable[..., Any] | str] = {}
PERIODIC: list[str] = []  # the paths of the periodic tasks, in the order they are queued


def register_retry(task_path: str, prepare: Callable[..., Any] | str) -> None:
    """Before `task_path` runs again after its worker died, call `prepare` (a function or its
    dotted path) with the task's arguments."""
    RETRY_PREPARE[task_path] = prepare


def register_periodic(task_path: str) -> None:
    """Queue the task at `task_path` (no arguments) at every tick of the worker."""
    if task_path not in PERIODIC:
        PERIODIC.append(task_path)


def periodic_tasks() -> list:
    """The periodic tasks the apps registered (`zonedesk worker` queues each at every tick)."""
    return [import_string(path) for path in PERIODIC]


class AbandonedTaskError(Exception):
    """The reason recorded on a task whose worker died on each of its attempts."""


def _stale_after():
    return timedelta(seconds=settings.WORKER_STALE_SECONDS)


def process_start(pid: int) -> str:
    """The start time of a process in the kernel's clock ticks ('' where /proc does not tell)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            # the name (2nd field) is in parentheses and may hold spaces: count after its end
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _alive_here(pid: int, started: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # a process of another user: it exists
    return not started or process_start(pid) == started


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"


def register(worker_id: str) -> WorkerBeat:
    now = timezone.now()
    with transaction.atomic():
        return WorkerBeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname(),
            pid=os.getpid(),
            process_start=process_start(os.getpid()),
            started_at=now,
            beat_at=now,
        )


def beat(worker_id: str) -> None:
    with transaction.atomic():
        WorkerBeat.objects.filter(pk=worker_id).update(beat_at=timezone.now())


def forget(worker_id: str) -> None:
    with transaction.atomic():
        WorkerBeat.objects.filter(pk=worker_id).delete()


def live_workers(now=None) -> set[str]:
    now = now or timezone.now()
    here = socket.gethostname()
    return {
        w.worker_id
        for w in WorkerBeat.objects.all()
        if (_alive_here(w.pid, w.process_start) if w.host == here else w.beat_at >= now - _stale_after())
    }


def recover_abandoned(now=None) -> dict[str, list[str]]:
    """Put back in the queue, once, the running tasks whose worker is gone; fail those abandoned
    twice. Returns the ids of both, and forgets the workers that are gone."""
    now = now or timezone.now()
    done: dict[str, list[str]] = {"retried": [], "failed": []}
    with transaction.atomic():
        live = live_workers(now)
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(status=TaskResultStatus.RUNNING)
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in live:
                continue
            if len(result.worker_ids) < MAX_ATTEMPTS:
                prepare = RETRY_PREPARE.get(result.task_path)
                if prepare is not None:
                    if isinstance(prepare, str):
                        prepare = import_string(prepare)
                    args_kwargs = result.args_kwargs or {}
                    prepare(*args_kwargs.get("args", []), **args_kwargs.get("kwargs", {}))
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                done["retried"].append(str(result.pk))
                log.warning(
                    "task %s (%s) abandoned by worker %s: queued again", result.pk, result.task_path, result.worker_ids
                )
            else:
                result.set_failed(
                    AbandonedTaskError(f"the worker died on each of the {len(result.worker_ids)} attempts of this task")
                )
                done["failed"].append(str(result.pk))
                log.error("task %s (%s) abandoned on each attempt: failed", result.pk, result.task_path)
        WorkerBeat.objects.exclude(pk__in=live).filter(beat_at__lt=now - _stale_after()).delete()
        here = socket.gethostname()
        WorkerBeat.objects.filter(host=here).exclude(pk__in=live).delete()
    return done


class Heart:
    """The thread that beats for a worker while its tasks run (with its own connection)."""

    def __init__(self, worker_id: str, every: float = BEAT_EVERY):
        self.worker_id, self.every = worker_id, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="zonedesk-worker-beat", daemon=True)

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                beat(self.worker_id)
            except Exception:  # a locked or lost database: the next beat tries again
                log.warning("worker %s could not beat", self.worker_id, exc_info=True)
            finally:
                connection.close()

    def __enter__(self) -> Heart:
        register(self.worker_id)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=self.every + 5)
        forget(self.worker_id)

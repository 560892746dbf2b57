"""Issue 8, faults: a worker killed in the middle of a task. Its work is in a transaction the
database rolls back, its task stays marked running; the next worker sees that its worker is gone,
puts the task back in the queue once, and the work is done once (`core.workers`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from tests.conftest import make_tax_code
from tests.test_sheets import ENTERPRISES, write_csv
from zonedesk.core import workers
from zonedesk.core.models import WorkerBeat
from zonedesk.petitions.tasks import petitions_tick

ROWS = 20_000

SETUP = """
from django.core.files.uploadedfile import SimpleUploadedFile
from zonedesk.core.models import Role, User, Zone
from zonedesk.sheets import services, tasks
Zone.objects.create(code="HHTP", kind="hitech", name_vi="Khu CNC Hòa Lạc", province="Hà Nội", area_ha=1586)
user = User(username="bql", role=Role.BOARD)
user.set_password("mat-khau-rat-dai-2026")
user.save()
with open({path!r}, "rb") as f:
    job = services.job_create(kind="enterprises", upload=SimpleUploadedFile("dn.csv", f.read()), by=user)
tasks.sheet_import_run.call(job.pk)  # the check, here; the saving is left to the worker
job.refresh_from_db()
assert job.status == "ready", job.report
services.job_queue(job=job, step="apply")
"""


def _vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


def test_a_worker_killed_while_it_saves_an_import_leaves_nothing_and_the_next_runs_it_once(installation, tmp_path):
    env = installation.env
    zonedesk, look = installation.zonedesk, installation.look

    codes = [make_tax_code("03") for _ in range(ROWS)]
    path = write_csv(tmp_path / "dn.csv", ENTERPRISES, [[f"Công ty {c}", c, "HHTP", ""] for c in codes])
    zonedesk("migrate", "-v0")
    zonedesk("shell", "-c", SETUP.format(path=str(path)))

    job_sql = "select status, progress_done, progress_total from sheets_sheetimport"
    tasks_sql = "from django_tasks_database_dbtaskresult where task_path like '%sheet_import%'"
    assert look(f"select count(*) {tasks_sql} and status <> 'READY'") == (0,)

    first = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "zonedesk", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status, done, total = look(job_sql)
            # the check is the first half of the bar, committed as it goes; the saving, its
            # second half, is one transaction: once the check is through, the worker writes
            if status == "running" and total == 2 * ROWS and done >= ROWS:
                break
            assert status in {"queued", "running"}, status
            time.sleep(0.05)
        else:
            pytest.fail(f"the worker never reached the saving: {look(job_sql)}")
        time.sleep(0.5)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        first.kill()
    assert look(job_sql)[0] == "running", "the saving ended before the kill: the test proves nothing"
    assert look("select count(*) from investment_enterprise") == (0,)  # rolled back with the process
    assert look(f"select count(*) {tasks_sql} and status = 'RUNNING'") == (1,)  # the killed one, still marked
    task_id, worker_ids = look(f"select id, worker_ids {tasks_sql} and status = 'RUNNING'")
    assert len(json.loads(worker_ids)) == 1

    second_output = zonedesk("worker", "--once")
    assert _vi("Task %s was abandoned by a worker that died: it runs again.") % uuid.UUID(str(task_id)) in second_output
    status, worker_ids = look(f"select status, worker_ids {tasks_sql} and id = '{task_id}'")
    assert status == "SUCCESSFUL" and len(json.loads(worker_ids)) == 2  # the retry was its second attempt
    assert look(f"select count(*) {tasks_sql} and status <> 'SUCCESSFUL'") == (0,)
    assert look(job_sql)[0] == "done"
    assert look("select count(*), count(distinct tax_code) from investment_enterprise") == (ROWS, ROWS)
    # the audit trail has each enterprise's creation once, by the officer who imported the file
    # (the killed attempt's entries were rolled back with its rows)
    audit = look(
        "select count(*), count(distinct e.object_pk) from auditlog_logentry e"
        " join django_content_type t on t.id = e.content_type_id"
        " join core_user u on u.id = e.actor_id"
        " where t.app_label = 'investment' and t.model = 'enterprise' and e.action = 0 and u.username = 'bql'"
    )
    assert audit == (ROWS, ROWS)
    assert look("select count(*) from core_workerbeat") == (0,)  # the dead worker forgotten, the second gone


def _running(task_result_id, *worker_ids):
    DBTaskResult.objects.filter(pk=task_result_id).update(
        status="RUNNING", worker_ids=list(worker_ids), started_at=timezone.now()
    )


def _beat(worker_id, *, host, pid, ago=0):
    now = timezone.now()
    WorkerBeat.objects.create(
        worker_id=worker_id, host=host, pid=pid, started_at=now, beat_at=now - dt.timedelta(seconds=ago)
    )


def test_only_the_tasks_of_gone_workers_run_again_and_only_once(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WORKER_STALE_SECONDS = 120
    here = workers.socket.gethostname()
    dead_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead_pid.stdout)
    _beat("alive-here", host=here, pid=os.getpid())
    _beat("dead-here", host=here, pid=dead_pid)
    _beat("away-fresh", host="another-machine", pid=1, ago=30)
    _beat("away-silent", host="another-machine", pid=1, ago=600)
    tasks = {
        name: uuid.UUID(petitions_tick.enqueue().id)
        for name in ("alive", "dead", "fresh", "silent", "twice", "unknown")
    }
    _running(tasks["alive"], "alive-here")
    _running(tasks["dead"], "dead-here")
    _running(tasks["fresh"], "away-fresh")
    _running(tasks["silent"], "away-silent")
    _running(tasks["twice"], "dead-here", "dead-here")
    _running(tasks["unknown"], "never-registered")

    done = workers.recover_abandoned()

    assert sorted(done["retried"]) == sorted(str(tasks[n]) for n in ("dead", "silent", "unknown"))
    assert done["failed"] == [str(tasks["twice"])]
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert [status[tasks[n]] for n in ("alive", "fresh", "dead", "silent", "unknown", "twice")] == [
        "RUNNING",
        "RUNNING",
        "READY",
        "READY",
        "READY",
        "FAILED",
    ]
    assert "died on each of the 2 attempts" in DBTaskResult.objects.get(pk=tasks["twice"]).traceback
    assert set(WorkerBeat.objects.values_list("pk", flat=True)) == {"alive-here", "away-fresh"}
    assert workers.recover_abandoned() == {"retried": [], "failed": []}  # a second look changes nothing

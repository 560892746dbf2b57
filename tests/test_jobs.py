"""The background-job framework (`core.jobs`) the web imports share: a step whose job was queued
again (it looked stalled) while the step went on saves nothing, on either kind of job; a job
whose worker died goes back to the queue at the same step before its task runs again (what
`core.workers.recover_abandoned` does for every job kind)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from tests.conftest import make_tax_code
from tests.test_sheets import ENTERPRISES, write_csv
from zonedesk.core import jobs, workers
from zonedesk.investment.models import Enterprise
from zonedesk.sheets import services, tasks
from zonedesk.sheets.models import SheetImport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _upload(tmp_path, board_user, n=3) -> SheetImport:
    rows = [[f"Công ty {i}", make_tax_code(), "HHTP", ""] for i in range(n)]
    path = write_csv(tmp_path / "dn.csv", ENTERPRISES, rows)
    with open(path, "rb") as f:
        return services.job_create(kind="enterprises", upload=SimpleUploadedFile("dn.csv", f.read()), by=board_user)


def _stall(job: SheetImport) -> None:
    SheetImport.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - jobs.STALLED_AFTER - dt.timedelta(minutes=1)
    )


def test_an_import_queued_again_while_its_old_step_still_ran_keeps_only_the_new_step(
    tmp_path, zone, board_user, monkeypatch
):
    job = _upload(tmp_path, board_user)
    tasks.sheet_import_run.call(job.pk)
    job.refresh_from_db()
    assert job.status == "ready" and job.report["new"] == 3
    services.job_queue(job=job, step="apply")
    real = tasks.check_file

    def slow_check(*args, **kwargs):
        # the worker is slow: the officer sees the job stalled and checks the file again meanwhile
        check = real(*args, **kwargs)
        stale = SheetImport.objects.get(pk=job.pk)
        _stall(stale)
        stale.refresh_from_db()
        assert stale.stalled
        services.job_queue(job=stale, step="check")
        return check

    monkeypatch.setattr(tasks, "check_file", slow_check)
    assert tasks.sheet_import_run.call(job.pk) == "discarded"
    job.refresh_from_db()
    # the old step's import was rolled back; the check asked for waits for the worker
    assert not Enterprise.objects.exists()
    assert job.status == "queued" and job.step == "check" and job.file
    monkeypatch.undo()
    assert tasks.sheet_import_run.call(job.pk) == "ready"


def test_an_old_step_that_saves_after_a_second_worker_took_the_job_again_saves_nothing(
    tmp_path, zone, board_user, monkeypatch
):
    job = _upload(tmp_path, board_user)
    tasks.sheet_import_run.call(job.pk)
    job.refresh_from_db()
    services.job_queue(job=job, step="apply")
    real = tasks.check_file
    second: list[SheetImport] = []

    def slow_check(*args, **kwargs):
        # the worker is slow: the officer checks the stalled import again and a second worker
        # takes it (the job is running again) before the first one reaches its saving
        check = real(*args, **kwargs)
        stale = SheetImport.objects.get(pk=job.pk)
        _stall(stale)
        stale.refresh_from_db()
        services.job_queue(job=stale, step="check")
        taken = jobs.claim(SheetImport, job.pk)
        assert taken is not None
        second.append(taken)
        return check

    monkeypatch.setattr(tasks, "check_file", slow_check)
    assert tasks.sheet_import_run.call(job.pk) == "discarded"
    monkeypatch.undo()
    job.refresh_from_db()
    # the first step's import was rolled back and did not mark the job imported; its progress
    # writes did not move the second step's bar
    assert not Enterprise.objects.exists()
    assert job.status == "running" and job.step == "check" and job.file
    assert (job.progress_done, job.progress_total) == (0, 0)
    # the second step checks the file, which is still to import
    tasks._step(second[0])
    job.refresh_from_db()
    assert job.status == "ready" and job.report["new"] == 3 and not Enterprise.objects.exists()


def test_only_the_latest_claim_of_a_job_moves_its_bar_beats_and_saves(tmp_path, zone, board_user):
    job = _upload(tmp_path, board_user)
    first = jobs.claim(SheetImport, job.pk)
    assert first is not None
    _stall(job)
    services.job_queue(job=SheetImport.objects.get(pk=job.pk), step="check")
    second = jobs.claim(SheetImport, job.pk)
    assert second is not None
    _stall(job)
    jobs.progress(first)(5, 10)
    jobs.heartbeat(first)
    job.refresh_from_db()
    assert job.stalled and (job.progress_done, job.progress_total) == (0, 0)  # the old step is no sign of life
    with pytest.raises(jobs.Discarded):
        jobs.save(first, status="ready", report={"new": 1})
    jobs.progress(second)(5, 10)
    job.refresh_from_db()
    assert not job.stalled and (job.progress_done, job.progress_total) == (5, 10)
    jobs.save(second, status="ready", report={"new": 2})
    job.refresh_from_db()
    assert job.status == "ready" and job.report == {"new": 2}


def test_a_job_whose_worker_died_waits_again_at_its_step_before_its_task_runs_again(
    tmp_path, zone, board_user, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = _upload(tmp_path, board_user)  # its check waits for the worker, as a task's row
    result = DBTaskResult.objects.get(task_path=tasks.sheet_import_run.module_path)
    # a worker takes the task and the job, then dies (it never registered a sign of life)
    DBTaskResult.objects.filter(pk=result.pk).update(
        status="RUNNING", worker_ids=["a-dead-worker"], started_at=timezone.now()
    )
    assert jobs.claim(SheetImport, job.pk) is not None
    assert jobs.claim(SheetImport, job.pk) is None  # no second worker takes a running job

    # what the next worker does before it looks for tasks
    assert workers.recover_abandoned()["retried"] == [str(result.pk)]
    job.refresh_from_db()
    assert job.status == "queued" and job.step == "check"
    result.refresh_from_db()
    assert result.status == "READY"
    assert tasks.sheet_import_run.call(job.pk) == "ready"
    job.refresh_from_db()
    assert job.status == "ready" and job.report["new"] == 3


def test_a_step_that_fails_says_so_in_the_job(tmp_path, zone, board_user, monkeypatch):
    job = _upload(tmp_path, board_user)
    monkeypatch.setattr(tasks, "check_file", lambda *args, **kwargs: 1 / 0)
    assert tasks.sheet_import_run.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and not job.busy and "unexpected error" in job.error

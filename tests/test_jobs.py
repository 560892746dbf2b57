"""The background-job framework (`core.jobs`) the web imports share: a step whose job was queued
again (it looked stalled) while the step went on saves nothing, on either kind of job; a job
whose worker died goes back to the queue at the same step before its task runs again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from tests.conftest import make_tax_code
from tests.test_sheets import ENTERPRISES, write_csv
from zonedesk.core import jobs
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


def test_a_job_whose_worker_died_waits_again_at_its_step_before_its_task_runs_again(tmp_path, zone, board_user):
    job = _upload(tmp_path, board_user)
    assert jobs.claim(SheetImport, job.pk) is not None  # a worker takes it, then dies
    assert jobs.claim(SheetImport, job.pk) is None  # no second worker takes a running job
    prepare = jobs.retry_preparer(tasks.sheet_import_run.module_path)
    assert prepare is not None and jobs.retry_preparer("zonedesk.petitions.tasks.petitions_tick") is None
    prepare(job.pk)
    job.refresh_from_db()
    assert job.status == "queued" and job.step == "check"
    assert tasks.sheet_import_run.call(job.pk) == "ready"


def test_a_step_that_fails_says_so_in_the_job(tmp_path, zone, board_user, monkeypatch):
    job = _upload(tmp_path, board_user)
    monkeypatch.setattr(tasks, "check_file", lambda *args, **kwargs: 1 / 0)
    assert tasks.sheet_import_run.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and not job.busy and "unexpected error" in job.error

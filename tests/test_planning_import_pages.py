"""The board's web import of a plan file, the paths besides the happy one: discarding an import
(its file goes, a running one only once it looks stalled), the check the commit makes again
(the plan changed since the analysis: refused with the reason, nothing written), a step that
fails (the officer reads why, nothing written) and a mapping the form refuses (the job stays as
it was).

The worker's task runs in the test's own transaction (`plan_import_run.call`), so each test sees
what a worker would write without a worker process.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from shapely.geometry import box

from tests import planning_files as files
from tests.planning_files import X0, Y0, square
from zonedesk.core import jobs
from zonedesk.core.errors import ServiceError
from zonedesk.core.jobs import STALLED_AFTER
from zonedesk.planning import geometry, services, tasks
from zonedesk.planning.models import ImportJob, LandUse, Parcel, PlanRevision
from zonedesk.planning.tasks import plan_import_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings, client):
    """The messages checked below are the English msgids (pages are Vietnamese first)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer(client, board_user):
    client.force_login(board_user)
    return board_user


@pytest.fixture
def boundary(zone, board_user):
    """Hoa Lac's boundary in force: a 2 km square around the parcels of these tests."""
    return services.revision_create(
        zone=zone,
        layer="boundary",
        features=[services.Feature(geometry=geometry.to_wgs84(box(X0 - 500, Y0 - 500, X0 + 1500, Y0 + 1500), 5897))],
        effective_date=dt.date(2020, 1, 1),
        by=board_user,
    )


def upload(client, zone, tmp_path) -> ImportJob:
    """Two clean parcels sent through the upload form; the job waits for its check."""
    features = [
        (square(X0, Y0), {"MA_LO": "CN-01", "LOAI_DAT": "CNC"}),
        (square(X0 + 100, Y0), {"MA_LO": "PM-01", "LOAI_DAT": "PM"}),
    ]
    path = files.geojson(tmp_path / "lo_dat.geojson", features, crs="EPSG:5897")
    with open(path, "rb") as f:
        response = client.post(
            "/planning/imports/new/",
            {"zone": zone.pk, "layer": "parcels", "effective_date": "2026-01-01", "file": f, "crs": ""},
        )
    assert response.status_code == 302
    return ImportJob.objects.get()


def work(job: ImportJob) -> str:
    """What the worker does with the step the job waits for; the job as it left it."""
    outcome = plan_import_run.call(job.pk)
    if ImportJob.objects.filter(pk=job.pk).exists():
        job.refresh_from_db()
    return outcome


def stored(job: ImportJob, media: Path) -> Path:
    return media / job.file.name


def page(client, job: ImportJob) -> str:
    return client.get(f"/planning/imports/{job.pk}/").content.decode()


def discard_button(html: str) -> bool:
    return 'action="/planning/imports/' in html and "/discard/" in html


# --- discarding ---------------------------------------------------------------------------


def test_discarding_an_import_removes_it_and_its_file(
    client, zone, officer, boundary, media, tmp_path, django_capture_on_commit_callbacks
):
    job = upload(client, zone, tmp_path)
    assert work(job) == "ready" and job.report["status"] == "clean"
    file = stored(job, media)
    assert file.is_file()
    assert discard_button(page(client, job))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/planning/imports/{job.pk}/discard/", follow=True)
    assert response.redirect_chain == [("/planning/imports/", 302)]
    assert "The import was discarded; nothing was saved." in response.content.decode()
    assert not ImportJob.objects.exists() and not file.exists()
    assert not PlanRevision.objects.filter(layer="parcels").exists()
    assert client.get(f"/planning/imports/{job.pk}/").status_code == 404

    # a saved import leaves the list; its revision stays
    job = upload(client, zone, tmp_path)
    work(job)
    client.post(f"/planning/imports/{job.pk}/commit/", {})
    with django_capture_on_commit_callbacks(execute=True):
        assert work(job) == "done"
    assert job.file.name == "" and "Remove from the list" in page(client, job)
    response = client.post(f"/planning/imports/{job.pk}/discard/", follow=True)
    assert "The import was removed from the list; the saved revision stays." in response.content.decode()
    assert not ImportJob.objects.exists() and PlanRevision.objects.filter(layer="parcels").count() == 1


def test_a_second_discard_of_the_same_import_says_it_is_gone(client, zone, officer, board_user, boundary, tmp_path):
    job = upload(client, zone, tmp_path)
    work(job)
    stale = ImportJob.objects.get(pk=job.pk)  # what a second officer's request read before the first discard
    services.import_job_discard(job=job, by=board_user)
    with translation.override("en"), pytest.raises(ServiceError) as caught:
        services.import_job_discard(job=stale, by=board_user)
    assert caught.value.message_dict == {"job": ["This import no longer exists."]}


def test_a_running_import_is_discarded_only_once_it_looks_stalled(
    client, zone, officer, media, tmp_path, django_capture_on_commit_callbacks
):
    job = upload(client, zone, tmp_path)
    file = stored(job, media)
    assert jobs.claim(ImportJob, job.pk) is not None  # a worker takes it
    job.refresh_from_db()
    assert job.status == "running" and not job.stalled

    # alive: no discard button, and a discard is refused with the reason
    html = page(client, job)
    assert not discard_button(html) and "looks stalled" not in html and 'hx-trigger="every 1s"' in html
    response = client.post(f"/planning/imports/{job.pk}/discard/", follow=True)
    assert response.redirect_chain == [(f"/planning/imports/{job.pk}/", 302)]
    assert "The worker is busy with this import: wait until it is done." in response.content.decode()
    assert "no progress for 10 minutes can be discarded" in response.content.decode()
    assert ImportJob.objects.filter(pk=job.pk, status="running").exists() and file.is_file()

    # each progress report is a sign of life
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - STALLED_AFTER * 2)
    jobs.progress(job)(1, 10)
    job.refresh_from_db()
    assert not job.stalled and job.progress_done == 1

    # silent for longer than the limit: its worker died; the page says so and offers the discard
    silent_since = timezone.now() - STALLED_AFTER - dt.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=silent_since)
    job.refresh_from_db()
    assert job.stalled
    html = page(client, job)
    assert re.search(
        r'<p class="message message-warning" id="import-stalled" role="alert">This import looks stalled', html
    )
    assert "more than 10 minutes ago" in html and discard_button(html) and 'aria-describedby="import-stalled"' in html
    assert 'hx-trigger="every 1s"' not in html  # no more polling
    progress = client.get(f"/planning/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"  # a page left open reloads to show it
    assert "Looks stalled" in client.get("/planning/imports/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/planning/imports/{job.pk}/discard/", follow=True)
    assert response.redirect_chain == [("/planning/imports/", 302)]
    assert not ImportJob.objects.exists() and not file.exists()


def test_a_step_still_running_when_its_job_is_discarded_saves_nothing(
    client, zone, officer, media, tmp_path, monkeypatch
):
    job = upload(client, zone, tmp_path)
    work(job)
    client.post(f"/planning/imports/{job.pk}/commit/", {})
    real = tasks._analyse

    def slow_worker(job, **kwargs):
        analysis = real(job, **kwargs)
        ImportJob.objects.filter(pk=job.pk).delete()  # discarded as stalled while the worker went on
        return analysis

    monkeypatch.setattr(tasks, "_analyse", slow_worker)
    assert work(job) == "discarded"
    assert not PlanRevision.objects.filter(layer="parcels").exists() and not Parcel.objects.exists()


# --- the commit checks again --------------------------------------------------------------


def _new_boundary_elsewhere(zone, board_user):
    """A revision of the boundary in force before the import's date, far from its parcels."""
    services.revision_create(
        zone=zone,
        layer="boundary",
        features=[services.Feature(geometry=geometry.to_wgs84(box(X0 + 5000, Y0, X0 + 6000, Y0 + 1000), 5897))],
        effective_date=dt.date(2025, 6, 1),
        by=board_user,
    )


def _land_use_removed(zone, board_user):
    LandUse.objects.filter(code="PM").delete()


@pytest.mark.parametrize(
    ("change", "reasons"),
    [
        (
            _new_boundary_elsewhere,
            [
                "CN-01: It lies outside the boundary of the zone (revision 2).",
                "PM-01: It lies outside the boundary of the zone (revision 2).",
            ],
        ),
        (_land_use_removed, ["PM-01: Unknown land use “PM”."]),
    ],
    ids=["boundary", "land-use"],
)
def test_the_commit_refuses_a_file_the_plan_no_longer_accepts(
    client, zone, officer, board_user, boundary, media, tmp_path, change, reasons
):
    job = upload(client, zone, tmp_path)
    work(job)
    assert job.report["status"] == "clean"
    assert client.post(f"/planning/imports/{job.pk}/commit/", {}).status_code == 302

    change(zone, board_user)  # meanwhile, the plan changes
    assert work(job) == "ready"
    assert job.step == "analyse" and job.report["status"] == "refused" and job.revision is None
    assert job.report["refusal"] == reasons
    assert not PlanRevision.objects.filter(layer="parcels").exists() and not Parcel.objects.exists()
    assert stored(job, media).is_file()  # kept, to check again or discard
    html = page(client, job)
    assert re.search(r'<ul class="errorlist nonfield" role="alert"><li>' + re.escape(reasons[0]), html)
    assert "The file is refused" in html and "Save the revision" not in html


# --- a step that fails --------------------------------------------------------------------


@pytest.mark.parametrize("step", ["analyse", "commit"])
def test_a_step_that_fails_leaves_a_message_and_nothing_saved(
    client, zone, officer, media, tmp_path, monkeypatch, step
):
    job = upload(client, zone, tmp_path)
    if step == "commit":
        work(job)
        client.post(f"/planning/imports/{job.pk}/commit/", {})
        real = services.revision_create

        def half_written(**kwargs):
            real(**kwargs)  # the rows are written, then something breaks
            raise OSError("disk full")

        monkeypatch.setattr(services, "revision_create", half_written)
    else:
        monkeypatch.setattr(tasks.imports, "analyse", lambda **kwargs: 1 / 0)

    assert work(job) == "failed"
    assert job.status == "failed" and job.revision is None
    assert job.error == (
        "The import stopped on an unexpected error. Nothing was saved; try again or ask an administrator."
    )
    assert not PlanRevision.objects.filter(layer="parcels").exists() and not Parcel.objects.exists()
    html = page(client, job)
    assert f'<p class="message message-error" role="alert">{job.error}</p>' in html
    assert discard_button(html) and 'hx-trigger="every 1s"' not in html


# --- the mapping form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"map_code": ""}, "Choose the attribute of the file that holds the code of each feature."),
        ({"map_land_use": ""}, "Choose the attribute of the file that holds the land use of each feature."),
        ({"map_code": "SO_HIEU"}, "Select a valid choice. SO_HIEU is not one of the available choices."),
    ],
    ids=["code-to-nothing", "land-use-to-nothing", "no-such-column"],
)
def test_an_invalid_mapping_is_refused_by_the_form_and_the_job_stays_as_it_was(
    client, zone, officer, media, tmp_path, posted, message
):
    job = upload(client, zone, tmp_path)
    work(job)
    assert job.mapping == {"code": "MA_LO", "land_use": "LOAI_DAT"}
    before = ImportJob.objects.values().get(pk=job.pk)
    queued = DBTaskResult.objects.count()

    data = {"map_code": "MA_LO", "map_land_use": "LOAI_DAT", "crs": "", **posted}
    response = client.post(f"/planning/imports/{job.pk}/mapping/", data)
    assert response.status_code == 400
    field = next(iter(posted))
    html = response.content.decode()
    assert re.search(rf'<ul class="errorlist" id="id_{field}_error"><li>{re.escape(message)}</li>', html)
    assert re.search(rf'<select name="{field}"[^>]*aria-invalid="true"', html)
    assert ImportJob.objects.values().get(pk=job.pk) == before  # nothing stored, nothing queued
    assert DBTaskResult.objects.count() == queued

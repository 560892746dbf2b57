"""The board's web import of a plan file: upload, the check in the background with a progress
bar, the field mapping, the report by feature, the repairs to accept, and the commit.

Each step is an `ImportJob` the worker runs (`tasks.plan_import_run`); these views only store
the officer's choices and queue the step. Nothing reaches the plan but through
`imports.commit` → `services.revision_create`, all or nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zonedesk.core import jobs
from zonedesk.core.errors import ServiceError
from zonedesk.core.permissions import capability_required
from zonedesk.planning import imports, services
from zonedesk.planning.forms_import import ImportCommitForm, ImportMappingForm, ImportUploadForm
from zonedesk.planning.models import ImportJob

LISTED = 50


def _queue(job: ImportJob, step: str) -> None:
    """Queue a step of a job (the task row is written with the job's change)."""
    jobs.queue(job, step)


def _job(pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("zone", "decision", "revision", "created_by"), pk=pk)


def _revision_link(job: ImportJob) -> tuple[str, str]:
    """Where to see the saved revision: its page where the planning pages provide one, else the map."""
    if job.revision_id is None:
        return "", ""
    for name, kwargs, label in (
        ("plan_revision", {"pk": job.revision_id}, _("Open the revision")),
        ("planning_map", {}, _("Open the plan map")),
    ):
        try:
            return reverse(name, kwargs=kwargs), label
        except NoReverseMatch:
            continue
    return "", ""


@capability_required("planning.edit")
def import_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.select_related("zone", "revision", "created_by")[:LISTED]
    return render(request, "planning/import_list.html", {"jobs": jobs})


@capability_required("planning.edit")
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            job = ImportJob(
                zone=d["zone"],
                layer=d["layer"],
                effective_date=d["effective_date"],
                decision=d["decision"],
                note=d["note"],
                original_name=Path(d["file"].name).name[:255],
                crs=d["crs"] or "",
                created_by=request.user,
                language=get_language() or "",
            )
            job.file.save(d["file"].name, d["file"], save=False)
            try:
                job.save()
                _queue(job, ImportJob.Step.ANALYSE)
            except BaseException:
                job.file.storage.delete(job.file.name)
                raise
        return redirect("plan_import_detail", pk=job.pk)
    return render(request, "planning/import_new.html", {"form": form})


def _context(job: ImportJob, **extra) -> dict:
    report = job.report or {}
    source = report.get("source", {})
    ctx = {
        "job": job,
        "report": report,
        "revision_link": _revision_link(job),
        "percent": int(100 * job.progress_done / job.progress_total) if job.progress_total else None,
    }
    if job.status == ImportJob.Status.READY:
        ctx.setdefault(
            "mapping_form",
            ImportMappingForm(
                layer=job.layer,
                fields=source.get("fields", []),
                layers=source.get("layers", []),
                mapping=job.mapping or {},
                read_layer=source.get("layer", ""),
                initial={"crs": job.crs, "source_layer": job.source_layer or source.get("layer", "")},
            ),
        )
        ctx.setdefault("commit_form", ImportCommitForm())
        ctx["has_mapping"] = bool(imports.TARGETS[job.layer]) and bool(source.get("fields"))
        ctx["can_commit"] = report.get("status") in {"clean", "repairs"}
    ctx.update(extra)
    return ctx


@capability_required("planning.edit")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(pk)
    return render(request, "planning/import_detail.html", _context(job))


@capability_required("planning.edit")
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by htmx; once the step is over, or looks stalled (the page
    then offers to discard it), the whole page reloads."""
    job = _job(pk)
    response = render(request, "planning/import_progress.html", _context(job))
    if (not job.busy or job.stalled) and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@capability_required("planning.edit")
@require_POST
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(pk)
    if job.status != ImportJob.Status.READY:
        messages.error(request, _("This import is not waiting for a mapping."))
        return redirect("plan_import_detail", pk=job.pk)
    source = (job.report or {}).get("source", {})
    form = ImportMappingForm(
        request.POST,
        layer=job.layer,
        fields=source.get("fields", []),
        layers=source.get("layers", []),
        mapping=job.mapping or {},
        read_layer=source.get("layer", ""),
    )
    if not form.is_valid():
        return render(request, "planning/import_detail.html", _context(job, mapping_form=form), status=400)
    with transaction.atomic():
        mapping = form.mapping()
        # a file not read yet (a layer to choose, a coordinate system) had no attributes to map:
        # let the next check guess the mapping from the attributes it finds
        job.mapping = mapping if (mapping or source.get("fields")) else None
        job.crs = form.cleaned_data.get("crs") or ""
        job.source_layer = form.cleaned_data.get("source_layer") or ""
        job.language = get_language() or job.language
        job.save(update_fields=["mapping", "crs", "source_layer", "language", "updated_at"])
        _queue(job, ImportJob.Step.ANALYSE)
    return redirect("plan_import_detail", pk=job.pk)


@capability_required("planning.edit")
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(pk)
    report = job.report or {}
    if job.status != ImportJob.Status.READY or report.get("status") not in {"clean", "repairs"}:
        messages.error(request, _("This file cannot be saved: correct the problems listed and upload it again."))
        return redirect("plan_import_detail", pk=job.pk)
    form = ImportCommitForm(request.POST)
    form.is_valid()
    accept = form.cleaned_data.get("accept_repairs", False)
    if report["status"] == "repairs" and not accept:
        form.add_error("accept_repairs", _("The file needs the listed repairs: accept them to save it."))
        return render(request, "planning/import_detail.html", _context(job, commit_form=form), status=400)
    with transaction.atomic():
        job.accepted_repairs = report["repairs"] if report["status"] == "repairs" else []
        job.language = get_language() or job.language
        job.save(update_fields=["accepted_repairs", "language", "updated_at"])
        _queue(job, ImportJob.Step.COMMIT)
    return redirect("plan_import_detail", pk=job.pk)


@capability_required("planning.edit")
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(pk)
    try:
        status = services.import_job_discard(job=job, by=request.user)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        if not ImportJob.objects.filter(pk=job.pk).exists():  # discarded meanwhile by someone else
            return redirect("plan_import_list")
        return redirect("plan_import_detail", pk=job.pk)
    if status == ImportJob.Status.DONE:
        messages.success(request, _("The import was removed from the list; the saved revision stays."))
    else:
        messages.success(request, _("The import was discarded; nothing was saved."))
    return redirect("plan_import_list")

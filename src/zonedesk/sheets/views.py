"""The web import of spreadsheets: templates, the upload, the dry run in the background with a
progress bar, the column mapping, the problems by row and column, and the import.

Each step is a `SheetImport` job run by the worker (`tasks.sheet_import_run`); these views only
store the person's choices and queue the step (`services.job_queue`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.core.formviews import form_view
from zonedesk.core.permissions import has_capability
from zonedesk.sheets import book, services
from zonedesk.sheets.forms import MappingForm, UploadForm
from zonedesk.sheets.kinds import KINDS
from zonedesk.sheets.models import SheetImport

LISTED = 50


def _kinds_or_403(request: HttpRequest):
    kinds = services.kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    return kinds


def _job(request: HttpRequest, pk: int) -> SheetImport:
    """The job, for its maker or the board; 404 for anyone else (it may hold private figures)."""
    job = get_object_or_404(SheetImport.objects.select_related("created_by"), pk=pk)
    if job.created_by_id != request.user.pk and not has_capability(request.user, "registry.edit"):
        raise Http404
    return job


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    kinds = _kinds_or_403(request)
    jobs = SheetImport.objects.select_related("created_by")
    if not has_capability(request.user, "registry.edit"):
        jobs = jobs.filter(created_by=request.user)
    return form_view(
        request,
        UploadForm(request.POST or None, request.FILES or None, kinds=kinds),
        write=lambda cd: services.job_create(kind=cd["kind"], upload=cd["file"], by=request.user),
        success=lambda job: reverse("sheet_import_detail", args=[job.pk]),
        page="sheets/import_list.html",
        context=lambda form: {"kinds": kinds, "jobs": jobs[:LISTED]},
        invalid_status=400,
    )


def _context(job: SheetImport) -> dict:
    kind = KINDS[job.kind]
    labels = {c.name: c.vi for c in kind.columns}
    report = job.report or {}
    problems = [dict(p, label=labels.get(p["column"], p["column"])) for p in report.get("problems", [])]
    found = report.get("columns", {})
    mapping_form = None
    if job.status == SheetImport.Status.READY and report.get("headers"):
        mapping_form = MappingForm(kind=kind, headers=report["headers"], mapping=found)
    return {
        "job": job,
        "kind": kind,
        "report": report,
        "problems": problems,
        "more_problems": max(0, report.get("problem_count", 0) - len(problems)),
        "mapping_form": mapping_form,
        "missing": [labels.get(f, f) for f in report.get("missing", [])],
        "can_apply": job.status == SheetImport.Status.READY and not report.get("problem_count") and report.get("new"),
    }


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "sheets/import_detail.html", _context(_job(request, pk)))


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the page polls while the worker runs."""
    return render(request, "sheets/import_progress.html", _context(_job(request, pk)))


def _queue(request: HttpRequest, job: SheetImport, step: str, mapping: dict[str, str] | None = None) -> HttpResponse:
    try:
        services.job_queue(job=job, step=step, mapping=mapping)
    except ServiceError as exc:
        for errors in error_dict(exc).values():
            for error in errors:
                messages.error(request, error)
    return redirect("sheet_import_detail", pk=job.pk)


@login_required
@require_POST
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    form = MappingForm(request.POST, kind=KINDS[job.kind], headers=(job.report or {}).get("headers", []), mapping={})
    if not form.is_valid():
        messages.error(request, _("Choose, for each column, one of the file's columns."))
        return redirect("sheet_import_detail", pk=job.pk)
    return _queue(request, job, SheetImport.Step.CHECK, form.mapping())


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    return _queue(request, _job(request, pk), SheetImport.Step.APPLY)


def _kind_for(request: HttpRequest, slug: str, fmt: str):
    kind = KINDS.get(slug)
    if kind is None or fmt not in ("xlsx", "csv"):
        raise Http404
    if not services.may_import(request.user, slug):
        raise PermissionDenied
    return kind


@login_required
def template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    return book.template_response(_kind_for(request, kind, fmt), fmt)


@login_required
def registry_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """What is registered, in the template's layout (an enterprise gets its own reports only)."""
    return book.export(_kind_for(request, kind, fmt), fmt, user=request.user)

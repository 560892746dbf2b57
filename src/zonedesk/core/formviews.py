"""The page of a form that writes, one routine for every app.

GET shows the form. POST validates it; a valid form is handed to the view's `write`, which calls
the service (one transaction around it: the view's own checks and the service's write); the
service's refusals go back onto the form:

- `ValidationError` (`ServiceError`): each message beside its field, unknown fields and
  "__all__" on top;
- `ConflictError` (the record changed since the page was read): on top, and the page answers
  409 (`form.conflict`), as the API does, with nothing written;
- the exception types a view names in `refused` (a workflow's `TransitionError`): on top.

A write that finds the input wrong itself says so with `form.add_error` and writes nothing. When
it went through: the success message, and a redirect (the page is never answered to a POST).

    return form_view(
        request,
        bind(request, ProgressForm, initial=lambda: {"progress_pct": m.progress_pct}),
        write=lambda cd: services.milestone_progress(by=request.user, milestone=m, version=version, **cd),
        message=_("The progress was recorded."),
        success=lambda _saved: reverse("roadmap_detail", args=[m.roadmap_id]),
        page="roadmaps/progress_form.html",
        context={"milestone": m, "version": version},
    )

Pages that show the form among other things (a detail page with a form in it) call `save`
and render themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zonedesk.core.errors import ConflictError, error_dict

FORM_PAGE = "includes/form_page.html"  # a page of one form: title, lead, back, back_label, version


def bind(
    request: HttpRequest,
    form_class: type[forms.BaseForm],
    *,
    initial: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
    files: bool = False,
    **kwargs: Any,
) -> Any:
    """The form of the request: on a POST bound to what was sent (and its files, with `files`);
    else unbound, starting from `initial` (a callable is read only then: what a GET shows)."""
    if request.method == "POST":
        return form_class(request.POST, request.FILES if files else None, **kwargs)
    start = initial() if callable(initial) else initial
    return form_class(initial=dict(start) if start is not None else None, **kwargs)


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's messages beside their fields (unknown fields and "__all__" on top). A form
    with its own `add_service_error` places them itself: the petition forms also say that the
    chosen files were not kept, and ask consent again to the notice shown now."""
    place = getattr(form, "add_service_error", None)
    if callable(place):
        place(exc)
        return
    for field, errors in error_dict(exc).items():
        form.add_error(field if field in form.fields else None, errors)


@dataclass(frozen=True)
class Saved:
    """What `save` did: `ok` when the write went through, with what it answered in `result`."""

    ok: bool
    result: Any = None


def save(
    form: forms.BaseForm,
    write: Callable[[dict[str, Any]], Any],
    *,
    refused: tuple[type[Exception], ...] = (),
) -> Saved:
    """Validate the (bound) form and run `write(form.cleaned_data)` in a transaction; a refusal
    goes onto the form (see the module's doc) and is not ok. The caller checks it was a POST."""
    if not form.is_valid():
        return Saved(False)
    try:
        with transaction.atomic():
            result = write(form.cleaned_data)
            if form.errors:  # the write found the input wrong: nothing it did is kept
                transaction.set_rollback(True)
    except ValidationError as exc:
        add_errors(form, exc)
    except ConflictError as exc:
        form.add_error(None, str(exc))
        form.conflict = True  # type: ignore[attr-defined]  # 409 (`status` below)
    except refused as exc:
        form.add_error(None, str(exc))
    else:
        return Saved(not form.errors, result)
    return Saved(False)


def status(request: HttpRequest, form: forms.BaseForm, *, invalid: int = 200) -> int:
    """A form page's status: 409 for a form refused on a stale version; `invalid` for a POST that
    wrote nothing and says why (200, or 400 on pages that answer so); else 200."""
    if getattr(form, "conflict", False):
        return 409
    return invalid if request.method == "POST" and form.errors else 200


def form_view(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    write: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    message: str | Callable[[Any], str] | None = None,
    page: str | Callable[[forms.BaseForm, int], HttpResponse] = FORM_PAGE,
    context: Mapping[str, Any] | Callable[[forms.BaseForm], Mapping[str, Any]] | None = None,
    refused: tuple[type[Exception], ...] = (),
    invalid_status: int = 200,
) -> HttpResponse:
    """The whole GET/POST routine of a form page (see the module's doc).

    `write(cleaned_data)` does the write and answers what it wrote; `success(result)` is where to
    go then (a URL, or a URL name without arguments) and `message(result)` what to say there.
    `page` is the template (given `form` and `context`, which a callable gives once the write
    was tried: the version the page now shows after a conflict) or a callable `(form, status)`
    rendering the page itself. The page is answered 409 on a stale version, `invalid_status` when
    a sent form wrote nothing."""
    if request.method == "POST":
        saved = save(form, write, refused=refused)
        if saved.ok:
            text = message(saved.result) if callable(message) else message
            if text:
                messages.success(request, text)
            return redirect(success(saved.result) if callable(success) else success)
    code = status(request, form, invalid=invalid_status)
    if callable(page):
        return page(form, code)
    extra = dict(context(form) if callable(context) else (context or {}))
    if page == FORM_PAGE:
        extra.setdefault("version", None)  # the page's hidden version only for a change
    return render(request, page, {"form": form, **extra}, status=code)

"""The queue of the board and the agencies: what needs action now first, its named presets, a
person's saved filters, and its export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zonedesk.core.exports import Column, export_format, table_response
from zonedesk.core.formviews import save
from zonedesk.core.numbers import num, whole
from zonedesk.core.permissions import actor_of
from zonedesk.petitions import forms as pforms
from zonedesk.petitions import selectors, services
from zonedesk.petitions.models import SavedFilter
from zonedesk.petitions.views.common import PAGE_SIZE, officer_required, page_of

QUEUE_COLUMNS = [
    Column(gettext_lazy("Reference"), lambda p: p.reference),
    Column(gettext_lazy("Petition"), lambda p: p.title),
    Column(gettext_lazy("Enterprise"), lambda p: p.enterprise.name if p.enterprise else gettext_lazy("Public form")),
    Column(gettext_lazy("Category"), lambda p: p.get_category_display()),
    Column(gettext_lazy("Zone"), lambda p: p.zone.code),
    Column(gettext_lazy("Status"), lambda p: p.get_status_display()),
    Column(gettext_lazy("Lead agency"), lambda p: p.lead_agency.name if p.lead_agency else None),
    Column(gettext_lazy("Received"), lambda p: p.received_at),
    Column(gettext_lazy("Answer due"), lambda p: p.answer_due_at),
    Column(gettext_lazy("Overdue"), lambda p: p.is_overdue),
]


@officer_required
def petition_queue(request: HttpRequest) -> HttpResponse:
    form, filters = pforms.QueueFilterForm.read(request.GET)
    now = timezone.now()
    rows = selectors.petition_queue(user=request.user, filters=filters, now=now)
    if fmt := export_format(request):  # the queue's filters, every row, in the queue's order
        return table_response(
            fmt=fmt,
            name="petitions",
            columns=QUEUE_COLUMNS,
            rows=(selectors.mark_badges(p, now) for p in rows),
            title=_("Petitions"),
        )
    page = page_of(request, rows, PAGE_SIZE)
    for p in page.object_list:
        selectors.mark_badges(p, now)
    params = selectors.filter_params(filters)  # presets and saved filters are written the same way
    presets = [
        {"preset": p, "url": _queue_url(p.params), "active": p.params == params}
        for p in selectors.queue_presets(request.user)
    ]
    saved = [
        {"saved": f, "url": _queue_url(f.params), "active": f.params == params}
        for f in selectors.saved_filters(user=request.user)
    ]
    return render(
        request,
        "petitions/queue.html",
        {
            "form": form,
            "page": page,
            "count": num(page.paginator.count),
            "filtered": filters != selectors.PetitionFilters(status="open"),
            "is_board": actor_of(request.user).is_board_side,
            "is_agency": actor_of(request.user).role == "agency",
            "presets": presets,
            "saved_filters": saved,
            "save_form": pforms.SaveFilterForm(initial={"query": urlencode(params)}),
        },
    )


def _queue_url(params: dict[str, str]) -> str:
    if params == {"status": "open"}:
        return reverse("petition_queue")
    return f"{reverse('petition_queue')}?{urlencode(params)}"


@officer_required
@require_POST
def petition_filter_save(request: HttpRequest) -> HttpResponse:
    """Save the queue's present filter under a name; the queue opens on it. The form sits on the
    queue: the answer goes back there either way, a refusal said as a message (one per field) and
    the queue kept on the filter that was to be saved."""
    form = pforms.SaveFilterInput(request.POST)
    form.is_valid()  # two optional texts (refused only with a NUL in them: then said as the others)
    # the filter comes as the queue's query string (the page's hidden field), read as the queue reads it
    _form, filters = pforms.QueueFilterForm.read(QueryDict(form.cleaned_data.get("query", "")[:2000]))
    params = selectors.filter_params(filters)
    saved = save(form, lambda cd: services.saved_filter_save(user=request.user, name=cd["name"], params=params))
    if not saved.ok:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_queue_url(params))
    messages.success(request, _("The filter “%(name)s” was saved.") % {"name": saved.result.name})
    return redirect(_queue_url(saved.result.params))


@officer_required
@require_POST
def petition_filter_delete(request: HttpRequest) -> HttpResponse:
    """Delete one of the person's own saved filters (another's is not found)."""
    filter_id = whole(request.POST.get("filter"))
    if filter_id is None:
        messages.error(request, _("Choose the saved filter to delete."))
        return redirect("petition_queue")
    try:
        services.saved_filter_delete(user=request.user, filter_id=filter_id)
    except SavedFilter.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The saved filter was deleted."))
    return redirect("petition_queue")

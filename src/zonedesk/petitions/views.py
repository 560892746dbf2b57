"""Pages of the petition channel: the enterprise portal, the public form, the board's and the
agencies' queue, a petition's page with the actions its reader may take, and the public
accountability page.

Views stay thin: forms parse, `services` decide and write, `selectors` read, and
`workflow.allowed_actions` says which actions a page offers. A refused transition or a stale
version comes back as a message on the page, with nothing saved.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.core.exports import Column, export_format, table_response
from zonedesk.core.models import Agency, Zone
from zonedesk.core.numbers import num, pct, whole
from zonedesk.core.permissions import actor_of, capability_required, get_restricted_or_404
from zonedesk.core.rules import rule_value
from zonedesk.core.throttle import client_address, throttle_hit
from zonedesk.core.widgets import FilePicker
from zonedesk.investment.models import Project
from zonedesk.petitions import forms as pforms
from zonedesk.petitions import selectors, services
from zonedesk.petitions.models import (
    OPEN_STATUSES,
    Answer,
    AnswerTemplate,
    Category,
    Petition,
    SavedFilter,
    Source,
    Status,
)
from zonedesk.petitions.summary import suggested_summary
from zonedesk.petitions.workflow import (
    BOARD,
    LEAD,
    OWNER,
    TRANSITIONS,
    ConflictError,
    TransitionError,
    allowed_actions,
    may_attempt,
    roles_of,
)
from zonedesk.privacy import services as privacy

PAGE_SIZE = 25
ANSWERS_PAGE_SIZE = 10
REFERENCE = re.compile(r"^PAKN-\d{4}-\d{1,9}$", re.IGNORECASE)
RATABLE = {Status.ANSWERED, Status.PUBLISHED, Status.CLOSED}
WRITABLE = {Status.ASSIGNED, Status.IN_PROGRESS}

# What each step of the timeline is called (the workflow's labels are the buttons' verbs).
EVENT_LABELS = {
    "submit": gettext_lazy("Received"),
    "triage": gettext_lazy("Triaged"),
    "reject": gettext_lazy("Rejected as out of scope"),
    "merge": gettext_lazy("Merged into a duplicate"),
    "assign": gettext_lazy("Assigned to an agency"),
    "start": gettext_lazy("Handling started"),
    "transfer": gettext_lazy("Sent back: outside the agency's competence"),
    "answer_submitted": gettext_lazy("Answer submitted for approval"),
    "answer_returned": gettext_lazy("Answer returned to the agency"),
    "attach": gettext_lazy("File attached"),
    "answer": gettext_lazy("Answer approved"),
    "publish": gettext_lazy("Answer published"),
    "close": gettext_lazy("Closed"),
    "reopen": gettext_lazy("Reopened"),
    "rate": gettext_lazy("Answer rated"),
    "request_info": gettext_lazy("Waiting for information from the enterprise"),
    "info_supplied": gettext_lazy("Information received: the clock runs again"),
    "extend": gettext_lazy("Deadline extended"),
    "escalate": gettext_lazy("Escalated"),
}
ESCALATION_LEVELS = {
    1: gettext_lazy("to the head of the agency"),
    2: gettext_lazy("to the management board"),
    3: gettext_lazy("to the city leader"),
}
# Events whose reason stays between the board and the agencies.
INTERNAL_REASONS = {"answer_returned"}

# op -> form class: the lifecycle actions of workflow.TRANSITIONS, and the other writes.
FORMS: dict[str, type[pforms.VersionedForm]] = {
    "triage": pforms.TriageForm,
    "reject": pforms.ReasonForm,
    "merge": pforms.MergeForm,
    "assign": pforms.AssignForm,
    "start": pforms.ConfirmForm,
    "transfer": pforms.TransferForm,
    "answer": pforms.ConfirmForm,
    "publish": pforms.PublishForm,
    "close": pforms.ConfirmForm,
    "reopen": pforms.ReasonForm,
    "write": pforms.AnswerForm,
    "rate": pforms.RateForm,
    "pause": pforms.PauseForm,
    "resume": pforms.ResumeForm,
    "extend": pforms.ExtendForm,
}
assert set(TRANSITIONS) <= set(FORMS), "every lifecycle action needs a form"

DONE = {
    "triage": gettext_lazy("The petition was triaged."),
    "reject": gettext_lazy("The petition was rejected."),
    "merge": gettext_lazy("The petition was merged into its duplicate."),
    "assign": gettext_lazy("The petition was assigned."),
    "start": gettext_lazy("Handling has started."),
    "transfer": gettext_lazy("The petition was sent back to the board for another agency."),
    "answer": gettext_lazy("The answer was approved and sent to the petitioner."),
    "publish": gettext_lazy("The answer was published."),
    "close": gettext_lazy("The petition was closed. Thank you for confirming."),
    "reopen": gettext_lazy("The petition was reopened."),
    "rate": gettext_lazy("Thank you: your rating was recorded."),
    "pause": gettext_lazy("The clock is paused until the information comes."),
    "resume": gettext_lazy("The clock runs again."),
    "extend": gettext_lazy("The deadline was extended."),
    "return": gettext_lazy("The answer was returned to its agency."),
    "write-submit": gettext_lazy("The answer was sent to the board for approval."),
    "write-draft": gettext_lazy("The draft was saved."),
}


# --- helpers ------------------------------------------------------------------------------


def officer_required(view):
    """The queue: the board side and agency officers. The public logs in; others get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        actor = actor_of(request.user)
        if not (actor.is_board_side or actor.role == "agency"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _petition_or_404(request: HttpRequest, reference: str) -> Petition:
    return get_restricted_or_404(
        Petition.objects.select_related("zone", "lead_agency", "enterprise", "project", "merged_into", "policy_action"),
        request.user,
        reference=reference,
    )


def _flag(petition: Petition, now: dt.datetime) -> Petition:
    """Mark what the lists and the page show as badges."""
    petition.is_paused = petition.paused_at is not None
    petition.is_overdue = (
        petition.status in OPEN_STATUSES
        and petition.answer_due_at is not None
        and petition.answer_due_at < now
        and not petition.is_paused
    )
    return petition


def _make_form(op: str, petition: Petition, user, *, data=None, **kwargs):
    """The form of an action; its ids are prefixed by the action, as one page holds several."""
    if op == "merge":
        kwargs["user"] = user
    return FORMS[op](data, petition=petition, auto_id=f"id_{op}_%s", **kwargs)


def _page(request: HttpRequest, qs, size: int):
    return Paginator(qs, size).get_page(request.GET.get("page"))


# --- the enterprise portal ----------------------------------------------------------------


@capability_required("portal.view")
def portal_petitions(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    show = request.GET.get("show", "")
    qs = selectors.petition_list(
        user=request.user, filters=selectors.PetitionFilters(status="open" if show == "open" else ""), now=now
    ).order_by("-received_at", "-pk")
    page = _page(request, qs, PAGE_SIZE)
    for p in page.object_list:
        _flag(p, now)
    mine = Petition.objects.restrict(request.user)
    counts = {
        "open": mine.filter(status__in=OPEN_STATUSES).count(),
        "to_confirm": mine.filter(status__in=[Status.ANSWERED, Status.PUBLISHED]).count(),
        "overdue": mine.filter(status__in=OPEN_STATUSES, answer_due_at__lt=now, paused_at__isnull=True).count(),
    }
    return render(
        request,
        "petitions/portal_list.html",
        {"enterprise": request.user.enterprise, "page": page, "counts": counts, "show": show},
    )


@capability_required("portal.view")
@require_http_methods(["GET", "POST"])
def portal_petition_new(request: HttpRequest) -> HttpResponse:
    enterprise = request.user.enterprise
    projects = list(Project.objects.restrict(request.user, "report").order_by("code"))
    if request.method == "POST":
        form = pforms.PortalPetitionForm(request.POST, request.FILES, projects=projects)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                petition = services.petition_submit(
                    zone=cd["zone"],
                    title=cd["title"],
                    body=cd["body"],
                    category=cd["category"],
                    priority=cd["priority"],
                    source=Source.PORTAL,
                    by=request.user,
                    enterprise=enterprise,
                    project=cd["project"],
                    procedure=cd["procedure"],
                    publish_allowed=cd["publish_allowed"],
                    attachments=cd["attachments"],
                    attachments_confidential=not cd["attachments_public"],
                )
            except ServiceError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request,
                    _("Your petition was received with the reference %(reference)s.")
                    % {"reference": petition.reference},
                )
                return redirect("petition_detail", reference=petition.reference)
    else:
        form = pforms.PortalPetitionForm(initial={"zone": enterprise.zone.code}, projects=projects)
    return render(request, "petitions/portal_form.html", {"form": form, "enterprise": enterprise})


# --- the public form ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public_petition_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request.user)
    if actor.role == "enterprise":
        return redirect("portal_petition_new")
    if not actor.is_public:  # officers record petitions for enterprises or at conferences
        return render(request, "petitions/public_form.html", {"officer": True})
    status = 200
    throttled = False
    notice = privacy.notice_current()
    if request.method == "POST":
        form = pforms.PublicPetitionForm(request.POST, request.FILES, notice=notice)
        limit, window = rule_value("petition.public_throttle")
        if not throttle_hit(
            scope="petition-public", ident=client_address(request), limit=int(limit), window_seconds=int(window)
        ):
            throttled, status = True, 429
        elif form.is_valid():
            cd = form.cleaned_data
            try:
                petition = services.petition_submit(
                    zone=cd["zone"],
                    title=cd["title"],
                    body=cd["body"],
                    category=cd["category"],
                    source=Source.PUBLIC,
                    by=None,
                    petitioner_name=cd["petitioner_name"],
                    petitioner_email=cd["petitioner_email"].strip(),
                    petitioner_phone=cd["petitioner_phone"].strip(),
                    publish_allowed=cd["publish_allowed"],
                    attachments=cd["attachments"],
                    attachments_confidential=not cd["attachments_public"],
                    consent_version=cd["consent_version"] if cd["consent"] else None,
                )
            except ServiceError as exc:
                form.add_service_error(exc)
            else:
                # The thank-you page reads only this visitor's own session: never anyone else's data.
                request.session["petition_filed"] = {
                    "reference": petition.reference,
                    "answer_due": timezone.localdate(petition.answer_due_at).isoformat(),
                }
                return redirect("public_petition_thanks")
    else:
        form = pforms.PublicPetitionForm(notice=notice)
    context = {"form": form, "throttled": throttled, "notice": notice}
    return render(request, "petitions/public_form.html", context, status=status)


def public_petition_thanks(request: HttpRequest) -> HttpResponse:
    filed = request.session.get("petition_filed")
    if not filed:
        return redirect("public_petition_new")
    return render(
        request,
        "petitions/thanks.html",
        {"reference": filed["reference"], "answer_due": dt.date.fromisoformat(filed["answer_due"])},
    )


# --- the queue of the board and the agencies ----------------------------------------------


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
            fmt=fmt, name="petitions", columns=QUEUE_COLUMNS, rows=(_flag(p, now) for p in rows), title=_("Petitions")
        )
    page = _page(request, rows, PAGE_SIZE)
    for p in page.object_list:
        _flag(p, now)
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
    """Save the queue's present filter under a name; the queue opens on it."""
    # the filter comes as the queue's query string (the page's hidden field), read as the queue reads it
    _form, filters = pforms.QueueFilterForm.read(QueryDict(request.POST.get("query", "")[:2000]))
    params = selectors.filter_params(filters)
    try:
        saved = services.saved_filter_save(user=request.user, name=request.POST.get("name", ""), params=params)
    except ServiceError as exc:
        for message in error_dict(exc).values():
            messages.error(request, " ".join(message))
        return redirect(_queue_url(params))
    messages.success(request, _("The filter “%(name)s” was saved.") % {"name": saved.name})
    return redirect(_queue_url(saved.params))


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


# --- one petition -------------------------------------------------------------------------


def petition_detail(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.is_authenticated:  # the public sees published answers on /answers/ only
        return redirect_to_login(request.get_full_path())
    petition = _petition_or_404(request, reference)
    return render(request, "petitions/detail.html", _detail_context(request, petition))


@require_POST
def petition_do(request: HttpRequest, reference: str, op: str) -> HttpResponse:
    """Take one action on a petition: a lifecycle transition, an answer, a rating, the clock."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("petition_detail", args=[reference]))
    petition = _petition_or_404(request, reference)
    form_class = FORMS.get(op)
    if form_class is None:
        raise Http404
    if not may_attempt(petition, op, request.user):
        raise PermissionDenied
    form = _make_form(op, petition, request.user, data=request.POST)
    return _act(request, petition, op, form, lambda: _run(request, petition, op, form))


@require_POST
def petition_answer_return(request: HttpRequest, reference: str, answer_id: int) -> HttpResponse:
    """A board officer sends a submitted answer back to its agency with a note."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("petition_detail", args=[reference]))
    petition = _petition_or_404(request, reference)
    answer = petition.answers.filter(pk=answer_id).select_related("petition").first()
    if answer is None:
        raise Http404
    if not may_attempt(petition, "return", request.user):
        raise PermissionDenied
    key = f"return-{answer.pk}"
    form = pforms.ReturnForm(request.POST, petition=petition, auto_id=f"id_{key}_%s")

    def run():
        services.answer_return(
            answer=answer, by=request.user, note=form.cleaned_data["note"], version=form.cleaned_data["version"]
        )
        return "return"

    return _act(request, petition, key, form, run)


def _act(request, petition: Petition, op: str, form, run) -> HttpResponse:
    problem = ""
    status = 200
    if form.is_valid():
        try:
            done = run()
        except ServiceError as exc:
            form.add_service_error(exc)
        except (TransitionError, ConflictError) as exc:
            problem, status = str(exc), 409
            if isinstance(exc, ConflictError):
                # Show the petition as it is now; what the person typed stays, with the new version,
                # so that they can check the page and send it again.
                petition = _petition_or_404(request, petition.reference)
                data = request.POST.copy()
                data["version"] = str(petition.version)
                if op.startswith("return-"):
                    form = pforms.ReturnForm(data, petition=petition, auto_id=f"id_{op}_%s")
                else:
                    form = _make_form(op, petition, request.user, data=data)
                form.is_valid()
            else:
                petition = _petition_or_404(request, petition.reference)
        else:
            messages.success(request, DONE.get(done, DONE.get(op, _("Saved."))))
            anchor = "#answers" if done in {"write-submit", "write-draft", "answer", "return"} else ""
            return redirect(reverse("petition_detail", args=[petition.reference]) + anchor)
    elif "version" in form.errors:
        problem, status = _("This page is out of date: reload it and try again."), 409
    context = _detail_context(request, petition, bound=(op, form), problem=problem)
    return render(request, "petitions/detail.html", context, status=status)


def _run(request, petition: Petition, op: str, form) -> str:
    cd = form.cleaned_data
    by = request.user
    if op in TRANSITIONS:
        services.petition_act(
            petition=petition, action=op, by=by, version=cd["version"], reason=cd.get("reason") or "", **form.params()
        )
    elif op == "write":
        submit = "submit" in request.POST
        services.answer_write(petition=petition, by=by, body=cd["body"], submit=submit, version=cd["version"])
        return "write-submit" if submit else "write-draft"
    elif op == "rate":
        services.petition_rate(
            petition=petition, by=by, satisfied=cd["satisfied"], comment=cd["comment"], version=cd["version"]
        )
    elif op == "pause":
        services.petition_request_info(petition=petition, by=by, reason=cd["reason"], version=cd["version"])
    elif op == "resume":
        services.petition_info_supplied(petition=petition, by=by, note=cd["reason"], version=cd["version"])
    elif op == "extend":
        services.petition_extend(
            petition=petition, by=by, reason=cd["reason"], days=cd.get("days"), version=cd["version"]
        )
    return op


def _visible_answers(petition: Petition, user, roles: set[str]) -> list[Answer]:
    """The enterprise reads only the approved consolidated answer; an agency its own texts and the
    approved ones (the lead agency also the contributions sent to it); the board everything."""
    actor = actor_of(user)
    answers = petition.answers.select_related("agency", "author", "reviewed_by")
    if actor.is_board_side:
        return list(answers)
    if actor.role == "agency":
        visible = Q(agency_id=actor.agency_id) | Q(state=Answer.State.APPROVED)
        if LEAD in roles:
            visible |= Q(is_contribution=True, state__in=[Answer.State.SUBMITTED, Answer.State.APPROVED])
        return list(answers.filter(visible))
    return list(answers.filter(state=Answer.State.APPROVED, is_contribution=False))


def _timeline(petition: Petition, user, actor) -> list[dict[str, Any]]:
    agencies = {a.code: a.name for a in Agency.objects.all()}
    events = list(petition.events.select_related("actor", "agency"))
    targets = {(e.data or {}).get("into") for e in events if e.action == "merge"} - {None}
    # the petition it was merged into may be another enterprise's: its reference only to those who may open it
    visible_targets = (
        set(Petition.objects.restrict(user).filter(reference__in=targets).values_list("reference", flat=True))
        if targets
        else set()
    )
    rows = []
    for e in events:
        if e.actor is not None and actor.role == "enterprise" and e.actor.enterprise_id != actor.enterprise_id:
            # the enterprise reads which office acted, not the officer's personal account
            who = e.agency.name if e.agency else _("Management board")
        elif e.actor is not None:
            who = e.actor.get_full_name() or e.actor.username
        elif e.action == "submit":
            who = _("The petitioner")
        else:
            who = _("Automatic")
        detail = ""
        data = e.data or {}
        if e.action == "assign" and data.get("lead_agency"):
            detail = agencies.get(data["lead_agency"], data["lead_agency"])
            if data.get("coordinating"):
                detail += " · " + _("with %(agencies)s") % {
                    "agencies": ", ".join(agencies.get(c, c) for c in data["coordinating"])
                }
        elif e.action == "merge" and data.get("into"):
            detail = data["into"] if data["into"] in visible_targets else _("another petition on the same difficulty")
        elif e.action == "attach" and data.get("name"):
            detail = data["name"]
        elif e.action == "rate":
            detail = _("satisfied") if data.get("satisfied") else _("not satisfied")
        elif e.action == "extend" and data.get("days"):
            detail = _("%(days)s working days") % {"days": data["days"]}
        elif e.action == "escalate":
            detail = str(ESCALATION_LEVELS.get(data.get("level"), data.get("level", "")))
        elif e.action == "close" and data.get("confirmed_by") == "no reply":
            detail = _("no reply from the petitioner within the set days")
        elif e.action == "answer" and "on_time" in data:
            detail = _("on time") if data["on_time"] else _("late")
        elif e.action == "transfer" and data.get("suggested_agency"):
            detail = _("suggested: %(agency)s") % {
                "agency": agencies.get(data["suggested_agency"], data["suggested_agency"])
            }
        reason = e.reason
        if e.action in INTERNAL_REASONS and actor.role == "enterprise":
            reason = ""
        rows.append(
            {
                "at": e.at,
                "action": e.action,
                "label": EVENT_LABELS.get(e.action, e.action),
                "who": who,
                "agency": e.agency.name if e.agency and who != e.agency.name else "",
                "from_status": e.from_status,
                "to_status": e.to_status,
                "to_label": Status(e.to_status).label if e.to_status in Status.values else "",
                "detail": detail,
                "reason": reason,
            }
        )
    return rows


def _detail_context(
    request: HttpRequest, petition: Petition, *, bound: tuple[str, Any] | None = None, problem: str = ""
) -> dict[str, Any]:
    user = request.user
    actor = actor_of(user)
    roles = roles_of(petition, user)
    now = timezone.now()
    _flag(petition, now)
    allowed = {t.action: t for t in allowed_actions(petition, user)}
    answers = _visible_answers(petition, user, roles)
    all_answers = answers if actor.is_board_side else list(petition.answers.all())

    def form(op: str, **kwargs):
        if bound is not None and bound[0] == op:
            return bound[1]
        return _make_form(op, petition, user, **kwargs)

    cards: list[dict[str, Any]] = []
    notes: list[str] = []

    def card(op, *, button, title=None, action="", secondary=False, danger=False, help=""):
        cards.append(
            {
                "op": op,
                "action": action,
                "title": title or (TRANSITIONS[op].label if op in TRANSITIONS else ""),
                "form": form(op),
                "url": reverse("petition_do", args=[petition.reference, op]),
                "button": button,
                "danger": danger,
                "help": help,
                "open": not secondary or (bound is not None and bound[0] == op),
            }
        )

    if "triage" in allowed:
        card(
            "triage",
            action="triage",
            button=_("Save the triage"),
            help=_("Check the category and priority (they set the deadline) and record the impact."),
        )
    if "assign" in allowed:
        card("assign", action="assign", button=_("Assign"))
    if "start" in allowed:
        card(
            "start",
            action="start",
            button=_("Start handling"),
            help=_("Tell the board and the enterprise that your agency is on it."),
        )
    if "publish" in allowed:
        if petition.publish_allowed:
            card(
                "publish",
                action="publish",
                button=_("Publish"),
                help=_("The public sees the summary and the approved answer, never the petition's own text."),
            )
            cards[-1]["suggestion"] = suggested_summary(petition)
        else:
            notes.append(_("The petitioner did not allow the answer to be published: it goes to the petitioner only."))
    if "close" in allowed:
        card(
            "close",
            action="close",
            button=_("Confirm and close"),
            help=_("Confirm that you received the answer. You may reopen the petition within %(days)s days.")
            % {"days": rule_value("petition.reopen_days")},
        )
    if OWNER in roles and petition.status in RATABLE:
        if petition.satisfied is None:
            card("rate", title=_("Rate the answer"), button=_("Send the rating"))
        else:
            card("rate", title=_("Change your rating"), button=_("Send the rating"), secondary=True)
    if "reopen" in allowed:
        card("reopen", action="reopen", button=_("Reopen"), secondary=True, help=_("Say what is still not resolved."))
    if "merge" in allowed:
        card("merge", action="merge", button=_("Merge"), secondary=True)
    if "reject" in allowed:
        card("reject", action="reject", button=_("Reject"), secondary=True, danger=True)
    if "transfer" in allowed:
        card("transfer", action="transfer", button=_("Transfer"), secondary=True, danger=True)
    if roles & {BOARD, LEAD} and petition.is_open:
        if petition.is_paused:
            card("resume", title=_("Information received"), button=_("Resume the clock"))
        else:
            card(
                "pause",
                title=_("Wait for information"),
                button=_("Pause the clock"),
                secondary=True,
                help=_("The deadline stops while the enterprise supplies what is needed."),
            )
        if not petition.extended:
            card(
                "extend",
                title=_("Extend the deadline"),
                button=_("Extend"),
                secondary=True,
                help=_("Once per petition, with a reason."),
            )

    # Answers: the board approves the lead agency's submitted answer or returns any submitted text.
    waiting_lead = next(
        (a for a in reversed(all_answers) if a.state == Answer.State.SUBMITTED and not a.is_contribution), None
    )
    for a in answers:
        a.approve_form = None
        a.return_form = None
        if BOARD in roles and a.state == Answer.State.SUBMITTED:
            if "answer" in allowed and a is waiting_lead:
                a.approve_form = form("answer")
            key = f"return-{a.pk}"
            a.return_form = (
                bound[1]
                if bound is not None and bound[0] == key
                else pforms.ReturnForm(petition=petition, auto_id=f"id_{key}_%s")
            )
            a.return_open = bound is not None and bound[0] == key
            a.return_url = reverse("petition_answer_return", args=[petition.reference, a.pk])
    if "answer" in allowed and waiting_lead is None:
        notes.append(_("Waiting for the lead agency's answer."))

    # The answer editor of the lead or a coordinating agency.
    editor = None
    if actor.role == "agency" and petition.status in WRITABLE:
        is_lead = LEAD in roles
        coordinating = petition.coordinating_agencies.filter(pk=actor.agency_id).exists()
        if is_lead or coordinating:
            own = [a for a in all_answers if a.agency_id == actor.agency_id]
            latest = own[-1] if own else None
            if latest is not None and latest.state == Answer.State.SUBMITTED:
                notes.append(_("Your agency's answer is waiting for the board's approval."))
            else:
                templates = list(
                    AnswerTemplate.objects.filter(
                        Q(agency_id=actor.agency_id) | Q(agency__isnull=True),
                        Q(category=petition.category) | Q(category=""),
                    )
                )
                chosen = None
                if (template_id := whole(request.GET.get("template"))) is not None:
                    chosen = next((t for t in templates if t.pk == template_id), None)
                initial_body = chosen.body if chosen else (latest.body if latest is not None else "")
                editor = {
                    "form": form("write", initial={"body": initial_body}),
                    "url": reverse("petition_do", args=[petition.reference, "write"]),
                    "templates": templates,
                    "chosen": chosen,
                    "latest": latest,
                    "is_contribution": not is_lead,
                }

    duplicates = list(Petition.objects.restrict(user).filter(merged_into=petition).only("reference"))
    from zonedesk.petitions import attachments as files

    can_attach = files.may_attach(petition, user) and petition.status not in {"closed", "rejected", "merged"}
    return {
        "attachments": list(files.attachment_list(petition=petition, user=user)),
        "can_attach": can_attach,
        "attach_input": _attach_input() if can_attach else "",
        "suggestion": _suggestion(petition, user) if {"triage", "assign", "merge"} & set(allowed) else None,
        "petition": petition,
        "now": now,
        "roles": roles,
        "is_board_side": actor.is_board_side,
        "is_owner": OWNER in roles,
        "show_confidential": actor.role != "enterprise",
        "show_petitioner": actor.is_board_side,
        "coordinating": list(petition.coordinating_agencies.all()),
        "duplicates": duplicates,
        "merged_visible": petition.merged_into_id is not None
        and Petition.objects.restrict(user).filter(pk=petition.merged_into_id).exists(),
        "parcel": selectors.parcel_in_force(petition.zone, petition.parcel_code)[0] if petition.parcel_code else None,
        "impact": {
            "workers": num(petition.impact_workers),
            "investment": num(petition.impact_investment_vnd),
        },
        "timeline": _timeline(petition, user, actor),
        "answers": answers,
        "cards": cards,
        "notes": notes,
        "editor": editor,
        "problem": problem,
        "bound_errors": bound is not None and bool(bound[1].errors) and not problem,
        "back": "portal_petitions" if actor.role == "enterprise" else "petition_queue",
    }


# --- public accountability ----------------------------------------------------------------


def _answers_scope(request: HttpRequest) -> dict[str, Any]:
    zones = list(Zone.objects.all())
    code = request.GET.get("zone", "")
    zone = next((z for z in zones if z.code == code), None)
    today = timezone.localdate()
    with_petitions = sorted(set(Petition.objects.order_by().values_list("year", flat=True).distinct()), reverse=True)
    default = with_petitions[0] if with_petitions else today.year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = default
    if not 1990 <= year <= 2200:
        year = default
    years = sorted({*with_petitions, today.year, year}, reverse=True)
    return {"zones": zones, "zone": zone, "year": year, "years": years}


def _public_row(p: Petition) -> dict[str, Any]:
    """Only the public fields of a published petition: never its title, text or petitioner. The
    answer is the one the board published (a later answer waits for its own publication)."""
    approved = p.published_answer
    return {
        "reference": p.reference,
        "category": p.get_category_display(),
        "zone": p.zone.name,
        "agency": p.lead_agency.name if p.lead_agency_id else "",
        "summary": p.public_summary,
        "answer": approved.body if approved else "",
        "received": p.received_at,
        "answered": p.answered_at,
        "published": p.published_at,
        "state": p.public_state,
    }


def _shown(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "received": num(f["received"]),
        "resolved": num(f["resolved"]),
        "open": num(f["open"]),
        "overdue": num(f["overdue"]),
        "on_time": pct(f["resolved_on_time_rate"]),
        "reopened": pct(f["reopened_rate"]),
        "satisfied": pct(f["satisfied_rate"]),
        "median_days": num(f["median_days_to_resolve"], None),
    }


def _short(label: Any, length: int = 28) -> str:
    """A chart's axis label, cut so that long names do not push the bars away."""
    return Truncator(str(label)).chars(length)


def _rate_value(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def public_answers(request: HttpRequest) -> HttpResponse:
    scope = _answers_scope(request)
    zone, year = scope["zone"], scope["year"]
    form = pforms.AnswerSearchForm(request.GET or None)
    form.is_valid()
    cd = getattr(form, "cleaned_data", {})
    q = (cd.get("q") or "").strip()
    category = cd.get("category") or ""
    zone_code = zone.code if zone else ""
    if REFERENCE.match(q):  # a petitioner looks up the answer to their own petition
        qs = selectors.published_answers(zone=zone_code, category=category).filter(reference=q.upper())
    else:
        qs = selectors.published_answers(q=q, zone=zone_code, category=category)
    page = _page(request, qs, ANSWERS_PAGE_SIZE)
    rows = [_public_row(p) for p in page.object_list]

    figures = selectors.petition_figures(zone=zone, year=year)
    agencies = {a.code: a.name for a in Agency.objects.all()}
    zone_names = {z.code: z.name for z in scope["zones"]}

    def labelled(items, label):
        return [r | {"label": label(r["key"]), "shown": _shown(r)} for r in items]

    by_agency = labelled(figures["by_agency"], lambda k: agencies.get(k, k) if k else _("Not yet assigned"))
    by_category = labelled(figures["by_category"], lambda k: Category(k).label if k in Category.values else k)
    by_category.sort(key=lambda r: (-r["received"], str(r["label"])))
    by_zone = labelled(figures["by_zone"], lambda k: zone_names.get(k, k))
    months = {r["key"]: r for r in figures["by_month"]}
    empty = {
        "received": 0,
        "resolved": 0,
        "open": 0,
        "overdue": 0,
        "resolved_on_time_rate": None,
        "reopened_rate": None,
        "satisfied_rate": None,
        "median_days_to_resolve": None,
    }
    by_month = [
        (months.get(f"{m:02d}") or {"key": f"{m:02d}", **empty}) | {"label": f"{m:02d}/{year}"} for m in range(1, 13)
    ]
    for r in by_month:
        r["shown"] = _shown(r)
    agency_rows = {r["key"]: r for r in by_agency}
    ranking = [agency_rows[code] for code in figures["agency_ranking"] if code in agency_rows]

    charts = {
        "months": {
            "type": "bar",
            "title": _("Petitions by month of receipt"),
            "labels": [r["label"] for r in by_month],
            "datasets": [
                {"label": _("Received"), "data": [r["received"] for r in by_month]},
                {"label": _("Resolved"), "data": [r["resolved"] for r in by_month]},
            ],
            "unit": _("petitions"),
            "integer": True,
        },
        "ranking": {
            "type": "bar",
            "title": _("Resolved on time, by agency (%)"),
            "labels": [_short(r["label"]) for r in ranking],
            "datasets": [
                {"label": _("Resolved on time"), "data": [_rate_value(r["resolved_on_time_rate"]) for r in ranking]}
            ],
            "unit": "%",
            "horizontal": True,
            "max": 100,
        },
        "categories": {
            "type": "bar",
            "title": _("Petitions by category"),
            "labels": [_short(r["label"]) for r in by_category],
            "datasets": [{"label": _("Received"), "data": [r["received"] for r in by_category]}],
            "unit": _("petitions"),
            "horizontal": True,
            "integer": True,
        },
    }
    return render(
        request,
        "petitions/answers.html",
        {
            **scope,
            "form": form,
            "q": q,
            "category": category,
            "page": page,
            "rows": rows,
            "count": num(page.paginator.count),
            "searched": bool(q or category),
            "figures": figures,
            "shown": _shown(figures),
            "by_agency": by_agency,
            "by_category": by_category,
            "by_zone": by_zone,
            "by_month": by_month,
            "ranking": ranking,
            "charts": charts,
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's own notifications, newest first."""
    page = Paginator(selectors.inbox(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "petitions/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a notification read and go to its petition (or the page it names)."""
    notification = get_object_or_404(selectors.inbox(user=request.user), pk=notification_id)
    services.notification_read(notification=notification)
    if (
        notification.petition_id
        and Petition.objects.restrict(request.user).filter(pk=notification.petition_id).exists()
    ):
        return redirect("petition_detail", reference=notification.petition.reference)
    if notification.link.startswith("/") and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("inbox")


def _suggestion(petition: Petition, user) -> dict[str, Any] | None:
    """What the routed petitions suggest for this one: shown beside triage and assignment, for the
    officer to accept or override (it is never applied by itself)."""
    from zonedesk.petitions import suggestions
    from zonedesk.petitions.models import Category

    found = suggestions.suggest(title=petition.title, body=petition.body, exclude=petition.reference)
    refs = [s["reference"] for s in found["similar"]]
    visible = {p.reference: p for p in Petition.objects.restrict(user).filter(reference__in=refs)}
    agency = Agency.objects.filter(code=found["agency"]).first()
    return {
        "category": Category(found["category"]).label if found["category"] in Category.values else found["category"],
        "category_confidence": pct(found["category_confidence"]),
        "agency": agency or found["agency"],
        "agency_confidence": pct(found["agency_confidence"]),
        "similar": [
            {"petition": visible[s["reference"]], "score": pct(s["score"])}
            for s in found["similar"]
            if s["reference"] in visible
        ],
    }


def _attach_input() -> str:
    """The file input of the form that adds a file to a petition (the shared FilePicker widget)."""
    return FilePicker().render(
        "file",
        None,
        {
            "id": "id_attach_file",
            "required": True,
            "accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.ods,.txt",
            "aria-describedby": "id_attach_file_helptext",
        },
    )


@require_POST
def petition_attach(request: HttpRequest, reference: str) -> HttpResponse:
    """Attach a file to a petition (the enterprise, the board, the agencies it is routed to)."""
    from zonedesk.petitions import attachments as files

    if not request.user.is_authenticated:
        return redirect_to_login(reverse("petition_detail", args=[reference]))
    petition = _petition_or_404(request, reference)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceError({"file": _("Choose a file to attach.")})
        files.attachment_add(
            petition=petition, by=request.user, upload=upload, confidential=request.POST.get("confidential") == "on"
        )
    except ServiceError as exc:
        for message in exc.message_dict.get("file", exc.messages):
            messages.error(request, message)
    except (PermissionDenied, TransitionError) as exc:
        messages.error(request, str(exc) or _("You may not attach files to this petition."))
    else:
        messages.success(request, _("The file was attached."))
    return redirect(reverse("petition_detail", args=[petition.reference]) + "#attachments")

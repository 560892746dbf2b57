"""One petition's page: what its reader may see of it (`selectors.petition_view_for`, the read
model of the API too), the actions the reader may take (`workflow.allowed_actions`), and the
writes the page posts. A refused transition or a stale version comes back as a message on the
page, with nothing saved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zonedesk.core.errors import TransitionError
from zonedesk.core.formviews import save
from zonedesk.core.numbers import num, pct, whole
from zonedesk.core.rules import rule_value
from zonedesk.core.widgets import FilePicker
from zonedesk.petitions import attachments as files
from zonedesk.petitions import forms as pforms
from zonedesk.petitions import selectors, services
from zonedesk.petitions.models import Answer, Petition, Status
from zonedesk.petitions.summary import suggested_summary
from zonedesk.petitions.views.common import petition_or_404
from zonedesk.petitions.workflow import (
    BOARD,
    LEAD,
    OWNER,
    TRANSITIONS,
    allowed_actions,
    may_attempt,
)

RATABLE = {Status.ANSWERED, Status.PUBLISHED, Status.CLOSED}
WRITABLE = {Status.ASSIGNED, Status.IN_PROGRESS}

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


def _make_form(op: str, petition: Petition, user, *, data=None, **kwargs):
    """The form of an action; its ids are prefixed by the action, as one page holds several."""
    if op == "merge":
        kwargs["user"] = user
    return FORMS[op](data, petition=petition, auto_id=f"id_{op}_%s", **kwargs)


# --- one petition -------------------------------------------------------------------------


def petition_detail(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.is_authenticated:  # the public sees published answers on /answers/ only
        return redirect_to_login(request.get_full_path())
    petition = petition_or_404(request, reference)
    return render(request, "petitions/detail.html", _detail_context(request, petition))


@require_POST
def petition_do(request: HttpRequest, reference: str, op: str) -> HttpResponse:
    """Take one action on a petition: a lifecycle transition, an answer, a rating, the clock."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("petition_detail", args=[reference]))
    petition = petition_or_404(request, reference)
    form_class = FORMS.get(op)
    if form_class is None:
        raise Http404
    if not may_attempt(petition, op, request.user):
        raise PermissionDenied
    form = _make_form(op, petition, request.user, data=request.POST)
    return _act(request, petition, op, form, lambda cd: _run(request, petition, op, cd, form))


@require_POST
def petition_answer_return(request: HttpRequest, reference: str, answer_id: int) -> HttpResponse:
    """A board officer sends a submitted answer back to its agency with a note."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("petition_detail", args=[reference]))
    petition = petition_or_404(request, reference)
    answer = petition.answers.filter(pk=answer_id).select_related("petition").first()
    if answer is None:
        raise Http404
    if not may_attempt(petition, "return", request.user):
        raise PermissionDenied
    key = f"return-{answer.pk}"
    form = pforms.ReturnForm(request.POST, petition=petition, auto_id=f"id_{key}_%s")

    def write(cd):
        services.answer_return(answer=answer, by=request.user, note=cd["note"], version=cd["version"])
        return "return"

    return _act(request, petition, key, form, write)


def _act(request, petition: Petition, op: str, form, write) -> HttpResponse:
    """The form routine of the petition's page (`core.formviews.save`): the page shows the form
    among the others, so it renders itself. A refused transition or a stale version is said on
    top of the page (`problem`), answered 409, with the petition as it is now."""
    problem = ""
    status = 200
    try:
        saved = save(form, write)
    except TransitionError as exc:  # the petition moved on meanwhile: nothing was written
        problem, status = str(exc), 409
        petition = petition_or_404(request, petition.reference)
    else:
        if saved.ok:
            done = saved.result
            messages.success(request, DONE.get(done, DONE.get(op, _("Saved."))))
            anchor = "#answers" if done in {"write-submit", "write-draft", "answer", "return"} else ""
            return redirect(reverse("petition_detail", args=[petition.reference]) + anchor)
        if getattr(form, "conflict", False):
            problem, status = form.non_field_errors()[-1], 409  # the ConflictError's message `save` put on top
            # Show the petition as it is now; what the person typed stays, with the new version,
            # so that they can check the page and send it again.
            petition = petition_or_404(request, petition.reference)
            data = request.POST.copy()
            data["version"] = str(petition.version)
            if op.startswith("return-"):
                form = pforms.ReturnForm(data, petition=petition, auto_id=f"id_{op}_%s")
            else:
                form = _make_form(op, petition, request.user, data=data)
            form.is_valid()
        elif "version" in form.errors:
            problem, status = _("This page is out of date: reload it and try again."), 409
    context = _detail_context(request, petition, bound=(op, form), problem=problem)
    return render(request, "petitions/detail.html", context, status=status)


def _run(request, petition: Petition, op: str, cd: dict[str, Any], form) -> str:
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


def _detail_context(
    request: HttpRequest, petition: Petition, *, bound: tuple[str, Any] | None = None, problem: str = ""
) -> dict[str, Any]:
    user = request.user
    view = selectors.petition_view_for(user, petition)
    roles = view.roles
    now = timezone.now()
    selectors.mark_badges(petition, now)
    allowed = {t.action: t for t in allowed_actions(petition, user)}
    answers = view.answers

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
        (a for a in reversed(answers) if a.state == Answer.State.SUBMITTED and not a.is_contribution), None
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
    if view.answering and petition.status in WRITABLE:
        own = view.own_answers
        latest = own[-1] if own else None
        if latest is not None and latest.state == Answer.State.SUBMITTED:
            notes.append(_("Your agency's answer is waiting for the board's approval."))
        else:
            templates = selectors.answer_templates(agency_id=view.agency_id, category=petition.category)
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
                "is_contribution": LEAD not in roles,
            }

    can_attach = files.may_attach(petition, user) and petition.status not in {"closed", "rejected", "merged"}
    return {
        "attachments": view.attachments,
        "can_attach": can_attach,
        "attach_input": _attach_input() if can_attach else "",
        "suggestion": _suggestion(petition, user) if {"triage", "assign", "merge"} & set(allowed) else None,
        "petition": petition,
        "now": now,
        "roles": roles,
        "is_board_side": view.is_board_side,
        "is_owner": view.is_owner,
        "show_confidential": view.confidential_note is not None,
        "show_petitioner": view.petitioner is not None,
        "coordinating": view.coordinating,
        "duplicates": view.duplicates,
        "merged_visible": view.merged_into is not None,
        "parcel": selectors.parcel_in_force(petition.zone, petition.parcel_code)[0] if petition.parcel_code else None,
        "impact": {
            "workers": num(petition.impact_workers),
            "investment": num(petition.impact_investment_vnd),
        },
        "timeline": view.events,
        "answers": answers,
        "cards": cards,
        "notes": notes,
        "editor": editor,
        "problem": problem,
        "bound_errors": bound is not None and bool(bound[1].errors) and not problem,
        "back": "portal_petitions" if user.role == "enterprise" else "petition_queue",
    }


def _suggestion(petition: Petition, user) -> dict[str, Any]:
    """What the routed petitions suggest for this one (`selectors.routing_suggestion`), for the
    officer to accept or override beside triage and assignment."""
    found = selectors.routing_suggestion(petition, user)
    return found | {
        "category_confidence": pct(found["category_confidence"]),
        "agency_confidence": pct(found["agency_confidence"]),
        "similar": [s | {"score": pct(s["score"])} for s in found["similar"]],
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
    """Attach a file to a petition (the enterprise, the board, the agencies it is routed to).
    The form sits on the petition's page: whatever happens, the answer goes back there, with what
    went wrong said as a message (`core.formviews.save` runs the write and catches the refusals)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("petition_detail", args=[reference]))
    petition = petition_or_404(request, reference)
    form = pforms.AttachForm(request.POST, request.FILES)
    try:
        saved = save(
            form,
            lambda cd: files.attachment_add(
                petition=petition, by=request.user, upload=cd["file"], confidential=cd["confidential"]
            ),
        )
    except (PermissionDenied, TransitionError) as exc:
        messages.error(request, str(exc) or _("You may not attach files to this petition."))
    else:
        if saved.ok:
            messages.success(request, _("The file was attached."))
        else:  # the file's own messages if it has some, else all of them
            for message in form.errors.get("file") or [m for errors in form.errors.values() for m in errors]:
                messages.error(request, message)
    return redirect(reverse("petition_detail", args=[petition.reference]) + "#attachments")

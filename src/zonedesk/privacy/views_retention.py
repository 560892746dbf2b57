"""The board's retention page (board officers and admins, core/access.py): the rules with their
months, editable; what a run would clear today, kind by kind; and a run now, confirmed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.core.errors import ServiceError
from zonedesk.privacy.retention import KINDS, MAX_MONTHS, MIN_MONTHS
from zonedesk.privacy.retention_services import last_runs, retention_rule_update, retention_run


def retention_rules(request: HttpRequest, errors: dict | None = None, status: int = 200) -> HttpResponse:
    result = retention_run(dry_run=True)
    return render(
        request,
        "privacy/retention_rules.html",
        {
            "result": result,
            "runs": last_runs(),
            "rules": [(due, (errors or {}).get(due.kind.code)) for due in result.kinds],
            "min_months": MIN_MONTHS,
            "max_months": MAX_MONTHS,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_POST
def retention_rule(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    try:
        rule = retention_rule_update(kind=kind, months=request.POST.get("months", ""), by=request.user)
    except ServiceError as exc:
        message = " ".join(m for ms in exc.message_dict.values() for m in ms)
        return retention_rules(
            request, errors={kind: {"months": request.POST.get("months", "")[:10], "message": message}}, status=400
        )
    messages.success(request, _("%(kind)s: kept for %(months)s months.") % {"kind": rule.kind, "months": rule.months})
    return redirect("retention_rules")


@require_POST
def retention_run_now(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "on":
        messages.error(request, _("Tick the box to confirm: a run cannot be undone."))
        return redirect("retention_rules")
    result = retention_run(dry_run=False, by=request.user)
    messages.success(request, _("Retention applied: %(n)s records cleared.") % {"n": result.total})
    return redirect("retention_rules")

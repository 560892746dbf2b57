"""The public's pages: the public petition form and its thank-you page, and the public
accountability page (the published answers and the figures of every agency)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zonedesk.core.charts import Series, chart
from zonedesk.core.formviews import bind, form_view
from zonedesk.core.numbers import num, pct
from zonedesk.core.permissions import actor_of
from zonedesk.core.rules import rule_value
from zonedesk.core.throttle import client_address, throttle_hit
from zonedesk.petitions import forms as pforms
from zonedesk.petitions import selectors, services
from zonedesk.petitions.models import Petition, Source
from zonedesk.petitions.views.common import page_of
from zonedesk.privacy import services as privacy

ANSWERS_PAGE_SIZE = 10


@require_http_methods(["GET", "POST"])
def public_petition_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request.user)
    if actor.role == "enterprise":
        return redirect("portal_petition_new")
    if not actor.is_public:  # officers record petitions for enterprises or at conferences
        return render(request, "petitions/public_form.html", {"officer": True})
    notice = privacy.notice_current()
    form = bind(request, pforms.PublicPetitionForm, files=True, notice=notice)

    def page(form, status: int, *, throttled: bool = False) -> HttpResponse:
        context = {"form": form, "throttled": throttled, "notice": notice}
        return render(request, "petitions/public_form.html", context, status=status)

    # The throttle comes before the form routine and answers on the same page (429, the form as
    # sent, nothing written): every POST from the address counts, a valid form or not, as in the API.
    if request.method == "POST" and not _within_limit(request):
        return page(form, 429, throttled=True)

    def write(cd):
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
        # The thank-you page reads only this visitor's own session: never anyone else's data.
        request.session["petition_filed"] = {
            "reference": petition.reference,
            "answer_due": timezone.localdate(petition.answer_due_at).isoformat(),
        }
        return petition

    return form_view(request, form, write=write, success="public_petition_thanks", page=page)


def _within_limit(request: HttpRequest) -> bool:
    """Count this POST against the public form's limit per address; False once over it."""
    limit, window = rule_value("petition.public_throttle")
    return throttle_hit(
        scope="petition-public", ident=client_address(request), limit=int(limit), window_seconds=int(window)
    )


def public_petition_thanks(request: HttpRequest) -> HttpResponse:
    filed = request.session.get("petition_filed")
    if not filed:
        return redirect("public_petition_new")
    return render(
        request,
        "petitions/thanks.html",
        {"reference": filed["reference"], "answer_due": dt.date.fromisoformat(filed["answer_due"])},
    )


# --- public accountability ----------------------------------------------------------------


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
    scope = selectors.answers_scope(zone_code=request.GET.get("zone", ""), year_text=request.GET.get("year", ""))
    zone, year = scope["zone"], scope["year"]
    form = pforms.AnswerSearchForm(request.GET or None)
    form.is_valid()
    cd = getattr(form, "cleaned_data", {})
    q = (cd.get("q") or "").strip()
    category = cd.get("category") or ""
    qs = selectors.answers_search(q=q, zone=zone.code if zone else "", category=category)
    page = page_of(request, qs, ANSWERS_PAGE_SIZE)
    rows = [_public_row(p) for p in page.object_list]

    figures = selectors.petition_figures(zone=zone, year=year)
    breakdown = selectors.figures_breakdown(figures, year=year, zones=scope["zones"])
    by_agency, by_category, by_month, ranking = (
        breakdown[k] for k in ("by_agency", "by_category", "by_month", "ranking")
    )
    for name in ("by_agency", "by_category", "by_zone", "by_month"):
        for r in breakdown[name]:
            r["shown"] = _shown(r)

    charts = {
        "months": chart(
            "bar",
            _("Petitions by month of receipt"),
            by_month,
            label=lambda r: r["label"],
            series=[Series(_("Received"), lambda r: r["received"]), Series(_("Resolved"), lambda r: r["resolved"])],
            unit=_("petitions"),
            integer=True,
        ),
        "ranking": chart(
            "bar",
            _("Resolved on time, by agency (%)"),
            ranking,
            label=lambda r: _short(r["label"]),
            series=[Series(_("Resolved on time"), lambda r: _rate_value(r["resolved_on_time_rate"]))],
            unit="%",
            horizontal=True,
            max=100,
        ),
        "categories": chart(
            "bar",
            _("Petitions by category"),
            by_category,
            label=lambda r: _short(r["label"]),
            series=[Series(_("Received"), lambda r: r["received"])],
            unit=_("petitions"),
            horizontal=True,
            integer=True,
        ),
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
            **breakdown,
            "charts": charts,
        },
    )

"""Pages of the dialogue conferences: the public calendar, each conference with its report and
tabled petitions, and the board's forms (plan, record held, table a petition, answer on the spot).

Thin: forms parse, services decide, selectors read. Writes are for board officers and admins
(`registry.edit`, the same people who keep the registry).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from zonedesk.core.charts import Series, chart
from zonedesk.core.errors import TransitionError
from zonedesk.core.formviews import bind, form_view
from zonedesk.core.inputs import tax_code_key
from zonedesk.core.numbers import whole
from zonedesk.core.permissions import capability_required, get_restricted_or_404
from zonedesk.core.views import read_version
from zonedesk.dialogue import selectors, services
from zonedesk.dialogue.forms import ConferenceForm, HeldForm, SpotAnswerForm, TableForm
from zonedesk.dialogue.models import Conference, Tabling
from zonedesk.investment.models import Enterprise
from zonedesk.petitions.models import Petition

EDIT = "registry.edit"


def _conference(request: HttpRequest, pk: int) -> Conference:
    return get_restricted_or_404(
        Conference.objects.select_related("series").prefetch_related("zones"), request.user, "view", pk=pk
    )


def _petition_url(reference: str | None) -> str | None:
    if not reference:
        return None
    try:
        return reverse("petition_detail", args=[reference])
    except NoReverseMatch:  # the petition pages are not mounted
        return None


def conference_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "dialogue/conference_list.html",
        {
            "upcoming": list(selectors.conference_list(user=request.user, when="upcoming", now=now)),
            "past": list(selectors.conference_list(user=request.user, when="past", now=now)),
            "can_edit": services.can_edit(request.user),
            "now": now,
        },
    )


WEEKDAYS = [  # (full, short), Monday first as Vietnamese calendars
    (pgettext_lazy("weekday", "Monday"), pgettext_lazy("weekday short", "Mon")),
    (pgettext_lazy("weekday", "Tuesday"), pgettext_lazy("weekday short", "Tue")),
    (pgettext_lazy("weekday", "Wednesday"), pgettext_lazy("weekday short", "Wed")),
    (pgettext_lazy("weekday", "Thursday"), pgettext_lazy("weekday short", "Thu")),
    (pgettext_lazy("weekday", "Friday"), pgettext_lazy("weekday short", "Fri")),
    (pgettext_lazy("weekday", "Saturday"), pgettext_lazy("weekday short", "Sat")),
    (pgettext_lazy("weekday", "Sunday"), pgettext_lazy("weekday short", "Sun")),
]


def _month_in(text: str, today: dt.date) -> dt.date | None:
    """The first day of the month `?month=YYYY-MM` names (this month when absent); None when not a month."""
    if not text:
        return today.replace(day=1)
    year, _dash, month = text.partition("-")
    year, month = whole(year, max_digits=4), whole(month, max_digits=2)
    if year is not None and month is not None and 1990 <= year <= 2200 and 1 <= month <= 12:
        return dt.date(year, month, 1)
    return None


def conference_calendar(request: HttpRequest) -> HttpResponse:
    """The conferences of a month on a calendar (weeks from Monday), with the months before and after."""
    today = timezone.localdate()
    asked = request.GET.get("month", "")
    first = _month_in(asked, today)
    if first is None:  # said on the page, which shows this month
        first = today.replace(day=1)
    else:
        asked = ""
    days = selectors.conference_month(user=request.user, year=first.year, month=first.month)
    weeks = [
        [
            {
                "date": d,
                "weekday": WEEKDAYS[d.weekday()][0],
                "in_month": d.month == first.month,
                "today": d == today,
                "conferences": days.get(d, []),
            }
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=31)).replace(day=1)
    return render(
        request,
        "dialogue/conference_calendar.html",
        {
            "month": first,
            "not_a_month": asked,
            "weeks": weeks,
            "weekdays": WEEKDAYS,
            "count": len({c.pk for cs in days.values() for c in cs}),
            "previous": previous if previous.year >= 1990 else None,
            "following": following if following.year <= 2200 else None,
            "this_month": today.replace(day=1),
            "can_edit": services.can_edit(request.user),
        },
    )


def _chart(report: dict[str, Any]) -> dict[str, Any]:
    """Chart data for static/zonedesk/zonedesk.js (json_script, never inline JS), read from the
    rows of the table beside it."""
    return chart(
        "bar",
        _("Tabled petitions by lead agency"),
        report["by_agency"],
        label=lambda r: r["agency"] or _("Not assigned yet"),
        series=[
            # in the order of zonedesk.js's palette: teal, yellow, blue, then red-orange for overdue
            Series(_("Resolved since"), lambda r: r["resolved_since"]),
            Series(_("Open, not overdue"), lambda r: r["still_open"] - r["overdue"]),
            Series(_("Rejected or merged"), lambda r: r["other"]),
            Series(_("Overdue"), lambda r: r["overdue"]),
        ],
        unit=_("petitions"),
        stacked=True,
        horizontal=True,
        integer=True,  # whole-number ticks (zonedesk.js)
    )


def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    now = timezone.now()
    tablings = selectors.conference_tablings(conference)
    report = selectors.conference_report(conference, now, tablings=tablings)
    rows = selectors.tabling_rows(request.user, tablings, now)
    for row in rows:
        row["url"] = _petition_url(row["reference"])
    return render(
        request,
        "dialogue/conference_detail.html",
        {
            "conference": conference,
            "enterprises": list(conference.enterprises.all()),
            "report": report,
            "chart": _chart(report) if len(report["by_agency"]) > 1 else None,  # one row: the table says it all
            "rows": rows,
            "can_edit": services.can_edit(request.user),
            "now": now,
        },
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def conference_new(request: HttpRequest) -> HttpResponse:
    return form_view(
        request,
        bind(request, ConferenceForm),
        write=lambda cd: services.conference_create(
            by=request.user,
            series=cd["series"],
            sequence=cd["sequence"],
            theme_vi=cd["theme_vi"],
            theme_en=cd["theme_en"],
            description=cd["description"],
            description_en=cd["description_en"],
            starts_at=cd["starts_at"],
            ends_at=cd["ends_at"],
            venue=cd["venue"],
            chair=cd["chair"],
            zones=list(cd["zones"]),
            public=cd["public"],
        ),
        message=lambda conference: _("Conference %(label)s was planned.") % {"label": conference.label},
        success=lambda conference: reverse("conference_detail", args=[conference.pk]),
        page="dialogue/conference_form.html",
    )


_version = read_version  # the version the form was read at (core.views): a stale or missing one is refused


def _tax_codes(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def conference_held(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    version = _version(request, conference)

    def write(cd: dict[str, Any]) -> None:
        codes = {code: tax_code_key(code) for code in _tax_codes(cd["enterprises"])}  # as written, "-001" too
        found = {e.tax_code: e for e in Enterprise.objects.filter(tax_code__in=codes.values())}
        missing = [c for c, key in codes.items() if key not in found]
        if missing:
            form.add_error("enterprises", _("Unknown tax codes: %(codes)s.") % {"codes": ", ".join(missing)})
            return
        services.conference_record_held(
            conference=conference,
            by=request.user,
            head_count=cd["head_count"],
            enterprises=[found[key] for key in codes.values()] if codes else None,
            version=version,
        )

    form = bind(
        request,
        HeldForm,
        initial=lambda: {
            "head_count": conference.head_count,
            "enterprises": "\n".join(conference.enterprises.values_list("tax_code", flat=True)),
        },
    )
    return form_view(
        request,
        form,
        write=write,
        message=_("Conference %(label)s was recorded as held.") % {"label": conference.label},
        success=reverse("conference_detail", args=[conference.pk]),
        page="dialogue/conference_held.html",
        context={"conference": conference, "version": version},
        refused=(TransitionError,),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def conference_table(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)

    def initial() -> dict[str, Any]:
        during = conference.starts_at <= timezone.now() <= conference.ends_at
        return {"during_session": during, "publish_allowed": True}

    form = bind(request, TableForm, initial=initial)
    return form_view(
        request,
        form,
        write=lambda cd: _table(request, conference, form, cd),
        message=lambda tabling: (
            _("Petition %(ref)s was tabled for conference %(label)s.")
            % {"ref": tabling.petition.reference, "label": conference.label}
        ),
        success=f"{reverse('conference_detail', args=[conference.pk])}#tabled",
        page="dialogue/conference_table.html",
        context={"conference": conference},
        refused=(TransitionError,),
    )


def _table(request: HttpRequest, conference: Conference, form: TableForm, cd: dict[str, Any]) -> Tabling | None:
    """The petition tabled: one named by its reference, or a new one an enterprise raises in the
    session; an unknown reference or tax code on the form, nothing written."""
    petition = None
    fields: dict[str, Any] = {}
    if cd["petition"]:
        petition = Petition.objects.filter(reference=cd["petition"].strip().upper()).first()
        if petition is None:
            form.add_error("petition", _("There is no petition with this reference."))
            return None
    else:
        enterprise = Enterprise.objects.filter(tax_code=cd["enterprise"].strip()).first() if cd["enterprise"] else None
        if enterprise is None:
            form.add_error(
                "enterprise" if cd["enterprise"] else "petition",
                _("Unknown tax code.")
                if cd["enterprise"]
                else _("Give the reference of a petition, or the enterprise and the text of a new one."),
            )
            return None
        fields = {
            "enterprise": enterprise,
            "title": cd["title"],
            "body": cd["body"],
            "category": cd["category"],
            "publish_allowed": cd["publish_allowed"],
        }
        if cd["zone"] is not None:
            fields["zone"] = cd["zone"]
    return services.petition_table(
        conference=conference, by=request.user, petition=petition, during_session=cd["during_session"], **fields
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def spot_answer(request: HttpRequest, pk: int, tabling_pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    tabling = get_object_or_404(
        Tabling.objects.select_related("petition", "spot_answered_by"), pk=tabling_pk, conference=conference
    )
    version = _version(request, tabling)
    return form_view(
        request,
        bind(
            request,
            SpotAnswerForm,
            initial=lambda: {
                "agency": tabling.spot_answered_by_id or tabling.petition.lead_agency_id,
                "speaker": tabling.spot_speaker,
                "text": tabling.spot_answer,
            },
        ),
        write=lambda cd: services.spot_answer_record(
            tabling=tabling,
            by=request.user,
            text=cd["text"],
            agency=cd["agency"],
            speaker=cd["speaker"],
            version=version,
        ),
        message=_("The answer on the spot to %(ref)s was recorded.") % {"ref": tabling.petition.reference},
        success=f"{reverse('conference_detail', args=[conference.pk])}#tabled",
        page="dialogue/spot_answer.html",
        context={"conference": conference, "tabling": tabling, "version": version},
        refused=(TransitionError,),
    )

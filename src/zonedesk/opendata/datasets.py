"""The public datasets: what everyone may download, each with its description, licence, update
frequency and the day it last changed, in CSV, XLSX and JSON (`core.exports`: streamed, never
the whole file in memory), and described in the DCAT catalogue (`views.catalogue_jsonld`).

Only public fields: the rows come from the same public querysets as the public pages
(`restrict(None)`), never from an officer's view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zonedesk.core.exports import Column

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
DAILY = "http://purl.org/cld/freq/daily"
YEARLY = "http://purl.org/cld/freq/annual"


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    frequency: str  # a Dublin Core frequency URI
    columns: list[Column]
    rows: Callable[[], Iterable[Any]]
    modified: Callable[[], dt.datetime | dt.date | None]
    keywords: tuple[str, ...] = ()


def _projects() -> Iterable[Any]:
    from zonedesk.investment.models import Project

    return Project.objects.restrict(None).select_related("zone", "enterprise").order_by("code").iterator(2000)


def _projects_modified():
    from zonedesk.investment.models import Project

    return Project.objects.aggregate(m=Max("updated_at"))["m"]


PROJECTS = [
    Column(_("Project code"), lambda p: p.code, "code"),
    Column(_("Project"), lambda p: p.name_vi, "name_vi"),
    Column(_("Project (English)"), lambda p: p.name_en, "name_en"),
    Column(_("Enterprise"), lambda p: p.enterprise.name, "enterprise"),
    Column(_("Zone"), lambda p: p.zone.code, "zone"),
    Column(_("Sector"), lambda p: p.sector, "sector"),
    Column(_("Status"), lambda p: p.status, "status"),
    Column(_("Foreign-invested"), lambda p: p.is_foreign_invested, "foreign_invested"),
    Column(_("Registered capital (VND)"), lambda p: p.registered_capital_vnd, "registered_capital_vnd"),
    Column(_("Land area (m²)"), lambda p: p.land_area_m2, "land_area_m2"),
    Column(_("Certificate date"), lambda p: p.certificate_date, "certificate_date"),
    Column(_("synthetic (demo) data"), lambda p: p.is_synthetic, "is_synthetic"),
]


def _answers() -> Iterable[Any]:
    from zonedesk.petitions.selectors import published_answers

    return published_answers().select_related("published_answer__agency").iterator(2000)


def _answers_modified():
    from zonedesk.petitions.models import Petition

    return Petition.objects.restrict(None, "public").aggregate(m=Max("published_at"))["m"]


ANSWERS = [
    Column(_("Reference"), lambda p: p.reference, "reference"),
    Column(_("Zone"), lambda p: p.zone.code, "zone"),
    Column(_("Category"), lambda p: p.category, "category"),
    Column(_("Public summary"), lambda p: p.public_summary, "summary"),
    Column(_("Answering agency"), lambda p: p.published_answer.agency.name if p.published_answer else None, "agency"),
    Column(_("Answer"), lambda p: p.published_answer.body if p.published_answer else None, "answer"),
    Column(_("Published at"), lambda p: p.published_at, "published_at"),
]


def _scorecards() -> Iterable[Any]:
    """Every zone's scorecard in every year it has targets or measurements: one row an indicator."""
    from zonedesk.core.models import Zone
    from zonedesk.ecosystem import selectors
    from zonedesk.ecosystem.models import Indicator

    indicators = list(Indicator.objects.select_related("condition").order_by("condition__number", "position"))
    for zone in Zone.objects.order_by("code"):
        years = selectors.years_with_data(zone)
        registry = selectors.registry_of(zone) if years else []
        for year in years:
            card = selectors.scorecard(zone=zone, year=year, registry=registry, indicators=indicators)
            for c in card["conditions"]:
                for r in c.rows:
                    yield zone, year, c, r


def _scorecards_modified():
    from zonedesk.ecosystem.models import Measurement

    return Measurement.objects.aggregate(m=Max("recorded_at"))["m"]


SCORECARD = [
    Column(_("Zone"), lambda x: x[0].code, "zone"),
    Column(_("Year"), lambda x: x[1], "year"),
    Column(_("Condition"), lambda x: x[2].condition.number, "condition"),
    Column(_("Score of the condition (%)"), lambda x: x[2].score, "condition_score_pct"),
    Column(_("Code"), lambda x: x[3].indicator.code, "indicator"),
    Column(_("Indicator"), lambda x: x[3].indicator.name_vi, "indicator_name_vi"),
    Column(_("Unit"), lambda x: x[3].indicator.unit_vi, "unit"),
    Column(_("Lower is better"), lambda x: x[3].indicator.lower_is_better, "lower_is_better"),
    Column(_("Value"), lambda x: x[3].value, "value"),
    Column(_("Target"), lambda x: x[3].target, "target"),
    Column(_("Attainment (%)"), lambda x: x[3].attainment_pct, "attainment_pct"),
    Column(_("Source"), lambda x: x[3].source, "source"),
]

DATASETS = {
    d.slug: d
    for d in [
        Dataset(
            "projects",
            _("Investment projects"),
            _(
                "The public fields of every investment project registered in the zones: code, name, enterprise, zone, sector, status, capital, land and certificate date."
            ),
            DAILY,
            PROJECTS,
            _projects,
            _projects_modified,
            ("đầu tư", "dự án", "investment"),
        ),
        Dataset(
            "published-answers",
            _("Published answers to petitions"),
            _(
                "The answers the agencies gave to enterprises' and citizens' petitions, as published: the public summary, the agency and its answer."
            ),
            DAILY,
            ANSWERS,
            _answers,
            _answers_modified,
            ("kiến nghị", "petitions"),
        ),
        Dataset(
            "ecosystem-scorecard",
            _("Innovation ecosystem scorecard"),
            _(
                "For each zone and year: the seven conditions of the innovation ecosystem, each indicator's value, target and attainment, with its source."
            ),
            YEARLY,
            SCORECARD,
            _scorecards,
            _scorecards_modified,
            ("đổi mới sáng tạo", "innovation"),
        ),
    ]
}


def modified(dataset: Dataset) -> dt.date:
    when = dataset.modified()
    if isinstance(when, dt.datetime):
        return timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    return when or timezone.localdate()

"""The public datasets: what everyone may download, each with its description, licence, update
frequency and the day it last changed, in CSV, XLSX and JSON (`core.exports`: streamed, never
the whole file in memory), and described in the DCAT catalogue (`views.catalogue_jsonld`).

Only public fields: the rows come from the same public querysets as the public pages
(`restrict(None)`), never from an officer's view.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zonedesk.core.exports import Column, table_sizes

log = logging.getLogger(__name__)

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
    geo: bool = False  # also offered with its geometry: the plan's GeoJSON and GeoPackage downloads
    # coded columns (by key) and their choices (a callable: the models load after this module):
    # the downloads give the code and, beside it, its label in the reader's language
    labels: tuple[tuple[str, Callable[[], Any]], ...] = ()


def columns(dataset: Dataset) -> list[Column]:
    """The dataset's columns as a download in the active language gives them: each coded column
    (`labels`) as its code ("Sector (code)", key unchanged: what machines read) followed by its
    label ("Sector", key `<key>_label`: "Biotechnology and pharmaceuticals" or "Công nghệ sinh
    học và dược phẩm"). Headers and labels are read now, in the reader's language, never later
    while the file streams."""
    coded = dict(dataset.labels)
    out = []
    for c in dataset.columns:
        header = str(c.header)
        if c.key not in coded:
            out.append(Column(header, c.value, c.key))
            continue
        names = {value: str(label) for value, label in coded[c.key]()}
        out.append(Column(_("%(column)s (code)") % {"column": header}, c.value, c.key))
        out.append(
            Column(header, (lambda row, c=c, names=names: names.get(c.value(row), c.value(row))), f"{c.key}_label")
        )
    return out


def _sectors():
    from zonedesk.investment.models import Sector

    return Sector.choices


def _statuses():
    from zonedesk.investment.models import ProjectStatus

    return ProjectStatus.choices


def _categories():
    from zonedesk.petitions.models import Category

    return Category.choices


def _occupancies():
    from zonedesk.planning.models import Occupancy

    return Occupancy.choices


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


def _figure_years() -> range:
    """From the year of the first certificate to this year."""
    from django.db.models import Min

    from zonedesk.investment.models import Project

    first = Project.objects.aggregate(m=Min("certificate_date"))["m"]
    this = timezone.localdate().year
    return range(first.year if first else this, this + 1)


def _figures() -> Iterable[Any]:
    """Each zone's headline figures in each year, and every zone's together (zone blank): the
    numbers of the public home page and the dashboard (`investment.selectors.zone_figures`)."""
    from zonedesk.core.models import Zone
    from zonedesk.investment.selectors import zone_figures

    zones = [*Zone.objects.order_by("code"), None]
    for year in _figure_years():
        for zone in zones:
            yield zone_figures(zone=zone, year=year)


def _figures_modified():
    from zonedesk.investment.models import PeriodicReport, Project

    dates = [
        Project.objects.aggregate(m=Max("updated_at"))["m"],
        PeriodicReport.objects.aggregate(m=Max("submitted_at"))["m"],
    ]
    return max((d for d in dates if d is not None), default=None)


FIGURES = [
    Column(_("Zone"), lambda f: f["zone"] or "", "zone"),
    Column(_("Year"), lambda f: f["year"], "year"),
    Column(_("Figures as of"), lambda f: dt.date.fromisoformat(f["as_of"]), "as_of"),
    Column(_("Projects in force"), lambda f: f["projects"]["total"], "projects"),
    Column(_("Foreign-invested projects"), lambda f: f["projects"]["foreign"], "projects_foreign"),
    Column(_("Registered capital (VND)"), lambda f: f["registered_capital_vnd"], "registered_capital_vnd"),
    Column(_("Capital disbursed (VND)"), lambda f: f["disbursed_capital_vnd"], "disbursed_capital_vnd"),
    Column(_("Revenue (VND)"), lambda f: f["revenue_vnd"], "revenue_vnd"),
    Column(_("Export (VND)"), lambda f: f["export_vnd"], "export_vnd"),
    Column(_("Import (VND)"), lambda f: f["import_vnd"], "import_vnd"),
    Column(_("R&D spending (VND)"), lambda f: f["rnd_spend_vnd"], "rnd_spend_vnd"),
    Column(_("Taxes paid (VND)"), lambda f: f["taxes_paid_vnd"], "taxes_paid_vnd"),
    Column(_("Workers"), lambda f: f["workers"], "workers"),
    Column(_("Workers with a university degree"), lambda f: f["workers_degree"], "workers_degree"),
    Column(_("Land of projects (m²)"), lambda f: f["land_area_m2"], "land_area_m2"),
    Column(_("Land registration rate"), lambda f: f["land_registration_rate"], "land_registration_rate"),
]


def _petition_figures() -> Iterable[Any]:
    """Each zone's petition figures in each year with petitions, and every zone's together: the
    numbers of the public accountability page (`petitions.selectors.petition_figures`)."""
    from zonedesk.core.models import Zone
    from zonedesk.petitions.models import Petition
    from zonedesk.petitions.selectors import petition_figures

    zones = [*Zone.objects.order_by("code"), None]
    for year in sorted(set(Petition.objects.order_by().values_list("year", flat=True).distinct())):
        for zone in zones:
            yield petition_figures(zone=zone, year=year)


def _petitions_modified():
    from zonedesk.petitions.models import PetitionEvent

    return PetitionEvent.objects.aggregate(m=Max("at"))["m"]


PETITION_FIGURES = [
    Column(_("Zone"), lambda f: f["zone"] or "", "zone"),
    Column(_("Year"), lambda f: f["year"], "year"),
    Column(_("Received"), lambda f: f["received"], "received"),
    Column(_("Resolved"), lambda f: f["resolved"], "resolved"),
    Column(_("Resolved on time"), lambda f: f["resolved_on_time"], "resolved_on_time"),
    Column(_("Resolved on time (rate)"), lambda f: f["resolved_on_time_rate"], "resolved_on_time_rate"),
    Column(_("Open"), lambda f: f["open"], "open"),
    Column(_("Overdue now"), lambda f: f["overdue"], "overdue"),
    Column(_("Rejected"), lambda f: f["rejected"], "rejected"),
    Column(_("Reopened (rate)"), lambda f: f["reopened_rate"], "reopened_rate"),
    Column(_("Satisfied (rate)"), lambda f: f["satisfied_rate"], "satisfied_rate"),
    Column(_("Median days to resolve"), lambda f: f["median_days_to_resolve"], "median_days_to_resolve"),
]


def _dossier_figures() -> Iterable[Any]:
    """The one-stop desk's figures by procedure and month of receipt, each year, for all zones
    together (zone blank) and each zone: the numbers of the public figures page
    (`procedures.figures`)."""
    from zonedesk.procedures.figures import procedure_month_rows

    return procedure_month_rows()


def _dossiers_modified():
    from zonedesk.procedures.models import DossierEvent

    return DossierEvent.objects.aggregate(m=Max("at"))["m"]


DOSSIER_FIGURES = [
    Column(_("Zone"), lambda f: f["zone"], "zone"),
    Column(_("Year"), lambda f: f["year"], "year"),
    Column(_("Month"), lambda f: f["month"], "month"),
    Column(_("Procedure"), lambda f: f["procedure"], "procedure"),
    Column(_("Received"), lambda f: f["received"], "received"),
    Column(_("Resolved"), lambda f: f["resolved"], "resolved"),
    Column(_("Received and due"), lambda f: f["due"], "due"),
    Column(_("Resolved on time"), lambda f: f["on_time"], "on_time"),
    Column(_("On time (rate)"), lambda f: f["on_time_rate"], "on_time_rate"),
    Column(_("Filed online (rate)"), lambda f: f["online_rate"], "online_rate"),
    Column(_("Median working days"), lambda f: f["median_working_days"], "median_working_days"),
    Column(_("Apologies"), lambda f: f["apologies"], "apologies"),
    Column(_("Supplement requests"), lambda f: f["supplements"], "supplements"),
    Column(_("Ratings"), lambda f: f["rated"], "rated"),
    Column(_("Satisfaction (1–5)"), lambda f: f["satisfaction"], "satisfaction"),
]


def _parcels() -> Iterable[Any]:
    """The parcels of the plan in force, public fields only (as the map and the OGC API)."""
    from zonedesk.planning.models import Layer
    from zonedesk.planning.selectors import current_features, properties

    qs = current_features(Layer.PARCELS).select_related("project__enterprise").order_by("zone__code", "code")
    for parcel in qs.iterator(2000):
        yield properties(parcel, Layer.PARCELS)


def _parcels_modified():
    from zonedesk.planning.models import PlanRevision

    return PlanRevision.objects.aggregate(m=Max("created_at"))["m"]


def _parcel_columns() -> list[Column]:
    from zonedesk.planning.models import Layer, Parcel
    from zonedesk.planning.selectors import PUBLIC_FIELDS

    labels = {"land_use": _("Land use (code)"), "land_use_name": _("Land use"), "zone": _("Zone")}
    labels |= {
        "project": _("Project code"),
        "leased_by": _("Leased by"),
        "infrastructure_ready": _("All networks ready"),
    }

    def label(name: str):
        if name in labels:
            return labels[name]
        try:
            return Parcel._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001 - a property that is not a model field
            return name

    return [Column(label(name), (lambda p, name=name: p[name]), name) for name in PUBLIC_FIELDS[Layer.PARCELS]]


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
            labels=(("sector", _sectors), ("status", _statuses)),
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
            labels=(("category", _categories),),
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
        Dataset(
            "zone-figures",
            _("Figures by zone and year"),
            _(
                "For each zone, and for all zones together (zone left blank), in each year: projects in force, registered and disbursed capital, revenue, export, import, R&D spending, taxes paid, workers and land, as the dashboard shows them."
            ),
            DAILY,
            FIGURES,
            _figures,
            _figures_modified,
            ("đầu tư", "kết quả sản xuất kinh doanh", "investment"),
        ),
        Dataset(
            "petition-figures",
            _("Petition figures by zone and year"),
            _(
                "For each zone, and for all zones together (zone left blank), in each year: petitions received, resolved, resolved on time, open, overdue and rejected, with the rates of petitions reopened and of petitioners satisfied."
            ),
            DAILY,
            PETITION_FIGURES,
            _petition_figures,
            _petitions_modified,
            ("kiến nghị", "petitions", "accountability"),
        ),
        Dataset(
            "dossier-figures",
            _("One-stop desk figures by procedure and month"),
            _(
                "For each procedure and month of receipt, in each year, for all zones together (zone left blank) and each zone: dossiers received, resolved, received and due, resolved on time, the on-time and online rates, the median working days, apologies, supplement requests and the enterprises' satisfaction, as Decision 766/QĐ-TTg measures a public service."
            ),
            DAILY,
            DOSSIER_FIGURES,
            _dossier_figures,
            _dossiers_modified,
            ("thủ tục hành chính", "một cửa", "procedures", "accountability"),
        ),
        Dataset(
            "parcels",
            _("Parcels of the zoning plan in force"),
            _(
                "Every parcel of the detailed plan in force: code, land use, zone, area, density, height and floor-area limits, infrastructure, occupancy and the project that holds it. The geometry is in the GeoJSON and GeoPackage downloads of the plan."
            ),
            DAILY,
            _parcel_columns(),
            _parcels,
            _parcels_modified,
            ("quy hoạch", "lô đất", "zoning"),
            geo=True,
            labels=(("occupancy", _occupancies),),
        ),
    ]
}


def modified(dataset: Dataset) -> dt.date:
    when = dataset.modified()
    if isinstance(when, dt.datetime):
        return timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    return when or timezone.localdate()


STATS_SECONDS = 24 * 3600
_measuring: set[tuple[str, str]] = set()  # (dataset, language) a thread of this process is measuring
_measuring_lock = threading.Lock()
_one_at_a_time = threading.Semaphore(1)  # a process writes one dataset's files at a time


def _measure(dataset: Dataset, language: str, key: str) -> dict[str, Any]:
    with translation.override(language):  # the headers of the files are translated
        rows, sizes = table_sizes(columns=columns(dataset), rows=dataset.rows, title=str(dataset.title))
    value = {"rows": rows, "bytes": sizes}
    cache.set(key, value, STATS_SECONDS)
    cache.set(_latest_key(dataset, language), value, STATS_SECONDS)
    return value


def _latest_key(dataset: Dataset, language: str) -> str:
    return f"opendata-stats:{dataset.slug}:{language}:latest"


def _measure_in_background(dataset: Dataset, language: str, key: str) -> None:
    try:
        with _one_at_a_time:
            _measure(dataset, language, key)
    except Exception:  # the page shows no size: nothing a visitor waits on
        log.exception("open data: measuring %s failed", dataset.slug)
    finally:
        with _measuring_lock:
            _measuring.discard((dataset.slug, language))
        connection.close()


def stats(dataset: Dataset) -> dict[str, Any] | None:
    """The dataset's number of rows and the size in bytes of its CSV, XLSX and JSON downloads
    (`{"rows": 120, "bytes": {"csv": 20480, ...}}`), as a download would be in the active language
    (the headers are translated), kept in the cache until the dataset changes (its last change is
    in the key).

    Measuring means writing the three files (seconds for a large dataset, minutes at national
    scale), so a page never waits for it: a thread of this process measures, and meanwhile the
    last measure of the dataset is answered (None before the first: the page shows no size).
    Inside a transaction (tests) a thread would not see its rows, so it is measured there and
    then, as with the setting OPENDATA_MEASURE_IN_BACKGROUND off."""
    language = get_language() or settings.LANGUAGE_CODE
    when = dataset.modified()
    key = ":".join(["opendata-stats", dataset.slug, language, when.isoformat() if when else "-"])
    hit = cache.get(key)
    if hit is not None:
        return hit
    if connection.in_atomic_block or not getattr(settings, "OPENDATA_MEASURE_IN_BACKGROUND", True):
        return _measure(dataset, language, key)
    with _measuring_lock:  # one thread a dataset: a change during a measure is measured at the next view
        if (dataset.slug, language) not in _measuring:
            _measuring.add((dataset.slug, language))
            threading.Thread(
                target=_measure_in_background, args=(dataset, language, key), name="opendata-measure", daemon=True
            ).start()
    return cache.get(_latest_key(dataset, language))

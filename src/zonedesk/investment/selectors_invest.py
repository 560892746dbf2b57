"""Reads of the investor's site (issue 26): the incentives in force on a day, the park profiles
and the board's contacts, and the tenant directory (enterprises with a project that is not
terminated, by sector and by their investors' country: what the public registry already shows)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from zonedesk.core.models import Zone
from zonedesk.investment.countries import country_name
from zonedesk.investment.models import (
    BoardContact,
    Enterprise,
    Incentive,
    Project,
    ProjectInvestor,
    ProjectStatus,
    Sector,
    ZoneProfile,
)

TENANT_STATUSES = [s for s in ProjectStatus.values if s != ProjectStatus.TERMINATED]


def incentives_in_force(on: dt.date | None = None, *, applies_to: str = "") -> QuerySet[Incentive]:
    """The incentives in force on `on` (today): from their first day to their last, inclusive;
    of one kind of zone (and those for every zone) when `applies_to` is given."""
    on = on or timezone.localdate()
    qs = Incentive.objects.filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on), effective_from__lte=on)
    if applies_to:
        qs = qs.filter(applies_to__in=[applies_to, Incentive.AppliesTo.ALL])
    return qs


def profiles() -> list[ZoneProfile]:
    return list(ZoneProfile.objects.select_related("zone").order_by("zone__code"))


def contacts(zone: Zone | None = None) -> QuerySet[BoardContact]:
    qs = BoardContact.objects.select_related("zone")
    if zone is not None:
        qs = qs.filter(Q(zone=zone) | Q(zone__isnull=True))
    return qs.order_by("order", "id")


def tenants(*, sector: str = "", country: str = "", zone: Zone | None = None) -> QuerySet[Enterprise]:
    """The enterprises with a project not terminated, matching every filter given (the sector and
    the investors' country of one and the same project), by name; their projects (those matching)
    with their investors prefetched for the page."""
    projects = Project.objects.filter(status__in=TENANT_STATUSES)
    if sector:
        projects = projects.filter(sector=sector)
    if country:
        projects = projects.filter(shares__investor__nationality=country.upper())
    if zone is not None:
        projects = projects.filter(zone=zone)
    shown = (
        Project.objects.filter(pk__in=projects.values("pk"))
        .select_related("zone")
        .prefetch_related(Prefetch("shares", queryset=ProjectInvestor.objects.select_related("investor")))
        .order_by("code")
    )
    return (
        Enterprise.objects.filter(pk__in=projects.values("enterprise_id"))
        .select_related("zone")
        .prefetch_related(Prefetch("projects", queryset=shown, to_attr="listed_projects"))
        .order_by("name", "id")
    )


def tenant_countries() -> list[tuple[str, str]]:
    """The countries of the investors of projects not terminated, as (code, name), by name."""
    codes = (
        ProjectInvestor.objects.filter(project__status__in=TENANT_STATUSES)
        .order_by()
        .values_list("investor__nationality", flat=True)
        .distinct()
    )
    return sorted(((c, country_name(c)) for c in set(codes) if c), key=lambda pair: pair[1])


def tenant_row(e: Enterprise) -> dict:
    """An enterprise as the directory lists it: its zone, its projects' sectors, its investors'
    countries (codes and names), its projects."""
    projects = getattr(e, "listed_projects", [])
    sectors = sorted({p.sector for p in projects})
    countries = sorted({s.investor.nationality for p in projects for s in p.shares.all()})
    return {
        "enterprise": e,
        "zone": e.zone,
        "sectors": [Sector(s).label for s in sectors],
        "countries": [{"code": c, "name": country_name(c)} for c in countries],
        "projects": projects,
    }

"""The one-stop desk's figures, as Decision 766/QĐ-TTg measures a public service: what the public
page, the API (`GET /dossiers/figures`) and the open dataset show."""

from __future__ import annotations

from typing import Any

from zonedesk.procedures.models import Dossier, Procedure


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def figures(*, zone: Any = None, year: int | None = None) -> dict[str, Any]:
    """The one-stop desk's figures as Decision 766/QĐ-TTg measures a service: received, resolved,
    on-time rate, online rate, median working days, apologies, supplements per dossier,
    satisfaction, by procedure; and the service index for the groups ZoneDesk can measure."""
    from django.db.models import Avg, Count, Q, Sum

    rows = Dossier.objects.filter(received_at__isnull=False)
    if zone is not None:
        rows = rows.filter(zone=zone)
    if year is not None:
        rows = rows.filter(received_at__year=year)
    resolved_q = Q(status__in=["returned", "refused"])

    def block(qs: Any) -> dict[str, Any]:
        agg = qs.aggregate(
            received=Count("id"),
            resolved=Count("id", filter=resolved_q),
            on_time=Count("id", filter=Q(status="returned", on_time=True)),
            returned=Count("id", filter=Q(status="returned")),
            online=Count("id", filter=Q(channel="online")),
            apologies=Sum("apologies"),
            supplements=Sum("supplements"),
            rated=Count("rating"),
            rating=Avg("rating"),
        )
        days = list(qs.filter(status="returned", working_days__isnull=False).values_list("working_days", flat=True))
        received = agg["received"] or 0
        return {
            "received": received,
            "resolved": agg["resolved"],
            "on_time_rate": round(agg["on_time"] / agg["returned"], 4) if agg["returned"] else None,
            "online_rate": round(agg["online"] / received, 4) if received else None,
            "median_working_days": _median([float(x) for x in days]),
            "apologies": agg["apologies"] or 0,
            "supplements_per_dossier": round((agg["supplements"] or 0) / received, 3) if received else None,
            "satisfaction": round(float(agg["rating"]), 2) if agg["rating"] is not None else None,
            "rated": agg["rated"],
        }

    whole = block(rows)
    by_procedure = []
    for procedure in Procedure.objects.filter(pk__in=rows.values("procedure")).order_by("order"):
        by_procedure.append({"code": procedure.code, "name": procedure.name, **block(rows.filter(procedure=procedure))})
    return {
        "zone": zone.code if zone is not None else None,
        "year": year,
        **whole,
        "by_procedure": by_procedure,
        "index": service_index(whole),
    }


# Decision 766/QĐ-TTg (2022): the groups of the service index and their points (FACTS.md: split
# from a secondary source). ZoneDesk measures progress, online service and satisfaction.
INDEX_GROUPS = (
    ("transparency", 18),
    ("progress", 20),
    ("digitisation", 22),
    ("online", 12),
    ("online_payment", 10),
    ("satisfaction", 18),
)


def service_index(whole: dict[str, Any]) -> dict[str, Any]:
    """Points of each group ZoneDesk measures (progress: 20 × on-time / received; online: 12 ×
    the online share; satisfaction: 18 × the mean rating over 5), the others "not measured"."""
    on_time = whole.get("on_time_rate")
    measured = {
        "progress": round(20 * on_time, 2) if on_time is not None else None,
        "online": round(12 * whole["online_rate"], 2) if whole.get("online_rate") is not None else None,
        "satisfaction": round(18 * whole["satisfaction"] / 5, 2) if whole.get("satisfaction") is not None else None,
    }
    groups = [
        {"group": g, "points": points, "score": measured.get(g), "measured": g in measured}
        for g, points in INDEX_GROUPS
    ]
    got = [x for x in groups if x["measured"] and x["score"] is not None]
    return {
        "groups": groups,
        "measured_points": sum(x["points"] for x in got),
        "measured_score": round(sum(x["score"] for x in got), 2) if got else None,
    }

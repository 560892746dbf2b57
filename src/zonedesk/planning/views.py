"""Pages of the public plan: the map of a zone with its legend, the search by parcel code and the
vacant-land finder; the parcel card (a page, and a fragment the map shows beside itself); and
the map's data as GeoJSON.

Everything here is public and shows only the public fields of the plan (`selectors.properties`):
what the public sees is the revisions in force today (`selectors.current_features`). Every page
works without JavaScript (plain GET forms, tables); `static/zonedesk/planning-map.js` draws the
map with the vendored Leaflet from a `json_script` configuration (no inline scripts) and the
GeoJSON of `/planning/map.json`. No base map unless `MAP_TILE_URL` is set, so the map works on a
closed network.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zonedesk.core.exports import Column, export_format, table_response
from zonedesk.core.models import Zone
from zonedesk.core.numbers import num
from zonedesk.core.permissions import has_capability
from zonedesk.core.text import fold
from zonedesk.planning import selectors, selectors_terms
from zonedesk.planning.forms import COLOUR_CHOICES, FinderForm, ParcelSearchForm
from zonedesk.planning.models import LandUse, Layer, Occupancy, Parcel, ParcelTerms, PlanRevision

LAYERS = (Layer.BOUNDARY, Layer.AREAS, Layer.PARCELS)
# Parcels coloured by occupancy (ColorBrewer "Dark2", told apart with the common colour-vision
# deficiencies; vacant land, what investors look for, is the green).
OCCUPANCY_COLORS = {
    Occupancy.VACANT: "#1b9e77",
    Occupancy.RESERVED: "#e6ab02",
    Occupancy.LEASED: "#7570b3",
    Occupancy.CLEARANCE: "#d95f02",
    Occupancy.PUBLIC: "#8c8c8c",
}
FINDER_PAGE = 20  # matches listed a page, the largest first; the next pages list the others
FINDER_HIGHLIGHT = 2000  # matches highlighted on the map (their codes go in the page)
SEARCH_ROWS = 20  # candidates listed when a code matches no parcel exactly
CODE_PLACEHOLDER = "__CODE__"


def tiles() -> dict[str, str] | None:
    """The optional base map (an XYZ tile URL and its attribution, from the environment through
    settings.py); none by default."""
    url = settings.MAP_TILE_URL.strip()
    if not url:
        return None
    return {"url": url, "attribution": settings.MAP_TILE_ATTRIBUTION.strip()}


# --- presentation helpers ---------------------------------------------------------------------


def _ha(area_m2: Decimal | float | None):
    return None if area_m2 is None else num(Decimal(str(area_m2)) / 10_000, 2)


def _dec(value: Decimal | float | None):
    """A plan figure (density, height, FAR) with the decimals it has, at most two."""
    if value is None:
        return None
    d = Decimal(str(value)).normalize()
    return num(d, max(0, min(2, -d.as_tuple().exponent)))


def _networks() -> list[tuple[str, str]]:
    return [("power", _("Power")), ("water", _("Water")), ("drainage", _("Drainage")), ("telecom", _("Telecom"))]


def _parcel_url(zone_code: str, code: str) -> str:
    return reverse("planning_parcel", args=[zone_code, code])


def _map_url(zone_code: str, **params: str) -> str:
    return reverse("planning_map") + "?" + urlencode({"zone": zone_code, **params})


ENQUIRE_PATH = "/invest/enquire/"  # the investor's enquiry form (promotion); its URL name when it exists


def enquire_url(zone_code: str, code: str, *, visit: bool = False) -> str:
    """The enquiry form about a plot (`?parcel=<zone>:<code>`), or the site-visit request."""
    try:
        path = reverse("promotion_enquire")
    except NoReverseMatch:
        path = ENQUIRE_PATH
    params = {"parcel": f"{zone_code}:{code}"}
    if visit:
        params["visit"] = "1"
    return path + "?" + urlencode(params)


def _card(p: Parcel, terms: ParcelTerms | None = None) -> dict[str, Any]:
    """A parcel card: the public fields only (`selectors.properties`) and the commercial terms the
    board published (`terms`, else looked up), ready to show."""
    props = selectors.properties(p, Layer.PARCELS)
    occupancy = Occupancy(props["occupancy"])
    if terms is None:
        terms = selectors_terms.terms_for(p.zone, props["code"])
    return {
        "code": props["code"],
        "zone": p.zone,
        "land_use": p.land_use,
        "area_m2": num(props["area_m2"], 0),
        "area_ha": _ha(props["area_m2"]),
        "density": _dec(props["max_density_pct"]),
        "height": _dec(props["max_height_m"]),
        "far": _dec(props["max_far"]),
        "networks": [{"name": name, "label": label, "ready": props[name]} for name, label in _networks()],
        "ready": props["infrastructure_ready"],
        "occupancy": occupancy.value,
        "occupancy_label": occupancy.label,
        "occupancy_color": OCCUPANCY_COLORS[occupancy],
        "project": p.project if props["project"] else None,
        "leased_by": props["leased_by"],
        "url": _parcel_url(p.zone.code, props["code"]),
        "map_url": _map_url(p.zone.code, q=props["code"]),
        "terms": selectors_terms.shown(terms if terms is not None and terms.public else None),
        "enquire_url": enquire_url(p.zone.code, props["code"]) if occupancy == Occupancy.VACANT else None,
        "visit_url": enquire_url(p.zone.code, props["code"], visit=True) if occupancy == Occupancy.VACANT else None,
    }


def _feature(f: Any, layer: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": getattr(f, "code", "") or f.zone.code,
        "geometry": json.loads(f.geometry),
        "properties": selectors.properties(f, layer),
    }


def _collection(features: Any, layer: str) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [_feature(f, layer) for f in features]}


def _colours() -> dict[str, Any]:
    return {
        "land_use_colors": {u.code: u.color for u in LandUse.objects.all()},
        "occupancy_colors": {str(k): v for k, v in OCCUPANCY_COLORS.items()},
    }


def _labels() -> dict[str, str]:
    return {
        Layer.BOUNDARY: str(Layer.BOUNDARY.label),
        Layer.AREAS: str(Layer.AREAS.label),
        Layer.PARCELS: str(Layer.PARCELS.label),
        "loading": _("Loading the map…"),
        "error": _("The map could not be loaded."),
        "card_error": _("The parcel card could not be loaded."),
        "empty": _("No plan is in force for this zone yet."),
        "map": _("Map of the plan"),
    }


# --- reads for the pages ----------------------------------------------------------------------


def canonical(request: HttpRequest, path: str, **params: str) -> HttpResponse:
    """A redirect (302) to the same page at its canonical address, the query kept."""
    query = request.GET.copy()
    for name, value in params.items():
        query[name] = value
    return redirect(path + ("?" + query.urlencode() if query else ""))


def _search_key(text: str) -> str:
    """A parcel code as the search compares it: accents, case, spaces and dashes left out
    ("ĐT-01", "dt 01" and "DT01" are the same)."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def parcel_search(*, zone: Zone, q: str) -> tuple[list[str], bool]:
    """The codes of the parcels in force of a zone that a typed code names, and whether they
    match it exactly (else: the codes that contain it, at most SEARCH_ROWS)."""
    key = _search_key(q)
    if not key:
        return [], False
    codes = list(selectors.current_features(Layer.PARCELS, zone=zone).values_list("code", flat=True))
    exact = [c for c in codes if _search_key(c) == key]
    if exact:
        return exact, True
    return [c for c in codes if key in _search_key(c)][:SEARCH_ROWS], False


def _default_zone(zones: list[Zone]) -> Zone | None:
    """The first zone with parcels in force (else the first with any plan, else the first)."""
    for layer in (Layer.PARCELS, Layer.AREAS, Layer.BOUNDARY):
        ids = selectors.current_revision_ids(layer)
        if ids:
            with_plan = set(PlanRevision.objects.filter(pk__in=ids).values_list("zone_id", flat=True))
            for z in zones:
                if z.pk in with_plan:
                    return z
    return zones[0] if zones else None


def _legend(zone: Zone) -> dict[str, Any]:
    """The legend of both colourings: the land uses and occupancies of the parcels in force only
    (none with 0 parcels), with the parcels and hectares of each; and the functions of functional
    areas that no parcel has (the map tints an area with its function's colour)."""
    parcels = selectors.current_features(Layer.PARCELS, zone=zone).order_by()
    area_uses = set(selectors.current_features(Layer.AREAS, zone=zone).order_by().values_list("land_use", flat=True))
    by_use = {r["land_use"]: r for r in parcels.values("land_use").annotate(n=Count("pk"), m2=Sum("area_m2"))}
    by_occupancy = {r["occupancy"]: r for r in parcels.values("occupancy").annotate(n=Count("pk"), m2=Sum("area_m2"))}
    uses = LandUse.objects.filter(pk__in=set(by_use))
    total_n = sum(r["n"] for r in by_use.values())
    total_m2 = sum((r["m2"] or 0) for r in by_use.values())
    return {
        "land_use": [
            {
                "code": u.code,
                "name": u.name,
                "color": u.color,
                "parcels": num(by_use[u.pk]["n"]),
                "ha": _ha(by_use[u.pk]["m2"] or 0),
            }
            for u in uses
        ],
        "occupancy": [
            {
                "code": o.value,
                "name": o.label,
                "color": OCCUPANCY_COLORS[o],
                "parcels": num(by_occupancy[o.value]["n"]),
                "ha": _ha(by_occupancy[o.value]["m2"] or 0),
            }
            for o in Occupancy
            if o.value in by_occupancy
        ],
        "area_uses": [
            {"code": u.code, "name": u.name, "color": u.color}
            for u in LandUse.objects.filter(pk__in=area_uses - set(by_use))
        ],
        "total_parcels": num(total_n),
        "total_ha": _ha(total_m2),
        "count": total_n,
    }


def _revisions(zone: Zone) -> list[dict[str, Any]]:
    out = []
    for layer in LAYERS:
        revision = selectors.current_revision(zone, layer)
        if revision is not None:
            out.append({"layer": Layer(layer).label, "revision": revision, "decision": revision.decision})
    return out


def _finder_row(p: Parcel, terms: dict[str, ParcelTerms]) -> dict[str, Any]:
    return {
        "terms": selectors_terms.shown(terms.get(p.code)),
        "code": p.code,
        "land_use": p.land_use,
        "area_m2": num(p.area_m2, 0),
        "area_ha": _ha(p.area_m2),
        "ready": p.infrastructure_ready,
        "networks": [label for name, label in _networks() if getattr(p, name)],
        "url": _parcel_url(p.zone.code, p.code),
    }


FINDER_COLUMNS = [  # the public fields of a vacant parcel (the finder's list, whole)
    Column(gettext_lazy("Parcel"), lambda p: p.code),
    Column(gettext_lazy("Zone"), lambda p: p.zone.code),
    Column(gettext_lazy("Land use (code)"), lambda p: p.land_use.code),
    Column(gettext_lazy("Land use"), lambda p: p.land_use.name),
    Column(gettext_lazy("Area (m²)"), lambda p: p.area_m2),
    Column(gettext_lazy("Maximum building density (%)"), lambda p: p.max_density_pct),
    Column(gettext_lazy("Maximum height (m)"), lambda p: p.max_height_m),
    Column(gettext_lazy("Maximum floor-area ratio"), lambda p: p.max_far),
    Column(gettext_lazy("Power"), lambda p: p.power),
    Column(gettext_lazy("Water"), lambda p: p.water),
    Column(gettext_lazy("Drainage"), lambda p: p.drainage),
    Column(gettext_lazy("Telecom"), lambda p: p.telecom),
    Column(gettext_lazy("All networks ready"), lambda p: p.infrastructure_ready),
]


def finder_columns(terms: dict[str, ParcelTerms]) -> list[Column]:
    """The finder's download: the public fields and the published commercial terms (`terms` holds
    the published ones only, by code)."""

    def t(p: Parcel) -> ParcelTerms | None:
        return terms.get(p.code)

    return [
        *FINDER_COLUMNS,
        Column(gettext_lazy("Lease price (VND/m²)"), lambda p: t(p).price_vnd_m2 if t(p) else None),
        Column(gettext_lazy("Lease price (USD/m²)"), lambda p: selectors_terms.usd_value(t(p))),
        Column(gettext_lazy("Price basis (code)"), lambda p: t(p).price_basis if t(p) else None),
        Column(gettext_lazy("Price basis"), lambda p: str(t(p).get_price_basis_display()) if t(p) else None),
        Column(gettext_lazy("Exchange rate (VND per USD)"), lambda p: t(p).usd_rate_vnd if t(p) else None),
        Column(gettext_lazy("Date of the exchange rate"), lambda p: t(p).rate_date if t(p) else None),
        Column(gettext_lazy("Lease term (years)"), lambda p: t(p).term_years if t(p) else None),
        Column(gettext_lazy("Lease term until"), lambda p: t(p).term_until if t(p) else None),
        Column(gettext_lazy("Hand-over date"), lambda p: t(p).handover_date if t(p) else None),
    ]


# --- pages ------------------------------------------------------------------------------------


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    zones = list(Zone.objects.order_by("code"))
    code = (request.GET.get("zone") or "").strip()
    if code:
        zone = selectors.zone_by_code(code)
        if zone is None:
            raise Http404(_("No such zone."))
        if request.GET["zone"] != zone.code:
            return canonical(request, request.path, zone=zone.code)
    else:
        zone = _default_zone(zones)
    colour = request.GET.get("colour")
    if colour not in dict(COLOUR_CHOICES):
        colour = "land_use"
    context: dict[str, Any] = {"zones": zones, "zone": zone, "colour": colour, "colours": COLOUR_CHOICES}
    if zone is None:
        return render(request, "planning/map.html", context)

    search_form = ParcelSearchForm(request.GET)
    q = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    selected, candidates, exact = None, [], False
    if q:
        codes, exact = parcel_search(zone=zone, q=q)
        if exact and len(codes) == 1:
            selected = selectors.current_features(Layer.PARCELS, zone=zone).get(code=codes[0])
        else:
            candidates = [{"code": c, "url": _map_url(zone.code, q=c, colour=colour)} for c in codes]

    find = "find" in request.GET
    finder_form = FinderForm(request.GET if find else None)
    matches, match_count, finder_page, highlighted = None, 0, None, None
    if find and finder_form.is_valid():
        data = finder_form.cleaned_data
        found = selectors.vacant_parcels(
            zone=zone,
            min_area_m2=data["min_ha"] * 10_000 if data["min_ha"] else None,
            land_use=data["land_use"],
            ready=data["ready"],
        )
        if fmt := export_format(request):  # every match, not only the largest listed
            rows = found.select_related("project__enterprise").iterator(2000)
            columns = finder_columns(selectors_terms.terms_by_code(zone))
            return table_response(fmt=fmt, name=f"vacant-parcels-{zone.code.lower()}", columns=columns, rows=rows)
        finder_page = Paginator(found, FINDER_PAGE).get_page(request.GET.get("page"))
        page_terms = selectors_terms.terms_by_code(zone, [p.code for p in finder_page.object_list])
        matches = [_finder_row(p, page_terms) for p in finder_page.object_list]
        match_count = finder_page.paginator.count
        highlighted = list(found.values_list("code", flat=True)[:FINDER_HIGHLIGHT])

    finder_state = [(k, request.GET[k]) for k in ("min_ha", "land_use", "ready", "find") if k in request.GET]
    carried = [("zone", zone.code), ("colour", colour)]
    config = {
        "url": reverse("planning_map_json") + "?" + urlencode({"zone": zone.code}),
        "card_url": reverse("planning_parcel_card", args=[zone.code, CODE_PLACEHOLDER]),
        "parcel_url": _parcel_url(zone.code, CODE_PLACEHOLDER),
        "placeholder": CODE_PLACEHOLDER,
        "colour": colour,
        "selected": selected.code if selected else "",
        "matches": highlighted,
        "tiles": tiles(),
        "labels": _labels(),
        **_colours(),
    }
    context.update(
        {
            "search_form": search_form,
            "finder_form": finder_form,
            "q": q,
            "selected": _card(selected) if selected else None,
            "candidates": candidates,
            "matches": matches,
            "match_count": num(match_count),
            "highlight_cap": num(FINDER_HIGHLIGHT) if match_count > FINDER_HIGHLIGHT else None,
            "finder_page": finder_page,
            "legend": _legend(zone),
            "revisions": _revisions(zone),
            "map_config": config,
            "hidden": {
                "map": finder_state,
                "search": carried + finder_state,
                "finder": carried + ([("q", q)] if q else []),
            },
        }
    )
    return render(request, "planning/map.html", context)


@require_GET
def map_json(request: HttpRequest) -> JsonResponse:
    """The layers in force of one zone as GeoJSON (public fields only), for the map."""
    zone = selectors.zone_by_code(request.GET.get("zone"))
    if zone is None:
        return JsonResponse({"detail": _("No such zone.")}, status=404)
    data = {
        "zone": zone.code,
        "layers": {layer: _collection(selectors.current_features(layer, zone=zone), layer) for layer in LAYERS},
    }
    terms = selectors_terms.terms_by_code(zone)  # the published terms only
    for feature in data["layers"][Layer.PARCELS]["features"]:
        if (t := terms.get(feature["id"])) is not None:
            feature["properties"]["terms"] = selectors_terms.as_data(t)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _parcel_or_404(zone_code: str, code: str) -> Parcel:
    """The parcel in force with this code in the zone (its code in any case)."""
    zone = selectors.zone_by_code(zone_code)
    parcel = selectors.current_features(Layer.PARCELS, zone=zone).filter(code=code).first() if zone else None
    if parcel is None:
        raise Http404(_("No parcel with this code is in force in this zone."))
    return parcel


@require_GET
def parcel_card(request: HttpRequest, zone: str, code: str) -> HttpResponse:
    """The card of a parcel as an HTML fragment, shown beside the map when a parcel is clicked
    (a fragment, so a zone code in another case is served, not redirected)."""
    parcel = _parcel_or_404(zone, code)
    return render(request, "planning/_map_card.html", {"card": _card(parcel), "fragment": True})


@require_GET
def parcel_page(request: HttpRequest, zone: str, code: str) -> HttpResponse:
    parcel = _parcel_or_404(zone, code)
    if zone != parcel.zone.code:
        return canonical(request, _parcel_url(parcel.zone.code, parcel.code))
    show_private = has_capability(request.user, "planning.view_private")
    config = {
        "data": {Layer.PARCELS: _collection([parcel], Layer.PARCELS)},
        "selected": parcel.code,
        "colour": "land_use",
        "tiles": tiles(),
        "labels": _labels(),
        "static": True,
        **_colours(),
    }
    board_terms = selectors_terms.terms_for(parcel.zone, parcel.code, public_only=False) if show_private else None
    context = {
        "card": _card(parcel),
        "board_terms": selectors_terms.shown(board_terms),
        "can_edit_terms": has_capability(request.user, "planning.edit"),
        "terms_url": reverse("planning_parcel_terms", args=[parcel.zone.code, parcel.code]),
        "revision": parcel.revision,
        "map_config": config,
        "show_private": show_private,
        "private": {
            "lease_price": num(parcel.lease_price_vnd_m2),
            "note": parcel.private_note,
        }
        if show_private
        else None,
    }
    return render(request, "planning/parcel.html", context)

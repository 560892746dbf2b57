"""The open-data pages: the catalogue (a page for people, DCAT JSON-LD for portals that harvest
it) and the downloads of each public dataset in CSV, XLSX and JSON. Everything here is public."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zonedesk.core.exports import FORMATS, JSON, json_response, table_response
from zonedesk.core.numbers import num
from zonedesk.opendata.datasets import DATASETS, LICENCE, LICENCE_NAME, columns, modified, stats

MEDIA = {**FORMATS, "json": JSON}
# a dataset with its geometry is also the plan's own downloads (planning/downloads.py)
GEO_FORMATS = {"geojson": ("application/geo+json", "GeoJSON"), "gpkg": ("application/geopackage+sqlite3", "GeoPackage")}


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    rows = []
    for d in DATASETS.values():
        measured = stats(d)
        rows.append(
            {
                "dataset": d,
                "modified": modified(d),
                "rows": num(measured["rows"]) if measured else None,  # None: not measured yet
                "formats": [(fmt, measured["bytes"][fmt] if measured else None) for fmt in MEDIA],
                "geo": [
                    (reverse("ogc_download", args=[d.slug, ext]), label) for ext, (_m, label) in GEO_FORMATS.items()
                ]
                if d.geo
                else [],
            }
        )
    return render(request, "opendata/catalogue.html", {"rows": rows, "licence": LICENCE, "licence_name": LICENCE_NAME})


@require_safe
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    dataset = DATASETS.get(slug)
    if dataset is None or fmt not in MEDIA:
        raise Http404
    shown = columns(dataset)  # in the reader's language, coded values labelled
    if fmt == "json":
        return json_response(name=slug, columns=shown, rows=dataset.rows())
    return table_response(fmt=fmt, name=slug, columns=shown, rows=dataset.rows(), title=str(dataset.title))


def _distribution(
    request: HttpRequest, url: str, fmt: str, media: str, title: str, size: int | None = None
) -> dict[str, Any]:
    absolute = request.build_absolute_uri(url)
    sized = {} if size is None else {"dcat:byteSize": {"@value": str(size), "@type": "xsd:nonNegativeInteger"}}
    return sized | {
        "@type": "dcat:Distribution",
        "dct:title": f"{title} ({fmt})",
        "dcat:downloadURL": {"@id": absolute},
        "dcat:accessURL": {"@id": absolute},
        "dcat:mediaType": media,
        "dct:format": fmt,
        "dct:license": {"@id": LICENCE},
    }


@require_safe
def catalogue_jsonld(request: HttpRequest) -> JsonResponse:
    """The catalogue in DCAT (W3C Data Catalog Vocabulary), JSON-LD: what a national open-data
    portal harvests."""
    datasets = []
    for d in DATASETS.values():
        title = str(d.title)
        sizes = (stats(d) or {}).get("bytes", {})  # none before the first measure
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "@id": request.build_absolute_uri(reverse("opendata_catalogue") + f"#{d.slug}"),
                "dct:identifier": d.slug,
                "dct:title": title,
                "dct:description": str(d.description),
                "dct:modified": {"@value": modified(d).isoformat(), "@type": "xsd:date"},
                "dct:accrualPeriodicity": {"@id": d.frequency},
                "dct:license": {"@id": LICENCE},
                "dcat:keyword": list(d.keywords),
                "dcat:distribution": [
                    _distribution(
                        request,
                        reverse("opendata_download", args=[d.slug, fmt]),
                        fmt.upper(),
                        media,
                        title,
                        sizes.get(fmt),
                    )
                    for fmt, media in MEDIA.items()
                ]
                + [
                    _distribution(request, reverse("ogc_download", args=[d.slug, ext]), label, media, title)
                    for ext, (media, label) in (GEO_FORMATS.items() if d.geo else ())
                ],
            }
        )
    body = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@type": "dcat:Catalog",
        "@id": request.build_absolute_uri(reverse("opendata_catalogue_jsonld")),
        "dct:title": _("ZoneDesk open data"),
        "dct:description": _("Public data of the management board of the high-tech parks and industrial zones."),
        "dct:language": "vi",
        "dct:license": {"@id": LICENCE},
        "dct:publisher": {
            "@type": "foaf:Agent",
            "foaf:name": "Ban Quản lý các Khu công nghệ cao và Khu công nghiệp TP Hà Nội",
        },
        "dcat:dataset": datasets,
    }
    return JsonResponse(body, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})

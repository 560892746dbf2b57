"""OGC API – Features, Part 1: Core (with the GeoJSON, HTML and OpenAPI 3.0 classes), over the
plan in force, and downloads of each layer.

The public face of the plan: anyone reads it, nobody more than anyone else. Three collections,
one per layer: `zones` (the boundaries, feature id = the zone code), `areas` and `parcels`
(feature id = "<zone code>-<feature code>", stable from one revision to the next). Only the
revisions in force are served (`selectors.current_features`), with exactly the public
properties of `selectors.properties` (never the lease price or the internal note, whoever asks).

Items take `bbox` (CRS84; a feature is selected when its geometry intersects the box: the indexed
bounding-box columns narrow the candidates, then Shapely tests the geometry of those that cross
the box's edge, so `numberMatched` and the pages are exact), `limit` (default 100, larger than
1000 is served as 1000), `offset`, `datetime` (an instant: the plan in force that day) and a
property filter per main field (a zone code in any case; an item id with its zone code in another
case redirects to the feature's own id). Unknown parameters and bad values answer 400 with an OGC
exception (`{"code": ..., "description": ...}`). JSON (GeoJSON for features) or HTML by `f` or
the Accept header; JSON answers carry a weak ETag made from the revisions in force.

The package: `params` (the collections, media types and the reading of a request's parameters),
`features` (the reads: revisions in force, pages of features, one feature), `views` (the answers,
their links, ETags and caching, and the downloads) and `openapi` (the API definition).
"""

from zonedesk.planning.ogc.features import feature_id, select_items
from zonedesk.planning.ogc.params import COLLECTIONS, Collection, OGCError, parse_bbox, parse_datetime
from zonedesk.planning.ogc.views import api, collection, collections, conformance, download, item, items, landing

__all__ = [
    "COLLECTIONS",
    "Collection",
    "OGCError",
    "api",
    "collection",
    "collections",
    "conformance",
    "download",
    "feature_id",
    "item",
    "items",
    "landing",
    "parse_bbox",
    "parse_datetime",
    "select_items",
]

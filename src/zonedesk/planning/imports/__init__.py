"""Imports of the plan from the files planners hand over, all or nothing.

A file (GeoJSON, a zipped Shapefile, a GeoPackage or a DXF drawing) becomes a new revision of
one layer of a zone in four steps, with a progress callback `(done, total)` throughout:

1. **Open** (`opening.opened`): the file is checked before GDAL reads it: its size, that its content is
   what its name says, and for a ZIP its entries (no absolute or `..` paths, no links, no
   encryption, no "zip bomb", one dataset). A ZIP is unpacked, by us and with limits, into a
   temporary folder that is removed afterwards.
2. **Read** (`reading.read`): pyogrio reads the features (no system GIS libraries). The coordinate system
   comes from the file, or from the officer's choice (`crs`) when the file has none or a wrong
   one (a DXF never has one). In a DXF, closed polylines are parcels and the text inside one is
   its label (`Text`); the other drawing entities are left out.
3. **Analyse** (`analysing.analyse`, with `fields`): the file's attributes are mapped to the fields of the layer
   (`guess_mapping` proposes a mapping from common English and Vietnamese names), geometries
   are transformed to WGS 84 (`geometry.to_wgs84`: the official VN-2000 transformation), and each
   feature is checked: geometry (an invalid polygon that `shapely.make_valid` turns into a
   polygon is offered as a *repair*), codes, land uses, numbers (`services.feature_values`),
   overlaps with the other features and the part outside the zone's boundary in force. The
   report lists every problem by feature with its reason.
4. **Commit** (`committing.commit`): only a clean analysis, or one whose only findings are repairs the
   officer accepted, is written, by `services.revision_create`, which records the repairs.

The CLI (`zonedesk plan_import`) and the web import (`views_import`, run in the background by
`tasks.plan_import_run`) call `analyse` and `commit`; neither writes anything else.
"""

from zonedesk.planning.imports.analysing import (
    AREA_TOLERANCE_M2,
    MAX_LISTED,
    STAGES,
    Analysis,
    Item,
    Progress,
    analyse,
)
from zonedesk.planning.imports.committing import commit, import_file, problems_of
from zonedesk.planning.imports.fields import REQUIRED, SYNONYMS, TARGET_LABELS, TARGETS, guess_mapping, properties_of
from zonedesk.planning.imports.opening import FORMATS, MAX_FILE_BYTES, PLAN_ZIP, check_head, opened
from zonedesk.planning.imports.reading import Source, crs_choices, read

__all__ = [
    "AREA_TOLERANCE_M2",
    "FORMATS",
    "MAX_FILE_BYTES",
    "MAX_LISTED",
    "PLAN_ZIP",
    "REQUIRED",
    "STAGES",
    "SYNONYMS",
    "TARGETS",
    "TARGET_LABELS",
    "Analysis",
    "Item",
    "Progress",
    "Source",
    "analyse",
    "check_head",
    "commit",
    "crs_choices",
    "guess_mapping",
    "import_file",
    "opened",
    "problems_of",
    "properties_of",
    "read",
]

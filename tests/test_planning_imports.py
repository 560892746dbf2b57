"""Imports of the plan from planners' files: every format, VN-2000 coordinates landing where they
should, every refusal with its reason by feature, repairs accepted and recorded, all or nothing;
the `plan_import` command and the board's web import with its background check."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon, box

from tests import planning_files as files
from tests.planning_files import X0, Y0, square
from zonedesk.planning import geometry, imports, services
from zonedesk.planning.models import ImportJob, Parcel, PlanRevision, ZoneBoundary

pytestmark = pytest.mark.django_db
EFFECTIVE = dt.date(2026, 1, 1)
GEOD = Geod(ellps="WGS84")


def attrs(code: str, use: str = "CNC", **more) -> dict:
    return {"MA_LO": code, "LOAI_DAT": use, **more}


def three_parcels() -> list:
    return [
        (square(X0, Y0), attrs("CN-01", MAT_DO=60, TANG_CAO=25, HSD=1.8, DIEN="có", NUOC="x")),
        (square(X0 + 100, Y0), attrs("CN-02", "PM", MAT_DO=45.5, TINH_TRANG="đã thuê")),
        (square(X0 + 300, Y0, 150), attrs("CX-01", "Cây xanh")),
    ]


def in_wgs84(features: list) -> list:
    return [(None if g is None else geometry.to_wgs84(g, 5897), a) for g, a in features]


def run(zone, board_user, path, **kwargs):
    kwargs.setdefault("layer", "parcels")
    kwargs.setdefault("effective_date", EFFECTIVE)
    return imports.import_file(zone=zone, source=path, by=board_user, **kwargs)


def problems(analysis) -> dict[str, list[str]]:
    """The problems by feature label ("<label>#<n>" for a label seen before)."""
    out: dict[str, list[str]] = {}
    for f in analysis.report["features"]:
        if f["problems"]:
            out[f["label"] if f["label"] not in out else f"{f['label']}#{f['n']}"] = f["problems"]
    return out


def nothing_saved() -> bool:
    return not PlanRevision.objects.filter(layer="parcels").exists() and not Parcel.objects.exists()


@pytest.fixture(autouse=True)
def _english(settings, client):
    """The messages checked below are the English msgids (pages are Vietnamese first)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def boundary(zone, board_user):
    """Hoa Lac's boundary: a 2 km square around the parcels of these tests."""
    return services.revision_create(
        zone=zone,
        layer="boundary",
        features=[services.Feature(geometry=geometry.to_wgs84(box(X0 - 500, Y0 - 500, X0 + 1500, Y0 + 1500), 5897))],
        effective_date=dt.date(2025, 1, 1),
        by=board_user,
    )


# --- each format ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "crs"),
    [
        ("geojson", "EPSG:4326"),
        ("geojson", "EPSG:5897"),
        ("zip", "EPSG:5897"),
        ("zip", "EPSG:3405"),
        ("gpkg", "EPSG:5897"),
    ],
)
def test_each_format_becomes_a_revision_with_the_guessed_mapping(zone, board_user, boundary, tmp_path, fmt, crs):
    features = three_parcels()
    if crs == "EPSG:4326":
        features = in_wgs84(features)
    elif crs == "EPSG:3405":  # UTM 48N shares the 105° meridian with TM-3 482; only the scale differs
        features = [(_tm3_to_utm(g), a) for g, a in features]
    path = {
        "geojson": lambda: files.geojson(tmp_path / "lo_dat.geojson", features, crs=crs),
        "zip": lambda: files.shapefile_zip(tmp_path / "lo_dat.zip", features, crs=crs, folder="QH_1-2000/"),
        "gpkg": lambda: files.geopackage(tmp_path / "lo_dat.gpkg", features, crs=crs),
    }[fmt]()

    analysis, revision = run(zone, board_user, path)

    assert analysis.status == "clean", analysis.report
    assert analysis.report["mapping"] == {
        "code": "MA_LO",
        "land_use": "LOAI_DAT",
        "max_density_pct": "MAT_DO",
        "max_height_m": "TANG_CAO",
        "max_far": "HSD",
        "power": "DIEN",
        "water": "NUOC",
        "occupancy": "TINH_TRANG",
    }
    assert revision.feature_count == 3 and revision.source_crs == crs and revision.repairs == []
    assert revision.source_format == {"geojson": "GeoJSON", "zip": "Shapefile (ZIP)", "gpkg": "GeoPackage"}[fmt]
    parcels = {p.code: p for p in Parcel.objects.filter(revision=revision).select_related("land_use")}
    assert sorted(parcels) == ["CN-01", "CN-02", "CX-01"]
    a = parcels["CN-01"]
    assert (a.land_use.code, a.max_density_pct, a.max_height_m, a.max_far) == ("CNC", 60, 25, Decimal("1.8"))
    assert (a.power, a.water, a.drainage, a.occupancy) == (True, True, False, "vacant")
    assert parcels["CN-02"].occupancy == "leased" and parcels["CN-02"].max_density_pct == Decimal("45.5")
    assert parcels["CX-01"].land_use.code == "CX"  # the land use's Vietnamese name is understood
    # a 100 m square of the TM-3 grid is about 10,002 m² on the ground (scale 0.9999)
    assert abs(a.area_m2 - Decimal("10002")) < 5
    assert abs(parcels["CX-01"].area_m2 - Decimal("22504")) < 10


def _tm3_to_utm(g):
    import shapely

    k = 0.9996 / 0.9999
    return shapely.transform(g, lambda xy: ((xy - [500_000, 0]) * k) + [500_000, 0])


def test_a_dxf_drawing_takes_its_labels_and_layers_and_needs_a_coordinate_system(zone, board_user, tmp_path):
    path = files.dxf(
        tmp_path / "quy_hoach.dxf",
        [(square(X0, Y0), "CN-01", "CNC"), (square(X0 + 100, Y0), "PM-02", "PM")],
        extra=[
            (LineString([(X0, Y0 - 20), (X0 + 200, Y0 - 20)]), {"Layer": "DUONG"}),  # a road's axis
            (square(X0, Y0).exterior, {"Layer": "CNC"}),  # CN-01's outline, drawn again as a polyline
        ],
    )

    refused, revision = run(zone, board_user, path)
    assert revision is None and refused.status == "refused"
    assert any("does not say which coordinate system" in p for p in refused.report["problems"])
    assert nothing_saved()

    analysis, revision = run(zone, board_user, path, crs=5897)
    assert analysis.status == "clean", analysis.report
    assert analysis.report["mapping"] == {"code": "Text", "land_use": "Layer"}
    assert analysis.report["notes"] == [
        "1 other entities of the drawing (lines, points, blocks) are not parcels and were left out.",
        "1 outlines drawn twice (a closed polyline and its hatch) were counted once.",
        "The zone has no boundary yet: the features were not checked against it.",
    ]
    assert revision.source_format == "DXF" and revision.source_crs == "EPSG:5897"
    assert dict(Parcel.objects.filter(revision=revision).values_list("code", "land_use__code")) == {
        "CN-01": "CNC",
        "PM-02": "PM",
    }


def test_the_mapping_is_guessed_from_vietnamese_names_and_can_be_given(zone, board_user, tmp_path):
    fields = ["Mã lô", "Loại đất", "Mật độ XD", "Chiều cao", "HSD", "Ghi chú", "Cấp điện", "Thoát nước", "Mã dự án"]
    assert imports.guess_mapping(fields, "parcels") == {
        "code": "Mã lô",
        "land_use": "Loại đất",
        "max_density_pct": "Mật độ XD",
        "max_height_m": "Chiều cao",
        "max_far": "HSD",
        "power": "Cấp điện",
        "drainage": "Thoát nước",
        "project": "Mã dự án",
        "private_note": "Ghi chú",
    }
    path = files.geojson(
        tmp_path / "x.geojson", [(square(X0, Y0), {"KH": "A-1", "CN": "DV", "MD": 40})], crs="EPSG:5897"
    )
    refused, _rev = run(zone, board_user, path)
    assert refused.report["problems"] == [
        "Choose the attribute of the file that holds the code of each feature.",
        "Choose the attribute of the file that holds the land use of each feature.",
    ]
    analysis, revision = run(zone, board_user, path, mapping={"code": "KH", "land_use": "CN", "max_density_pct": "MD"})
    assert analysis.status == "clean"
    assert Parcel.objects.get(revision=revision).max_density_pct == 40


# --- VN-2000 -------------------------------------------------------------------------------

# Decision 05/2007/QĐ-BTNMT (Ministry of Natural Resources and Environment), the official
# VN-2000 → WGS 84 seven-parameter (Bursa–Wolf) transformation: translations in metres, rotations
# in arc-seconds, coordinate-frame rotation convention, scale 1 + 0.252906278e-6 (EPSG:6960).
DX, DY, DZ = -191.90441429, -39.30318279, -111.45032835
RX, RY, RZ = -0.00928836, 0.01975479, -0.00427372
SCALE_PPM = 0.252906278
A, F = 6378137.0, 1 / 298.257223563  # VN-2000 uses the WGS 84 ellipsoid (Decision 83/2000/QĐ-TTg)
E2 = F * (2 - F)


def _tm_inverse(easting: float, northing: float, lon0: float, k0: float) -> tuple[float, float]:
    """Transverse Mercator grid → latitude, longitude (degrees): Krüger's series to n⁶ (Karney 2011)."""
    n = F / (2 - F)
    big_a = A / (1 + n) * (1 + n**2 / 4 + n**4 / 64 + n**6 / 256)
    beta = [
        n / 2 - 2 * n**2 / 3 + 37 * n**3 / 96 - n**4 / 360 - 81 * n**5 / 512 + 96199 * n**6 / 604800,
        n**2 / 48 + n**3 / 15 - 437 * n**4 / 1440 + 46 * n**5 / 105 + 1118711 * n**6 / 3870720,
        17 * n**3 / 480 - 37 * n**4 / 840 - 209 * n**5 / 4480 + 5569 * n**6 / 90720,
        4397 * n**4 / 161280 - 11 * n**5 / 504 - 830251 * n**6 / 7257600,
        4583 * n**5 / 161280 - 108847 * n**6 / 3991680,
        20648693 * n**6 / 638668800,
    ]
    xi, eta = northing / (k0 * big_a), (easting - 500_000) / (k0 * big_a)
    xi_ = xi - sum(b * math.sin(2 * j * xi) * math.cosh(2 * j * eta) for j, b in enumerate(beta, 1))
    eta_ = eta - sum(b * math.cos(2 * j * xi) * math.sinh(2 * j * eta) for j, b in enumerate(beta, 1))
    chi = math.asin(math.sin(xi_) / math.cosh(eta_))
    lon = math.radians(lon0) + math.atan2(math.sinh(eta_), math.cos(xi_))
    e4, e6, e8 = E2**2, E2**3, E2**4
    lat = (
        chi
        + (E2 / 2 + 5 * e4 / 24 + e6 / 12 + 13 * e8 / 360) * math.sin(2 * chi)
        + (7 * e4 / 48 + 29 * e6 / 240 + 811 * e8 / 11520) * math.sin(4 * chi)
        + (7 * e6 / 120 + 81 * e8 / 1120) * math.sin(6 * chi)
        + (4279 * e8 / 161280) * math.sin(8 * chi)
    )
    return math.degrees(lat), math.degrees(lon)


def _vn2000_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """VN-2000 latitude/longitude (on the ellipsoid) → WGS 84, by Decision 05/2007's parameters."""
    phi, lam = math.radians(lat), math.radians(lon)
    nu = A / math.sqrt(1 - E2 * math.sin(phi) ** 2)
    x, y, z = nu * math.cos(phi) * math.cos(lam), nu * math.cos(phi) * math.sin(lam), nu * (1 - E2) * math.sin(phi)
    rx, ry, rz = (math.radians(r / 3600) for r in (RX, RY, RZ))
    m = 1 + SCALE_PPM * 1e-6
    x2 = DX + m * (x + rz * y - ry * z)
    y2 = DY + m * (-rz * x + y + rx * z)
    z2 = DZ + m * (ry * x - rx * y + z)
    p, lam2 = math.hypot(x2, y2), math.atan2(y2, x2)
    phi2 = math.atan2(z2, p * (1 - E2))
    for _ in range(10):
        nu = A / math.sqrt(1 - E2 * math.sin(phi2) ** 2)
        h = p / math.cos(phi2) - nu
        phi2 = math.atan2(z2, p * (1 - E2 * nu / (nu + h)))
    return math.degrees(phi2), math.degrees(lam2)


# The control point: a corner of a Hoa Lac parcel, E 552,000.000 m, N 2,323,000.000 m in Hanoi's
# TM-3 zone (central meridian 105°00', k0 0.9999: Circular 973/2001/TT-TCĐC, EPSG:5897).
CONTROL_E, CONTROL_N = 552_000.0, 2_323_000.0


def test_the_control_point_is_computed_independently_as_the_decision_says():
    lat_vn, lon_vn = _tm_inverse(CONTROL_E, CONTROL_N, 105.0, 0.9999)
    # UTM zone 48N has the same meridian: the same point read from its grid is the same place
    utm_e = 500_000 + (CONTROL_E - 500_000) * 0.9996 / 0.9999
    assert _tm_inverse(utm_e, CONTROL_N * 0.9996 / 0.9999, 105.0, 0.9996) == pytest.approx((lat_vn, lon_vn), abs=1e-9)
    lat, lon = _vn2000_to_wgs84(lat_vn, lon_vn)
    _az, _baz, shift = GEOD.inv(lon_vn, lat_vn, lon, lat)
    assert 150 < shift < 300  # VN-2000 positions are some 200 m from WGS 84 ones in Hanoi


@pytest.mark.parametrize(("epsg", "k0", "fmt"), [(5897, 0.9999, "geojson"), (3405, 0.9996, "zip")])
def test_vn2000_coordinates_land_within_a_metre_of_the_control_point(zone, board_user, tmp_path, epsg, k0, fmt):
    """A parcel drawn in VN-2000 (Hanoi's TM-3 zone 482, or UTM zone 48N) whose corner is the
    control point lands, in WGS 84, within a metre of where an independent implementation of
    the official transformation (Decision 05/2007/QĐ-BTNMT, above) puts that point."""
    scale = k0 / 0.9999
    e, n = 500_000 + (CONTROL_E - 500_000) * scale, CONTROL_N * scale
    features = [(box(e, n, e + 80, n + 60), attrs("VN-01"))]
    if fmt == "geojson":
        path = files.geojson(tmp_path / "vn2000.geojson", features, crs=f"EPSG:{epsg}")
    else:
        path = files.shapefile_zip(tmp_path / "vn2000.zip", features, crs=f"EPSG:{epsg}")
    _analysis, revision = run(zone, board_user, path)

    expected_lat, expected_lon = _vn2000_to_wgs84(*_tm_inverse(e, n, 105.0, k0))
    corners = Parcel.objects.get(revision=revision).geojson["coordinates"][0]
    distance = min(GEOD.inv(expected_lon, expected_lat, lon, lat)[2] for lon, lat in corners)
    assert distance < 1.0
    assert revision.source_crs == f"EPSG:{epsg}"


# --- refusals, by feature, nothing saved ------------------------------------------------------


def test_every_feature_problem_is_reported_with_its_reason_and_nothing_is_saved(
    zone, board_user, boundary, tmp_path, project
):
    flat = Polygon([(X0, Y0), (X0 + 50, Y0 + 50), (X0 + 100, Y0 + 100), (X0, Y0)])
    features = [
        (square(X0, Y0), attrs("OK-01")),
        (Point(X0 + 150, Y0 + 150).buffer(0.01).exterior, attrs("LINE-01")),  # a line, not a polygon
        (Point(X0 + 160, Y0 + 160), attrs("PT-01")),
        (flat, attrs("FLAT-01")),
        (square(X0 + 200, Y0), attrs("LU-01", "XYZ")),
        (square(X0 + 400, Y0), attrs("OV-01")),
        (square(X0 + 450, Y0), attrs("OV-02")),  # half over OV-01: 5,000 m²
        (square(X0 + 1450, Y0), attrs("OUT-01")),  # half outside the zone
        (square(X0 + 3000, Y0), attrs("OUT-02")),  # far outside
        (square(X0 + 600, Y0), attrs("OK-01")),  # the code again
        (
            square(X0 + 800, Y0),
            attrs("NUM-01", MAT_DO=140, HSD="nhiều", DIEN="có lẽ", GIA_THUE="-5", TINH_TRANG="bán", DU_AN="NOPE"),
        ),
        (None, attrs("NOGEO-01")),
        (square(X0, Y0 + 300), {"MA_LO": None, "LOAI_DAT": "CNC"}),
        (square(X0 + 200, Y0 + 300), {"MA_LO": "NOUSE-01", "LOAI_DAT": None}),
    ]
    path = files.geojson(tmp_path / "xau.geojson", features, crs="EPSG:5897")
    analysis, revision = run(zone, board_user, path)

    assert revision is None and analysis.status == "refused" and nothing_saved()
    found = problems(analysis)
    assert 1 not in [f["n"] for f in analysis.report["features"]]  # the first OK-01 is fine
    assert found["LINE-01"] == ["The geometry is a LineString, not a polygon."]
    assert found["PT-01"] == ["The geometry is a Point, not a polygon."]
    assert found["FLAT-01"] == [
        "The geometry is not valid: its outline crosses itself at 552050.00, 2323050.00 (coordinates of the file). "
        "It cannot be repaired automatically: correct it in the file."
    ]
    assert found["LU-01"] == ["Unknown land use “XYZ”."]
    assert found["OV-01"] == ["It overlaps OV-02 by 5,000.7 m²."]  # 50 m x 100 m of the grid, on the ground
    assert found["OV-02"] == ["It overlaps OV-01 by 5,000.7 m²."]
    assert re.fullmatch(r"[\d.,]+ m² of it lie outside the boundary of the zone \(revision 1\)\.", found["OUT-01"][0])
    assert found["OUT-02"] == ["It lies outside the boundary of the zone (revision 1)."]
    assert found["OK-01"] == ["The code is used by another feature of the file (feature 1)."]
    num = found["NUM-01"]
    assert "Power ready is not yes or no: “có lẽ”." in num
    assert any(p.startswith("Building density is out of range") for p in num)
    assert "Floor-area ratio is not a number: “nhiều”." in num
    assert "The lease price is not a whole number of VND: “-5”." in num
    assert "Unknown occupancy “bán”." in num
    assert "No project with the code “NOPE” in this zone." in num
    assert found["NOGEO-01"] == ["The feature has no geometry."]
    assert found["feature 13"] == ["The feature has no code."]
    assert found["NOUSE-01"] == ["The feature has no land use."]
    counts = analysis.report["counts"]
    assert counts["features"] == 14 and counts["refused"] == 13
    # and the full list the pages and the command show, one line per problem
    lines = imports.problems_of(analysis.report)
    assert "LU-01: Unknown land use “XYZ”." in lines


def test_the_analysis_picks_the_service_findings_by_field_not_by_their_wording(zone, board_user, tmp_path, monkeypatch):
    """What the import checks itself (the geometry, a land use missing) is said once, in its own
    words, whatever the words of `services.feature_values` (reworded here, as a translation or an
    edit would); the findings only the service makes come through as it words them."""
    monkeypatch.setattr(services, "_", lambda text: f"«{text}»")
    features = [
        (square(X0, Y0), attrs("OK-01")),
        (None, attrs("NOGEO-01")),
        (Point(X0 + 160, Y0 + 160), attrs("PT-01")),
        (square(X0 + 200, Y0), {"MA_LO": "NOUSE-01", "LOAI_DAT": None}),
        (square(X0 + 400, Y0), attrs("LU-01", "XYZ", DU_AN="NOPE")),
    ]
    path = files.geojson(tmp_path / "lo.geojson", features, crs="EPSG:5897")
    analysis, revision = run(zone, board_user, path)
    assert revision is None
    assert problems(analysis) == {
        "NOGEO-01": ["The feature has no geometry."],
        "PT-01": ["The geometry is a Point, not a polygon."],
        "NOUSE-01": ["The feature has no land use."],
        "LU-01": ["«Unknown land use “XYZ”.»", "«No project with the code “NOPE” in this zone.»"],
    }


def test_each_feature_is_measured_once(zone, board_user, boundary, tmp_path, monkeypatch):
    """The geodesic area (not cheap) is computed once per feature and used by every check and
    the report; only the areas of overlaps and of parts outside the zone cost more."""
    measured = []
    real = geometry.area_m2

    def counting(g):
        if not g.is_empty:
            measured.append(g)
        return real(g)

    monkeypatch.setattr(geometry, "area_m2", counting)
    features = [(square(X0 + 200 * k, Y0), attrs(f"CN-{k:02d}")) for k in range(5)]
    features.append((square(X0 + 1450, Y0), attrs("OUT-01")))  # half outside the zone
    path = files.geojson(tmp_path / "lo.geojson", features, crs="EPSG:5897")
    analysis = imports.analyse(zone=zone, layer="parcels", source=path)
    assert analysis.status == "refused" and list(problems(analysis)) == ["OUT-01"]
    assert len(measured) == len(features) + 1  # each feature, and the part of OUT-01 outside
    assert [f["area_m2"] for f in analysis.report["features"]] == [float(analysis.items[-1].area_m2)]


def test_overlaps_and_overhangs_below_a_square_metre_are_drawing_noise(zone, board_user, boundary, tmp_path):
    features = [
        (square(X0, Y0), attrs("A")),
        (square(X0 + 99.995, Y0), attrs("B")),  # 0.5 m² over A
        (square(X0 + 1500 - 99.995, Y0), attrs("C")),  # 0.5 m² over the boundary
    ]
    analysis, revision = run(zone, board_user, files.geojson(tmp_path / "a.geojson", features, crs="EPSG:5897"))
    assert analysis.status == "clean" and revision.feature_count == 3


def test_without_a_zone_boundary_parcels_are_not_checked_against_it_and_the_report_says_so(zone, board_user, tmp_path):
    path = files.geojson(tmp_path / "a.geojson", [(square(X0 + 90_000, Y0), attrs("FAR"))], crs="EPSG:5897")
    analysis, revision = run(zone, board_user, path)
    assert revision is not None
    assert "The zone has no boundary yet: the features were not checked against it." in analysis.report["notes"]


def test_an_invalid_polygon_is_saved_only_with_its_repair_accepted_and_recorded(zone, board_user, tmp_path):
    bowtie = Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100), (X0, Y0)])
    path = files.shapefile_zip(tmp_path / "no.zip", [(bowtie, attrs("BT-01")), (square(X0 + 200, Y0), attrs("OK"))])

    analysis, revision = run(zone, board_user, path)
    assert analysis.status == "repairs" and revision is None
    [entry] = analysis.report["features"]
    assert entry["code"] == "BT-01" and entry["problems"] == []
    assert entry["repair"] == (
        "The geometry is not valid: its outline crosses itself at 552050.00, 2323050.00 (coordinates of the file). "
        "Repair: make it valid (2 part(s), 5,000.7 m²)."
    )
    with pytest.raises(services.ServiceError) as refused:
        imports.commit(analysis, by=board_user, effective_date=EFFECTIVE)
    assert refused.value.message_dict["repairs"] == ["The file needs the listed repairs: accept them to save it."]
    assert nothing_saved()

    analysis, revision = run(zone, board_user, path, accept_repairs=True)
    assert revision.feature_count == 2
    assert revision.repairs == [{"feature": 1, "code": "BT-01", "repair": "make_valid", "description": entry["repair"]}]
    repaired = Parcel.objects.get(revision=revision, code="BT-01")
    assert repaired.geojson["type"] == "MultiPolygon"
    assert abs(repaired.area_m2 - Decimal("5001")) < 5  # the two triangles of the bow tie


def test_a_boundary_drawn_in_pieces_is_joined_as_a_repair(zone, board_user, tmp_path):
    pieces = [(square(X0, Y0, 500), {}), (square(X0 + 500, Y0, 500), {})]
    path = files.geopackage(tmp_path / "ranh_gioi.gpkg", pieces, layer="ranh_gioi")
    analysis, _rev = run(zone, board_user, path, layer="boundary")
    assert analysis.status == "repairs"
    assert analysis.report["repairs"][0]["description"] == "Repair: join the 2 features into one boundary."
    _analysis, revision = run(zone, board_user, path, layer="boundary", accept_repairs=True)
    boundary = ZoneBoundary.objects.get(revision=revision)
    assert abs(boundary.area_m2 - Decimal("500050")) < 50 and revision.repairs[0]["repair"] == "join"


def test_coordinates_in_metres_in_a_file_that_says_wgs84_are_refused_until_the_system_is_chosen(
    zone, board_user, tmp_path
):
    path = files.geojson(tmp_path / "nham.geojson", [(square(X0, Y0), attrs("A"))], crs="EPSG:4326")
    analysis, revision = run(zone, board_user, path)
    assert revision is None and "choose the coordinate system they are in" in analysis.report["problems"][0]
    analysis, revision = run(zone, board_user, path, crs="EPSG:5897")
    assert revision.source_crs == "EPSG:5897"
    assert any("EPSG:5897" not in n and "was used as chosen" in n for n in analysis.report["notes"])


# --- files refused before they are read ----------------------------------------------------------


def _zip(path: Path, entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def test_unreadable_files_are_refused_with_a_clear_reason(zone, board_user, tmp_path):
    cases = {
        "ban_ve.kml": (b"<kml/>", "This type of file is not accepted."),
        "rong.geojson": (b"", "The file is empty."),
        "hong.geojson": (b'{"type": "FeatureCollection", "features": [', "could not be read as GeoJSON"),
        "hong.gpkg": (b"SQLite format 3\x00" + b"\x00" * 200, "could not be read as GeoPackage"),
        "gia.gpkg": (b'{"type": "FeatureCollection"}', "The content of the file is not GeoPackage, as its name says."),
        "gia.dxf": (b"hello", "The content of the file is not DXF, as its name says."),
    }
    for name, (content, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        analysis, revision = run(zone, board_user, path)
        assert revision is None and analysis.status == "refused"
        assert any(reason in p for p in analysis.report["problems"]), (name, analysis.report["problems"])
    assert nothing_saved()


def test_wrong_zip_files_are_refused_and_nothing_escapes_the_temporary_folder(zone, board_user, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    good = files.shapefile_zip(tmp_path / "good.zip", [(square(X0, Y0), attrs("A"))])
    with zipfile.ZipFile(good) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    cases = {
        "traversal.zip": (
            _zip(tmp_path / "traversal.zip", {f"../../{n}": d for n, d in parts.items()}),
            "unsafe path",
        ),
        "absolute.zip": (_zip(tmp_path / "absolute.zip", {f"/srv/{n}": d for n, d in parts.items()}), "unsafe path"),
        "bomb.zip": (_zip(tmp_path / "bomb.zip", {"lo_dat.shp": b"\0" * (20 * 1024 * 1024)}), "zip bomb"),
        "two.zip": (
            _zip(tmp_path / "two.zip", {**parts, "b.geojson": b'{"type":"FeatureCollection","features":[]}'}),
            "exactly one dataset",
        ),
        "none.zip": (_zip(tmp_path / "none.zip", {"readme.txt": b"hello"}), "exactly one dataset"),
        "no_dbf.zip": (
            _zip(tmp_path / "no_dbf.zip", {n: d for n, d in parts.items() if not n.endswith(".dbf")}),
            "needs its .shp, .shx and .dbf",
        ),
        "damaged.zip": (tmp_path / "damaged.zip", "damaged"),
    }
    (tmp_path / "damaged.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    for name, (path, reason) in cases.items():
        analysis, revision = run(zone, board_user, path)
        assert revision is None, name
        assert any(reason in p for p in analysis.report["problems"]), (name, analysis.report["problems"])
    assert list(scratch.iterdir()) == []  # every temporary copy removed
    assert not (tmp_path.parent / "lo_dat.shp").exists()
    assert nothing_saved()
    _analysis, revision = run(zone, board_user, good)
    assert revision is not None and list(scratch.iterdir()) == []


def test_a_geopackage_with_several_layers_asks_which_one(zone, board_user, tmp_path):
    path = files.geopackage(tmp_path / "qh.gpkg", [(square(X0, Y0), attrs("A"))], layer="lo_dat")
    files.add_layer(path, [(square(X0, Y0, 500), {"TEN": "Khu A"})], layer="khu_chuc_nang")
    analysis, _rev = run(zone, board_user, path)
    assert analysis.report["problems"] == [
        "The file has several layers: choose one of lo_dat, khu_chuc_nang."
    ] or analysis.report["problems"][0].startswith("The file has several layers")
    _analysis, revision = run(zone, board_user, path, source_layer="lo_dat")
    assert revision.feature_count == 1


def test_progress_is_reported_through_the_whole_pipeline(zone, board_user, tmp_path):
    seen: list[tuple[int, int]] = []
    path = files.geojson(tmp_path / "a.geojson", three_parcels(), crs="EPSG:5897")
    run(zone, board_user, path, progress=lambda done, total: seen.append((done, total)))
    totals = {t for _d, t in seen if t}
    assert len(totals) == 1
    total = totals.pop()
    assert total == 3 * 6  # read, geometry, fields, overlaps, boundary, save: each feature once
    dones = [d for d, t in seen if t]
    assert dones == sorted(dones) and dones[-1] == total


# --- the command ----------------------------------------------------------------------------


def test_the_command_imports_with_a_progress_bar_and_fails_when_refused(zone, board_user, tmp_path):
    from zonedesk.planning.models import PlanningDecision

    PlanningDecision.objects.create(zone=zone, number="1/QĐ-BQL", date=dt.date(2025, 12, 1), authority="UBND")
    path = files.shapefile_zip(tmp_path / "lo.zip", [(square(X0, Y0), {"KH": "A", "LD": "CNC"})])
    out, err = io.StringIO(), io.StringIO()
    args = [str(path), "--zone", "HHTP", "--layer", "parcels", "--effective", "2026-01-01"]

    with pytest.raises(CommandError) as refused:
        call_command("plan_import", *args, stdout=out, stderr=err)
    assert refused.value.returncode == 1 and "nothing was saved" in str(refused.value)
    assert "Choose the attribute of the file that holds the code" in out.getvalue()
    assert nothing_saved()

    out, err = io.StringIO(), io.StringIO()
    call_command("plan_import", *args, "--map", "code=KH", "--map", "land_use=LD", "--dry-run", stdout=out, stderr=err)
    assert "Dry run" in out.getvalue() and nothing_saved()
    lower = [str(path), "--zone", "hhtp", *args[3:]]  # the zone's code in any case, as on the pages
    call_command("plan_import", *lower, "--map", "code=KH", "--map", "land_use=LD", "--dry-run", stdout=out, stderr=err)
    assert out.getvalue().count("Dry run") == 2 and nothing_saved()

    out, err = io.StringIO(), io.StringIO()
    call_command(
        "plan_import",
        *args,
        "--map",
        "code=KH",
        "--map",
        "land_use=LD",
        "--decision",
        "1/QĐ-BQL",
        stdout=out,
        stderr=err,
    )
    assert "Saved revision 1 of Land parcels of HHTP: 1 features" in out.getvalue()
    assert "100% (6/6)" in err.getvalue() and "Importing [" in err.getvalue()
    revision = PlanRevision.objects.get(layer="parcels")
    assert revision.decision.number == "1/QĐ-BQL" and revision.created_by == board_user

    with pytest.raises(CommandError, match="not a field of this layer"):
        call_command("plan_import", *args, "--map", "colour=X", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_command_lists_repairs_and_applies_them_only_when_accepted(zone, board_user, tmp_path):
    bowtie = Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100), (X0, Y0)])
    path = files.geojson(tmp_path / "bt.geojson", [(bowtie, attrs("BT"))], crs="EPSG:5897")
    args = [str(path), "--zone", "HHTP", "--layer", "parcels", "--effective", "2026-01-01"]
    out = io.StringIO()
    with pytest.raises(CommandError, match="--accept-repairs"):
        call_command("plan_import", *args, stdout=out, stderr=io.StringIO())
    assert "BT (#1): The geometry is not valid" in out.getvalue()
    call_command("plan_import", *args, "--accept-repairs", stdout=io.StringIO(), stderr=io.StringIO())
    assert PlanRevision.objects.get(layer="parcels").repairs[0]["code"] == "BT"


# --- the web import ---------------------------------------------------------------------------


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


with_worker = pytest.mark.django_db(transaction=True)


@with_worker
def test_the_board_imports_a_file_on_the_web_upload_check_map_save(zone, board_user, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(board_user)
    assert client.get("/planning/imports/new/").status_code == 200
    features = [
        (square(X0, Y0), {"KH": "W-01", "LOAI_DAT": "NC", "MAT_DO": 50}),
        (
            Polygon([(X0 + 200, Y0), (X0 + 300, Y0 + 100), (X0 + 300, Y0), (X0 + 200, Y0 + 100)]),
            {"KH": "W-02", "LOAI_DAT": "NC"},
        ),
    ]
    path = files.shapefile_zip(tmp_path / "web.zip", features)
    with open(path, "rb") as f:
        response = client.post(
            "/planning/imports/new/",
            {"zone": zone.pk, "layer": "parcels", "effective_date": "2026-01-01", "file": f, "crs": ""},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/planning/imports/{job.pk}/"
    page = client.get(response["Location"])
    assert "Checking the file" in page.content.decode() and 'hx-trigger="every 1s"' in page.content.decode()

    run_worker()  # the check runs in the background
    job.refresh_from_db()
    assert job.status == "ready" and job.report["status"] == "refused"
    assert job.mapping == {"land_use": "LOAI_DAT", "max_density_pct": "MAT_DO"}  # "KH" is not a name it knows
    progress = client.get(f"/planning/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    page = client.get(f"/planning/imports/{job.pk}/").content.decode()
    assert "Choose the attribute of the file that holds the code of each feature." in page
    assert "Save the revision" not in page

    response = client.post(
        f"/planning/imports/{job.pk}/mapping/",
        {"map_code": "KH", "map_land_use": "LOAI_DAT", "map_max_density_pct": "MAT_DO", "crs": ""},
    )
    assert response.status_code == 302
    run_worker()
    job.refresh_from_db()
    assert job.report["status"] == "repairs" and job.progress_done == job.progress_total > 0
    page = client.get(f"/planning/imports/{job.pk}/").content.decode()
    assert "W-02" in page and "its outline crosses itself" in page and "I accept the repairs listed above" in page

    response = client.post(f"/planning/imports/{job.pk}/commit/", {})
    assert response.status_code == 400 and "accept them to save it" in response.content.decode()
    assert not PlanRevision.objects.exists()

    response = client.post(f"/planning/imports/{job.pk}/commit/", {"accept_repairs": "on"})
    assert response.status_code == 302
    run_worker()
    job.refresh_from_db()
    assert job.status == "done" and job.file.name == ""
    revision = job.revision
    assert revision.feature_count == 2 and revision.created_by == board_user
    assert [r["code"] for r in revision.repairs] == ["W-02"]
    assert not list((tmp_path / "media" / "planning" / "imports").iterdir())  # the upload is removed
    page = client.get(f"/planning/imports/{job.pk}/").content.decode()
    assert "Revision 1 was saved with 2 features." in page
    assert "web.zip" in client.get("/planning/imports/").content.decode()


@with_worker
def test_the_web_import_lets_the_officer_choose_a_layer_of_a_geopackage(zone, board_user, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(board_user)
    path = files.geopackage(tmp_path / "qh.gpkg", [(square(X0, Y0), attrs("A"))], layer="lo_dat")
    files.add_layer(path, [(square(X0, Y0, 500), {"TEN": "Khu A"})], layer="khu_chuc_nang")
    with open(path, "rb") as f:
        client.post(
            "/planning/imports/new/",
            {"zone": zone.pk, "layer": "parcels", "effective_date": "2026-01-01", "file": f, "crs": ""},
        )
    job = ImportJob.objects.get()
    run_worker()
    job.refresh_from_db()
    assert job.report["status"] == "refused" and job.mapping is None
    page = client.get(f"/planning/imports/{job.pk}/").content.decode()
    assert 'name="source_layer"' in page and '<option value="lo_dat">' in page  # the layers to choose from
    response = client.post(f"/planning/imports/{job.pk}/mapping/", {"source_layer": "lo_dat", "crs": ""})
    assert response.status_code == 302
    run_worker()
    job.refresh_from_db()
    assert job.source_layer == "lo_dat" and job.report["status"] == "clean", job.report["problems"]
    assert job.mapping["code"]  # the attributes were guessed once the layer could be read


def test_the_upload_form_refuses_files_that_are_not_plan_files(zone, board_user, client):
    client.force_login(board_user)
    upload = io.BytesIO(b"MZ\x90\x00 not a plan")
    upload.name = "virus.exe"
    response = client.post(
        "/planning/imports/new/", {"zone": zone.pk, "layer": "parcels", "effective_date": "2026-01-01", "file": upload}
    )
    assert response.status_code == 200 and "This type of file is not accepted." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_only_the_board_imports_plan_files(zone, client, enterprise_user, agency_user, leader_user):
    for path in ("/planning/imports/", "/planning/imports/new/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response["Location"]
    job = ImportJob.objects.create(
        zone=zone, layer="parcels", effective_date=EFFECTIVE, original_name="a.geojson", status="ready"
    )
    pages = [f"/planning/imports/{job.pk}/", f"/planning/imports/{job.pk}/progress/"]
    actions = [f"/planning/imports/{job.pk}/{a}/" for a in ("mapping", "commit", "discard")]
    for user in (enterprise_user, agency_user, leader_user):
        client.force_login(user)
        for path in ("/planning/imports/", "/planning/imports/new/", *pages):
            assert client.get(path).status_code == 403, path
        for path in ("/planning/imports/new/", *actions):
            assert client.post(path, {"accept_repairs": "on"}).status_code == 403, path
    assert ImportJob.objects.filter(pk=job.pk, status="ready").exists()

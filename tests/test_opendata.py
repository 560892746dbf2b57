"""The open-data catalogue (issue 7, second part): public datasets in CSV, XLSX and JSON, streamed,
described in DCAT JSON-LD with licence, frequency and last change; only public rows and fields."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.utils import timezone

from tests.test_planning_pages import plan  # noqa: F401 - a fixture
from zonedesk.ecosystem import services as ecosystem
from zonedesk.ecosystem.models import Indicator

pytestmark = pytest.mark.django_db


def test_the_catalogue_in_dcat_describes_every_dataset(client, project):
    answer = client.get("/open-data/catalog.jsonld")
    assert answer["Content-Type"].startswith("application/ld+json")
    catalog = answer.json()
    assert catalog["@type"] == "dcat:Catalog" and "dcat" in catalog["@context"]
    datasets = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    assert {"projects", "published-answers", "ecosystem-scorecard", "parcels"} <= set(datasets)
    projects = datasets["projects"]
    assert projects["dct:license"]["@id"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert projects["dct:accrualPeriodicity"]["@id"].endswith("/daily")
    assert projects["dct:modified"]["@value"] == timezone.localtime(project.updated_at).date().isoformat()
    formats = {d["dct:format"]: d["dcat:downloadURL"]["@id"] for d in projects["dcat:distribution"]}
    assert set(formats) == {"CSV", "XLSX", "JSON"}
    for url in formats.values():  # every distribution answers
        assert client.get(url.replace("http://testserver", "")).status_code == 200
    page = client.get("/open-data/").content.decode()
    assert 'href="/open-data/projects.csv"' in page and "catalog.jsonld" in page


def test_the_projects_dataset_in_three_formats(client, zone, make_project):
    for i in range(3):
        make_project(zone=zone, name_vi=f"Dự án {i}")
    text = b"".join(client.get("/open-data/projects.csv").streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 4
    body = client.get("/open-data/projects.json")
    assert body.streaming
    items = json.loads(b"".join(body.streaming_content))
    assert sorted(i["name_vi"] for i in items) == ["Dự án 0", "Dự án 1", "Dự án 2"]
    assert isinstance(items[0]["registered_capital_vnd"], int) and items[0]["certificate_date"].count("-") == 2
    assert "private_note" not in items[0] and "lease_price_vnd_m2" not in items[0]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/open-data/projects.xlsx").streaming_content)))
    assert book.active.max_row == 4
    assert client.get("/open-data/projects.pdf").status_code == 404
    assert client.get("/open-data/secrets.csv").status_code == 404


def test_only_published_answers_are_open(client, zone, enterprise_user):
    from tests.test_list_pages import _petition

    _petition(zone, enterprise_user, title="Chưa công bố")  # not answered, not published
    items = json.loads(b"".join(client.get("/open-data/published-answers.json").streaming_content))
    assert items == []


def test_the_scorecard_dataset(client, zone, board_user):
    t2 = Indicator.objects.get(code="T2")
    ecosystem.target_set(by=board_user, indicator=t2, zone=zone, year=2025, value=60)
    ecosystem.measurement_record(by=board_user, indicator=t2, zone=zone, year=2025, value=80, source="Khảo sát")
    items = json.loads(b"".join(client.get("/open-data/ecosystem-scorecard.json").streaming_content))
    assert len(items) == Indicator.objects.count()
    row = next(i for i in items if i["indicator"] == "T2")
    assert (row["zone"], row["year"], row["value"], row["target"], row["attainment_pct"]) == ("HHTP", 2025, 80, 60, 75)


def test_figures_by_zone_and_year_are_the_dashboards(client, zone, other_zone, project, board_user):
    from zonedesk.investment import selectors
    from zonedesk.investment import services as registry

    registry.report_submit(
        project=project,
        by=board_user,
        period_kind="year",
        year=2024,
        quarter=0,
        figures={"revenue_vnd": 12_000_000_000, "workers_total": 80, "workers_degree": 20},
    )
    items = json.loads(b"".join(client.get("/open-data/zone-figures.json").streaming_content))
    years = range(project.certificate_date.year, timezone.localdate().year + 1)
    assert len(items) == len(years) * 3  # each zone and every zone together, each year
    row = next(i for i in items if i["zone"] == "HHTP" and i["year"] == 2024)
    figures = selectors.zone_figures(zone=zone, year=2024)
    assert (row["revenue_vnd"], row["workers"], row["projects"]) == (figures["revenue_vnd"], 80, 1)
    assert row["registered_capital_vnd"] == figures["registered_capital_vnd"]
    everything = next(i for i in items if i["zone"] == "" and i["year"] == 2024)
    assert everything["projects"] == selectors.zone_figures(zone=None, year=2024)["projects"]["total"] == 1


def test_petition_figures_by_zone_and_year(client, zone, enterprise_user):
    from tests.test_list_pages import _petition
    from zonedesk.petitions.selectors import petition_figures

    _petition(zone, enterprise_user, title="Chậm cấp phép")
    items = json.loads(b"".join(client.get("/open-data/petition-figures.json").streaming_content))
    year = timezone.localdate().year
    row = next(i for i in items if i["zone"] == "HHTP" and i["year"] == year)
    figures = petition_figures(zone=zone, year=year)
    assert (row["received"], row["open"], row["resolved"]) == (figures["received"], figures["open"], 0) == (1, 1, 0)
    assert "title" not in row and "body" not in row  # figures only


def test_the_parcels_dataset_has_public_fields_and_its_geometry_downloads(client, plan):  # noqa: F811
    from tests.test_planning_pages import FUTURE_CODE, NOTE, PRICE

    items = json.loads(b"".join(client.get("/open-data/parcels.json").streaming_content))
    assert sorted(i["code"] for i in items) == ["CN-01", "CN-02", "CN-03", "CN-04", "CX-01", "PM-01", "ĐV-01"]
    text = json.dumps(items, ensure_ascii=False)
    assert FUTURE_CODE not in text and NOTE not in text and str(PRICE) not in text
    leased = next(i for i in items if i["code"] == "CN-04")
    assert leased["occupancy"] == "leased" and leased["leased_by"]
    catalog = client.get("/open-data/catalog.jsonld").json()
    parcels = next(d for d in catalog["dcat:dataset"] if d["dct:identifier"] == "parcels")
    formats = {d["dct:format"] for d in parcels["dcat:distribution"]}
    assert formats == {"CSV", "XLSX", "JSON", "GeoJSON", "GeoPackage"}
    assert [d["dct:identifier"] for d in catalog["dcat:dataset"]].count("parcels") == 1
    geojson = next(d for d in parcels["dcat:distribution"] if d["dct:format"] == "GeoJSON")
    assert client.get(geojson["dcat:downloadURL"]["@id"].replace("http://testserver", "")).status_code == 200


def _peak(client, url: str) -> tuple[int, int]:
    """(bytes sent, peak of memory allocated while sending) of a streamed download."""
    import tracemalloc

    response = client.get(url)
    assert response.streaming, url
    tracemalloc.start()
    size = sum(len(chunk) for chunk in response.streaming_content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return size, peak


def test_a_large_download_streams_in_bounded_memory(client, zone, project):
    """Projects as CSV and JSON (an open dataset): with three times the rows, the
    file is three times larger but the memory it takes to send it stays the same (the rows are
    read, written and sent a chunk at a time, never the whole file)."""
    from zonedesk.investment.models import Project

    base = Project.objects.get(pk=project.pk)
    fields = [f.attname for f in Project._meta.concrete_fields]

    def add(start: int, n: int) -> None:
        rows = []
        for i in range(start, start + n):
            base.pk, base.code, base.name_vi = None, f"BIG{i:06d}", f"Dự án thử tải số {i} " + "x" * 60
            rows.append(Project(**{f: getattr(base, f) for f in fields}))
        Project.objects.bulk_create(rows, batch_size=2000)

    urls = ("/open-data/projects.csv", "/open-data/projects.json")  # a page's CSV is written the same way
    add(0, 4_000)
    small = {url: _peak(client, url) for url in urls}
    add(4_000, 8_000)
    large = {url: _peak(client, url) for url in urls}
    for url in urls:
        (size, peak), (size3, peak3) = small[url], large[url]
        assert size3 > 2.8 * size, url  # three times the rows
        assert peak3 < 1.3 * peak, (url, peak, peak3)  # the same memory: a chunk of rows, not the file

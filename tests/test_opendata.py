"""The open-data catalogue (issue 7, second part): public datasets in CSV, XLSX and JSON, streamed,
described in DCAT JSON-LD with licence, frequency and last change; only public rows and fields."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.utils import timezone

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

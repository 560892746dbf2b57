"""The benchmark keeps running: bench/run at the tiny scale, one short round, as a smoke test.

It asserts what a broken bench would show, never a speed: the run ends with exit 0, every
measured endpoint (ours and pygeoapi's) answered 2xx to every request, in the check before
measuring and in every wrk run (bench/suite.py stops the run otherwise, naming the endpoint and
its statuses), and the results were written (to a temporary folder: the committed
bench/results/ are left alone). bench/run starts its own PostgreSQL and Redis, so scripts/test
runs this in its SQLite pass only. Without PostgreSQL, redis-server, wrk or PostGIS (which
scripts/test installs) the test is skipped on a developer's machine and fails in CI (CI=true).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parent.parent


def _missing() -> list[str]:
    missing = []
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        missing.append("PostgreSQL (apt-get install postgresql)")
    elif not glob.glob("/usr/share/postgresql/*/extension/postgis.control"):
        missing.append("PostGIS (apt-get install postgresql-N-postgis-3)")
    if not (shutil.which("redis-server") or os.access("/usr/bin/redis-server", os.X_OK)):
        missing.append("redis-server (apt-get install redis-server)")
    if not shutil.which("wrk"):
        missing.append("wrk (apt-get install wrk)")
    return missing


def test_the_benchmark_runs_to_the_end_and_every_endpoint_answers_2xx(tmp_path):
    missing = _missing()
    if missing:
        message = "bench/run needs " + " and ".join(missing)
        if os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
            pytest.fail(message + ": CI must install it (scripts/test does)")
        pytest.skip(message)
    out = tmp_path / "results" / "latest.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CACHE_URL", "ZONEDESK_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    committed = {p.name: p.read_bytes() for p in (ROOT / "bench" / "results").glob("*")}
    proc = subprocess.run(
        [shutil.which("bash") or "/bin/bash", str(ROOT / "bench" / "run"), "--scale", "tiny"]
        + ["--seconds", "1", "--rounds", "1", "--import-rows", "500"]
        + ["--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )
    output = proc.stdout[-6000:]
    assert proc.returncode == 0, output
    result = json.loads(out.read_text())
    assert out.with_suffix(".md").read_text().startswith("# Benchmark results (tiny")
    names = {row["name"] for row in result["endpoints"]}
    assert names >= {"floor", "zone_figures", "national_figures", "project_search", "agency_queue"}
    assert names >= {"petition_figures", "ogc_items", "ogc_items_uncached"}
    assert names >= {"dossier_lookup", "dossier_figures", "unit_queue"}  # the one-stop desk's (issue 25)
    assert {"task_figures", "pipeline_list", "pipeline_figures"} <= set(names)  # issue 26
    assert result["requests"]["dossier_codes"] > 0
    for row in result["endpoints"]:
        assert row["rounds"] == 1, row
        assert row["errors"] == 0 and row["non_2xx"] == 0, row
    assert result["peer"]["errors"] == 0
    assert result["requests"]["parcels_in_bbox"] > 0
    assert result["import"]["rows"] > 0 and len(result["import"]["rounds"]) == 1
    assert result["cache"] == "Redis"
    # the committed results are not touched by the smoke test
    assert {p.name: p.read_bytes() for p in (ROOT / "bench" / "results").glob("*")} == committed

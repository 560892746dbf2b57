"""The soak keeps running (bench/soak, named in the README): its smoke run, and how it reads memory.

The smoke run is bench/soak on the embedded default for a few seconds of traffic: the demo is
built, its accounts made ordinary, `zonedesk serve` and a worker started, nine virtual users log
in (the officers with their authenticator's code) and every one of the 51 actions is tried once
and must answer what it should; then traffic. It asserts what a broken soak would show, never a
speed: no error, no process died, no error in the logs, the results written (to a temporary
folder: the committed bench/results/ are left alone). A few seconds say nothing of memory
growth, so the soak's exit 3 (only a process grew 5% or more in the second half) is allowed here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _soak_module():
    spec = importlib.util.spec_from_file_location("soak", ROOT / "bench" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _samples(*rows):
    return [(t, {"app": 133_000, "app/child 11": a * 1024, "app/child 12": b * 1024}) for t, a, b in rows]


def test_a_worker_that_loads_after_the_warm_up_passes_and_a_leak_still_fails():
    soak = _soak_module()
    # 2026-12-06: gunicorn gave the visitors' keep-alive connections to one worker; the other
    # served its first triage page (scikit-learn, the suggestion model) at 181 s and grew
    # 161 -> 276 MB, which the soak took for +73% growth
    loading = _samples(
        (0, 136, 144), (60, 276, 158), (121, 276, 161), (181, 277, 276), (420, 279, 277), (720, 281, 278)
    )
    rows = {r["process"]: r for r in soak.memory_table(loading, 120)}
    assert rows["app/child 12"]["growth_after_warmup_pct"] > 70  # still reported
    assert rows["app/child 12"]["growth_second_half_pct"] < soak.GROWTH_LIMIT_PCT
    assert rows["app/child 12"]["half_time_mb"] == pytest.approx(277 * 1024 / 1024, abs=0.1)
    assert all(r["growth_second_half_pct"] < soak.GROWTH_LIMIT_PCT for r in rows.values())

    # a worker that goes on growing, 275 -> 400 MB over ten minutes
    leaking = _samples((0, 136, 144), (121, 276, 275), (300, 277, 300), (420, 278, 330), (720, 281, 400))
    rows = {r["process"]: r for r in soak.memory_table(leaking, 120)}
    assert rows["app/child 12"]["growth_second_half_pct"] >= soak.GROWTH_LIMIT_PCT
    assert rows["app/child 11"]["growth_second_half_pct"] < soak.GROWTH_LIMIT_PCT


@pytest.mark.bench
def test_the_soak_runs_every_role_against_the_embedded_default(tmp_path):
    out = tmp_path / "soak"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CACHE_URL", "ZONEDESK_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    committed = {p.name: p.read_bytes() for p in (ROOT / "bench" / "results").glob("*")}
    proc = subprocess.run(
        [shutil.which("bash") or "/bin/bash", str(ROOT / "bench" / "soak"), "--sqlite"]
        + ["--minutes", "0.25", "--warmup", "5", "--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )
    assert proc.returncode in (0, 3), proc.stdout[-4000:]
    assert "the logs show errors" not in proc.stdout and "a process died" not in proc.stdout
    result = json.loads(out.with_suffix(".json").read_text())
    assert result["errors"] == 0 and result["error_examples"] == []
    assert result["requests"] > 50
    roles = {key.split(":", 1)[0] for key, row in result["actions"].items() if row["requests"]}
    assert len(roles) >= 6, roles
    assert out.with_suffix(".md").read_text().startswith("# Soak")
    assert {p.name: p.read_bytes() for p in (ROOT / "bench" / "results").glob("*")} == committed

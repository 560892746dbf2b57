"""The structure of the code: core imports no app, the apps are in layers, no import circle
(`.importlinter`, checked by import-linter), and what the apps register with core instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold():
    pytest.importorskip("importlinter")
    lint = Path(sys.executable).parent / "lint-imports"
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([str(lint)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_the_apps_register_with_core_what_core_used_to_import():
    from zonedesk.core import access, audit, backup, workers
    from zonedesk.core.context_processors import COUNTERS
    from zonedesk.core.generations import ZONE_FIGURE_GENERATIONS
    from zonedesk.investment.selectors import FIGURES_GENERATION
    from zonedesk.privacy.register import record_name

    assert set(access.SCOPES) == {
        "petition",
        "report",
        "conference",
        "roadmap",
        "dossier",
        "prospect",
        "direction",
        "task_lead",
    }
    assert {t.name for t in workers.periodic_tasks()} == {
        "petitions_tick",
        "roadmaps_tick",
        "directions_tick",
        "retention_tick",
        "uploads_tick",
        "sessions_tick",
        "rate_counts_tick",
        "idempotency_tick",
        "reservations_tick",
        "promotion_tick",
    }
    assert set(workers.RETRY_PREPARE) == {
        "zonedesk.sheets.tasks.sheet_import_run",
        "zonedesk.planning.tasks.plan_import_run",
    }
    assert set(COUNTERS) == {"unread_notifications"}
    assert FIGURES_GENERATION in ZONE_FIGURE_GENERATIONS
    assert audit._NAMING["record"] is record_name
    assert [step.__module__ for step in backup.AFTER_RESTORE] == ["zonedesk.privacy.apps"]

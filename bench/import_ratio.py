"""The import path of issue 5: 100,000 periodic-report rows from a spreadsheet, against merely
reading the same file with openpyxl in read-only mode.

The file holds real rows: the newest 100,000 current first-version reports of the database,
written as a report workbook (`investment.imports.COLUMNS`). Each round, in one transaction that
is rolled back afterwards, those reports are deleted and the file is imported through
`investment.imports.import_reports` (read, check every row, COPY, bump the figures), then the
same file is read with openpyxl (`read_only=True, values_only=True`, every cell touched). The
ratio of the two is taken in the same round; the median over the rounds is reported, after one
import that is not timed (it warms the database's buffers, as the HTTP runs are warmed). The
database is left as it was.

Run by bench/suite.py (`import_ratio(rows, rounds)`), or alone against the bench database:
`DATABASE_URL=... python bench/import_ratio.py [--rows N] [--rounds N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

TARGET = 2.0


def write_file(path: Path, rows: int) -> list[int]:
    """The newest `rows` current first-version reports as a report workbook; their ids."""
    from openpyxl import Workbook

    from zonedesk.investment import imports
    from zonedesk.investment.models import REPORT_FIGURES, PeriodicReport

    qs = (
        PeriodicReport.objects.filter(is_current=True, version=1)
        .order_by("-year", "-pk")
        .values_list("pk", "project__code", "period_kind", "year", "quarter", *REPORT_FIGURES, "submitted_at")
    )[:rows]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Báo cáo")
    sheet.append([vi for _f, vi, _en in imports.COLUMNS])
    ids = []
    words = {"quarter": "Quý", "year": "Năm"}
    for pk, code, kind, year, quarter, *figures, submitted in qs.iterator(chunk_size=10_000):
        ids.append(pk)
        sheet.append([code, words[kind], year, quarter or None, *figures, submitted.date().isoformat()])
    book.save(path)
    return ids


def read_only(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for row in book.worksheets[0].iter_rows(values_only=True):
        cells += len(row)
    book.close()
    return cells


class _Rollback(Exception):
    pass


def import_once(path: Path, ids: list[int]) -> tuple[float, int]:
    from django.db import transaction

    from zonedesk.investment import imports
    from zonedesk.investment.models import PeriodicReport

    seconds, created = 0.0, 0
    try:
        with transaction.atomic():
            for i in range(0, len(ids), 10_000):
                PeriodicReport.objects.filter(pk__in=ids[i : i + 10_000])._raw_delete(PeriodicReport.objects.db)
            started = time.perf_counter()
            result = imports.import_reports(path)
            seconds = time.perf_counter() - started
            created = len(result.new)
            raise _Rollback
    except _Rollback:
        pass
    return seconds, created


def import_ratio(rows: int = 100_000, rounds: int = 3) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="zonedesk-import-"))
    path = folder / "bao-cao-dinh-ky.xlsx"
    ids = write_file(path, rows)
    import_once(path, ids)  # not timed: warms the database's buffers, as the HTTP runs are warmed
    runs = []
    for _round in range(rounds):
        seconds, created = import_once(path, ids)
        if created != len(ids):
            raise SystemExit(f"bench: the import created {created} reports, not {len(ids)}")
        started = time.perf_counter()
        read_only(path)
        reading = time.perf_counter() - started
        runs.append({"import_s": round(seconds, 3), "read_s": round(reading, 3), "ratio": round(seconds / reading, 3)})
    size = path.stat().st_size
    path.unlink()
    folder.rmdir()
    ratio = statistics.median(r["ratio"] for r in runs)
    return {
        "rows": len(ids),
        "file_bytes": size,
        "rounds": runs,
        "import_s": statistics.median(r["import_s"] for r in runs),
        "read_s": statistics.median(r["read_s"] for r in runs),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET,
        "meets_target": ratio <= TARGET,
        "note": f"{len(ids):,} report rows imported in {ratio:.2f}× the time openpyxl (read-only) takes to read "
        f"the same file (target ≤ {TARGET}×)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.settings")
    import django

    django.setup()
    print(json.dumps(import_ratio(args.rows, args.rounds), indent=2))


if __name__ == "__main__":
    main()

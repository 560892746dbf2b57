"""Accuracy and speed of the intake suggestions on the demo petition corpus.

    python bench/suggest_accuracy.py            # all feature variants (about two minutes)
    python bench/suggest_accuracy.py --quick    # the default features only

Generates the demo corpus for the four zones (300 Hoa Lac + 80 for each industrial zone by
default), cross-validates the category and lead-agency suggestions and prints and writes
bench/results/suggest_accuracy.json.

Two measures, each the median over three shuffles of 5-fold cross-validation:
- stratified: plain stratified k-fold, as `cross_validate` does by default. The corpus varies
  about 200 hand-written base petitions, so a test petition often has a sibling of the same
  base in the training folds: this is close to how real petitions repeat, but optimistic.
- grouped: no base petition is split across folds (StratifiedGroupKFold), so every test
  petition is a text the model has never seen in any form: the honest lower bound.

No Django settings are needed: the suggester and the corpus are plain Python (text folding is
`unicodedata`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:
    import zonedesk  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

import sklearn  # noqa: E402

from zonedesk.petitions.suggest import FEATURES, Suggester, cross_validate, petition_text  # noqa: E402
from zonedesk_demo import corpus as demo_corpus  # noqa: E402

SIZES = {"HHTP": 300, "KCNTL": 80, "KCNNB": 80, "KCNSDB": 80}


def corpus(seed: int, sizes: dict[str, int]) -> tuple[list[tuple[str, str, str, str]], list[int]]:
    rows, groups = [], []
    for zone, count in sizes.items():
        for i, (base, item) in enumerate(demo_corpus._generate(seed=seed, count=count, zone_code=zone)):
            text = petition_text(item["title"], item["body"])
            rows.append((f"DEMO-{zone}-{i + 1:04d}", text, item["category"], item["agency"]))
            groups.append(base)
    return rows, groups


def median_cv(rows, groups, features: str, runs: int) -> dict:
    out = {}
    for kind in ("stratified", "grouped"):
        results = [
            cross_validate(rows, 5, seed, groups=groups if kind == "grouped" else None, features=features)
            for seed in range(runs)
        ]
        out[kind] = {
            "category_accuracy": statistics.median(r["category_accuracy"] for r in results),
            "agency_accuracy": statistics.median(r["agency_accuracy"] for r in results),
            "category_accuracy_runs": [r["category_accuracy"] for r in results],
            "agency_accuracy_runs": [r["agency_accuracy"] for r in results],
        }
    return out


def fit_seconds(rows, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        Suggester().fit(rows)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the default features")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed")
    parser.add_argument("--runs", type=int, default=3, help="cross-validation shuffles per measure")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "suggest_accuracy.json")
    args = parser.parse_args(argv)

    rows, groups = corpus(args.seed, SIZES)
    default = Suggester().features_mode
    modes = [default] if args.quick else [default] + [m for m in FEATURES if m != default]
    accuracy = {}
    for mode in modes:
        start = time.perf_counter()
        accuracy[mode] = median_cv(rows, groups, mode, args.runs)
        s, g = accuracy[mode]["stratified"], accuracy[mode]["grouped"]
        print(
            f"{mode:10s} stratified: category {s['category_accuracy']:.3f} agency {s['agency_accuracy']:.3f} | "
            f"grouped: category {g['category_accuracy']:.3f} agency {g['agency_accuracy']:.3f} "
            f"({time.perf_counter() - start:.0f} s)",
            flush=True,
        )

    big, _ = corpus(args.seed + 1, {"HHTP": 400, "KCNTL": 200, "KCNNB": 200, "KCNSDB": 200})
    fit_corpus = fit_seconds(rows)
    fit_1000 = fit_seconds(big)
    model = Suggester().fit(big)
    start = time.perf_counter()
    for _ref, text, _c, _a in big[:200]:
        model.suggest("", text)
    suggest_ms = round((time.perf_counter() - start) / 200 * 1000, 2)
    print(f"fit {len(rows)} petitions: {fit_corpus} s; fit {len(big)}: {fit_1000} s; suggest: {suggest_ms} ms")

    result = {
        "benchmark": "petition intake suggestions (category, lead agency) on the demo corpus",
        "date": dt.date.today().isoformat(),
        "machine": {
            "arch": platform.machine(),
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "scikit_learn": sklearn.__version__,
        },
        "corpus": {"seed": args.seed, "zones": SIZES, "n": len(rows), "base_petitions": len(set(groups))},
        "n": len(rows),
        "folds": 5,
        "runs": args.runs,
        "default_features": default,
        "category_accuracy": accuracy[default]["stratified"]["category_accuracy"],
        "agency_accuracy": accuracy[default]["stratified"]["agency_accuracy"],
        "grouped_category_accuracy": accuracy[default]["grouped"]["category_accuracy"],
        "grouped_agency_accuracy": accuracy[default]["grouped"]["agency_accuracy"],
        "by_features": accuracy,
        "fit_seconds_median_of_3": {str(len(rows)): fit_corpus, str(len(big)): fit_1000},
        "suggest_ms": suggest_ms,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

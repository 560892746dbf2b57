"""The sizes the generator knows, as data.

`national` is issue 5's floor: at least 400 zones, 50,000 enterprises, 60,000 projects,
2,000,000 periodic reports, 1,000,000 petitions with their histories and 200,000 parcels in
force; issue 25 adds 2,000,000 dossiers of the one-stop desk with their histories, issue 26
40,000 prospects of the promotion pipeline and 6,000 directions with about 36,000 tasks. `small` is about a hundredth of it (but ten times more zones than a hundredth, so that
the skew between big and small zones survives) for `bench/run --quick`; `tiny` is for tests
and runs in seconds on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    zones: int
    enterprises: int
    projects: int
    reports: int  # at least this many periodic reports: the generator picks how many years back
    petitions: int
    parcels: int  # parcels in force; older and future revisions add a few more rows
    petition_years: int  # petitions are received over this many years before the day of generation
    # Users: board officers per province, officers per agency (enterprises get one user each).
    board_officers: int = 2
    agency_officers: int = 2
    dossiers: int = 0  # dossiers of the one-stop desk with their histories, over `petition_years`
    prospects: int = 0  # the promotion pipeline's prospects, over `petition_years`
    directions: int = 0  # directions with about six tasks each, over `petition_years`


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale(
            "tiny",
            zones=4,
            enterprises=60,
            projects=80,
            reports=600,
            petitions=300,
            parcels=240,
            petition_years=2,
            dossiers=400,
            prospects=120,
            directions=20,
        ),
        Scale(
            "small",
            zones=40,
            enterprises=500,
            projects=600,
            reports=20_000,
            petitions=10_000,
            parcels=2_000,
            petition_years=3,
            dossiers=20_000,
            prospects=1_000,
            directions=300,
        ),
        Scale(
            "national",
            zones=400,
            enterprises=50_000,
            projects=60_000,
            reports=2_000_000,
            petitions=1_000_000,
            parcels=200_000,
            petition_years=3,
            dossiers=2_000_000,
            prospects=40_000,
            directions=6_000,
        ),
    )
}

DEFAULT_SEED = 20250612  # 12 June 2025: the resolution that merged the provinces into 34

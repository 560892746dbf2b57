"""Synthetic data at national scale, for benchmarks: `zonedesk generate --scale national`.

A package the `generate` command (`zonedesk_demo/management/commands/generate.py`) drives.

* `scales.py`: the sizes (tiny for tests, small for quick benchmarks, national).
* `names.py`: Vietnamese name banks (provinces, places, people).
* `clock.py`: the deadlines of the petition channel, computed once per distinct input with the
  app's own calendar and SLA functions (and office-time arithmetic checked against them).
* `plans.py`: what the parts share: the plans of zones, enterprises and projects, `Step`,
  `Context`, small tools, and `World` (what `land.py` and `histories.py` read of the generator);
* `generate.py`: the `Generator`, pure row generators: plain tuples from `random.Random` streams keyed by the
  seed, never ORM objects and never a service call per row; every row as the services would
  have written it (references, folded search text, deadlines, statuses that follow the events);
  it runs the steps of `land.py` (plans and parcels) and `histories.py` (petitions), which import
  `plans.py`, never `generate.py`.
* `load.py`: bulk loading (PostgreSQL `COPY`, SQLite `executemany`), the refusal to mix with
  real data, `--replace`, sequences, counters and `ANALYZE`.

The same seed, scale and day give the same rows, on SQLite and PostgreSQL alike.
"""

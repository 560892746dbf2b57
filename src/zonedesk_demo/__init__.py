"""The demo and the benchmark data of ZoneDesk, kept out of the app packages.

A Django app without models (`zonedesk_demo`, in `INSTALLED_APPS`) for its three commands:
`zonedesk demo` and `zonedesk up` build the Hoa Lac demo, `zonedesk generate` the synthetic
dataset at national scale for the benchmarks. The apps and `zonedesk.core` import nothing from
here; this package imports the apps (their models and services) to fill them.

* `build.py`: `build_everything`, the whole demo, part by part (each builds once);
* `investment.py`: the registry (zones, agencies, enterprises, projects, reports, the demo
  accounts, `demo_now`), the base the other parts stand on;
* `planning.py`, `petitions.py` (with its texts in `corpus.py`), `dialogue.py`, `roadmaps.py`,
  `ecosystem.py`: one part per app;
* `summary.py`: what `demo` and `up` print (the published figures, the demo accounts);
* `scale/`: the national-scale generator and its bulk loader;
* `management/commands/`: `demo`, `up`, `generate`.

Importing this package imports nothing else (the app registry loads it before the models).
"""

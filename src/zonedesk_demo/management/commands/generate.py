"""`zonedesk generate --scale national`: synthetic data at national scale, for benchmarks.

Builds, deterministically (same seed, scale and day: same rows), zones, agencies, people,
enterprises, projects with their reports, plans with their parcels, and petitions with their
histories, valid as the services would have written them (`zonedesk_demo.scale`). Loads them
through bulk paths (PostgreSQL `COPY`, SQLite `executemany`) in one transaction, with a
progress bar per part on stderr, then prints rows and seconds per table.

Refuses a database that already holds registry data unless `--replace`, which empties the
generated tables first: synthetic rows are never mixed with real ones.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.generations import generation_bump
from zonedesk.investment.selectors import FIGURES_GENERATION
from zonedesk.petitions.selectors import PETITION_FIGURES_GENERATION
from zonedesk.planning.management.commands.plan_import import ProgressBar
from zonedesk.planning.selectors import PLAN_GENERATION
from zonedesk_demo.scale import load
from zonedesk_demo.scale.generate import Generator
from zonedesk_demo.scale.scales import DEFAULT_SEED, SCALES


class RateBar(ProgressBar):
    """`plan_import`'s progress bar with the rows written per second and the time left."""

    def __init__(self, stream, label: str, unit: str) -> None:
        super().__init__(stream, label)
        self.unit = unit
        self.started = time.monotonic()
        self.finished = False

    def __call__(self, done: int, total: int, rows: int = 0) -> None:  # type: ignore[override]
        if total <= 0 or self.finished:
            return
        done = min(done, total)
        self.finished = done == total
        pct = int(100 * done / total)
        now = time.monotonic()
        if self.tty:
            if (pct == self.shown and now - self.last < 1) or (now - self.last < 0.2 and done < total):
                return
        elif pct // 10 == self.shown // 10 and done < total:
            return
        self.shown, self.last = pct, now
        elapsed = max(now - self.started, 1e-6)
        left = elapsed * (total - done) / done if done else 0
        filled = self.WIDTH * done // total
        line = (
            f"{self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {pct:3d}% ({done}/{total} {self.unit}) "
            + _("%(rate)s rows/s, %(left)s left") % {"rate": f"{rows / elapsed:,.0f}", "left": _duration(left)}
        )
        self.stream.write(("\r" + line + "\033[K") if self.tty else line + "\n", ending="")
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Generate synthetic data for benchmarks (zones, enterprises, projects, reports, plans, petitions "
            "with their histories), deterministically, through bulk loading. Refuses a database with registry "
            "data unless --replace."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            required=True,
            choices=sorted(SCALES),
            help=_("How much: tiny (tests), small (a hundredth of national), national."),
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=_("The same seed gives the same rows (default: fixed).")
        )
        parser.add_argument(
            "--today",
            default="",
            help=_("The day of generation (YYYY-MM-DD, default today): histories stop the day before."),
        )
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help=_(
                "Load with every index and foreign key in place (PostgreSQL), instead of rebuilding those of "
                "the big tables afterwards: slower, kept to measure the difference."
            ),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "Empty the generated tables first (zones, agencies, the registry, plans, petitions, and the "
                "accounts of enterprises and agencies), even if they hold real data."
            ),
        )

    def handle(self, *args, **o):
        scale = SCALES[o["scale"]]
        today = timezone.localdate()
        if o["today"]:
            try:
                today = dt.date.fromisoformat(o["today"])
            except ValueError as exc:
                raise CommandError(_("Enter a date as YYYY-MM-DD.")) from exc
            if today > timezone.localdate():
                raise CommandError(_("The day of generation cannot be in the future."))
        found = load.refusal()
        if found and not o["replace"]:
            raise CommandError(
                _(
                    "The database already holds data (%(found)s): synthetic rows are never mixed with it. "
                    "Use --replace to empty the generated tables first."
                )
                % {"found": ", ".join(f"{n} {label}" for label, n in found.items())}
            )
        started = time.monotonic()
        timings: list[tuple[str, str, int | None, float]] = []  # part, table, rows, seconds
        writer = load.Writer()
        with transaction.atomic():
            if o["replace"]:
                t = time.monotonic()
                load.empty()
                timings.append((_("replace"), _("emptied the generated tables"), None, time.monotonic() - t))
            t = time.monotonic()
            gen = Generator(scale, seed=o["seed"], context=load.context(today=today, years=scale.petition_years))
            timings.append((_("plan"), _("zones, enterprises, projects decided"), None, time.monotonic() - t))
            big = [name for name, rows in gen.estimated_rows().items() if rows >= load.DEFER_FROM_ROWS]
            if o["keep_indexes"]:
                big = []
            deferral = load.Deferral(big)
            deferral.drop()
            try:
                for step in gen.steps():
                    self._step(step, writer, timings)
            finally:
                writer.flush()
            if big:
                for kind, seconds in deferral.restore().items():
                    timings.append((_("rebuild"), kind, None, seconds))
            load.advance_counters(gen.counters)
            load.reset_sequences(gen.models())
            # the rows went in around the services: no figure cached before them may be served
            generation_bump(FIGURES_GENERATION)
            generation_bump(PETITION_FIGURES_GENERATION)
            generation_bump(PLAN_GENERATION)
        t = time.monotonic()
        load.analyze(writer.rows)
        timings.append((_("analyze"), "VACUUM, ANALYZE", None, time.monotonic() - t))
        self._report(timings, time.monotonic() - started, scale.name, o["seed"], today)

    def _step(self, step, writer: load.Writer, timings: list) -> None:
        """Write one part with its progress bar; add its tables' rows and writing seconds, and the
        part's wall-clock time, to `timings`."""
        bar = RateBar(self.stderr, str(step.label), str(step.unit))
        rows_before, seconds_before = dict(writer.rows), dict(writer.seconds)
        started = time.monotonic()
        done = rows = 0
        try:
            for table, batch, units in step.batches:
                writer.write(table, batch)
                done += units
                rows += len(batch)
                bar(done, step.total, rows)
            writer.flush()
            bar(step.total, step.total, rows)
        finally:
            bar.close()
        timings.append((str(step.label), _("(the part, wall clock)"), rows, time.monotonic() - started))
        for name in writer.rows:
            if writer.rows[name] != rows_before.get(name, 0):
                spent = writer.seconds.get(name, 0.0) - seconds_before.get(name, 0.0)
                timings.append((str(step.label), name, writer.rows[name] - rows_before.get(name, 0), spent))

    def _report(self, timings: list, total: float, scale: str, seed: int, today: dt.date) -> None:
        header = (_("part"), _("table"), _("rows"), _("seconds"))
        lines = [header] + [(part, table, "" if n is None else f"{n:,}", f"{s:.1f}") for part, table, n, s in timings]
        widths = [max(len(str(line[i])) for line in lines) for i in range(4)]
        for i, line in enumerate(lines):
            self.stdout.write(
                "  ".join(
                    str(v).rjust(widths[c]) if c >= 2 else str(v).ljust(widths[c]) for c, v in enumerate(line)
                ).rstrip()
            )
            if i == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write(
            _(
                "Seconds of a table: writing its rows (on PostgreSQL beside the generation of the next ones); of a "
                "part: wall clock, generation included."
            )
        )
        rows = sum(n for _p, table, n, _s in timings if n and not table.startswith("("))
        size = load.database_size()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Generated scale %(scale)s (seed %(seed)s, as of %(today)s): %(rows)s rows in %(time)s "
                    "(%(seconds)s s); database size %(size)s."
                )
                % {
                    "scale": scale,
                    "seed": seed,
                    "today": today.isoformat(),
                    "rows": f"{rows:,}",
                    "time": _duration(total),
                    "seconds": f"{total:.1f}",
                    "size": f"{size / 1024**2:,.0f} MB" if size else "?",
                }
            )
        )

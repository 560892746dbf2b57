"""`zonedesk backup [--output FILE]`: a consistent snapshot of the database and the uploaded files
in one archive (`zonedesk.core.backup`), by default `<data folder>/backups/zonedesk-<time>.tar.gz`.
Progress on stderr, a summary on stdout."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.backup import BackupError, backup
from zonedesk.core.progress import ProgressBar


class Progress:
    """One progress bar per part ("tables", "files", "rows"), on the command's stderr."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.bars: dict[str, ProgressBar] = {}

    def __call__(self, what: str, done: int, total: int) -> None:
        bar = self.bars.get(what)
        if bar is None:
            for other in self.bars.values():
                other.close()
            bar = self.bars[what] = ProgressBar(self.stream, what)
        bar(done, total)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class Command(BaseCommand):
    help = "Write a consistent snapshot of the database and the uploaded files to one archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", "-o", help="the archive to write (default: DATA_DIR/backups/zonedesk-<time>.tar.gz)"
        )

    def handle(self, *args, output: str | None = None, **options) -> None:
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = str(Path(settings.DATA_DIR) / "backups" / f"zonedesk-{stamp}.tar.gz")
        progress = Progress(self.stderr)
        try:
            summary = backup(output=Path(output), progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        self.stdout.write(
            _(
                "Backup written to %(path)s: %(tables)d tables, %(rows)d rows, %(files)d files (%(mb).1f MB of files),"
                " archive %(size).1f MB."
            )
            % {
                "path": output,
                "tables": summary.tables,
                "rows": summary.rows,
                "files": summary.files,
                "mb": summary.file_bytes / 1e6,
                "size": summary.archive_bytes / 1e6,
            }
        )

"""`zonedesk restore FILE`: a backup made by `zonedesk backup` into this installation, which must be
empty (a new database after `zonedesk migrate`, an empty uploads folder). Everything is checked
before anything is written; the rows and files are then in place together, or not at all.
`--check` only verifies the archive (every checksum) and writes nothing.

A backup holds what was personal data on the day it was made: after restoring, the retention rules
are applied at once (privacy/retention.py, registered with `core.backup.register_after_restore`), so that what has expired since is not back when the
site opens; `--no-retention` restores the rows exactly as they were (to check a backup only, never
for a site that will open). Erasures asked for after the backup was made are re-applied by the
data-protection officer from the register of requests (docs/SECURITY.md, "Backups")."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zonedesk.core.backup import AFTER_RESTORE, BackupError, archive_listing, restore
from zonedesk.core.management.commands.backup import Progress


class Command(BaseCommand):
    help = "Restore a backup of `zonedesk backup` into this empty installation."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="the archive written by `zonedesk backup`")
        parser.add_argument("--check", action="store_true", help="only verify the archive; write nothing")
        parser.add_argument(
            "--no-retention",
            action="store_true",
            help="do not apply the retention rules after restoring (to check a backup; the site must not open)",
        )

    def handle(self, *args, archive: str, check: bool = False, no_retention: bool = False, **options) -> None:
        progress = Progress(self.stderr)
        try:
            if check:
                manifest = archive_listing(Path(archive))
                rows = sum(t["rows"] for t in manifest["tables"].values())
                self.stdout.write(
                    _("The backup of %(created)s is whole: %(tables)d tables, %(rows)d rows, %(files)d files.")
                    % {
                        "created": manifest["created"],
                        "tables": len(manifest["tables"]),
                        "rows": rows,
                        "files": len(manifest["files"]),
                    }
                )
                return
            summary = restore(archive=Path(archive), progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        self.stdout.write(
            _("Restored %(tables)d tables, %(rows)d rows and %(files)d files.")
            % {"tables": summary.tables, "rows": summary.rows, "files": summary.files}
        )
        if not no_retention:
            for step in AFTER_RESTORE:  # the apps' (privacy: the retention rules)
                step(self.stdout.write)

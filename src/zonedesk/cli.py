"""The `zonedesk` console command: Django's management with the project's own verbs.

The project's verbs are management commands (`serve`, `worker` of core; `up`, `demo`,
`generate` of the demo package, `zonedesk_demo`), so `zonedesk help` lists them beside Django's own.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zonedesk", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()

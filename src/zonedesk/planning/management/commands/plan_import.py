"""`zonedesk plan_import FILE --zone HHTP --layer parcels --effective 2026-01-01`: import a plan file
(GeoJSON, zipped Shapefile, GeoPackage, DXF) as a new revision of a layer, all or nothing.

A progress bar goes to stderr, the report by feature to stdout. The exit status is 0 when the
revision was saved (or, with `--dry-run`, would be), 1 when the file was refused.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.core.inputs import zone_by_code
from zonedesk.core.models import Role, User
from zonedesk.core.progress import ProgressBar
from zonedesk.planning import imports
from zonedesk.planning.models import Layer, PlanningDecision


def _mapping(pairs: list[str], layer: str) -> dict[str, str] | None:
    if not pairs:
        return None
    mapping = {}
    for pair in pairs:
        target, sep, attribute = pair.partition("=")
        target = target.strip()
        if not sep or not attribute.strip():
            raise CommandError(_("Write each mapping as FIELD=ATTRIBUTE, for example code=MA_LO."))
        if target not in imports.TARGETS[Layer(layer)]:
            raise CommandError(
                _("“%(field)s” is not a field of this layer; its fields are: %(fields)s.")
                % {"field": target, "fields": ", ".join(imports.TARGETS[Layer(layer)])}
            )
        mapping[target] = attribute.strip()
    return mapping


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Import a plan file (GeoJSON, zipped Shapefile, GeoPackage or DXF, in WGS 84 or VN-2000) as a "
            "new revision of a layer of a zone, all or nothing."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The file to import."))
        parser.add_argument("--zone", required=True, help=_("Code of the zone, e.g. HHTP."))
        parser.add_argument("--layer", required=True, choices=Layer.values, help=_("The layer the file replaces."))
        parser.add_argument("--effective", required=True, help=_("Date the revision is in force from (YYYY-MM-DD)."))
        parser.add_argument(
            "--crs", default="", help=_("Coordinate system when the file has none, e.g. 5897 (VN-2000, Hanoi).")
        )
        parser.add_argument("--source-layer", default="", help=_("Layer of the file, when it has several."))
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=ATTRIBUTE",
            help=_("Which attribute of the file holds a field (repeat); without it the mapping is guessed."),
        )
        parser.add_argument("--accept-repairs", action="store_true", help=_("Accept the repairs the report lists."))
        parser.add_argument("--decision", default="", help=_("Number of the planning decision of the zone."))
        parser.add_argument("--note", default="", help=_("A note kept with the revision."))
        parser.add_argument(
            "--user", default="", help=_("Board officer recorded as the author (default: the first one).")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Check the file and report; save nothing."))

    def handle(self, *args, **o):
        zone = zone_by_code(o["zone"])  # its code in any case (core.inputs)
        if zone is None:
            raise CommandError(_("No zone with the code “%(code)s”.") % {"code": o["zone"]})
        try:
            effective = dt.date.fromisoformat(o["effective"])
        except ValueError as exc:
            raise CommandError(_("Enter a date as YYYY-MM-DD.")) from exc
        decision = None
        if o["decision"]:
            decision = PlanningDecision.objects.filter(zone=zone, number=o["decision"]).first()
            if decision is None:
                raise CommandError(_("This zone has no decision number “%(n)s”.") % {"n": o["decision"]})
        users = User.objects.filter(is_active=True)
        user = (
            users.filter(username=o["user"]).first()
            if o["user"]
            else users.filter(role=Role.BOARD).order_by("pk").first()
        )
        if user is None:
            raise CommandError(_("No active board officer to record as the author: give one with --user."))
        mapping = _mapping(o["map"], o["layer"])
        bar = ProgressBar(self.stderr, _("Importing"))
        try:
            analysis, revision = imports.import_file(
                zone=zone,
                layer=o["layer"],
                source=o["file"],
                by=user,
                effective_date=effective,
                mapping=mapping,
                crs=o["crs"] or None,
                source_layer=o["source_layer"],
                decision=decision,
                note=o["note"],
                accept_repairs=o["accept_repairs"],
                dry_run=o["dry_run"],
                progress=bar,
            )
        except ServiceError as exc:
            for messages in error_dict(exc).values():
                for m in messages:
                    self.stdout.write(m)
            raise CommandError(_("Nothing was saved."), returncode=1) from exc
        finally:
            bar.close()
        self._report(analysis)
        if revision is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Saved revision %(n)s of %(layer)s of %(zone)s: %(count)s features, in force from %(date)s.")
                    % {
                        "n": revision.number,
                        "layer": revision.get_layer_display(),
                        "zone": zone.code,
                        "count": revision.feature_count,
                        "date": revision.effective_date.isoformat(),
                    }
                )
            )
            return
        if analysis.status == "refused" or (analysis.status == "repairs" and not o["accept_repairs"]):
            hint = _("Accept the listed repairs with --accept-repairs.") if analysis.status == "repairs" else ""
            raise CommandError(
                " ".join(x for x in [_("The file was refused: nothing was saved."), hint] if x), returncode=1
            )
        self.stdout.write(self.style.SUCCESS(_("Dry run: the file is ready to import; nothing was saved.")))

    def _report(self, analysis: imports.Analysis) -> None:
        r = analysis.report
        src = r["source"]
        self.stdout.write(
            _("%(name)s: %(format)s, layer “%(layer)s”, %(n)s features, coordinates in %(crs)s.")
            % {
                "name": src["name"],
                "format": src["format"] or "?",
                "layer": src["layer"] or "?",
                "n": src["features"],
                "crs": r["crs_name"] or r["crs"] or "?",
            }
        )
        if r["mapping"]:
            self.stdout.write(
                _("Mapping: %(pairs)s") % {"pairs": ", ".join(f"{t}={a}" for t, a in r["mapping"].items())}
            )
        for note in r["notes"]:
            self.stdout.write(_("Note: %(note)s") % {"note": note})
        for problem in r["problems"]:
            self.stdout.write(self.style.ERROR(problem))
        for f in r["features"]:
            for p in f["problems"]:
                self.stdout.write(self.style.ERROR(f"{f['label']} (#{f['n']}): {p}"))
            if f["repair"]:
                self.stdout.write(self.style.WARNING(f"{f['label']} (#{f['n']}): {f['repair']}"))
        c = r["counts"]
        self.stdout.write(
            _("%(ok)s of %(n)s features are fine, %(bad)s refused, %(fix)s need a repair.")
            % {
                "ok": c["features"] - c["refused"] - c["repairable"],
                "n": c["features"],
                "bad": c["refused"],
                "fix": c["repairable"],
            }
        )

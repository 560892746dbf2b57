import datetime as dt

from django.db import migrations

# The rules in force when the Law on Investment 143/2025/QH15 took effect (1 March 2026).
# The board edits them in the admin; a row with a later date replaces a rule from that day on.
from zonedesk.core.rules import DEFAULTS


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, default in DEFAULTS.items():
        Rule.objects.get_or_create(
            key=key,
            effective_from=dt.date(2000, 1, 1),
            defaults={"value": default.value, "legal_basis": default.legal_basis, "note": default.description},
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

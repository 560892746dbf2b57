from django.db import migrations

# The rules in force when the Law on Investment 143/2025/QH15 took effect (1 March 2026).
# The board edits them in the admin; a row with a later date replaces a rule from that day on.
from zonedesk.core.migrations import _seed


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(_seed.seed_rules, migrations.RunPython.noop)]

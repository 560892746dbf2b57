from django.db import migrations

from zonedesk.core.migrations import _seed


class Migration(migrations.Migration):
    dependencies = [("core", "0004_counter")]
    operations = [migrations.RunPython(_seed.seed_rules, migrations.RunPython.noop)]

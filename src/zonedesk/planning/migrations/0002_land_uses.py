"""The default land-use categories of the plan (`planning/reference.py`)."""

from django.db import migrations

from zonedesk.planning.reference import write_land_uses


def seed(apps, schema_editor):
    write_land_uses(apps.get_model("planning", "LandUse"))


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

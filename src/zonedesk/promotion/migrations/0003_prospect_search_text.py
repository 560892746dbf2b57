"""The pipeline's search reads a folded column in the database (it folded every company in
Python before): added, then filled for the prospects already recorded."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from zonedesk.core.text import fold

    Prospect = apps.get_model("promotion", "Prospect")
    rows = list(Prospect.objects.only("pk", "code", "company"))
    for p in rows:
        p.search_text = fold(f"{p.code} {p.company}")[:300]
    Prospect.objects.bulk_update(rows, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("promotion", "0002_event_version")]

    operations = [
        migrations.AddField(
            model_name="prospect",
            name="search_text",
            field=models.CharField(blank=True, default="", editable=False, max_length=300),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

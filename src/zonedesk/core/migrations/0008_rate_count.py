from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_worker_beat"),
    ]

    operations = [
        migrations.CreateModel(
            name="RateCount",
            fields=[
                ("key", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("count", models.PositiveIntegerField(default=0)),
                ("expires", models.DateTimeField(db_index=True)),
            ],
        ),
    ]

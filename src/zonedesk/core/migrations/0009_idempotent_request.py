from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_rate_count"),
    ]

    operations = [
        migrations.CreateModel(
            name="IdempotentRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("owner", models.CharField(max_length=64)),
                ("key", models.CharField(max_length=255)),
                ("fingerprint", models.CharField(max_length=64)),
                ("status", models.PositiveSmallIntegerField()),
                ("answer_kept", models.BooleanField(default=False)),
                ("content_type", models.CharField(blank=True, max_length=120)),
                ("location", models.CharField(blank=True, max_length=2000)),
                ("body", models.BinaryField(blank=True)),
                ("session_key", models.CharField(blank=True, max_length=64)),
                ("created_at", models.DateTimeField(db_index=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("owner", "key"), name="idempotent_request_once")
                ],
            },
        ),
    ]

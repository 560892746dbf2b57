"""The record of each retention run, and the retention rules with their default months
(privacy/retention.py, KINDS; the board edits them afterwards: a rule already there is kept)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DEFAULTS = {
    "petitioner_contacts": 24,
    "audit_addresses": 12,
    "login_records": 1,
    "notifications": 24,
    "rejected_dossier_files": 60,
}


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for kind, months in DEFAULTS.items():
        RetentionRule.objects.get_or_create(kind=kind, defaults={"months": months})


def unseed(apps, schema_editor):
    pass  # the rules stay: they may have been edited


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_privacy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RetentionRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(db_index=True, verbose_name="day")),
                ("started_at", models.DateTimeField(verbose_name="started")),
                ("finished_at", models.DateTimeField(verbose_name="finished")),
                ("cleared", models.JSONField(default=dict, verbose_name="records cleared, by kind")),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "retention run",
                "verbose_name_plural": "retention runs",
                "ordering": ["-started_at", "-id"],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]

"""The ids an import created, beside the one audit entry that records the import
(core/audit.py: log_bulk_created); append-only like the trail itself (0006)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SQLITE = [
    """CREATE TRIGGER core_auditrange_no_update BEFORE UPDATE ON core_auditrange
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS core_auditrange_no_update"]
POSTGRES = [
    """CREATE TRIGGER core_auditrange_append_only BEFORE UPDATE OR DELETE ON core_auditrange
       FOR EACH ROW EXECUTE FUNCTION auditlog_logentry_append_only()""",
]
POSTGRES_UNDO = ["DROP TRIGGER IF EXISTS core_auditrange_append_only ON core_auditrange"]


def forwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0010_two_factor_recovery'),
        ('core', '0006_audit_trail_append_only'),
        migrations.swappable_dependency(settings.AUDITLOG_LOGENTRY_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditRange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_id', models.BigIntegerField()),
                ('last_id', models.BigIntegerField()),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUDITLOG_LOGENTRY_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['content_type', 'first_id'], name='core_auditrange_type_first')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]

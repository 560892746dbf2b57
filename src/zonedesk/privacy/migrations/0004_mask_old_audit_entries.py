"""The audit trail's entries written before personal fields were masked lose their values
(privacy/old_entries.py), once."""

from django.db import migrations


def forwards(apps, schema_editor):
    from zonedesk.privacy.old_entries import mask_old_entries

    mask_old_entries(
        apps.get_model("auditlog", "LogEntry"), apps.get_model("contenttypes", "ContentType"), schema_editor.connection
    )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_privacy_notice_v1"),
        ("core", "0012_audit_trail_forgets_addresses"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

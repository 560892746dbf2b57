"""Version 1 of the privacy notice, so that a fresh install has one to show and to consent to."""

from django.db import migrations

from zonedesk.privacy import notice_v1


def publish_v1(apps, schema_editor):
    PrivacyNotice = apps.get_model("privacy", "PrivacyNotice")
    if not PrivacyNotice.objects.filter(version=1).exists():
        PrivacyNotice.objects.create(
            version=1,
            summary_vi=notice_v1.SUMMARY_VI,
            summary_en=notice_v1.SUMMARY_EN,
            text_vi=notice_v1.TEXT_VI,
            text_en=notice_v1.TEXT_EN,
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_retention_run_and_default_rules")]
    operations = [migrations.RunPython(publish_v1, migrations.RunPython.noop)]

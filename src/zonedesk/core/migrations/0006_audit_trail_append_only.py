"""The audit trail is append-only in the database itself (core/audit.py): an entry cannot be
changed (SQLite and PostgreSQL) nor, on PostgreSQL, deleted. (SQLite's tests empty tables with
DELETE, so there the site's code is what never deletes; PostgreSQL empties them with TRUNCATE,
which this trigger does not stop.)"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER auditlog_logentry_no_update BEFORE UPDATE ON auditlog_logentry
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS auditlog_logentry_no_update"]

POSTGRES = [
    """CREATE FUNCTION auditlog_logentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER auditlog_logentry_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
       FOR EACH ROW EXECUTE FUNCTION auditlog_logentry_append_only()""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS auditlog_logentry_append_only ON auditlog_logentry",
    "DROP FUNCTION IF EXISTS auditlog_logentry_append_only()",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_seed_new_rules"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""The audit trail stays append-only (0006) with one exception, for retention (privacy/retention.py,
the `audit_addresses` rule): an entry's address (`remote_addr`) may be set to NULL, every other
column unchanged. Any other change (another column, or the address set to another value) is
refused as before, and on PostgreSQL an entry still cannot be deleted.

SQLite compares every column of the table, named when this migration runs (a later column added by
django-auditlog must be added here too: tests/test_retention.py fails until it is); PostgreSQL
compares the whole row but the address, so it needs no list."""

from django.db import migrations

MESSAGE = "the audit trail is append-only"


def _sqlite(columns: list[str]) -> list[str]:
    same = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns if c != "remote_addr")
    return [
        "DROP TRIGGER IF EXISTS auditlog_logentry_no_update",
        f"""CREATE TRIGGER auditlog_logentry_no_update BEFORE UPDATE ON auditlog_logentry
           WHEN NOT (NEW."remote_addr" IS NULL AND {same})
           BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    ]


SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS auditlog_logentry_no_update",
    f"""CREATE TRIGGER auditlog_logentry_no_update BEFORE UPDATE ON auditlog_logentry
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

POSTGRES = [
    f"""CREATE FUNCTION auditlog_logentry_forget_address_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND NEW.remote_addr IS NULL
            AND (to_jsonb(NEW) - 'remote_addr') = (to_jsonb(OLD) - 'remote_addr') THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION '{MESSAGE}';
       END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS auditlog_logentry_append_only ON auditlog_logentry",
    """CREATE TRIGGER auditlog_logentry_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
       FOR EACH ROW EXECUTE FUNCTION auditlog_logentry_forget_address_only()""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS auditlog_logentry_append_only ON auditlog_logentry",
    """CREATE TRIGGER auditlog_logentry_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
       FOR EACH ROW EXECUTE FUNCTION auditlog_logentry_append_only()""",
    "DROP FUNCTION IF EXISTS auditlog_logentry_forget_address_only()",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, "auditlog_logentry")]
        statements = _sqlite(columns)
    else:
        statements = POSTGRES if connection.vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0011_audit_ranges"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""An agency's queue reads the petitions it coordinates by agency: an index on (agency, petition)
of the many-to-many table lets that read come from the index alone (Django's own index there is
on the agency only, and each row then costs a visit to the table)."""

from django.db import migrations

TABLE = "petitions_petition_coordinating_agencies"
INDEX = "petition_coord_agency_petition"


class Migration(migrations.Migration):
    dependencies = [("petitions", "0005_petition_open_by_due")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} (agency_id, petition_id)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]

"""Index only: jobs still going (ended_on IS NULL) by enrollment.

The caseload and the supervisor's views ask, per listed client, "is this person working now?"
(EXISTS an open job). Without this index PostgreSQL answers it by hashing every open job in the
database (a sequential scan that grows with the years of records: 40 ms at the national scale);
with it, one index probe per listed client (0.1 ms). Partial indexes work on SQLite and PostgreSQL.
The index is not declared in Job.Meta (clients/models.py belongs to another change in progress), so
the migration leaves the model state alone; declare it there as `models.Index(fields=["enrollment"],
condition=Q(ended_on__isnull=True), name="clients_job_open_idx")` with a SeparateDatabaseAndState
when convenient.
"""

from django.db import migrations

SQL = 'CREATE INDEX IF NOT EXISTS "clients_job_open_idx" ON "clients_job" ("enrollment_id") WHERE "ended_on" IS NULL'
REVERSE = 'DROP INDEX IF EXISTS "clients_job_open_idx"'


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE, elidable=False)]

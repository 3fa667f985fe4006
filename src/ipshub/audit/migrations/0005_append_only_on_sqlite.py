"""On SQLite too the database itself refuses to change or delete audit events (ipshub/audit/append_only.py)."""

from django.db import migrations

from ipshub.audit.append_only import SQLITE_TRIGGERS, sqlite_drop


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for create in SQLITE_TRIGGERS.values():
            schema_editor.execute(create, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(sqlite_drop(name), params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_breakglassgrant")]
    operations = [migrations.RunPython(forwards, backwards)]

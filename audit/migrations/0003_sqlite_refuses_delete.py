"""On SQLite the database refuses DELETE as well as UPDATE (0002 gave SQLite only the UPDATE
trigger). SQLite has no setting a transaction could carry, so the retention purge drops
this trigger, deletes and creates it again inside one transaction (audit.services); no
other connection ever sees the table without it."""

from django.db import migrations

SQLITE_FORWARD = """
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only (DELETE refused)'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS audit_entry_no_delete;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(forward, backward)]

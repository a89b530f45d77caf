"""Test databases on PostgreSQL: migrated once per run, then copied for each xdist worker.

Migrating an empty database takes about 17 s of CPU; the suite needed one per worker and one
per integration template. Instead, the first worker that needs a database migrates a template
(under an advisory lock, so that the others wait for it) and every worker's database is a
`CREATE DATABASE ... TEMPLATE` copy of it, which takes well under a second. The template is
marked with the run's id, so a run never copies a template an earlier checkout migrated.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from django.db import connection

# The name of this run's migrated template, for the integration tests' stacks.
TEMPLATE_ENVIRON = "COHORTWISE_TEST_MIGRATED_TEMPLATE"
# Any fixed number: the advisory lock that serializes building and copying the template.
LOCK_KEY = 727_142


def prepare_worker_database(run_id: str, create: bool) -> bool:
    """Makes this worker's test database a copy of the run's migrated template when it must
    be made (`create`, or missing); True when the database is ready to be reused as is."""
    if connection.vendor != "postgresql":
        return False
    settings = connection.settings_dict
    worker_name = settings["TEST"]["NAME"]
    template_name = f"{worker_name.rsplit('_gw', 1)[0]}_migrated"
    with _maintenance_cursor() as cursor:
        if not create and _exists(cursor, worker_name):
            return True
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            quoted_template = connection.ops.quote_name(template_name)
            if _comment(cursor, template_name) != run_id:
                _migrate_template(template_name)
                cursor.execute(f"COMMENT ON DATABASE {quoted_template} IS %s", [run_id])
            quoted_worker = connection.ops.quote_name(worker_name)
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted_worker}")
            cursor.execute(f"CREATE DATABASE {quoted_worker} TEMPLATE {quoted_template}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    os.environ[TEMPLATE_ENVIRON] = template_name
    return True


def _migrate_template(template_name: str) -> None:
    settings = connection.settings_dict
    name, worker_name = settings["NAME"], settings["TEST"]["NAME"]
    settings["TEST"]["NAME"] = template_name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        # Nobody may stay connected to a database that is copied.
        connection.close()
        settings["NAME"], settings["TEST"]["NAME"] = name, worker_name


@contextmanager
def _maintenance_cursor():
    with connection._nodb_cursor() as cursor:
        yield cursor


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _comment(cursor, name: str) -> str | None:
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    )
    row = cursor.fetchone()
    return row[0] if row else None

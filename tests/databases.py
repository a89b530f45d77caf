"""Test databases on PostgreSQL under pytest-xdist: migrated once per run, then copied.

Migrating an empty database takes about 17 s of CPU; the suite needed one per worker and one
per integration template. Instead, the first worker that needs a database migrates a template
(under an advisory lock, so that the others wait for it) and every worker's database, like
each integration test's template, is a `CREATE DATABASE ... TEMPLATE` copy of it, which takes
well under a second. The template is marked with the run's id, so a run never copies a
template that an earlier checkout migrated.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

# Any fixed number: the advisory lock that serializes building and copying the template.
LOCK_KEY = 727_142


def migrated_template(run_id: str) -> str:
    """The name of this run's migrated template database, migrated if it is not yet."""
    name = f"{_worker_database().rsplit('_gw', 1)[0]}_migrated"
    with _locked() as cursor:
        if _comment(cursor, name) != run_id:
            _migrate(name)
            cursor.execute(f"COMMENT ON DATABASE {_quote(name)} IS %s", [run_id])
    return name


def worker_database_exists() -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_worker_database()])
        return cursor.fetchone() is not None


def copy_database(template: str, name: str) -> None:
    """`name` made afresh as a copy of `template`."""
    with _locked() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        cursor.execute(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(template)}")


def copy_for_this_worker(template: str) -> None:
    copy_database(template, _worker_database())


def _worker_database() -> str:
    return connection.settings_dict["TEST"]["NAME"]


def _migrate(template: str) -> None:
    settings = connection.settings_dict
    name, worker_name = settings["NAME"], settings["TEST"]["NAME"]
    settings["TEST"]["NAME"] = template
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        # Nobody may stay connected to a database that is copied.
        connection.close()
        settings["NAME"], settings["TEST"]["NAME"] = name, worker_name


@contextmanager
def _locked():
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            yield cursor
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _comment(cursor, name: str) -> str | None:
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    )
    row = cursor.fetchone()
    return row[0] if row else None

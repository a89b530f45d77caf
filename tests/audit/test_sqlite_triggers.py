"""On SQLite (a local database) the audit table refuses UPDATE and DELETE in SQL as it does
on PostgreSQL, and the retention purge still deletes what is past the retention and leaves
the table guarded. The suite runs on PostgreSQL, so this migrates a scratch SQLite file in a
child process and works on it there."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PURGE = """
import datetime, json
from django.conf import settings
from django.utils import timezone
from audit.models import AuditEntry
from audit.services import entries_purge_expired
now = timezone.now()
past = now - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS + 1)
old = AuditEntry.objects.create(action="plans.approved", created_at=past)
kept = AuditEntry.objects.create(action="plans.approved", created_at=now)
print(json.dumps({"purged": entries_purge_expired(now=now), "kept": kept.pk, "old": old.pk}))
"""


def _manage(database: Path, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def sqlite_database(tmp_path_factory):
    database = tmp_path_factory.mktemp("sqlite") / "audit.sqlite3"
    _manage(database, "migrate", "audit", "--verbosity", "0")
    return database


def _refused(database: Path, sql: str, params=()) -> str:
    with sqlite3.connect(database) as db, pytest.raises(sqlite3.DatabaseError) as refused:
        db.execute(sql, params)
    return str(refused.value)


def _insert(database: Path) -> int:
    with sqlite3.connect(database) as db:
        cursor = db.execute(
            "INSERT INTO audit_auditentry (code, created_at, action, target_type, target_id,"
            " target_label, details) VALUES (?, '2026-11-30 12:00:00', 'plans.approved',"
            " '', '', '', '{}')",
            [os.urandom(16).hex()],
        )
        return cursor.lastrowid


def _action(database: Path, pk: int):
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT action FROM audit_auditentry WHERE id = ?", [pk]).fetchone()
    return row[0] if row else None


def test_sqlite_refuses_an_update_in_sql(sqlite_database):
    pk = _insert(sqlite_database)
    message = _refused(
        sqlite_database, "UPDATE audit_auditentry SET action = 'x.y' WHERE id = ?", [pk]
    )
    assert "append-only" in message
    assert _action(sqlite_database, pk) == "plans.approved"


def test_sqlite_refuses_a_delete_in_sql(sqlite_database):
    pk = _insert(sqlite_database)
    message = _refused(sqlite_database, "DELETE FROM audit_auditentry WHERE id = ?", [pk])
    assert "append-only" in message
    assert _action(sqlite_database, pk) == "plans.approved"


def test_the_purge_deletes_on_sqlite_and_leaves_the_table_guarded(sqlite_database):
    result = json.loads(_manage(sqlite_database, "shell", "-c", PURGE).strip().splitlines()[-1])
    assert result["purged"] == 1
    assert _action(sqlite_database, result["old"]) is None
    assert _action(sqlite_database, result["kept"]) == "plans.approved"
    _refused(sqlite_database, "DELETE FROM audit_auditentry WHERE id = ?", [result["kept"]])
    assert _action(sqlite_database, result["kept"]) == "plans.approved"

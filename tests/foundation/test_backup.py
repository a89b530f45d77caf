"""Backups that are tested: `backup` writes the database (pg_dump on PostgreSQL, as in CI;
SQLite's online backup otherwise) and the uploaded files; a restore into an empty database
finds the same rows in every table and the same files."""

import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from accounts import backup
from accounts.models import User

from ..factories.accounts import UserFactory
from ..factories.notifications import NotificationFactory


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the configured engine (a settings dict), dropped after."""
    db = dict(connection.settings_dict)
    if "postgresql" in db["ENGINE"]:
        import psycopg2

        name = f"cw_restore_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(
            dbname="postgres",
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield {**db, "NAME": name}
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
    else:
        yield {**db, "NAME": str(tmp_path / "restored.sqlite3")}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_the_same_data(
    tmp_path, settings, empty_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "photos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "photos" / "fiona.png").write_bytes(b"\x89PNG fiona")
    fiona = UserFactory(email="fiona.quinones@example.org", full_name="Fiona Quiñones")
    NotificationFactory(recipient=fiona, title="Due today: the brief")
    before = backup.table_counts()
    assert before["accounts_user"] >= 1 and before["notifications_notification"] == 1

    call_command("backup", "--to", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()

    restored_media = tmp_path / "restored-media"
    manifest = backup.restore(folder, db=empty_database, media_root=restored_media)

    assert manifest["tables"] == before
    assert backup.table_counts(db=empty_database) == before
    assert (restored_media / "photos" / "fiona.png").read_bytes() == b"\x89PNG fiona"
    assert _full_name(empty_database, "fiona.quinones@example.org") == "Fiona Quiñones"
    assert User.objects.filter(email="fiona.quinones@example.org").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    folder = backup.backup(tmp_path, media=False)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder), "--no-media")


def _full_name(db: dict, email: str) -> str:
    if "postgresql" in db["ENGINE"]:
        import psycopg2

        conn = psycopg2.connect(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
        )
        query = "SELECT full_name FROM accounts_user WHERE email = %s"
    else:
        import sqlite3

        conn = sqlite3.connect(Path(db["NAME"]))
        query = "SELECT full_name FROM accounts_user WHERE email = ?"
    try:
        cursor = conn.cursor()
        cursor.execute(query, [email])
        return cursor.fetchone()[0]
    finally:
        conn.close()

"""Backups: the database (pg_dump's custom format on PostgreSQL, SQLite's online backup
otherwise) and the uploaded files (MEDIA_ROOT as a .tar.gz), in one folder per backup with
a manifest; and the way back. `manage.py backup` and `manage.py restore` call these;
README.md, "Backups", says how to run them and how to check a backup.

A restore goes into an empty database (a new one, or the old one dropped and created again):
pg_restore recreates the tables, indexes, constraints and triggers exactly as dumped.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections

PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


def _is_postgres(db: dict) -> bool:
    return "postgresql" in db["ENGINE"]


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return [*args, "--dbname", str(db["NAME"])]


def table_counts(alias: str = "default", db: dict | None = None) -> dict[str, int]:
    """Rows per table: what a backup's manifest records and a restore is checked against."""
    if db is not None and _is_postgres(db):
        import psycopg2

        conn = psycopg2.connect(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
        )
        try:
            with conn.cursor() as cursor:
                cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
                names = [r[0] for r in cursor.fetchall()]
                counts = {}
                for name in names:
                    cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
                    counts[name] = cursor.fetchone()[0]
                return counts
        finally:
            conn.close()
    if db is not None:
        with sqlite3.connect(db["NAME"]) as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
    connection = connections[alias]
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def backup(target_dir: Path, *, alias: str = "default", media: bool = True) -> Path:
    """Writes a new folder under target_dir and returns it."""
    connection = connections[alias]
    if connection.in_atomic_block:
        # SQLite's online backup would wait for this connection's own transaction forever.
        raise RuntimeError("Back up outside a transaction.")
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(target_dir) / f"cohortwise-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    db = connection.settings_dict
    if _is_postgres(db):
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(folder / PG_DUMP)]
            + _pg_args(db),
            env=_pg_env(db),
            check=True,
            capture_output=True,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(folder / SQLITE_DUMP) as copy:
            connection.connection.backup(copy)
        copy.close()
    media_root = Path(settings.MEDIA_ROOT)
    if media and media_root.exists():
        with tarfile.open(folder / MEDIA, "w:gz") as archive:
            archive.add(media_root, arcname="media")
    manifest = {
        "created_at": stamp,
        "engine": db["ENGINE"],
        "database": PG_DUMP if _is_postgres(db) else SQLITE_DUMP,
        "media": MEDIA if (folder / MEDIA).exists() else None,
        "tables": table_counts(alias),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def restore(source: Path, *, db: dict, media_root: Path | None = None) -> dict:
    """Restores a backup folder into the (empty) database `db` (a settings dict) and, when
    media_root is given, the uploaded files into it. Returns the manifest."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text())
    if _is_postgres(db):
        if manifest["database"] != PG_DUMP:
            raise ValueError("This backup is of an SQLite database; restore it into SQLite.")
        subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
            + _pg_args(db)
            + [str(source / PG_DUMP)],
            env=_pg_env(db),
            check=True,
            capture_output=True,
        )
    else:
        if manifest["database"] != SQLITE_DUMP:
            raise ValueError("This backup is of a PostgreSQL database; restore it there.")
        target = Path(db["NAME"])
        if target.exists() and target.stat().st_size > 0:
            raise ValueError(f"{target} is not empty: restore into a new database file.")
        shutil.copyfile(source / SQLITE_DUMP, target)
    if media_root is not None and manifest.get("media"):
        media_root = Path(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA, "r:gz") as archive:
            for member in archive.getmembers():
                if not member.name.startswith("media/") or member.name == "media":
                    continue
                member.name = member.name.removeprefix("media/")
                archive.extract(member, media_root, filter="data")
    return manifest

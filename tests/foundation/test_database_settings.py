"""Persistent, health-checked database connections whenever a database server is named."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _database_settings(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS']]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    age, checks = json.loads(out.stdout.strip().splitlines()[-1])
    return {"age": age, "checks": checks}


def test_a_database_server_keeps_its_connections_and_checks_them():
    found = _database_settings(DATABASE_URL="postgres://u:p@db.example.org:5432/cw")
    assert found == {"age": 60, "checks": True}


def test_the_keep_alive_can_be_turned_off_for_a_pooler():
    found = _database_settings(
        DATABASE_URL="postgres://u:p@db.example.org:5432/cw", DATABASE_CONN_MAX_AGE="0"
    )
    assert found["age"] == 0


def test_the_local_sqlite_file_opens_a_connection_per_request():
    assert _database_settings() == {"age": 0, "checks": False}

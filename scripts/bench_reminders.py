#!/usr/bin/env python
"""Benchmark of the reminder sweep (not a test): seeds a scratch database with enough data
for 10,000 due reminders, then times the scan (and counts its queries), the fan-out to the
broker and the delivery of every batch.

    .venv/bin/python scripts/bench_reminders.py                      # scratch SQLite file
    .venv/bin/python scripts/bench_reminders.py --database-url postgres://postgres@127.0.0.1/cw_bench

The database named by --database-url is dropped and re-created if it is PostgreSQL: never
point it at a database you care about. Emails go to Django's in-memory backend and tasks to
Kombu's in-memory broker, so the figures are those of our code and the database.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare_database(url: str | None) -> str:
    if url is None:
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='cw-bench-')) / 'bench.sqlite3'}"
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        import psycopg2

        name = parts.path.lstrip("/")
        admin = psycopg2.connect(urlunsplit((parts.scheme, parts.netloc, "/postgres", "", "")))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
    return url


def _breakdown(queries) -> str:
    """Reads vs the batched INSERTs of bulk_create (their number depends on the database's
    limit on query parameters, not on a query per row)."""
    reads = sum(1 for q in queries if q["sql"].lstrip().upper().startswith("SELECT"))
    inserts = sum(1 for q in queries if q["sql"].lstrip().upper().startswith("INSERT"))
    other = len(queries) - reads - inserts
    return f"{reads} SELECT, {inserts} batched INSERT, {other} other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="scratch database (default: a temp SQLite file)")
    parser.add_argument("--fellows", type=int, default=10_000)
    parser.add_argument("--cohorts", type=int, default=20)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(args.database_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = False
    from config.celery_app import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program
    from curriculum.models import Session
    from notifications.delivery import deliver_batch
    from notifications.models import Notification, NotificationSettings
    from notifications.sweep import fan_out, write_due

    print(f"Database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Migrated in {time.perf_counter() - started:.1f} s")

    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    program = Program.objects.create(name="Benchmark Fellowship", slug="bench")
    per_cohort = args.fellows // args.cohorts
    zones = ["America/New_York", "Pacific/Honolulu", "America/Puerto_Rico", "Pacific/Guam"]
    for c in range(args.cohorts):
        cohort = Cohort.objects.create(
            program=program,
            name=f"Cohort {c}",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
            status="active",
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench{c}-{i}@example.org",
                    full_name=f"Fellow {c}-{i}",
                    time_zone=zones[i % len(zones)],
                    password="!",
                )
                for i in range(per_cohort)
            ]
        )
        # No quiet hours, so every reminder is sent whatever the hour of the run.
        NotificationSettings.objects.bulk_create(
            [
                NotificationSettings(
                    user=u, quiet_start=datetime.time(0), quiet_end=datetime.time(0)
                )
                for u in users
            ]
        )
        Enrollment.objects.bulk_create(
            [
                Enrollment(cohort=cohort, user=u, state="NY", status=EnrollmentStatus.ACTIVE)
                for u in users
            ]
        )
        Session.objects.create(
            cohort=cohort,
            title=f"Monthly session {c}",
            starts_at=now + datetime.timedelta(hours=23),
            ends_at=now + datetime.timedelta(hours=24, minutes=30),
            video_url="https://meet.example.org/bench",
        )
    print(
        f"Seeded {per_cohort * args.cohorts:,} fellows in {args.cohorts} cohorts, one online "
        f"session each starting in 23 hours, in {time.perf_counter() - started:.1f} s"
    )

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        written, stale = write_due(now)
        scan_seconds = time.perf_counter() - started
    due = Notification.objects.due(now).count()
    print(
        f"Scan + ledger insert: {scan_seconds:.2f} s, {len(ctx.captured_queries)} queries "
        f"({_breakdown(ctx.captured_queries)}), {written:,} new rows written, "
        f"{due:,} due reminders in the ledger"
    )

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        written_again, _ = write_due(now)
        rescan_seconds = time.perf_counter() - started
    print(
        f"Second scan (every row already there): {rescan_seconds:.2f} s, "
        f"{len(ctx.captured_queries)} queries ({_breakdown(ctx.captured_queries)}), "
        f"{written_again:,} new rows written, still {Notification.objects.count():,} rows"
    )

    started = time.perf_counter()
    batches = fan_out(now)
    fan_out_seconds = time.perf_counter() - started
    print(
        f"Fan-out: {sum(len(b) for b in batches):,} ids in {len(batches)} tasks "
        f"of {settings.NOTIFICATIONS_BATCH_SIZE} in {fan_out_seconds:.2f} s"
    )

    started = time.perf_counter()
    sent = 0
    for batch in batches:
        sent += len(deliver_batch(batch, now=now).sent)
    deliver_seconds = time.perf_counter() - started
    print(
        f"Delivery (render text+HTML+.ics, claim, send to the in-memory backend, mark): "
        f"{sent:,} emails in {deliver_seconds:.1f} s ({sent / deliver_seconds:,.0f}/s, "
        f"one process)"
    )


if __name__ == "__main__":
    main()

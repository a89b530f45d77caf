#!/usr/bin/env python
"""Benchmark of the staff dashboard (not a test): seeds `seed_demo --scale 10` into a
scratch SQLite database, then renders the cohort dashboard, the at-risk list, the funder
report, the program view and every CSV export of the largest cohort as its program staff,
printing each page's render time (median of several runs) and query count.

    .venv/bin/python scripts/bench_dashboard.py            # scale 10, 5 runs per page
    .venv/bin/python scripts/bench_dashboard.py --scale 3 --runs 3

The scratch database is a new temporary file; nothing else is touched.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="cw-bench-dashboard-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cohorts.models import Cohort, EnrollmentStatus, ProgramStaff
    from reports.exports import EXPORTS

    print(f"Database: {connection.vendor} ({scratch})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", scale=args.scale, stdout=io.StringIO())
    print(
        f"Migrated and seeded (seed_demo --scale {args.scale}) in "
        f"{time.perf_counter() - started:.1f} s"
    )

    cohort = (
        Cohort.objects.annotate(
            fellows=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE))
        )
        .select_related("program")
        .order_by("-fellows")
        .first()
    )
    staff = ProgramStaff.objects.filter(program=cohort.program).select_related("user").first()
    client = Client()
    client.force_login(staff.user)
    print(
        f"Cohort: {cohort} — {cohort.fellows} active fellows, "
        f"{cohort.program.cohorts.count()} cohorts in the program; viewer {staff.user.email}"
    )

    pages = [
        ("Cohort dashboard", reverse("reports:cohort_dashboard", args=[cohort.code])),
        ("At-risk list", reverse("reports:at_risk", args=[cohort.code])),
        ("Funder report", reverse("reports:cohort_report", args=[cohort.code])),
        ("Program view", reverse("reports:program_dashboard", args=[cohort.program.slug])),
    ] + [
        (f"Export: {e.title}", reverse("reports:export", args=[cohort.code, e.slug]))
        for e in EXPORTS.values()
    ]

    def fetch(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            return len(b"".join(response.streaming_content))
        return len(response.content)

    print(f"{'Page':<36} {'median ms':>10} {'queries':>8} {'bytes':>10}")
    for name, url in pages:
        fetch(url)  # warm-up: templates compiled, caches filled
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                size = fetch(url)
                times.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:<36} {statistics.median(times):>10.0f} "
            f"{len(ctx.captured_queries):>8} {size:>10,}"
        )


if __name__ == "__main__":
    main()

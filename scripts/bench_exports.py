#!/usr/bin/env python
"""Benchmark of the CSV exports (not a test): rows per second, queries and peak Python memory
of each export at 1x and 10x demo data on PostgreSQL.

    .venv/bin/python scripts/bench_exports.py --database-url postgres://postgres@127.0.0.1:5432/cw_bench_exports
    .venv/bin/python scripts/bench_exports.py --database-url ... --grow 5000

The data of each scale is the schema `bench_<N>x` of the database named, seeded with
`seed_demo --scale N` the first time (as scripts/bench_pages.py does; give it a scratch
database). `--grow K` adds K fellows to the largest cohort (each with a coach, a plan, a
coaching session, a self-assessment of every competency and a mark at every session) before
measuring, inside a transaction that is rolled back at the end, like everything the run
writes (the audit entries of the downloads): the database is left as it was.

Each export is downloaded through Django's test client as the person who would (the
cohort's director, its busiest coach, a site admin for the audit log) and its streamed body
read chunk by chunk, as a server would send it. Printed per export and scale: the rows of the
file, the queries of one download, the median wall time of `--runs` downloads split in two
(to the response's headers: session, sign-in, navigation and access checks, the same for any
page; then streaming the body, where the export's rows are read and written) with the rows
per second of the streaming, and the peak of Python's allocations during one download
(tracemalloc, in a download of its own, since tracing slows everything down). Flat memory
shows as a peak that does not grow with the rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cw_bench_exports"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--scales", default="1,10", help="comma-separated seed_demo scales")
    parser.add_argument("--runs", type=int, default=3, help="timed downloads per export")
    parser.add_argument("--grow", type=int, default=0, help="fellows added to the cohort")
    parser.add_argument("--reseed", action="store_true", help="seed the schemas again")
    parser.add_argument("--only", default="", help="only the exports whose name has this")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory
    import django

    django.setup()
    from bench_pages import use_schema
    from django.db import connection, transaction

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    figures = {}
    for scale in [int(s) for s in args.scales.split(",")]:
        use_schema(scale, reseed=args.reseed)
        with transaction.atomic():
            figures[scale] = measure(args.runs, args.grow, args.only)
            transaction.set_rollback(True)
    print_table(figures)


def personas():
    """The largest cohort, its director, its busiest coach and a site admin."""
    from django.db.models import Count, Q

    from accounts.models import User
    from coaching.models import CoachAssignment
    from cohorts.models import Cohort, EnrollmentStatus, ProgramStaff, StaffRole

    cohort = (
        Cohort.objects.annotate(
            fellows=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE))
        )
        .select_related("program")
        .order_by("-fellows")
        .first()
    )
    staff = ProgramStaff.objects.filter(program=cohort.program).order_by("pk")
    staff = (staff.filter(role=StaffRole.DIRECTOR).first() or staff.first()).user
    coach_row = (
        CoachAssignment.objects.active()
        .filter(enrollment__cohort=cohort)
        .values("coach")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    coach = User.objects.get(pk=coach_row["coach"])
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first() or staff
    return cohort, staff, coach, admin


def exports(cohort, staff, coach, admin):
    from django.urls import reverse

    c = cohort.code
    report = [
        ("roster", "Roster"),
        ("attendance", "Attendance"),
        ("coaching-hours", "Coaching hours (reports)"),
        ("plan-progress", "Plan progress"),
        ("self-assessments", "Self-assessments"),
    ]
    return [
        *((name, staff, reverse("reports:export", args=[c, kind])) for kind, name in report),
        ("Coaching hours (coaching), staff", staff, reverse("coaching:export_hours", args=[c])),
        ("Coaching hours (coaching), coach", coach, reverse("coaching:export_hours", args=[c])),
        ("Results (impact)", staff, reverse("outcomes:export_cohort", args=[c])),
        ("Audit log", admin, reverse("audit:export")),
    ]


def grow(cohort, coach, n: int) -> None:
    """n more active fellows in the cohort, written in bulk."""
    from django.utils import timezone

    from accounts.models import User
    from action_plans.models import ActionPlan
    from coaching.models import CoachAssignment, CoachingSession
    from cohorts.models import Enrollment, EnrollmentStatus
    from curriculum.models import (
        AssessmentWindow,
        Attendance,
        Competency,
        ProficiencyLevel,
        Rating,
        SelfAssessment,
        Session,
    )

    now = timezone.now()
    stamp = int(time.time())
    users = User.objects.bulk_create(
        User(email=f"bench{stamp}-{i}@example.org", full_name=f"Bench Fellow {i}") for i in range(n)
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            cohort=cohort, user=u, state="NY", agency="Bench", status=EnrollmentStatus.ACTIVE
        )
        for u in users
    )
    ActionPlan.objects.bulk_create(
        ActionPlan(enrollment=e, title=f"Plan of {e.user.full_name}") for e in enrollments
    )
    CoachAssignment.objects.bulk_create(
        CoachAssignment(coach=coach, enrollment=e, started_at=now) for e in enrollments
    )
    competencies = list(Competency.objects.filter(domain__framework=cohort.framework))
    sessions = CoachingSession.objects.bulk_create(
        CoachingSession(enrollment=e, coach=coach, starts_at=now) for e in enrollments
    )
    if competencies:
        CoachingSession.competencies.through.objects.bulk_create(
            CoachingSession.competencies.through(coachingsession=s, competency=competencies[0])
            for s in sessions
        )
    window = AssessmentWindow.objects.filter(cohort=cohort).order_by("pk").first()
    level = ProficiencyLevel.objects.filter(framework=cohort.framework).first()
    if window and level:
        assessments = SelfAssessment.objects.bulk_create(
            SelfAssessment(window=window, enrollment=e, submitted_at=now) for e in enrollments
        )
        Rating.objects.bulk_create(
            (
                Rating(assessment=a, competency=c, level=level)
                for a in assessments
                for c in competencies
            ),
            batch_size=5000,
        )
    marks = Session.objects.filter(cohort=cohort, cancelled_at__isnull=True)[:10]
    Attendance.objects.bulk_create(
        (Attendance(session=s, enrollment=e, status="present") for s in marks for e in enrollments),
        batch_size=5000,
    )


def measure(runs: int, extra: int, only: str = "") -> dict:
    from bench_pages import signed_in_client
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cohort, staff, coach, admin = personas()
    if extra:
        grow(cohort, coach, extra)
    print(f"Cohort: {cohort} ({cohort.fellows} active fellows before --grow {extra})")
    results = {}
    for name, user, url in exports(cohort, staff, coach, admin):
        if only.lower() not in name.lower():
            continue
        client = signed_in_client(user)

        def download(client=client, url=url) -> tuple[float, float]:
            """(seconds to the response's headers, seconds to stream its body)."""
            started = time.perf_counter()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            headers = time.perf_counter()
            for _chunk in response.streaming_content:
                pass
            return headers - started, time.perf_counter() - headers

        whole = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
        rows = sum(1 for _ in csv.reader(io.StringIO(whole))) - 1
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            download()
        queries = len(ctx.captured_queries)
        timings = [download() for _ in range(runs)]
        tracemalloc.start()
        download()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        start = statistics.median(t[0] for t in timings)
        body = statistics.median(t[1] for t in timings)
        results[name] = (rows, queries, start, body, peak)
    return results


def print_table(figures: dict) -> None:
    scales = sorted(figures)
    names = list(figures[scales[0]])
    head = "".join(
        f" | {s}x rows | {s}x queries | {s}x ms to headers | {s}x ms streaming"
        f" | {s}x rows/s | {s}x peak KiB"
        for s in scales
    )
    print()
    print(f"| export{head} |")
    print("|---" + "|---:" * (6 * len(scales)) + "|")
    for name in names:
        cells = ""
        for s in scales:
            rows, queries, start, body, peak = figures[s][name]
            rate = f"{rows / body:,.0f}" if body else "-"
            cells += (
                f" | {rows} | {queries} | {start * 1000:.0f} | {body * 1000:.0f}"
                f" | {rate} | {peak / 1024:,.0f}"
            )
        print(f"| {name}{cells} |")


if __name__ == "__main__":
    main()

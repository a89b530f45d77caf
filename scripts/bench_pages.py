#!/usr/bin/env python
"""Benchmark of the main pages (not a test): queries and worker CPU per page at 1x and 10x
demo data on PostgreSQL, against a one-query view measured in the same run, and a load mode
that sends a fixed arrival rate of requests to gunicorn.

    .venv/bin/python scripts/bench_pages.py --database-url postgres://postgres@127.0.0.1:5432/cw_bench
    .venv/bin/python scripts/bench_pages.py --database-url ... --load --rate 20 --seconds 15

Each scale's data goes into a schema of its own in the database named (`bench_1x`,
`bench_10x`), created, migrated and seeded with `seed_demo --scale N` the first time and kept
for the next run (`--reseed` starts them again): give it a scratch database of your own.

Per page and scale it prints the queries of one request (session, user and navigation
included) and the median CPU time of the process serving it (`time.process_time`, one request
at a time through Django's test client, after a warm-up, in rounds that ask every page once
so that the machine's busy moments fall on all pages alike), with the one-query view (`/health/`,
a `SELECT 1`) beside it and each page's CPU as a multiple of it. The load mode starts gunicorn
(2 sync workers) on the last scale's data and sends requests at a fixed arrival rate, whether
or not earlier ones have been answered (an open loop, as real visitors do), then prints the
throughput, the latency percentiles and the errors.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cw_bench"
# Pages fellows and coaches open all day; the load mode sends a mix of these.
EVERYDAY = ["Fellow home", "Plan page", "Roster", "Coach home"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--scales", default="1,10", help="comma-separated seed_demo scales")
    parser.add_argument("--runs", type=int, default=15, help="timed rounds per scale")
    parser.add_argument("--load", action="store_true", help="also run the load mode")
    parser.add_argument("--rate", type=float, default=20, help="load: requests per second")
    parser.add_argument("--seconds", type=float, default=15, help="load: how long each run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reseed", action="store_true", help="seed the schemas again")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory
    import django

    django.setup()
    from django.db import connection

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"CONN_MAX_AGE {connection.settings_dict['CONN_MAX_AGE']}")
    scales = [int(s) for s in args.scales.split(",")]
    figures = {}
    for scale in scales:
        use_schema(scale, reseed=args.reseed)
        figures[scale] = measure_pages(args.runs)
    print_table(figures)
    if args.load:
        load_mode(args)


def schema_options(scale: int) -> str:
    return f"-c search_path=bench_{scale}x"


def use_schema(scale: int, *, reseed: bool) -> None:
    """Points the connection at the scale's schema, seeding it when it is new."""
    from django.core.management import call_command
    from django.db import connection

    schema = f"bench_{scale}x"
    connection.close()
    connection.settings_dict["OPTIONS"]["options"] = schema_options(scale)
    with connection.cursor() as cursor:
        if reseed:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        seeded = cursor.fetchone() is not None
        if not seeded:
            cursor.execute(f"CREATE SCHEMA {schema}")
    if seeded:
        print(f"Data of seed_demo --scale {scale}: kept from an earlier run (schema {schema})")
        return
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", scale=scale, stdout=io.StringIO())
    # Table statistics, as autovacuum would gather them soon after a large write (a server
    # with autovacuum off never does): without them PostgreSQL plans the figures badly.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Seeded seed_demo --scale {scale} in {time.perf_counter() - started:.0f} s")


def personas():
    """The largest cohort, its director, its busiest coach and a fellow with a plan and a
    peer group; the pages each of them opens."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from action_plans.models import ActionPlan
    from coaching.models import CoachAssignment
    from cohorts.models import Cohort, EnrollmentStatus, ProgramStaff, StaffRole
    from networks.models import PeerGroupMembership

    cohort = (
        Cohort.objects.annotate(
            fellows=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE))
        )
        .select_related("program")
        .order_by("-fellows")
        .first()
    )
    staff = (
        ProgramStaff.objects.filter(program=cohort.program).order_by("pk").select_related("user")
    )
    # A director, like the person who opens the dashboards.
    staff = (staff.filter(role=StaffRole.DIRECTOR).first() or staff.first()).user
    coach_row = (
        CoachAssignment.objects.active()
        .filter(enrollment__cohort=cohort)
        .values("coach")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    membership = (
        PeerGroupMembership.objects.filter(
            enrollment__cohort=cohort,
            enrollment__status=EnrollmentStatus.ACTIVE,
            enrollment__action_plan__isnull=False,
        )
        .select_related("enrollment__user", "group")
        .first()
    )
    fellow = membership.enrollment.user
    plan = ActionPlan.objects.get(enrollment=membership.enrollment)
    from accounts.models import User

    coach = User.objects.get(pk=coach_row["coach"])
    c = cohort.code
    pages = [
        ("One-query view (/health/)", None, reverse("health")),
        ("Fellow home", fellow, reverse("cohorts:fellow_home")),
        ("Plan page", fellow, reverse("action_plans:plan_detail", args=[plan.code])),
        ("Schedule", fellow, reverse("curriculum:schedule", args=[c])),
        ("Group page", fellow, reverse("networks:group_detail", args=[membership.group.code])),
        ("Roster", staff, reverse("cohorts:roster", args=[c])),
        ("Coach home", coach, reverse("coaching:coach_home")),
        ("Cohort dashboard", staff, reverse("reports:cohort_dashboard", args=[c])),
        ("At-risk list", staff, reverse("reports:at_risk", args=[c])),
        ("Program view", staff, reverse("reports:program_dashboard", args=[cohort.program.slug])),
        ("Funder report", staff, reverse("reports:cohort_report", args=[c])),
    ]
    return cohort, pages


def signed_in_client(user):
    """A test client signed in as if the person had used their second factor."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from django.test import Client

    client = Client()
    if user is None:
        return client
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def measure_pages(runs: int) -> dict:
    """Queries of one request and median CPU per page. The pages are timed in rounds (each
    round asks every page once, the one-query view included) rather than one page after the
    other, so that a busy moment of the machine weighs on every page alike and not on
    whichever page it fell on; each timed request starts after a garbage collection, so that
    none pays for the garbage of the ones before it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cohort, pages = personas()
    print(f"Cohort: {cohort} ({cohort.fellows} active fellows)")
    fetchers = {}
    queries = {}
    for name, user, url in pages:
        client = signed_in_client(user)

        def fetch(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        fetch()  # warm-up: templates compiled, queries compiled, connection open
        # Each request empties the query log when it starts (django.db.reset_queries): start
        # the capture from an empty log so that the request's queries are all counted.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            fetch()
        queries[name] = len(ctx.captured_queries)  # read now: it is a view of the log
        fetchers[name] = fetch
    cpu: dict[str, list[float]] = {name: [] for name in fetchers}
    for _ in range(runs):
        for name, fetch in fetchers.items():
            gc.collect()
            started = time.process_time()
            fetch()
            cpu[name].append((time.process_time() - started) * 1000)
    return {name: (queries[name], statistics.median(cpu[name])) for name in fetchers}


def print_table(figures: dict) -> None:
    scales = sorted(figures)
    names = list(figures[scales[0]])
    base = names[0]
    head = "".join(f" | {s}x queries | {s}x CPU ms | {s}x vs one-query" for s in scales)
    print()
    print(f"| page{head} |")
    print("|---" + "|---:" * (3 * len(scales)) + "|")
    for name in names:
        cells = ""
        for s in scales:
            queries, cpu = figures[s][name]
            ratio = cpu / figures[s][base][1]
            cells += f" | {queries} | {cpu:.1f} | {ratio:.1f}x"
        print(f"| {name}{cells} |")


# --- Load mode ---------------------------------------------------------------------------


def session_cookie(user) -> str:
    client = signed_in_client(user)
    return client.cookies["sessionid"].value


def load_mode(args) -> None:
    from django.db import connections

    _cohort, pages = personas()
    urls = {name: (session_cookie(user) if user else "", url) for name, user, url in pages}
    connections.close_all()
    scale = int(args.scales.split(",")[-1])
    options = urllib.parse.quote(schema_options(scale))
    separator = "&" if "?" in args.database_url else "?"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"{args.database_url}{separator}options={options}",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(args.port)
        base = f"http://127.0.0.1:{args.port}"
        warm_up(base, [urls[name] for name in [*EVERYDAY, "Cohort dashboard"]])
        rate = f"{args.rate:g} requests/s for {args.seconds:g} s"
        print(
            f"\nLoad: gunicorn, 2 sync workers, {rate}, after {WARM_UP} untimed requests per page\n"
        )
        print("| mix | sent | answered/s | p50 ms | p95 ms | max ms | errors |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        mix = [urls[name] for name in EVERYDAY]
        run_load("fellow home, plan, roster, coach home", base, mix, args.rate, args.seconds)
        run_load("cohort dashboard", base, [urls["Cohort dashboard"]], args.rate, args.seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# Each worker builds its templates and compiles its kept queries (accounts/compiled.py) on
# its first requests; the timed runs measure workers past that, as in production.
WARM_UP = 6


def warm_up(base: str, targets: list) -> None:
    """Sends each page WARM_UP times, two at a time, so that both workers have served it."""

    def fetch(target) -> None:
        cookie, path = target
        request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(fetch, [target for target in targets for _ in range(WARM_UP)]))


def wait_until_up(port: int) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5)
            return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def run_load(label: str, base: str, targets: list, rate: float, seconds: float) -> None:
    """Open loop: request i is sent at start + i / rate, whatever happened to earlier ones."""
    total = int(rate * seconds)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        cookie, path = targets[i % len(targets)]
        request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                ok = response.status == 200
        except Exception as exc:  # a timeout or a 5xx is what is being counted
            ok, error = False, type(exc).__name__
        else:
            error = "" if ok else "status"
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            if ok:
                latencies.append(elapsed)
            else:
                errors.append(error)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=200) as pool:
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i)
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> str:
        if not latencies:
            return "-"
        return f"{latencies[min(len(latencies) - 1, int(p * len(latencies)))]:.0f}"

    kinds = ", ".join(sorted(set(errors))) if errors else ""
    print(
        f"| {label} | {total} | {len(latencies) / elapsed:.1f} | {pct(0.5)} | {pct(0.95)} | "
        f"{pct(1.0)} | {len(errors)}{' (' + kinds + ')' if kinds else ''} |"
    )


if __name__ == "__main__":
    main()

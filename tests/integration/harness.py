"""What the integration tests run in their own processes, against the shared database:

python -m tests.integration.harness migrate
python -m tests.integration.harness seed N          N users with one due reminder each
python -m tests.integration.harness sweep [--no-lock]
python -m tests.integration.harness sweep-loop INTERVAL SECONDS [--no-lock]
                                                    beat played every INTERVAL seconds
python -m tests.integration.harness beat            send the sweep task through the broker
python -m tests.integration.harness move-session (commit|rollback)
python -m tests.integration.harness event-setup     a session two days ahead, three fellows
python -m tests.integration.harness event-move PK   staff move it two hours later
python -m tests.integration.harness event-cancel PK staff cancel it
python -m tests.integration.harness states          JSON: ledger rows per state
python -m tests.integration.harness attempts        JSON: failed tries counted on the rows
"""

import datetime
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.integration.worker_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402


def seed(count: int) -> None:
    from accounts.models import User
    from action_plans.notices import MILESTONE_DUE
    from notifications.models import Notification, NotificationSettings

    now = timezone.now()
    users = User.objects.bulk_create(
        [User(email=f"it{i}@example.org", full_name=f"Fellow {i}") for i in range(count)]
    )
    # No quiet hours: the test must not depend on the hour it runs at.
    NotificationSettings.objects.bulk_create(
        [
            NotificationSettings(user=u, quiet_start=datetime.time(0), quiet_end=datetime.time(0))
            for u in users
        ]
    )
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=MILESTONE_DUE.key,
                subject_type="action_plans.milestone",
                subject_id=i + 1,
                occurrence="due:it",
                due_at=now - datetime.timedelta(minutes=1),
                title=f"Due today: milestone {i}",
                payload={"milestone": f"Milestone {i}", "due_date": now.date().isoformat()},
            )
            for i, user in enumerate(users)
        ]
    )


def _without_lock() -> None:
    """A broken lock (or two beats that do not share a cache): the ledger alone must hold."""
    from contextlib import contextmanager

    from notifications import sweep as sweep_module

    @contextmanager
    def no_lock_at_all(timeout=None):
        yield True

    sweep_module.sweep_lock = no_lock_at_all


def sweep(no_lock: bool) -> None:
    from notifications import sweep as sweep_module

    if no_lock:
        _without_lock()
    report = sweep_module.run_sweep(scans=[])
    print(json.dumps({"queued": report.queued_count, "locked_out": report.locked_out}))


def sweep_loop(interval: float, seconds: float, no_lock: bool = False) -> None:
    """Beat, played faster: a sweep every `interval` seconds, one JSON line per sweep."""
    import time

    from notifications import sweep as sweep_module

    if no_lock:
        _without_lock()

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        report = sweep_module.run_sweep(scans=[])
        line = {
            "at": time.time(),
            "queued": report.queued_count,
            "recovered": report.recovered,
            "locked_out": report.locked_out,
        }
        print(json.dumps(line), flush=True)
        time.sleep(interval)


def beat() -> None:
    from notifications.tasks import sweep as sweep_task

    sweep_task.apply_async()


def move_session(outcome: str) -> None:
    """Moves a session of a cohort with three fellows; the change is committed or not."""
    import uuid

    from notifications import hooks
    from notifications.models import NotificationSettings
    from tests.factories.accounts import UserFactory
    from tests.factories.cohorts import CohortFactory, EnrollmentFactory, ProgramFactory
    from tests.factories.curriculum import SessionFactory

    run = uuid.uuid4().hex[:8]  # each call makes its own program and people
    cohort = CohortFactory(program=ProgramFactory(slug=f"it-{run}", name=f"Program {run}"))
    session = SessionFactory(cohort=cohort, starts_at=timezone.now() + datetime.timedelta(days=2))
    for i in range(3):
        user = UserFactory(email=f"fellow{i}-{run}@example.org")
        enrollment = EnrollmentFactory(cohort=cohort, user=user)
        NotificationSettings.objects.create(
            user=enrollment.user, quiet_start=datetime.time(0), quiet_end=datetime.time(0)
        )

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            session.starts_at += datetime.timedelta(hours=2)
            session.ends_at += datetime.timedelta(hours=2)
            session.sequence += 1
            session.save()
            hooks.calendar_event_changed(session)
            if outcome == "rollback":
                raise Rollback
    except Rollback:
        print("rolled back")


def event_setup() -> None:
    """A session two days ahead in a cohort of three fellows (no quiet hours); prints its pk."""
    import uuid

    from notifications.models import NotificationSettings
    from tests.factories.accounts import UserFactory
    from tests.factories.cohorts import CohortFactory, EnrollmentFactory, ProgramFactory
    from tests.factories.curriculum import SessionFactory

    run = uuid.uuid4().hex[:8]
    cohort = CohortFactory(program=ProgramFactory(slug=f"it-{run}", name=f"Program {run}"))
    session = SessionFactory(cohort=cohort, starts_at=timezone.now() + datetime.timedelta(days=2))
    for i in range(3):
        user = UserFactory(email=f"fellow{i}-{run}@example.org")
        EnrollmentFactory(cohort=cohort, user=user)
        NotificationSettings.objects.create(
            user=user, quiet_start=datetime.time(0), quiet_end=datetime.time(0)
        )
    print(json.dumps({"session": session.pk}))


def event_move(pk: int) -> None:
    """Staff move the session two hours later, through the service the schedule page uses."""
    from curriculum.models import Session
    from curriculum.services.schedule import session_update

    session = Session.objects.get(pk=pk)
    later = datetime.timedelta(hours=2)
    session_update(
        session=session, starts_at=session.starts_at + later, ends_at=session.ends_at + later
    )


def event_cancel(pk: int) -> None:
    from curriculum.models import Session
    from curriculum.services.schedule import session_cancel

    session_cancel(session=Session.objects.get(pk=pk))


def states() -> None:
    from notifications.models import Notification

    rows = Notification.objects.values("state").annotate(n=Count("pk"))
    print(json.dumps({r["state"]: r["n"] for r in rows}))


def attempts() -> None:
    """JSON: failed tries counted on the ledger rows (each is one contact with the server)."""
    from django.db.models import Sum

    from notifications.models import Notification

    total = Notification.objects.aggregate(n=Sum("attempts"))["n"] or 0
    print(json.dumps({"attempts": total}))


def main(argv):
    command, *rest = argv
    if command == "migrate":
        call_command("migrate", verbosity=0, interactive=False)
    elif command == "seed":
        seed(int(rest[0]))
    elif command == "sweep":
        sweep("--no-lock" in rest)
    elif command == "sweep-loop":
        sweep_loop(float(rest[0]), float(rest[1]), "--no-lock" in rest)
    elif command == "beat":
        beat()
    elif command == "move-session":
        move_session(rest[0])
    elif command == "event-setup":
        event_setup()
    elif command == "event-move":
        event_move(int(rest[0]))
    elif command == "event-cancel":
        event_cancel(int(rest[0]))
    elif command == "states":
        states()
    elif command == "attempts":
        attempts()
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])

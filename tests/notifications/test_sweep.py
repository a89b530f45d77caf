"""The beat sweep: set-based scans, bulk ledger writes, batches of ids, the lock, catch-up."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction

from notifications import sweep
from notifications.models import Notification, State
from notifications.tasks import send_batch

from ..factories.accounts import UserFactory
from ..factories.cohorts import EnrollmentFactory
from ..factories.notifications import PendingNotificationFactory
from ..queries import count_queries
from .conftest import at

NOW = "2026-11-09 15:00:00+00:00"


@pytest.fixture
def captured_batches(monkeypatch):
    """What the sweep hands to Celery (without running it)."""
    sent = []
    monkeypatch.setattr(send_batch, "apply_async", lambda args, kwargs: sent.append(args[0]))
    return sent


# The sweep runs outside any transaction (beat task), so these tests run in autocommit mode
# like production: enqueue_on_commit hands the batch over at once.
autocommit = pytest.mark.django_db(transaction=True)


@autocommit
@time_machine.travel(NOW, tick=False)
def test_due_rows_go_out_in_batches_of_ids(settings, captured_batches, outbox):
    settings.NOTIFICATIONS_BATCH_SIZE = 10
    rows = [PendingNotificationFactory() for _ in range(25)]
    PendingNotificationFactory(due_at=at("2026-11-09T16:00:00+00:00"))  # not due yet

    report = sweep.run_sweep(scans=[])

    assert [len(b) for b in captured_batches] == [10, 10, 5]
    assert sorted(pk for b in captured_batches for pk in b) == sorted(r.pk for r in rows)
    assert report.queued_count == 25
    assert Notification.objects.filter(queued_at__isnull=False).count() == 25


@autocommit
@time_machine.travel(NOW, tick=False)
def test_queued_rows_are_queued_again_only_after_the_requeue_window(captured_batches):
    note = PendingNotificationFactory()
    sweep.run_sweep(scans=[])
    sweep.run_sweep(scans=[])
    assert captured_batches == [[note.pk]]
    # The worker that had it was killed: ten minutes later the catch-up queues it again.
    with time_machine.travel("2026-11-09 15:11:00+00:00", tick=False):
        sweep.run_sweep(scans=[])
    assert captured_batches == [[note.pk], [note.pk]]


@autocommit
@time_machine.travel(NOW, tick=False)
def test_a_second_beat_stands_down_while_the_first_holds_the_lock(captured_batches):
    PendingNotificationFactory()
    with sweep.sweep_lock() as held:
        assert held
        report = sweep.run_sweep(scans=[])
    assert report.locked_out and captured_batches == []
    assert cache.get(sweep.LOCK_KEY) is None  # released
    assert sweep.run_sweep(scans=[]).queued_count == 1


@time_machine.travel(NOW, tick=False)
def test_scanning_twice_writes_each_row_once(db):
    def scan(now):
        user = UserFactory(email="once@example.org")
        return [
            Notification(
                recipient=user,
                kind="milestone_due",
                subject_type="x.y",
                subject_id=1,
                occurrence="due",
                due_at=now,
                title="t",
            )
        ]

    sweep.write_due(datetime.datetime.now(datetime.UTC), scans=[scan, scan])
    assert Notification.objects.count() == 1


@autocommit
@time_machine.travel(NOW, tick=False)
def test_broker_down_leaves_rows_for_the_next_sweep(monkeypatch):
    PendingNotificationFactory()

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(send_batch, "apply_async", down)
    with pytest.raises(ConnectionError):
        sweep.run_sweep(scans=[])
    assert Notification.objects.get().queued_at is None  # not marked as queued
    assert cache.get(sweep.LOCK_KEY) is None


@time_machine.travel(NOW, tick=False)
def test_sweep_tasks_send_on_commit(cast, outbox, django_capture_on_commit_callbacks):
    PendingNotificationFactory(recipient=cast.fellow)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sweep.run_sweep(scans=[])
    assert len(callbacks) == 1 and len(outbox) == 1
    assert Notification.objects.get().state == State.SENT


@time_machine.travel(NOW, tick=False)
def test_nothing_is_queued_when_the_transaction_rolls_back(cast, captured_batches):
    from notifications.enqueue import enqueue_on_commit

    with pytest.raises(RuntimeError), transaction.atomic():
        note = PendingNotificationFactory(recipient=cast.fellow)
        enqueue_on_commit(send_batch, [note.pk])
        raise RuntimeError("the creating transaction fails")
    assert captured_batches == [] and not Notification.objects.exists()


@time_machine.travel("2026-11-12 15:00:00+00:00", tick=False)
def test_the_scan_costs_the_same_queries_for_many_fellows(cast, make_plan):
    from action_plans import reminders

    def grow(n):
        for _ in range(n):
            enrollment = EnrollmentFactory(cohort=cast.cohort)
            make_plan(enrollment, milestones=[("Brief", datetime.date(2026, 11, 12))])

    grow(1)
    now = datetime.datetime.now(datetime.UTC)
    before, _, rows = count_queries(lambda: reminders.scan(now))
    grow(4)
    after, sql, more = count_queries(lambda: reminders.scan(now))
    assert len(rows) == 1 and len(more) == 5
    assert before == after, sql


@time_machine.travel(NOW, tick=False)
def test_a_repeated_scan_inserts_nothing_and_only_new_rows_later(cast):
    """Rows already in the ledger are filtered out before the INSERT (the anti-join of
    ledger.record), so a sweep that finds nothing new writes nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    recipients = [cast.fellow, cast.peer]

    def scan(now):
        return [
            Notification(
                recipient=user,
                kind="milestone_due",
                subject_type="action_plans.milestone",
                subject_id=7,
                occurrence="due:2026-11-09",
                due_at=now,
                title="Due today",
            )
            for user in recipients
        ]

    now = datetime.datetime.now(datetime.UTC)
    assert sweep.write_due(now, scans=[scan]) == (2, 0)
    with CaptureQueriesContext(connection) as ctx:
        assert sweep.write_due(now, scans=[scan]) == (0, 0)
    assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    recipients.append(cast.classmate)  # a new fellow joins: only their row is written
    assert sweep.write_due(now, scans=[scan]) == (1, 0)
    assert Notification.objects.count() == 3


@time_machine.travel(NOW, tick=False)
def test_the_ledger_filter_reads_a_fixed_number_of_queries(cast):
    from notifications.ledger import record

    def rows(n):
        users = [UserFactory() for _ in range(n)]
        return [
            Notification(
                recipient=user,
                kind="session_24h",
                subject_type="curriculum.session",
                subject_id=9,
                occurrence="2026-11-10T15:00Z",
                due_at=datetime.datetime.now(datetime.UTC),
                title="Tomorrow",
            )
            for user in users
        ]

    few, many = rows(2), rows(10)
    record(few)
    record(many)
    first, _, _ = count_queries(lambda: record(few))
    second, sql, _ = count_queries(lambda: record(many))
    assert first == second == 1, sql

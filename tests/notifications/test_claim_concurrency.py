"""A worker claiming a row while another transaction is writing it, on two database
connections. The sweep marks a batch's rows as queued just as a worker may get the batch:
such a row must be sent, not passed over as if another worker had claimed it (it would then
wait for the requeue window, minutes late). A row another worker really claimed is passed
over, never sent twice. PostgreSQL only (SQLite serialises all writers); CI runs PostgreSQL."""

import threading

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.utils import timezone

from notifications.delivery import deliver_batch
from notifications.models import Notification, State

from ..factories.notifications import PendingNotificationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
    ),
]

NOW = "2026-11-09 15:00:00+00:00"


def _written_elsewhere(pk: int, changes: dict, *, for_seconds: float) -> threading.Thread:
    """Another connection updates the row and keeps its transaction (and the row's lock)
    open for a moment before it commits. Returns once the row is locked."""
    locked = threading.Event()

    def write():
        try:
            with transaction.atomic():
                Notification.objects.filter(pk=pk).update(**changes)
                locked.set()
                threading.Event().wait(for_seconds)
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    assert locked.wait(5), "the other connection did not lock the row"
    return thread


@time_machine.travel(NOW, tick=False)
def test_a_row_the_sweep_is_marking_as_queued_is_sent(mailoutbox):
    note = PendingNotificationFactory()
    sweep_marking = _written_elsewhere(note.pk, {"queued_at": timezone.now()}, for_seconds=0.3)

    outcome = deliver_batch([note.pk])
    sweep_marking.join()

    assert outcome.sent == [note.pk] and outcome.taken == []
    assert len(mailoutbox) == 1
    assert Notification.objects.get(pk=note.pk).state == State.SENT


@time_machine.travel(NOW, tick=False)
def test_a_row_another_worker_claimed_meanwhile_is_not_sent_twice(mailoutbox):
    note = PendingNotificationFactory()
    other_worker = _written_elsewhere(
        note.pk, {"state": State.SENDING, "sending_since": timezone.now()}, for_seconds=0.3
    )

    outcome = deliver_batch([note.pk])
    other_worker.join()

    assert outcome.taken == [note.pk] and outcome.sent == []
    assert mailoutbox == []
    assert Notification.objects.get(pk=note.pk).state == State.SENDING

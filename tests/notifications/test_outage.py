"""The delivery pipeline when the mail server fails: a `sending` state committed before the
server is contacted, a stable Message-ID, one connection per batch, a send timeout, permanent
and temporary rejections told apart, one probe while the server is down, the catch-up of lost
batches, what /health/ and the admin show, and staff sending failed rows again."""

import datetime
import smtplib

import pytest
import time_machine
from django.db import OperationalError, connection
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from notifications import delivery, mailer, sweep
from notifications.emails import build_email
from notifications.models import Notification, State

from ..factories.notifications import NotificationFactory, PendingNotificationFactory
from .smtp_double import SCRIPT

T0 = datetime.datetime(2026, 11, 9, 15, 0, tzinfo=datetime.UTC)


def later(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "tests.notifications.smtp_double.ScriptedBackend"
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 600
    SCRIPT.reset()
    yield SCRIPT
    SCRIPT.reset()


def _rows(cast, n=3, **extra):
    people = [cast.fellow, cast.peer, cast.coach, cast.staff][:n]
    return [
        PendingNotificationFactory(recipient=p, due_at=later(-60 * (i + 1)), **extra)
        for i, p in enumerate(people)
    ]


def _fresh(rows):
    return [Notification.objects.get(pk=r.pk) for r in rows]


@time_machine.travel(T0, tick=False)
def test_the_sending_state_is_committed_before_the_mail_server_is_contacted(cast, smtp):
    note = PendingNotificationFactory(recipient=cast.fellow)
    # The test runs inside its own transaction; delivery may open none around the send.
    outside = len(connection.atomic_blocks)
    seen = []
    smtp.during_send.append(
        lambda message: seen.append(
            (Notification.objects.get(pk=note.pk).state, len(connection.atomic_blocks))
        )
    )
    assert delivery.deliver_batch([note.pk], now=T0).sent == [note.pk]
    assert seen == [(State.SENDING, outside)]
    note.refresh_from_db()
    assert (note.state, note.sent_at, note.sending_since) == (State.SENT, T0, None)


@time_machine.travel(T0, tick=False)
def test_marking_sent_is_tried_again_on_a_fresh_database_connection(cast, smtp, monkeypatch):
    note = PendingNotificationFactory(recipient=cast.fellow)
    original = QuerySet.update
    failures, reconnects = [1], []

    def flaky(self, **changes):
        if changes.get("state") == State.SENT and failures:
            failures.pop()
            raise OperationalError("server closed the connection unexpectedly")
        return original(self, **changes)

    monkeypatch.setattr(QuerySet, "update", flaky)
    monkeypatch.setattr(delivery, "_reconnect", lambda: reconnects.append(1))
    monkeypatch.setattr(delivery.time, "sleep", lambda s: None)

    assert delivery.deliver_batch([note.pk], now=T0).sent == [note.pk]
    note.refresh_from_db()
    assert note.state == State.SENT and reconnects == [1] and len(smtp.delivered) == 1


def test_every_send_of_a_row_has_the_same_message_id_derived_from_the_row(cast):
    note = PendingNotificationFactory(recipient=cast.fellow)
    other = PendingNotificationFactory(recipient=cast.peer)
    first = build_email(note, now=T0).message()["Message-ID"]
    again = build_email(note, now=later(600)).message()["Message-ID"]
    assert first == again == f"<notification.{note.code}@cohortwise.local>"
    assert build_email(other, now=T0).message()["Message-ID"] != first


def test_the_smtp_connection_has_a_send_timeout():
    from django.conf import settings
    from django.core.mail import get_connection

    assert 20 <= settings.EMAIL_TIMEOUT <= 30
    backend = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert backend.timeout == settings.EMAIL_TIMEOUT


@time_machine.travel(T0, tick=False)
def test_a_timeout_is_a_temporary_failure_tried_again_later(cast, smtp):
    note = PendingNotificationFactory(recipient=cast.fellow)
    smtp.replies = [TimeoutError("timed out")]
    outcome = delivery.deliver_batch([note.pk], now=T0)
    note.refresh_from_db()
    assert outcome.failed == [note.pk] and outcome.gave_up == []
    assert (note.state, note.attempts, note.due_at) == (State.PENDING, 1, later(60))
    assert note.last_error.startswith("TimeoutError")


@time_machine.travel(T0, tick=False)
def test_a_permanent_rejection_fails_at_once_with_the_servers_reply(cast, smtp, client_for):
    fine, bad = _rows(cast, 2)  # the bad address comes first (due earlier)
    smtp.replies = [
        smtplib.SMTPRecipientsRefused({bad.recipient.email: (550, b"5.1.1 No such user here")})
    ]
    outcome = delivery.deliver_batch([bad.pk, fine.pk], now=T0)
    bad.refresh_from_db()
    assert outcome.gave_up == [bad.pk] and outcome.sent == [fine.pk]
    assert (bad.state, bad.attempts) == (State.FAILED, 1)
    assert bad.last_error == "Rejected: 550 5.1.1 No such user here"
    # Staff see the reason in the ledger.
    page = client_for("admin").get(
        reverse("admin:notifications_notification_changelist"), {"state__exact": "failed"}
    )
    assert "550 5.1.1 No such user here" in page.content.decode()


@time_machine.travel(T0, tick=False)
def test_a_temporary_rejection_is_retried_with_backoff_until_the_session_starts(cast, smtp):
    starts = later(2200)
    note = PendingNotificationFactory(recipient=cast.fellow, expires_at=starts)
    now, waits = T0, []
    while True:
        refused = {cast.fellow.email: (451, b"4.3.0 Try later")}
        smtp.replies = [smtplib.SMTPRecipientsRefused(refused)]
        outcome = delivery.deliver_batch([note.pk], now=now)
        note.refresh_from_db()
        if outcome.gave_up:
            break
        assert note.state == State.PENDING and note.last_error == "451 4.3.0 Try later"
        waits.append((note.due_at - now).total_seconds())
        now = note.due_at
    assert waits == [60, 120, 240, 480, 600, 600]  # doubling, capped
    # The next try would come after the session started: failed, with the reason.
    assert note.state == State.FAILED and note.attempts == 7
    assert note.last_error == "Stale after 7 tries: 451 4.3.0 Try later"


@time_machine.travel(T0, tick=False)
def test_a_row_still_failing_when_its_session_starts_is_failed_not_silently_skipped(cast):
    failing = PendingNotificationFactory(
        recipient=cast.fellow, expires_at=T0, attempts=3, last_error="ConnectionRefusedError"
    )
    never_tried = PendingNotificationFactory(recipient=cast.peer, expires_at=T0)
    sweep.write_due(T0, scans=[])
    failing.refresh_from_db()
    never_tried.refresh_from_db()
    assert failing.state == State.FAILED
    assert failing.last_error == "Stale while retrying: ConnectionRefusedError"
    assert (never_tried.state, never_tried.skip_reason) == (State.SKIPPED, "stale")


@time_machine.travel(T0, tick=False)
def test_one_connection_per_batch(cast, smtp):
    rows = _rows(cast, 4)
    outcome = delivery.deliver_batch([r.pk for r in rows], now=T0)
    assert len(outcome.sent) == 4 and len(smtp.delivered) == 4
    assert smtp.opened == 1 and outcome.connections == 1


@time_machine.travel(T0, tick=False)
def test_mail_server_down_one_probe_then_the_batch_waits_and_resumes_by_itself(cast, smtp):
    rows = _rows(cast, 3)
    ids = [r.pk for r in rows]
    smtp.refuse_connections = True

    first = delivery.deliver_batch(ids, now=T0)
    assert smtp.connect_attempts == 1  # one probe, not one per row
    assert first.failed == [rows[2].pk] and first.waiting == [rows[1].pk, rows[0].pk]
    assert [r.attempts for r in _fresh(rows)] == [0, 0, 1]
    assert [r.queued_at for r in _fresh(rows)] == [None, None, None]
    assert mailer.outage()["failures"] == 1

    # Within the wait: nobody contacts the server.
    assert delivery.deliver_batch(ids, now=later(30)).waiting == [rows[1].pk, rows[0].pk]
    assert smtp.connect_attempts == 1

    # The wait is over: one probe (still down), then a longer wait.
    with time_machine.travel(later(61), tick=False):
        again = delivery.deliver_batch(ids, now=later(61))
    assert smtp.connect_attempts == 2 and len(again.failed) == 1 and len(again.waiting) == 2
    assert mailer.outage()["failures"] == 2

    # Back: the first batch after the wait sends everything on one connection.
    smtp.refuse_connections = False
    with time_machine.travel(later(400), tick=False):
        back = delivery.deliver_batch(ids, now=later(400))
    assert sorted(back.sent) == sorted(ids) and smtp.opened == 1
    assert mailer.outage() is None
    assert {r.state for r in _fresh(rows)} == {State.SENT}


@time_machine.travel(T0, tick=False)
def test_health_and_the_admin_show_how_many_wait_and_why(cast, smtp, client, client_for):
    rows = _rows(cast, 3)
    smtp.refuse_connections = True
    delivery.deliver_batch([r.pk for r in rows], now=T0)

    health = client.get("/health/").json()["notifications"]
    assert health["waiting"] == 3 and health["retrying"] == 1
    assert health["mail_server"] == "down"
    assert health["mail_server_error"] == "ConnectionRefusedError"
    assert cast.fellow.email not in str(health)

    page = client_for("admin").get(reverse("admin:notifications_notification_changelist"))
    body = page.content.decode()
    assert "The mail server is failing since" in body
    assert "3 waiting to be sent, 1 of them after a failed try" in body
    assert "1 × ConnectionRefusedError" in body


def test_health_with_nothing_waiting(db, client):
    health = client.get("/health/").json()["notifications"]
    assert (health["waiting"], health["mail_server"]) == (0, "ok")


def test_a_lost_batch_is_queued_again_within_two_sweeps(settings, db):
    from django.conf import settings as live

    sweep_every = 120  # CELERY_BEAT_SCHEDULE's notifications-sweep
    assert sweep_every < live.NOTIFICATIONS_REQUEUE_AFTER_SECONDS < 2 * sweep_every
    lost = PendingNotificationFactory(due_at=later(-600), queued_at=later(-240))
    recent = PendingNotificationFactory(due_at=later(-600), queued_at=later(-120))
    batches = sweep.fan_out(T0)
    assert batches == [[lost.pk]]
    recent.refresh_from_db()
    assert recent.queued_at == later(-120)


def test_a_row_a_live_worker_is_sending_is_never_queued_again(db):
    sending = NotificationFactory(
        state=State.SENDING, sent_at=None, due_at=later(-900), sending_since=later(-150)
    )
    assert sweep.recover_interrupted(T0) == 0
    assert sweep.fan_out(T0) == []
    sending.refresh_from_db()
    assert sending.state == State.SENDING
    # Once its worker must be dead (longer than a task may run), it goes again.
    assert sweep.recover_interrupted(later(60)) == 1
    assert sweep.fan_out(later(60)) == [[sending.pk]]
    sending.refresh_from_db()
    assert sending.state == State.PENDING
    assert sending.last_error == "Interrupted while sending (may have been delivered)"


def test_a_sweep_during_a_long_batch_leaves_the_rows_being_sent_alone(cast, smtp, settings):
    """Each send takes most of the stale window; a sweep runs during the last one. The row
    being sent was claimed moments ago, so the sweep must not send it a second time."""
    settings.NOTIFICATIONS_SENDING_STALE_SECONDS = 300
    rows = _rows(cast, 4)
    recovered = []
    with time_machine.travel(T0, tick=False) as clock:

        def slow_send(message):
            clock.shift(datetime.timedelta(seconds=200))
            recovered.append(sweep.recover_interrupted(timezone.now()))

        smtp.during_send.append(slow_send)
        outcome = delivery.deliver_batch([r.pk for r in rows], now=T0)
    assert recovered == [0, 0, 0, 0]
    assert sorted(outcome.sent) == sorted(r.pk for r in rows)
    assert len(smtp.delivered) == 4
    assert {n.state for n in _fresh(rows)} == {State.SENT}


@time_machine.travel(T0, tick=False)
def test_a_row_claimed_by_a_worker_cannot_be_claimed_by_another(cast, smtp):
    note = PendingNotificationFactory(recipient=cast.fellow)
    Notification.objects.filter(pk=note.pk).update(state=State.SENDING, sending_since=T0)
    assert delivery.deliver_batch([note.pk], now=T0).sent == []
    assert smtp.delivered == []


# --- Staff send failed notifications again ------------------------------------------------


def _failed(cast, **extra):
    return NotificationFactory(
        recipient=cast.fellow,
        state=State.FAILED,
        sent_at=None,
        attempts=1,
        last_error="Rejected: 550 5.1.1 No such user here",
        **extra,
    )


@time_machine.travel(T0, tick=False)
def test_the_admin_sends_failed_notifications_again(cast, client_for, outbox):
    failed = _failed(cast)
    sent = NotificationFactory(recipient=cast.peer)
    response = client_for("admin").post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert "1 failed notification will be sent again" in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.state, failed.attempts, failed.due_at) == (State.PENDING, 0, T0)
    assert sent.state == State.SENT
    assert AuditEntry.objects.filter(action="notifications.resent").count() == 1
    assert delivery.deliver_batch([failed.pk], now=T0).sent == [failed.pk]


@pytest.mark.parametrize("role", ["staff", "coach", "fellow"])
def test_only_the_site_admin_sends_again(cast, client_for, role):
    failed = _failed(cast)
    response = client_for(role).post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    failed.refresh_from_db()
    assert failed.state == State.FAILED


def test_one_probe_at_a_time_and_an_unused_probe_is_given_back(db):
    mailer.outage_recorded("ConnectionRefusedError", T0)
    assert mailer.must_wait(later(30))  # inside the wait
    assert not mailer.must_wait(later(61))  # this worker probes
    assert mailer.must_wait(later(61))  # the others keep waiting
    mailer.probe_not_used()  # its row was taken by another worker
    assert not mailer.must_wait(later(62))
    mailer.outage_over()
    assert not mailer.must_wait(later(62)) and mailer.outage() is None

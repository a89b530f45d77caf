"""Failed sends: counted on the row and tried again later (the outage rules are in
test_outage.py); failed rows are found in the admin's ledger."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from coaching import reminders as coaching_reminders
from coaching.models import PrivateNote, SessionStatus
from notifications import delivery, sweep
from notifications.models import Notification, State
from notifications.tasks import send_batch

from ..factories.coaching import CoachingSessionFactory
from ..factories.notifications import NotificationFactory, PendingNotificationFactory
from ..queries import assert_stable_queries

NOW = "2026-11-09 15:00:00+00:00"


@pytest.fixture
def mail_down(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down: 550 <fiona@example.org> rejected")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)


@time_machine.travel(NOW, tick=False)
def test_a_failed_send_is_counted_and_tried_again_later_not_marked_failed(cast, mail_down):
    note = PendingNotificationFactory(recipient=cast.fellow)
    outcome = delivery.deliver_batch([note.pk])
    note.refresh_from_db()
    assert outcome.failed == [note.pk] and outcome.gave_up == []
    assert (note.state, note.attempts, note.sent_at) == (State.PENDING, 1, None)
    # Only the exception's class is kept, never its message (it may quote the email).
    assert note.last_error == "ConnectionRefusedError"
    # Not due again before its backoff is over.
    assert note.due_at == datetime.datetime.fromisoformat(NOW) + datetime.timedelta(seconds=60)
    assert delivery.deliver_batch([note.pk]).failed == []


@time_machine.travel(NOW, tick=False)
def test_a_success_after_failures_is_sent(cast, monkeypatch, outbox):
    note = PendingNotificationFactory(recipient=cast.fellow)
    with monkeypatch.context() as patch:
        patch.setattr(
            "django.core.mail.EmailMultiAlternatives.send",
            lambda *a, **k: (_ for _ in ()).throw(TimeoutError()),
        )
        delivery.deliver_batch([note.pk])
    later = datetime.datetime.fromisoformat(NOW) + datetime.timedelta(minutes=5)
    assert delivery.deliver_batch([note.pk], now=later).sent == [note.pk]
    note.refresh_from_db()
    assert (note.state, note.attempts, len(outbox)) == (State.SENT, 1, 1)
    assert note.failing_since is None and note.sending_since is None


@time_machine.travel(NOW, tick=False)
def test_the_task_reports_every_id_and_leaves_retries_to_the_sweep(cast, mail_down):
    failing = PendingNotificationFactory(recipient=cast.fellow)
    already_sent = NotificationFactory(recipient=cast.fellow)
    result = send_batch.run([failing.pk, already_sent.pk])
    # What the worker's log shows for the batch: one line accounts for each of its ids.
    assert result == {
        "sent": 0,
        "skipped": 0,
        "failed": 0,
        "retrying": 1,
        "waiting": 0,
        "postponed": 0,
        "held": 0,
        "in_app": 0,
        "taken": 0,
        "not_pending": 1,
    }
    failing.refresh_from_db()
    assert (failing.state, failing.queued_at) == (State.PENDING, None)


def test_the_database_refuses_a_failed_row_never_attempted(cast):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        NotificationFactory(recipient=cast.fellow, state=State.FAILED, sent_at=None, attempts=0)


# --- The ledger in the admin -------------------------------------------------------------


def _changelist():
    return reverse("admin:notifications_notification_changelist")


def test_admin_lists_failed_rows_with_a_filter_and_searches_by_email(cast, client_for):
    failed = NotificationFactory(
        recipient=cast.fellow, state=State.FAILED, sent_at=None, attempts=5, title="Failed one"
    )
    NotificationFactory(recipient=cast.peer, title="Sent one")
    admin = client_for("admin")
    page = admin.get(_changelist(), {"state__exact": State.FAILED})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Failed one" in body and "Sent one" not in body
    assert "By state" in body and "By kind" in body
    found = admin.get(_changelist(), {"q": cast.peer.email}).content.decode()
    assert "Sent one" in found and "Failed one" not in found
    assert failed.code  # the row is there, read-only (next test)


def test_admin_ledger_is_read_only(cast, client_for):
    note = NotificationFactory(recipient=cast.fellow)
    admin = client_for("admin")
    change = reverse("admin:notifications_notification_change", args=[note.pk])
    page = admin.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin.post(change, {"title": "Edited"}).status_code == 403
    assert admin.get(reverse("admin:notifications_notification_add")).status_code == 403
    delete = reverse("admin:notifications_notification_delete", args=[note.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    note.refresh_from_db()
    assert note.title != "Edited" and Notification.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("role", ["staff", "coach", "fellow"])
def test_only_admins_reach_the_ledger_in_the_admin(cast, client_for, role):
    response = client_for(role).get(_changelist())
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_ledger_list_costs_the_same_queries_with_more_rows(cast, client_for):
    admin = client_for("admin")

    def grow(n):
        for _ in range(n * 5):
            NotificationFactory(state=State.FAILED, sent_at=None, attempts=5)

    grow(1)
    assert_stable_queries(lambda: admin.get(_changelist()), grow)


@time_machine.travel("2026-11-11 17:00:00+00:00", tick=False)
def test_the_ledger_never_holds_a_coachs_private_notes(cast):
    session = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=datetime.datetime(2026, 11, 12, 17, tzinfo=datetime.UTC),
        status=SessionStatus.SCHEDULED,
    )
    PrivateNote.objects.create(session=session, author=cast.coach, body="PRIVATE-burnout")
    sweep.write_due(datetime.datetime.now(datetime.UTC), scans=[coaching_reminders.scan])
    rows = list(Notification.objects.values("title", "payload"))
    assert rows
    assert "PRIVATE" not in repr(rows)


def test_a_failed_email_still_shows_in_the_in_app_list(cast, client_for):
    NotificationFactory(
        recipient=cast.fellow, state=State.FAILED, sent_at=None, attempts=5, title="Bounced one"
    )
    page = client_for("fellow").get(reverse("notifications:list"))
    assert "Bounced one" in page.content.decode()

"""Emails to raters go through the notification ledger: rows addressed to the rater's email,
one per invitation and reminder (at most two), sent by the sweep with the ledger's guarantees
(retried while the mail server is down, a stable Message-ID and link, staff sending a failed
one again), never after the rater answered or the window closed."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from feedback360.emails import due_emails
from feedback360.models import FeedbackWindow, Nomination, NominationStatus, RaterLink
from feedback360.services import nominations_decide
from notifications import mailer
from notifications.delivery import deliver_batch
from notifications.models import Notification, State
from notifications.sweep import run_sweep
from tests.factories.feedback360 import NominationFactory
from tests.notifications.smtp_double import SCRIPT

from .conftest import NOW

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
RATER = "pat@agency.example.org"
LINK = re.compile(r"https?://[^/\s]+(/360/r/[A-Za-z0-9_-]+/)")


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "tests.notifications.smtp_double.ScriptedBackend"
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 600
    SCRIPT.reset()
    mailer.outage_over()
    yield SCRIPT
    SCRIPT.reset()


def _sweep(capture, now):
    """One run of the beat sweep at `now`, its batches sent by the (eager) worker."""
    with time_machine.travel(now, tick=False), capture(execute=True):
        return run_sweep(now)


def _approve(cast, f360, capture, now=NOW):
    with time_machine.travel(now, tick=False), capture(execute=True):
        nominations_decide(
            window=f360.window, codes=[f360.pending.code], approve=True, by=cast.staff
        )


def _rater_rows(email=RATER):
    return list(Notification.objects.filter(recipient_email=email).order_by("created_at", "pk"))


def _to(email=RATER):
    return [m for m in SCRIPT.delivered if m.to == [email]]


def _link(message) -> str:
    return LINK.search(message.body).group(1)


def test_invitation_and_two_reminders_through_the_ledger(
    cast, client, f360, smtp, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _approve(cast, f360, capture)
    [invitation] = _rater_rows()
    assert (invitation.recipient_id, invitation.kind, invitation.occurrence, invitation.state) == (
        None,
        "f360_rater_invitation",
        "invitation",
        State.SENT,
    )
    [email] = _to()
    assert email.subject == "[Cohortwise] Fiona Fellow asks for your feedback"
    assert email.extra_headers["Message-ID"].startswith(f"<notification.{invitation.code}@")
    assert "List-Unsubscribe" not in email.extra_headers  # no account to keep a choice on
    assert "Hello Pat Pending," in email.body and "Choose which emails" not in email.body
    assert client.get(_link(email)).status_code == 200

    # The sweep running twice, and again an hour later, writes and sends nothing new.
    for now in (NOW, NOW, NOW + datetime.timedelta(hours=1)):
        _sweep(capture, now)
    assert len(_rater_rows()) == 1 and len(_to()) == 1

    # A week later (10:00 in New York): the first reminder, with a link of its own.
    week = NOW + datetime.timedelta(days=7)
    _sweep(capture, week)
    _sweep(capture, week)
    assert [n.occurrence for n in _rater_rows()] == ["invitation", "reminder_1"]
    reminder = _to()[-1]
    assert reminder.subject == "[Cohortwise] Reminder: Fiona Fellow asks for your feedback"
    assert _link(reminder) != _link(email)
    with time_machine.travel(week, tick=False):
        assert client.get(_link(reminder)).status_code == 200

    # Nothing more until the last three days before the window closes (30 December).
    _sweep(capture, datetime.datetime(2026, 12, 20, 15, 0, tzinfo=UTC))
    assert len(_to()) == 2
    last_days = datetime.datetime(2026, 12, 27, 15, 0, tzinfo=UTC)
    _sweep(capture, last_days)
    assert [n.occurrence for n in _rater_rows()] == ["invitation", "reminder_1", "reminder_2"]
    # Never a third reminder, however often the sweep runs.
    for day in (28, 29, 30):
        _sweep(capture, datetime.datetime(2026, 12, day, 15, 0, tzinfo=UTC))
    assert len(_to()) == 3 and len(_rater_rows()) == 3
    assert all(n.state == State.SENT for n in _rater_rows())

    # After the window closed: no email, and the links no longer work.
    after = datetime.datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
    _sweep(capture, after)
    assert len(_to()) == 3
    with time_machine.travel(after, tick=False):
        assert client.get(_link(email)).status_code == 410


def test_no_reminder_after_the_rater_answered(
    cast, client, f360, smtp, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _approve(cast, f360, capture)
    Nomination.objects.filter(pk=f360.pending.pk).update(answered_at=NOW)
    _sweep(capture, NOW + datetime.timedelta(days=7))
    _sweep(capture, datetime.datetime(2026, 12, 27, 15, 0, tzinfo=UTC))
    assert [n.occurrence for n in _rater_rows()] == ["invitation"]
    assert len(_to()) == 1


def test_a_reminder_written_before_the_rater_answered_is_not_sent(cast, f360, smtp):
    """The answer comes between the sweep writing the reminder and a worker sending it."""
    Notification.objects.all().delete()
    link = RaterLink.objects.get(nomination=f360.invited)
    link.sent_at = NOW - datetime.timedelta(days=8)
    link.save()
    run_sweep_rows = due_emails(NOW)
    assert [(n.pk, purpose) for n, purpose in run_sweep_rows] == [(f360.invited.pk, "reminder_1")]
    from feedback360.emails import scan
    from notifications.ledger import record

    record(scan(NOW))
    Nomination.objects.filter(pk=f360.invited.pk).update(answered_at=NOW)
    row = Notification.objects.get(recipient_email=f360.invited.email)
    deliver_batch([row.pk], now=NOW)
    row.refresh_from_db()
    assert (row.state, row.skip_reason) == (State.SKIPPED, "answered")
    assert _to(f360.invited.email) == []


def test_a_window_closed_early_stops_what_was_written(
    cast, f360, smtp, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(NOW, tick=False):
        # Written during quiet hours? No: written and then the window closes before sending.
        from feedback360.emails import invitation_rows
        from notifications.ledger import record

        Nomination.objects.filter(pk=f360.pending.pk).update(
            status=NominationStatus.INVITED, invited_at=NOW
        )
        record(invitation_rows([f360.pending.pk], NOW))
    FeedbackWindow.objects.filter(pk=f360.window.pk).update(closed_at=NOW)
    _sweep(capture, NOW)
    [row] = _rater_rows()
    assert (row.state, row.skip_reason) == (State.SKIPPED, "window closed")
    assert _to() == []


def test_mail_server_down_the_invitation_is_retried_with_the_same_link(
    cast, client, f360, smtp, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    smtp.refuse_connections = True
    _approve(cast, f360, capture)
    [row] = _rater_rows()
    assert (row.state, row.attempts) == (State.PENDING, 1)
    assert row.due_at == NOW + datetime.timedelta(seconds=60)  # backoff
    assert "ConnectionRefusedError" in row.last_error
    assert _to() == []

    # Still down at the next sweep: the row waits (one probe at a time goes to the server).
    _sweep(capture, NOW + datetime.timedelta(seconds=61))
    row.refresh_from_db()
    assert row.state == State.PENDING and row.attempts >= 1 and _to() == []

    smtp.refuse_connections = False
    _sweep(capture, NOW + datetime.timedelta(minutes=10))
    row.refresh_from_db()
    assert row.state == State.SENT
    [email] = _to()
    assert email.extra_headers["Message-ID"].startswith(f"<notification.{row.code}@")
    # Each try built the same link: one link recorded, and it works.
    assert RaterLink.objects.filter(nomination=f360.pending).count() == 1
    with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
        assert client.get(_link(email)).status_code == 200


def test_a_refused_address_is_failed_and_staff_send_it_again(
    cast, client_for, f360, smtp, django_capture_on_commit_callbacks
):
    import smtplib

    capture = django_capture_on_commit_callbacks
    smtp.replies = [smtplib.SMTPRecipientsRefused({RATER: (550, b"5.1.1 No such user")})]
    _approve(cast, f360, capture)
    [row] = _rater_rows()
    assert row.state == State.FAILED and row.last_error.startswith("Rejected: 550")

    staff = client_for("staff")
    url = reverse("reports:failed_notifications", kwargs={"slug": cast.program.slug})
    with time_machine.travel(NOW, tick=False):
        page = staff.get(url).content.decode()
        assert "Pat Pending" in page and RATER in page
        assert "Fiona Fellow asks for your feedback" in page
        staff.post(url, {"codes": [str(row.code)]})
    row.refresh_from_db()
    assert row.state == State.PENDING
    _sweep(capture, NOW + datetime.timedelta(minutes=1))
    row.refresh_from_db()
    assert row.state == State.SENT and len(_to()) == 1


def test_another_programs_staff_do_not_see_the_raters_failed_email(
    cast, client_for, f360, smtp, django_capture_on_commit_callbacks
):
    import smtplib

    from tests.factories.cohorts import ProgramFactory, ProgramStaffFactory

    smtp.replies = [smtplib.SMTPRecipientsRefused({RATER: (550, b"5.1.1 No such user")})]
    _approve(cast, f360, django_capture_on_commit_callbacks)
    other = ProgramFactory()
    ProgramStaffFactory(program=other, user=cast.staff)
    page = client_for("staff").get(
        reverse("reports:failed_notifications", kwargs={"slug": other.slug})
    )
    assert RATER not in page.content.decode()


def test_a_ledger_row_has_exactly_one_recipient(cast):
    base = {
        "kind": "f360_rater_invitation",
        "subject_type": "feedback360.nomination",
        "subject_id": 1,
        "occurrence": "invitation",
        "due_at": NOW,
        "title": "x",
    }
    for who in ({"recipient": cast.fellow, "recipient_email": "a@example.org"}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(**base, **who)
    Notification.objects.create(**base, recipient_email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**base, recipient_email="a@example.org")


def test_email_only_rows_stay_out_of_everyone_s_list_and_cannot_unsubscribe(
    cast, client_for, f360, smtp, django_capture_on_commit_callbacks
):
    from notifications.emails import unsubscribe_token
    from notifications.selectors import unsubscribe_target

    _approve(cast, f360, django_capture_on_commit_callbacks)
    [row] = _rater_rows()
    for role in ("fellow", "staff", "admin"):
        client = client_for(role)
        assert "asks for your feedback" not in client.get("/notifications/").content.decode()
        assert client.get(row.get_absolute_url()).status_code == 404
    assert unsubscribe_target(unsubscribe_token(row)) is None
    response = client_for("fellow").get(
        reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(row)})
    )
    assert response.status_code == 404


def test_a_rater_emailed_in_the_cohorts_night_waits_for_the_morning(
    cast, f360, smtp, django_capture_on_commit_callbacks
):
    night = datetime.datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 22:00 in New York
    _approve(cast, f360, django_capture_on_commit_callbacks, now=night)
    [row] = _rater_rows()
    assert row.state == State.PENDING and _to() == []
    assert row.due_at == datetime.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # 07:00 there
    _sweep(django_capture_on_commit_callbacks, row.due_at)
    assert len(_to()) == 1


def test_links_sent_before_the_ledger_count_as_sent(cast, f360):
    """An invitation sent with a `RaterLink` before rater emails went through the ledger: no
    second invitation; the first reminder comes a week after it."""
    Notification.objects.all().delete()
    link = RaterLink.objects.get(nomination=f360.invited)
    link.sent_at = NOW - datetime.timedelta(days=6)
    link.save()
    assert [p for n, p in due_emails(NOW) if n.pk == f360.invited.pk] == []
    later = NOW + datetime.timedelta(days=1)
    assert [p for n, p in due_emails(later) if n.pk == f360.invited.pk] == ["reminder_1"]


def test_raters_whose_fellow_withdrew_are_not_emailed(
    cast, f360, smtp, django_capture_on_commit_callbacks
):
    from cohorts.models import EnrollmentStatus

    other = NominationFactory(circle=f360.circle, email="late@example.org", invited_at=NOW)
    from feedback360.emails import invitation_rows
    from notifications.ledger import record

    record(invitation_rows([other.pk], NOW))
    enrollment = cast.enrollments["fellow"]
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_on = NOW.date()
    enrollment.save()
    _sweep(django_capture_on_commit_callbacks, NOW)
    row = Notification.objects.get(recipient_email="late@example.org")
    assert row.state == State.SKIPPED
    assert mail.outbox == [] and _to("late@example.org") == []


def test_tasks_queued_before_the_ledger_carried_rater_emails_write_one_row(cast, f360):
    from feedback360.tasks import remind_raters, send_rater_email

    Notification.objects.all().delete()
    assert send_rater_email.run(f360.invited.pk, "reminder_1") == 1
    assert send_rater_email.run(f360.invited.pk, "reminder_1") == 0
    assert remind_raters.run() == 0  # the invitation is older; the reminder is written
    assert [n.occurrence for n in _rater_rows(f360.invited.email)] == ["reminder_1"]


def test_an_email_only_row_never_makes_a_digest_and_ignores_preferences(cast, f360):
    from feedback360.emails import invitation_rows
    from notifications.delivery import Preferences, decide
    from notifications.digests import scan_daily_digests
    from notifications.ledger import record
    from notifications.models import NotificationPreference

    Nomination.objects.filter(pk=f360.pending.pk).update(
        status=NominationStatus.INVITED, invited_at=NOW
    )
    record(invitation_rows([f360.pending.pk], NOW))
    row = Notification.objects.select_related("recipient", "enrollment").get(recipient_email=RATER)
    # The fellow chose "no email" for 360° feedback: that is theirs, not their rater's.
    NotificationPreference.objects.create(user=cast.fellow, topic="feedback360", delivery="none")
    assert decide(row, Preferences([row]), NOW).action == "email"
    # Even a row held by mistake never starts a digest for nobody.
    Notification.objects.filter(pk=row.pk).update(state=State.HELD, sent_at=NOW)
    assert [
        d for d in scan_daily_digests(NOW + datetime.timedelta(days=1)) if d.recipient_id is None
    ] == []


def test_the_admin_finds_a_raters_row_by_address_and_sends_it_again(
    cast, client_for, f360, smtp, django_capture_on_commit_callbacks
):
    import smtplib

    smtp.replies = [smtplib.SMTPRecipientsRefused({RATER: (550, b"5.1.1 No such user")})]
    _approve(cast, f360, django_capture_on_commit_callbacks)
    [row] = _rater_rows()
    admin = client_for("admin")
    url = reverse("admin:notifications_notification_changelist")
    with time_machine.travel(NOW, tick=False):
        listed = admin.get(url, {"q": RATER})
        assert listed.context["cl"].result_count == 1
        assert RATER in listed.content.decode()
        admin.post(url, {"action": "send_again", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.state == State.PENDING and row.attempts == 0

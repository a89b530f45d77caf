"""Each delivery rule with a frozen clock: time zones, quiet hours (also across a DST change),
opt-out, digest vs immediate, the stale cut-off, withdrawn fellows, claims."""

import datetime

import time_machine
from django.conf import settings
from icalendar import Calendar

from action_plans.notices import MILESTONES
from cohorts.models import EnrollmentStatus
from curriculum.notices import SESSION_1H, SESSION_24H, SESSIONS
from notifications import services
from notifications.digests import scan_daily_digests
from notifications.ledger import event_occurrence, event_snapshot, record, row
from notifications.models import Delivery, Notification, State
from notifications.notices import DAILY_DIGEST
from notifications.sweep import run_sweep, write_due

from ..factories.notifications import PendingNotificationFactory
from .conftest import FakeEvent, at


def _event_reminder(user, event, kind=SESSION_24H.key, **extra):
    hours = 24 if kind != SESSION_1H.key else 1
    record(
        [
            row(
                recipient_id=user.pk,
                kind=kind,
                subject_type="curriculum.session",
                subject_id=event.pk,
                occurrence=event_occurrence(event.starts_at),
                due_at=event.starts_at - datetime.timedelta(hours=hours),
                expires_at=event.starts_at,
                title=f"Tomorrow: {event.calendar_title}",
                url=event.get_absolute_url(),
                payload=event_snapshot(event),
                **extra,
            )
        ]
    )
    return Notification.objects.get(recipient=user, kind=kind)


def _prefer(user, topic, delivery):
    services.preferences_save(
        user=user,
        quiet_start=datetime.time(21, 0),
        quiet_end=datetime.time(7, 0),
        deliveries={topic: delivery},
    )


@time_machine.travel("2026-11-09 19:00:00+00:00", tick=False)
def test_reminder_is_emailed_with_times_in_the_recipients_zone(cast, outbox, send_due):
    fellow = cast.fellow
    fellow.time_zone = "Pacific/Honolulu"
    fellow.save()
    event = FakeEvent(starts_at=at("2026-11-10T19:00:00+00:00"), attendees=[fellow])
    note = _event_reminder(fellow, event)

    send_due()

    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == [fellow.email]
    # 19:00 UTC is 9:00 AM in Honolulu (HST, UTC-10), the zone named.
    assert "Tuesday, November 10, 2026 at 9:00 AM HST (Pacific/Honolulu)" in message.body
    html = message.alternatives[0][0]
    assert "9:00 AM HST" in html
    link = f"{settings.SITE_URL}/sessions/{event.code}/"
    assert f"Open in Cohortwise: {link}" in message.body and f'href="{link}"' in html
    note.refresh_from_db()
    assert note.state == State.SENT and note.sent_at is not None
    # The in-app list shows it, unread.
    assert list(Notification.objects.filter(recipient=fellow).unread()) == [note]


@time_machine.travel("2026-11-09 19:00:00+00:00", tick=False)
def test_session_email_carries_an_invitation_for_the_calendar(cast, outbox, send_due):
    event = FakeEvent(starts_at=at("2026-11-10T19:00:00+00:00"), attendees=[cast.fellow])
    _event_reminder(cast.fellow, event)

    send_due()

    name, content, mimetype = outbox[0].attachments[0]
    assert name == "invite.ics" and "method=REQUEST" in mimetype
    cal = Calendar.from_ical(content)
    assert cal["METHOD"] == "REQUEST"
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"{event.code}@cohortwise"
    assert vevent.decoded("DTSTART") == event.starts_at


def test_user_text_is_escaped_in_the_html_part(cast, outbox, send_due):
    event = FakeEvent(
        starts_at=at("2026-11-10T19:00:00+00:00"),
        title="<script>alert(1)</script> session",
        attendees=[cast.fellow],
    )
    with time_machine.travel("2026-11-09 19:00:00+00:00", tick=False):
        _event_reminder(cast.fellow, event)
        send_due()
    html = outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html


@time_machine.travel("2026-11-10 07:30:00+00:00", tick=False)
def test_quiet_hours_delay_an_email_to_the_morning(cast, outbox, send_due):
    # 07:30 UTC is 9:30 PM in Honolulu: quiet.
    fellow = cast.fellow
    fellow.time_zone = "Pacific/Honolulu"
    fellow.save()
    note = PendingNotificationFactory(recipient=fellow, due_at=at("2026-11-10T07:00:00+00:00"))

    outcome = send_due()

    assert outbox == [] and outcome.postponed == [note.pk]
    note.refresh_from_db()
    assert note.state == State.PENDING
    # 7:00 AM Honolulu the next morning.
    assert note.due_at == at("2026-11-10T17:00:00+00:00")

    with time_machine.travel("2026-11-10 17:01:00+00:00", tick=False):
        send_due()
    assert len(outbox) == 1


@time_machine.travel("2026-11-10 07:30:00+00:00", tick=False)
def test_one_hour_reminder_of_an_online_session_ignores_quiet_hours(cast, outbox, send_due):
    fellow = cast.fellow
    fellow.time_zone = "Pacific/Honolulu"
    fellow.save()
    event = FakeEvent(starts_at=at("2026-11-10T08:30:00+00:00"), attendees=[fellow])
    _event_reminder(fellow, event, kind=SESSION_1H.key)

    send_due()

    assert len(outbox) == 1
    assert "10:30 PM HST" in outbox[0].body


def test_quiet_hours_end_in_local_time_across_the_dst_change(cast, outbox, send_due):
    # New York leaves daylight time at 2:00 AM on Sunday November 1, 2026. A nudge held at
    # 11:00 PM EDT on Saturday goes out at 7:00 AM EST, which is 12:00 UTC (not 11:00).
    fellow = cast.fellow
    fellow.time_zone = "America/New_York"
    fellow.save()
    with time_machine.travel("2026-11-01 03:00:00+00:00", tick=False):  # 11 PM EDT
        note = PendingNotificationFactory(recipient=fellow)
        send_due()
    note.refresh_from_db()
    assert note.due_at == at("2026-11-01T12:00:00+00:00")
    with time_machine.travel("2026-11-01 11:30:00+00:00", tick=False):  # 6:30 AM EST
        send_due()
        assert outbox == []
    with time_machine.travel("2026-11-01 12:00:00+00:00", tick=False):
        send_due()
    assert len(outbox) == 1


def test_times_in_a_message_follow_dst_of_the_event_date(cast, outbox, send_due):
    # Written in October (EDT), about a session after the change: shown in EST.
    event = FakeEvent(starts_at=at("2026-11-02T15:00:00+00:00"), attendees=[cast.fellow])
    with time_machine.travel("2026-11-01 15:00:00+00:00", tick=False):
        _event_reminder(cast.fellow, event)
        send_due()
    assert "Monday, November 2, 2026 at 10:00 AM EST (America/New_York)" in outbox[0].body


@time_machine.travel("2026-11-09 15:00:00+00:00", tick=False)
def test_opting_out_of_email_keeps_the_notification_in_app_only(cast, outbox, send_due):
    _prefer(cast.fellow, MILESTONES.key, Delivery.NONE)
    note = PendingNotificationFactory(recipient=cast.fellow)
    other = PendingNotificationFactory(recipient=cast.peer)

    send_due()

    assert [m.to for m in outbox] == [[cast.peer.email]]
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.state == State.IN_APP and other.state == State.SENT
    assert Notification.objects.filter(recipient=cast.fellow).unread().count() == 1


def test_digest_collects_nudges_into_one_morning_email(cast, outbox, send_due):
    fellow = cast.fellow
    fellow.time_zone = "America/Chicago"
    fellow.save()
    _prefer(fellow, MILESTONES.key, Delivery.DIGEST)
    with time_machine.travel("2026-11-09 15:00:00+00:00", tick=False):
        first = PendingNotificationFactory(recipient=fellow, title="Due today: brief")
        second = PendingNotificationFactory(recipient=fellow, title="Overdue: survey")
        send_due()
        assert outbox == []
        assert set(Notification.objects.filter(state=State.HELD)) == {first, second}
        # Not yet 7:00 AM in Chicago for tomorrow's digest; today's 7:00 is past.
    with time_machine.travel("2026-11-10 12:59:00+00:00", tick=False):  # 6:59 AM CST
        assert scan_daily_digests(datetime.datetime.now(datetime.UTC)) == []
    with time_machine.travel("2026-11-10 13:00:00+00:00", tick=False):  # 7:00 AM CST
        run_sweep(scans=[scan_daily_digests])
        send_due()
        run_sweep(scans=[scan_daily_digests])  # a second sweep adds no second digest
        send_due()

    assert len(outbox) == 1
    assert "Due today: brief" in outbox[0].body and "Overdue: survey" in outbox[0].body
    first.refresh_from_db()
    assert first.state == State.DIGESTED and first.digest.kind == DAILY_DIGEST.key


@time_machine.travel("2026-11-09 19:00:00+00:00", tick=False)
def test_session_reminder_less_than_a_day_ahead_is_never_held_for_the_digest(
    cast, outbox, send_due
):
    _prefer(cast.fellow, SESSIONS.key, Delivery.DIGEST)
    event = FakeEvent(starts_at=at("2026-11-10T19:00:00+00:00"), attendees=[cast.fellow])
    _event_reminder(cast.fellow, event)

    send_due()

    assert len(outbox) == 1


def test_a_reminder_whose_session_started_is_skipped_not_sent_late(cast, outbox, send_due):
    event = FakeEvent(starts_at=at("2026-11-10T19:00:00+00:00"), attendees=[cast.fellow])
    with time_machine.travel("2026-11-09 18:00:00+00:00", tick=False):
        note = _event_reminder(cast.fellow, event)
    # The worker was down all day; it is back after the session began.
    with time_machine.travel("2026-11-10 19:05:00+00:00", tick=False):
        send_due()
        note.refresh_from_db()
        assert note.state == State.SKIPPED and note.skip_reason == "stale"
        # The sweep marks stale rows in bulk too.
        other = _event_reminder(cast.peer, event)
        write_due(datetime.datetime.now(datetime.UTC), scans=[])
        other.refresh_from_db()
        assert other.state == State.SKIPPED
    assert outbox == []


@time_machine.travel("2026-11-09 15:00:00+00:00", tick=False)
def test_withdrawn_fellows_get_nothing(cast, outbox, send_due):
    enrollment = cast.enrollments["fellow"]
    note = PendingNotificationFactory(recipient=cast.fellow, enrollment=enrollment)
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_on = datetime.date(2026, 11, 8)
    enrollment.save()

    send_due()

    note.refresh_from_db()
    assert outbox == [] and note.state == State.SKIPPED and note.skip_reason == "withdrawn"


@time_machine.travel("2026-11-09 15:00:00+00:00", tick=False)
def test_a_row_is_sent_once_however_often_its_batch_runs(cast, outbox, send_due):
    note = PendingNotificationFactory(recipient=cast.fellow)
    from notifications.delivery import deliver_batch

    deliver_batch([note.pk])
    again = deliver_batch([note.pk])  # a retried or redelivered task

    assert len(outbox) == 1 and again.sent == []


@time_machine.travel("2026-11-09 15:00:00+00:00", tick=False)
def test_a_failed_send_leaves_the_row_pending_for_the_next_try(cast, outbox, monkeypatch):
    from notifications import delivery

    note = PendingNotificationFactory(recipient=cast.fellow)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    outcome = delivery.deliver_batch([note.pk])

    note.refresh_from_db()
    assert outcome.failed == [note.pk] and note.state == State.PENDING and note.sent_at is None

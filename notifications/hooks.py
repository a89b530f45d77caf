"""What other apps call when something users must hear about happens, at that moment (what
comes due with time is found by the registered scans instead, see registry.py).

`notify(rows)`: the app decides who is told and writes the rows (`ledger.row`, a registered
kind); the notifications app records them and sends them after commit, following each
person's preferences and quiet hours.

`calendar_event_changed(event)`: the notifications app tells the event's expected attendees
itself, with a calendar update.

Calendar events — curriculum.Session, coaching.CoachingSession, networks.GroupMeeting — all
offer the same small interface so the notifications app can treat them alike:

    code              UUID, also the iCalendar UID
    calendar_title    property: the summary line shown in calendars
    starts_at, ends_at  aware datetimes (UTC in the database)
    location_text     property: venue and address, or "" when online
    video_url         URL or ""
    sequence          PositiveIntegerField: +1 on every change of time or place
    cancelled_at      DateTimeField, null until cancelled
    expected_attendees()  queryset of accounts.User who should be told
    get_absolute_url()

Services call these hooks inside their transaction; the hooks defer any sending to
`transaction.on_commit`, so a rolled-back change tells nobody.
"""

from __future__ import annotations

from django.utils import timezone


def calendar_event_changed(event, *, cancelled: bool = False) -> None:
    """A session, coaching session or group meeting was moved or cancelled."""
    from .services import event_change_notify

    event_change_notify(event=event, cancelled=cancelled, now=timezone.now())


def notify(rows) -> int:
    """Records these rows and sends them once the surrounding transaction commits."""
    from .services import notifications_send_now

    return notifications_send_now(rows=rows)

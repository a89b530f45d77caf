"""What other apps call when something users must hear about happens. The notifications app
decides who is told and how (ledger, preferences, quiet hours, calendar updates).

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


def plan_comment_posted(comment) -> None:
    """Someone commented on a fellow's action plan or one of its milestones."""
    from .services import plan_comment_notify

    plan_comment_notify(comment=comment, now=timezone.now())

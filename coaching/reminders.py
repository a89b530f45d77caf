"""Set-based scans of coaching sessions for the notifications sweep (notifications/sweep.py),
and a person's coaching sessions for their calendar feed.

- 24 hours before a scheduled session: the fellow and the coach are reminded.
- The program's `coach_log_nudge_hours` after a session ended and it is still "scheduled"
  (not logged as held, cancelled or a no-show): the coach is nudged to log it.
Withdrawn fellows' sessions tell nobody.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from cohorts.models import EnrollmentStatus
from notifications.ledger import absolute, event_occurrence, event_snapshot, row
from notifications.models import Kind, Notification

from .models import CoachingSession, SessionStatus

DAY = datetime.timedelta(hours=24)
LOG_NUDGE_WINDOW = datetime.timedelta(days=14)  # older unlogged sessions are not nagged about
FEED_HISTORY = datetime.timedelta(days=180)


def _scheduled():
    return CoachingSession.objects.filter(
        status=SessionStatus.SCHEDULED, enrollment__status=EnrollmentStatus.ACTIVE
    ).select_related("enrollment__user", "enrollment__cohort__program", "coach")


def scan(now) -> list[Notification]:
    return session_reminders(now) + log_nudges(now)


def session_reminders(now) -> list[Notification]:
    rows = []
    for session in _scheduled().filter(starts_at__gt=now, starts_at__lte=now + DAY):
        fellow, coach = session.enrollment.user, session.coach
        for recipient, other in ((fellow, coach), (coach, fellow)):
            rows.append(
                row(
                    recipient_id=recipient.pk,
                    kind=Kind.COACHING_24H,
                    subject_type="coaching.coachingsession",
                    subject_id=session.pk,
                    occurrence=event_occurrence(session.starts_at),
                    due_at=session.starts_at - DAY,
                    expires_at=session.starts_at,
                    enrollment_id=session.enrollment_id,
                    title=f"Reminder: coaching with {other.display_name}",
                    url=session.get_absolute_url(),
                    payload=event_snapshot(session, with_name=other.display_name),
                )
            )
    return rows


def log_nudges(now) -> list[Notification]:
    rows = []
    candidates = _scheduled().filter(starts_at__lt=now, starts_at__gte=now - LOG_NUDGE_WINDOW)
    for session in candidates:
        hours = session.enrollment.cohort.program.coach_log_nudge_hours
        due_at = session.ends_at + datetime.timedelta(hours=hours)
        if due_at > now:
            continue
        fellow = session.enrollment.user.display_name
        rows.append(
            row(
                recipient_id=session.coach_id,
                kind=Kind.COACH_LOG,
                subject_type="coaching.coachingsession",
                subject_id=session.pk,
                occurrence=event_occurrence(session.starts_at),
                due_at=due_at,
                expires_at=due_at + LOG_NUDGE_WINDOW,
                enrollment_id=session.enrollment_id,
                title=f"Please log your coaching session with {fellow}",
                url=session.get_absolute_url(),
                payload={"with_name": fellow, "starts_at": session.starts_at.isoformat()},
            )
        )
    return rows


def calendar_events(user) -> list[dict]:
    sessions = (
        CoachingSession.objects.filter(Q(enrollment__user=user) | Q(coach=user))
        .filter(starts_at__gte=timezone.now() - FEED_HISTORY)
        .select_related("enrollment__user", "coach")
    )
    return [event_snapshot(s, url=absolute(s.get_absolute_url())) for s in sessions]

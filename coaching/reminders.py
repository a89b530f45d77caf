"""Set-based scans of coaching sessions for the notifications sweep (registered in apps.py;
the kinds are in notices.py), and a person's coaching sessions for their calendar feed.

* 24 hours before a scheduled session, its fellow and coach are reminded (COACHING_24H), and
  1 hour before an online one (video mode, COACHING_1H). As for cohort sessions
  (curriculum/reminders.py), the 24-hour reminder of an online session gives way to the
  1-hour one: it is not sent within the last hour.
* When a scheduled session ended more than the program's `coach_log_nudge_hours` ago and is
  still not logged, its coach is nudged once (COACH_LOG); sessions older than
  `LOG_NUDGE_WINDOW` are left alone rather than nudged late.

Payloads are calendar snapshots only: never the shared summary, never private notes.
One query per scan, whatever the number of sessions.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cohorts.models import EnrollmentStatus
from notifications.ledger import absolute, event_occurrence, event_snapshot, row
from notifications.models import Notification

from .models import CoachingSession, SessionMode, SessionStatus
from .notices import COACH_LOG, COACHING_1H, COACHING_24H

DAY = datetime.timedelta(hours=24)
HOUR = datetime.timedelta(hours=1)
LOG_NUDGE_WINDOW = datetime.timedelta(days=14)
FEED_HISTORY = datetime.timedelta(days=180)
SUBJECT = "coaching.coachingsession"


def _scheduled():
    return CoachingSession.objects.filter(
        status=SessionStatus.SCHEDULED, enrollment__status=EnrollmentStatus.ACTIVE
    ).select_related("enrollment__user", "enrollment__cohort__program", "coach")


def scan(now) -> list[Notification]:
    rows = []
    sessions = _scheduled().filter(
        Q(starts_at__gt=now, starts_at__lte=now + DAY)
        | Q(starts_at__lte=now, starts_at__gte=now - LOG_NUDGE_WINDOW)
    )
    for session in sessions:
        snapshot = event_snapshot(session)
        occurrence = event_occurrence(session.starts_at)
        if session.starts_at > now:
            online = session.mode == SessionMode.VIDEO
            # The 24-hour reminder gives way to the 1-hour one of an online session.
            last_moment = session.starts_at - HOUR if online else session.starts_at
            due = [(COACHING_24H, DAY, last_moment)]
            if online and session.starts_at <= now + HOUR:
                due.append((COACHING_1H, HOUR, session.starts_at))
            for kind, ahead, expires_at in due:
                title = (
                    f"Starting in an hour: {session.calendar_title}"
                    if kind is COACHING_1H
                    else f"Reminder: {session.calendar_title}"
                )
                for user_id, enrollment_id, other in (
                    (session.enrollment.user_id, session.enrollment_id, session.coach),
                    (session.coach_id, None, session.enrollment.user),
                ):
                    rows.append(
                        row(
                            recipient_id=user_id,
                            kind=kind.key,
                            subject_type=SUBJECT,
                            subject_id=session.pk,
                            occurrence=occurrence,
                            due_at=session.starts_at - ahead,
                            expires_at=expires_at,
                            enrollment_id=enrollment_id,
                            title=title,
                            url=session.get_absolute_url(),
                            payload={**snapshot, "with_name": other.display_name},
                        )
                    )
            continue
        hours = session.enrollment.cohort.program.coach_log_nudge_hours
        due = session.ends_at + datetime.timedelta(hours=hours)
        if due <= now:
            rows.append(
                row(
                    recipient_id=session.coach_id,
                    kind=COACH_LOG.key,
                    subject_type=SUBJECT,
                    subject_id=session.pk,
                    occurrence=occurrence,
                    due_at=due,
                    enrollment_id=session.enrollment_id,
                    title=f"Log your session with {session.enrollment.user.display_name}",
                    url=reverse("coaching:session_edit", kwargs={"code": session.code}),
                    payload={**snapshot, "with_name": session.enrollment.user.display_name},
                )
            )
    return rows


def calendar_events(user) -> list[dict]:
    """The person's coaching sessions, as coach or as fellow (cancelled ones included, so
    calendars remove them)."""
    sessions = (
        CoachingSession.objects.filter(
            Q(coach=user)
            | Q(
                enrollment__user=user,
                enrollment__status__in=EnrollmentStatus.with_cohort_access(),
            )
        )
        .filter(starts_at__gte=timezone.now() - FEED_HISTORY)
        .select_related("enrollment__user", "coach")
    )
    return [event_snapshot(s, url=absolute(s.get_absolute_url())) for s in sessions]

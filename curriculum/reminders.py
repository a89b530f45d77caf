"""Set-based scans of cohort sessions for the notifications sweep (registered in apps.py;
the kinds are in notices.py), and a person's sessions for their calendar feed.

Every active fellow of the cohort is reminded 24 hours before a session, and 1 hour before
an online one. Two queries per sweep, whatever the number of sessions and fellows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from cohorts.models import Enrollment, EnrollmentStatus
from notifications.ledger import absolute, event_occurrence, event_snapshot, row
from notifications.models import Notification

from .models import Session
from .notices import SESSION_1H, SESSION_24H

DAY = datetime.timedelta(hours=24)
HOUR = datetime.timedelta(hours=1)
FEED_HISTORY = datetime.timedelta(days=180)


def scan(now) -> list[Notification]:
    sessions = list(Session.objects.scheduled().filter(starts_at__gt=now, starts_at__lte=now + DAY))
    if not sessions:
        return []
    fellows = defaultdict(list)
    for enrollment in Enrollment.objects.filter(
        cohort_id__in={s.cohort_id for s in sessions}, status=EnrollmentStatus.ACTIVE
    ).values("pk", "user_id", "cohort_id"):
        fellows[enrollment["cohort_id"]].append(enrollment)
    rows = []
    for session in sessions:
        snapshot = event_snapshot(session)
        occurrence = event_occurrence(session.starts_at)
        url = session.get_absolute_url()
        # The 24-hour reminder gives way to the 1-hour one of an online session.
        last_moment = session.starts_at - HOUR if session.is_online else session.starts_at
        due = [(SESSION_24H, DAY, last_moment)]
        if session.is_online and session.starts_at <= now + HOUR:
            due.append((SESSION_1H, HOUR, session.starts_at))
        for kind, ahead, expires_at in due:
            title = (
                f"Starting in an hour: {session.calendar_title}"
                if kind is SESSION_1H
                else f"Reminder: {session.calendar_title}"
            )
            for enrollment in fellows[session.cohort_id]:
                rows.append(
                    row(
                        recipient_id=enrollment["user_id"],
                        kind=kind.key,
                        subject_type="curriculum.session",
                        subject_id=session.pk,
                        occurrence=occurrence,
                        due_at=session.starts_at - ahead,
                        expires_at=expires_at,
                        enrollment_id=enrollment["pk"],
                        title=title,
                        url=url,
                        payload=snapshot,
                    )
                )
    return rows


def calendar_events(user) -> list[dict]:
    """Sessions of the cohorts the person belongs to (cancelled ones too, so calendars drop
    them) from six months back."""
    sessions = (
        Session.objects.filter(
            Q(
                cohort__enrollments__user=user,
                cohort__enrollments__status__in=EnrollmentStatus.with_cohort_access(),
            )
            | Q(facilitators=user)
        )
        .filter(ends_at__gte=timezone.now() - FEED_HISTORY)
        .distinct()
    )
    return [event_snapshot(s, url=absolute(s.get_absolute_url())) for s in sessions]

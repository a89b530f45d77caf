"""Set-based scans of peer group meetings for the notifications sweep
(notifications/sweep.py), and a person's meetings for their calendar feed.

24 hours before a meeting, its group's active members and its facilitator are reminded.
Two queries per sweep, whatever the number of meetings and members.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from cohorts.models import EnrollmentStatus
from notifications.ledger import absolute, event_occurrence, event_snapshot, row
from notifications.models import Kind, Notification

from .models import GroupMeeting, PeerGroupMembership

DAY = datetime.timedelta(hours=24)
FEED_HISTORY = datetime.timedelta(days=180)


def scan(now) -> list[Notification]:
    meetings = list(
        GroupMeeting.objects.not_cancelled()
        .filter(starts_at__gt=now, starts_at__lte=now + DAY)
        .select_related("group")
    )
    if not meetings:
        return []
    members = defaultdict(list)
    for m in PeerGroupMembership.objects.filter(
        group_id__in={meeting.group_id for meeting in meetings},
        enrollment__status=EnrollmentStatus.ACTIVE,
    ).values("group_id", "enrollment_id", "enrollment__user_id"):
        members[m["group_id"]].append((m["enrollment__user_id"], m["enrollment_id"]))
    rows = []
    for meeting in meetings:
        snapshot = event_snapshot(meeting)
        recipients = list(members[meeting.group_id])
        facilitator = meeting.group.facilitator_id
        if facilitator and facilitator not in {user_id for user_id, _ in recipients}:
            recipients.append((facilitator, None))
        for user_id, enrollment_id in recipients:
            rows.append(
                row(
                    recipient_id=user_id,
                    kind=Kind.MEETING_24H,
                    subject_type="networks.groupmeeting",
                    subject_id=meeting.pk,
                    occurrence=event_occurrence(meeting.starts_at),
                    due_at=meeting.starts_at - DAY,
                    expires_at=meeting.starts_at,
                    enrollment_id=enrollment_id,
                    title=f"Reminder: {meeting.calendar_title}",
                    url=meeting.get_absolute_url(),
                    payload=snapshot,
                )
            )
    return rows


def calendar_events(user) -> list[dict]:
    meetings = (
        GroupMeeting.objects.filter(
            Q(
                group__memberships__enrollment__user=user,
                group__memberships__enrollment__status__in=EnrollmentStatus.with_cohort_access(),
            )
            | Q(group__facilitator=user)
        )
        .filter(ends_at__gte=timezone.now() - FEED_HISTORY)
        .select_related("group")
        .distinct()
    )
    return [event_snapshot(m, url=absolute(m.get_absolute_url())) for m in meetings]

"""Set-based scans of peer group meetings for the notifications sweep (registered in apps.py;
the kinds are in notices.py), and a person's meetings for their calendar feed.

24 hours before a meeting, its group's active members and its facilitator are reminded, and
1 hour before an online one (a meeting link and no meeting place, as `Session.is_online`). As
for cohort sessions (curriculum/reminders.py), the 24-hour reminder of an online meeting gives
way to the 1-hour one: it is not sent within the last hour.
Two queries per sweep, whatever the number of meetings and members.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import F, Q
from django.utils import timezone

from cohorts.models import EnrollmentStatus
from notifications.ledger import absolute, event_occurrence, event_snapshot, row
from notifications.models import Notification

from .models import GroupMeeting, PeerGroupMembership
from .notices import MEETING_1H, MEETING_24H

DAY = datetime.timedelta(hours=24)
HOUR = datetime.timedelta(hours=1)
FEED_HISTORY = datetime.timedelta(days=180)


def is_online(meeting: GroupMeeting) -> bool:
    """Joined by its link only: a meeting with a place is not online (as `Session.is_online`)."""
    return bool(meeting.video_url) and not meeting.location


def scan(now) -> list[Notification]:
    meetings = list(
        GroupMeeting.objects.not_cancelled()
        .filter(starts_at__gt=now, starts_at__lte=now + DAY)
        .select_related("group")
        .annotate(group_word=F("group__cohort__program__group_singular"))
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
        # What the program calls its groups (cohorts/terms.py).
        snapshot = {**event_snapshot(meeting), "group_word": meeting.group_word}
        occurrence = event_occurrence(meeting.starts_at)
        url = meeting.get_absolute_url()
        recipients: list[tuple[int, int | None]] = list(members[meeting.group_id])
        facilitator = meeting.group.facilitator_id
        if facilitator and facilitator not in {user_id for user_id, _ in recipients}:
            recipients.append((facilitator, None))
        online = is_online(meeting)
        # The 24-hour reminder gives way to the 1-hour one of an online meeting.
        last_moment = meeting.starts_at - HOUR if online else meeting.starts_at
        due = [(MEETING_24H, DAY, last_moment)]
        if online and meeting.starts_at <= now + HOUR:
            due.append((MEETING_1H, HOUR, meeting.starts_at))
        for kind, ahead, expires_at in due:
            title = (
                f"Starting in an hour: {meeting.calendar_title}"
                if kind is MEETING_1H
                else f"Reminder: {meeting.calendar_title}"
            )
            for user_id, enrollment_id in recipients:
                rows.append(
                    row(
                        recipient_id=user_id,
                        kind=kind.key,
                        subject_type="networks.groupmeeting",
                        subject_id=meeting.pk,
                        occurrence=occurrence,
                        due_at=meeting.starts_at - ahead,
                        expires_at=expires_at,
                        enrollment_id=enrollment_id,
                        title=title,
                        url=url,
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

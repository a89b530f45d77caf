"""The coming week on the dashboard: the cohort's sessions and, for staff, peer group
meetings (coaches do not see group meetings)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from curriculum.models import Session
from networks.models import GroupMeeting

from ..access import Scope
from .common import WEEK


@dataclass
class Week:
    sessions: list[Session]
    meetings: list[GroupMeeting]
    starts: datetime.datetime
    ends: datetime.datetime


def this_week(
    scope: Scope, now: datetime.datetime, *, sessions: list[Session] | None = None
) -> Week:
    ends = now + WEEK
    if sessions is None:
        sessions = list(
            Session.objects.scheduled()
            .filter(cohort=scope.cohort, starts_at__gte=now, starts_at__lt=ends)
            .order_by("starts_at", "pk")
        )
    meetings: list[GroupMeeting] = []
    if scope.is_staff:
        meetings = list(
            GroupMeeting.objects.not_cancelled()
            .filter(group__cohort=scope.cohort, starts_at__gte=now, starts_at__lt=ends)
            .select_related("group")
            .order_by("starts_at", "pk")
        )
    return Week(sessions=sessions, meetings=meetings, starts=now, ends=ends)

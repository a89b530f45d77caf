"""The coming week on the dashboard: the cohort's sessions and, for staff, peer group
meetings (coaches do not see group meetings)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accounts.compiled import CompiledQuery
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
        values = {"cohort_id": scope.cohort.pk, "now": now, "ends": ends}
        # Compiled once (accounts/compiled.py): a week of a large cohort's groups is dozens of
        # meetings, and building their query cost more CPU than reading them.
        meetings = _MEETINGS.instances("staff", values, _meetings_query)
    return Week(sessions=sessions, meetings=meetings, starts=now, ends=ends)


_MEETINGS = CompiledQuery()


def _meetings_query(values: Mapping[str, Any]) -> QuerySet:
    """The cohort's group meetings of the week, not cancelled, with their groups."""
    return (
        GroupMeeting.objects.not_cancelled()
        .filter(
            group__cohort_id=values["cohort_id"],
            starts_at__gte=values["now"],
            starts_at__lt=values["ends"],
        )
        .select_related("group")
        .order_by("starts_at", "pk")
    )

"""Reads for booking pages: a coach's availability with its windows and days off, their busy
time, what a fellow has used or booked of their entitlement, and the slot page itself. The
slot page costs the same few queries whatever the coach's caseload and history: the busy
time is read for the booking horizon only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from networks.selectors import facilitated_meeting_times

from ..models import CoachAvailability, CoachingSession, SessionStatus
from . import rules
from .slots import Slot, group_by_day, open_slots

# The longest session, so a session starting before a range but running into it is seen.
LOOKBACK = datetime.timedelta(minutes=240)


def availability_of(coach_id) -> CoachAvailability | None:
    return (
        CoachAvailability.objects.filter(profile__user_id=coach_id)
        .select_related("profile__user")
        .prefetch_related("windows", "days_off")
        .first()
    )


def busy_times(coach_id, start, end, *, exclude_session_id=None) -> list[tuple]:
    """(starts_at, ends_at) of what keeps the coach busy in [start, end): their scheduled
    coaching sessions with any fellow and the group meetings they facilitate."""
    sessions = CoachingSession.objects.filter(
        coach_id=coach_id,
        status=SessionStatus.SCHEDULED,
        starts_at__lt=end,
        starts_at__gt=start - LOOKBACK,
    )
    if exclude_session_id is not None:
        sessions = sessions.exclude(pk=exclude_session_id)
    busy = [
        (starts, starts + datetime.timedelta(minutes=minutes))
        for starts, minutes in sessions.values_list("starts_at", "duration_minutes")
    ]
    return busy + facilitated_meeting_times(coach_id, start, end)


def usage_of(enrollment, *, exclude_session_id=None) -> rules.Usage:
    """Sessions and minutes the fellow has used (completed, no-show) or booked (scheduled)."""
    sessions = CoachingSession.objects.filter(
        enrollment=enrollment, status__in=[*SessionStatus.counting(), SessionStatus.SCHEDULED]
    )
    if exclude_session_id is not None:
        sessions = sessions.exclude(pk=exclude_session_id)
    found = sessions.aggregate(
        count=Count("pk"),
        minutes=Coalesce(Sum("duration_minutes"), 0),
        booked=Count("pk", filter=Q(status=SessionStatus.SCHEDULED)),
    )
    return rules.Usage(sessions=found["count"], minutes=found["minutes"], booked=found["booked"])


@dataclass
class SlotPage:
    availability: CoachAvailability | None
    minutes: int | None
    lengths: list[int] = field(default_factory=list)
    days: list = field(default_factory=list)
    refusal: str = ""  # why nothing can be booked, in plain words
    usage: rules.Usage | None = None

    @property
    def slot_count(self) -> int:
        return sum(len(slots) for _, slots in self.days)


def slot_page(*, enrollment, coach, viewer_zone, minutes=None, now=None, moving=None) -> SlotPage:
    """What the fellow may book with `coach`, grouped by day in `viewer_zone`. `moving` is a
    session being moved: its own time is free and it does not count twice."""
    now = now or timezone.now()
    availability = availability_of(coach.pk) if coach is not None else None
    if availability is None or not availability.accepts_bookings:
        return SlotPage(availability, None, refusal=rules.NOT_OPEN)
    program = enrollment.cohort.program
    exclude = moving.pk if moving is not None else None
    usage = usage_of(enrollment, exclude_session_id=exclude)
    lengths = [
        m for m in availability.session_lengths if not rules.entitlement_refusal(program, usage, m)
    ]
    if not lengths:
        refusal = rules.entitlement_refusal(program, usage, min(availability.session_lengths))
        return SlotPage(availability, None, refusal=refusal, usage=usage)
    if minutes not in lengths:
        minutes = moving.duration_minutes if moving and moving.duration_minutes in lengths else None
    minutes = minutes or (60 if 60 in lengths else lengths[0])
    earliest, latest = rules.horizon(availability, now)
    slots = open_slots(
        windows=availability.windows.all(),
        days_off=availability.days_off.all(),
        zone=availability.zone,
        minutes=minutes,
        buffer_minutes=availability.buffer_minutes,
        earliest=earliest,
        latest=latest,
        busy=busy_times(coach.pk, earliest, latest + LOOKBACK, exclude_session_id=exclude),
        last_day=enrollment.cohort.end_date,
    )
    return SlotPage(
        availability,
        minutes,
        lengths=lengths,
        days=group_by_day(slots, viewer_zone),
        usage=usage,
    )


def is_open(*, availability, enrollment, starts_at, minutes, now, exclude_session_id=None):
    """Whether a slot of `minutes` at `starts_at` is open now (called under the coach's
    lock by the booking services)."""
    earliest, latest = rules.horizon(availability, now)
    if not earliest <= starts_at <= latest:
        return False
    candidates = open_slots(
        windows=availability.windows.all(),
        days_off=availability.days_off.all(),
        zone=availability.zone,
        minutes=minutes,
        buffer_minutes=availability.buffer_minutes,
        earliest=starts_at,
        latest=starts_at,
        busy=busy_times(
            availability.profile.user_id,
            starts_at - datetime.timedelta(days=1),
            starts_at + datetime.timedelta(days=1),
            exclude_session_id=exclude_session_id,
        ),
        last_day=enrollment.cohort.end_date,
    )
    return Slot(starts_at, minutes) in candidates

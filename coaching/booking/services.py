"""Writes of booking: a coach's availability and days off; a fellow's booking, move and
cancellation of a coaching session.

Every booking write locks the coach's availability row first (`select_for_update`), then
checks the slot against the coach's busy time and saves, so two fellows asking for the same
or overlapping times are served one after the other and the second is told the slot is gone.
Where row locks do nothing (SQLite), the unique constraint on a coach's scheduled bookings
(`coaching_coachingsession_one_booking_per_slot`) refuses the second identical booking.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.updates import model_update
from cohorts.models import EnrollmentStatus
from notifications import hooks
from notifications.ledger import event_occurrence, event_snapshot, row

from ..models import (
    AvailabilityWindow,
    CoachAssignment,
    CoachAvailability,
    CoachingSession,
    CoachProfile,
    DayOff,
    SessionMode,
    SessionStatus,
)
from ..notices import COACHING_BOOKED
from ..reminders import SUBJECT
from ..services import _check_session_dates
from . import rules
from .selectors import is_open, usage_of

AVAILABILITY_FIELDS = [
    "accepts_bookings",
    "time_zone",
    "session_lengths",
    "buffer_minutes",
    "min_notice_hours",
    "max_days_ahead",
    "video_url",
]


def availability_for(profile: CoachProfile) -> CoachAvailability:
    """The coach's availability, or a new unsaved one in their own zone with no hours."""
    found = CoachAvailability.objects.filter(profile=profile).first()
    return found or CoachAvailability(profile=profile, time_zone=profile.user.time_zone)


@transaction.atomic
def availability_save(
    *, profile: CoachProfile, data: dict, windows: list[tuple[int, datetime.time, datetime.time]]
) -> CoachAvailability:
    """Saves the coach's booking settings and replaces their weekly windows. Sessions
    already booked stay where they are."""
    availability = availability_for(profile)
    model_update(availability, data=data, fields=AVAILABILITY_FIELDS)
    availability.windows.all().delete()
    rows = [
        AvailabilityWindow(availability=availability, weekday=day, starts=starts, ends=ends)
        for day, starts, ends in windows
    ]
    for window in rows:
        window.full_clean(exclude=["availability"])
    AvailabilityWindow.objects.bulk_create(rows)
    return availability


@transaction.atomic
def day_off_add(*, profile: CoachProfile, first_day, last_day, note: str = "", now=None) -> DayOff:
    availability = availability_for(profile)
    if availability.pk is None:
        availability.full_clean()
        availability.save()
    day_off = DayOff(availability=availability, first_day=first_day, last_day=last_day, note=note)
    day_off.full_clean()
    today = (now or timezone.now()).astimezone(availability.zone).date()
    if day_off.last_day < today:
        raise ValidationError({"last_day": "Pick days off that are still to come."})
    day_off.save()
    return day_off


@transaction.atomic
def day_off_remove(*, day_off: DayOff) -> None:
    day_off.delete()


# --- Bookings ----------------------------------------------------------------------------------


def _locked_availability(coach_id) -> CoachAvailability:
    availability = (
        CoachAvailability.objects.select_for_update()
        .select_related("profile__user")
        .filter(profile__user_id=coach_id)
        .first()
    )
    if availability is None or not availability.accepts_bookings:
        raise ValidationError(rules.NOT_OPEN)
    return availability


def _check_slot(*, availability, enrollment, starts_at, minutes, now, exclude_session_id=None):
    if minutes not in availability.session_lengths:
        raise ValidationError({"duration_minutes": "Your coach does not offer this length."})
    earliest, latest = rules.horizon(availability, now)
    if starts_at < earliest:
        raise ValidationError(
            {
                "starts_at": f"Book at least {availability.min_notice_hours} hours ahead. "
                "Please pick a later time."
            }
        )
    if starts_at > latest:
        raise ValidationError(
            {
                "starts_at": f"Your coach takes bookings up to {availability.max_days_ahead} "
                "days ahead. Please pick an earlier time."
            }
        )
    if not is_open(
        availability=availability,
        enrollment=enrollment,
        starts_at=starts_at,
        minutes=minutes,
        now=now,
        exclude_session_id=exclude_session_id,
    ):
        raise ValidationError({"starts_at": rules.SLOT_GONE})


def _check_entitlement(enrollment, minutes, *, exclude_session_id=None):
    refusal = rules.entitlement_refusal(
        enrollment.cohort.program,
        usage_of(enrollment, exclude_session_id=exclude_session_id),
        minutes,
    )
    if refusal:
        raise ValidationError(refusal)


def _save_booking(session: CoachingSession, **kwargs) -> None:
    """Saves in a savepoint so the unique constraint's refusal becomes the slot-gone message."""
    try:
        with transaction.atomic():
            session.save(**kwargs)
    except IntegrityError as exc:
        # PostgreSQL names the constraint; SQLite names its columns.
        message = str(exc)
        if "one_booking_per_slot" in message or (
            "UNIQUE" in message and "coachingsession.starts_at" in message
        ):
            raise ValidationError({"starts_at": rules.SLOT_GONE}) from exc
        raise


def _booked_rows(session: CoachingSession, now) -> list:
    snapshot = event_snapshot(session)
    occurrence = event_occurrence(session.starts_at)
    fellow, coach = session.enrollment.user, session.coach
    return [
        row(
            recipient_id=user.pk,
            kind=COACHING_BOOKED.key,
            subject_type=SUBJECT,
            subject_id=session.pk,
            occurrence=occurrence,
            due_at=now,
            expires_at=session.starts_at,
            enrollment_id=enrollment_id,
            title=f"Booked: {session.calendar_title}",
            url=session.get_absolute_url(),
            payload={**snapshot, "with_name": other.display_name},
        )
        for user, enrollment_id, other in (
            (fellow, session.enrollment_id, coach),
            (coach, None, fellow),
        )
    ]


@transaction.atomic
def booking_create(
    *, enrollment, by, starts_at: datetime.datetime, duration_minutes: int, now=None
) -> CoachingSession:
    """The fellow books a slot of their coach's availability: a scheduled coaching session
    with the coach's default video link, announced to both with a calendar invitation."""
    now = now or timezone.now()
    if enrollment.user_id != by.pk or enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError("Only the fellow books their coaching sessions.")
    assignment = CoachAssignment.objects.active().filter(enrollment=enrollment).first()
    if assignment is None:
        raise ValidationError(rules.NO_COACH)
    availability = _locked_availability(assignment.coach_id)
    _check_entitlement(enrollment, duration_minutes)
    _check_slot(
        availability=availability,
        enrollment=enrollment,
        starts_at=starts_at,
        minutes=duration_minutes,
        now=now,
    )
    session = CoachingSession(
        enrollment=enrollment,
        coach=availability.profile.user,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=SessionMode.VIDEO,
        video_url=availability.video_url,
        booked_at=now,
    )
    session.full_clean()
    _check_session_dates(session, now)
    _save_booking(session)
    hooks.notify(_booked_rows(session, now))
    return session


def _check_fellow_change(session: CoachingSession, by, now) -> None:
    enrollment = session.enrollment
    if enrollment.user_id != by.pk or enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError("Only the fellow moves or cancels their own sessions here.")
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Only a scheduled session can be moved or cancelled.")
    if not rules.fellow_may_change(session, enrollment.cohort.program, now):
        raise ValidationError(rules.cutoff_refusal(enrollment.cohort.program))


@transaction.atomic
def booking_move(
    *, session: CoachingSession, by, starts_at: datetime.datetime, duration_minutes: int, now=None
) -> CoachingSession:
    """The fellow moves a scheduled session to another open slot of their coach, before the
    program's cut-off; both get an updated invitation."""
    now = now or timezone.now()
    session = (
        CoachingSession.objects.select_for_update()
        .select_related("enrollment__cohort__program", "enrollment__user", "coach")
        .get(pk=session.pk)
    )
    _check_fellow_change(session, by, now)
    if (
        not CoachAssignment.objects.active()
        .filter(enrollment=session.enrollment_id, coach=session.coach_id)
        .exists()
    ):
        raise ValidationError(
            "This session is with a coach who no longer coaches you. Cancel it and book "
            "with your current coach."
        )
    availability = _locked_availability(session.coach_id)
    _check_entitlement(session.enrollment, duration_minutes, exclude_session_id=session.pk)
    _check_slot(
        availability=availability,
        enrollment=session.enrollment,
        starts_at=starts_at,
        minutes=duration_minutes,
        now=now,
        exclude_session_id=session.pk,
    )
    session.starts_at = starts_at
    session.duration_minutes = duration_minutes
    if session.booked_at is None:
        session.booked_at = now
    session.sequence += 1
    session.full_clean()
    _check_session_dates(session, now)
    _save_booking(session)
    hooks.calendar_event_changed(session)
    return session


@transaction.atomic
def booking_cancel(*, session: CoachingSession, by, now=None) -> CoachingSession:
    """The fellow cancels a scheduled session before the program's cut-off; it no longer
    counts against their entitlement and both get a cancellation for their calendar."""
    now = now or timezone.now()
    session = (
        CoachingSession.objects.select_for_update()
        .select_related("enrollment__cohort__program", "enrollment__user", "coach")
        .get(pk=session.pk)
    )
    _check_fellow_change(session, by, now)
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = now
    session.sequence += 1
    session.full_clean()
    session.save()
    hooks.calendar_event_changed(session, cancelled=True)
    return session

"""Permission matrix of the coaching app (PRODUCT.md's coaching rows)."""

import datetime

from django.utils import timezone

from coaching.models import CoachAssignment, SessionStatus

from ..factories.coaching import CoachAvailabilityFactory, CoachingSessionFactory
from . import Case

STAFF = {"admin": 200, "staff": 200}
COACHES = {"coach": 200, "other_coach": 200}
# People who can read the cohort but not its coaching reports.
COHORT_READERS_403 = {"fellow": 403, "peer": 403, "classmate": 403}


def _session(cast, status=SessionStatus.COMPLETED):
    enrollment = cast.enrollments["fellow"]
    starts = timezone.now() + datetime.timedelta(days=3 if status == "scheduled" else -3)
    cast.coaching_session = CoachingSessionFactory(
        enrollment=enrollment, coach=cast.coach, status=status, starts_at=starts
    )


def _scheduled(cast):
    _session(cast, SessionStatus.SCHEDULED)


def _bookable(cast):
    CoachAvailabilityFactory(profile=cast.coach.coach_profile)


def _booked(cast):
    _bookable(cast)
    _scheduled(cast)


def _day_off(cast):
    availability = CoachAvailabilityFactory(profile=cast.coach.coach_profile)
    today = timezone.now().date()
    cast.day_off = availability.days_off.create(
        first_day=today + datetime.timedelta(days=7), last_day=today + datetime.timedelta(days=8)
    )


def fellow_code(cast):
    return {"code": cast.enrollments["fellow"].code}


def assignment_code(cast):
    return {
        "code": CoachAssignment.objects.active().get(enrollment=cast.enrollments["fellow"]).code
    }


def session_code(cast):
    return {"code": cast.coaching_session.code}


CASES = [
    Case("coaching:coach_home", COACHES),
    Case("coaching:session_list", COACHES),
    Case(
        "coaching:coach_detail",
        {**STAFF, "coach": 200},
        kwargs=lambda cast: {"code": cast.coach.code},
    ),
    Case(
        "coaching:coach_edit",
        {**STAFF, "coach": 200},
        kwargs=lambda cast: {"code": cast.coach.code},
    ),
    Case(
        "coaching:coach_edit",
        {**STAFF, "coach": 200},
        kwargs=lambda cast: {"code": cast.coach.code},
        method="post",
        data=lambda cast: {"capacity": "-3", "languages": ""},
        label="invalid",
    ),
    Case("coaching:coach_list", STAFF, kwargs=lambda cast: {"slug": cast.program.slug}),
    Case(
        "coaching:enrollment_coaching",
        {**STAFF, "coach": 200, "fellow": 200},
        kwargs=fellow_code,
    ),
    Case(
        "coaching:assign",
        {**STAFF, "coach": 403, "fellow": 403},
        kwargs=fellow_code,
    ),
    Case(
        "coaching:assign",
        {**STAFF, "coach": 403, "fellow": 403},
        kwargs=fellow_code,
        method="post",
        data=lambda cast: {"coach": "", "reason": ""},
        label="invalid",
    ),
    Case(
        "coaching:session_create",
        {"admin": 403, "staff": 403, "coach": 200, "fellow": 403},
        kwargs=fellow_code,
    ),
    Case(
        "coaching:session_create",
        {"admin": 403, "staff": 403, "coach": 200, "fellow": 403},
        kwargs=fellow_code,
        method="post",
        data=lambda cast: {"starts_at": "not a date", "duration_minutes": "0"},
        label="invalid",
    ),
    Case(
        "coaching:preferences",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 200},
        kwargs=fellow_code,
    ),
    Case(
        "coaching:preferences",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 302},
        kwargs=fellow_code,
        method="post",
        data=lambda cast: {"share_summaries_with_staff": "on", "languages": "English"},
        label="valid",
    ),
    Case(
        "coaching:session_detail",
        {**STAFF, "coach": 200, "fellow": 200},
        kwargs=session_code,
        setup=_session,
    ),
    Case(
        "coaching:session_edit",
        {"admin": 403, "staff": 403, "coach": 200, "fellow": 403},
        kwargs=session_code,
        setup=_session,
    ),
    Case(
        "coaching:session_edit",
        {"admin": 403, "staff": 403, "coach": 200, "fellow": 403},
        kwargs=session_code,
        setup=_session,
        method="post",
        data=lambda cast: {"starts_at": "", "duration_minutes": "900", "mode": "fax"},
        label="invalid",
    ),
    Case(
        "coaching:session_reschedule",
        {"admin": 403, "staff": 403, "coach": 200, "fellow": 403},
        kwargs=session_code,
        setup=_scheduled,
    ),
    Case(
        "coaching:session_reschedule",
        {"admin": 403, "staff": 403, "coach": 200, "fellow": 403},
        kwargs=session_code,
        setup=_scheduled,
        method="post",
        data=lambda cast: {"starts_at": "yesterday", "duration_minutes": "60"},
        label="invalid",
    ),
    Case(
        "coaching:session_cancel",
        {"admin": 403, "staff": 403, "coach": 302, "fellow": 403},
        kwargs=session_code,
        setup=_scheduled,
        method="post",
    ),
    Case(
        "coaching:session_reflection",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 200},
        kwargs=session_code,
        setup=_session,
    ),
    Case(
        "coaching:session_reflection",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 200},
        kwargs=session_code,
        setup=_session,
        method="post",
        data=lambda cast: {"fellow_reflection": "x" * 2000},
        label="invalid",
    ),
    Case(
        "coaching:coverage",
        {**STAFF, "coach": 403, "other_coach": 403, **COHORT_READERS_403},
        kwargs=lambda cast: {"code": cast.cohort.code},
    ),
    Case(
        "coaching:no_coach",
        {**STAFF, "coach": 403, "other_coach": 403, **COHORT_READERS_403},
        kwargs=lambda cast: {"code": cast.cohort.code},
    ),
    Case(
        "coaching:assign_cohort",
        {**STAFF, "coach": 403, "other_coach": 403, **COHORT_READERS_403},
        kwargs=lambda cast: {"code": cast.cohort.code},
    ),
    Case(
        "coaching:assign_cohort",
        {"admin": 200, "staff": 200, "coach": 403, "other_coach": 403, **COHORT_READERS_403},
        kwargs=lambda cast: {"code": cast.cohort.code},
        method="post",
        data=lambda cast: {f"coach_{cast.enrollments['peer'].code}": "not-a-coach"},
        label="an unknown coach",
    ),
    Case(
        "coaching:export_hours",
        {**STAFF, **COACHES, **COHORT_READERS_403},
        kwargs=lambda cast: {"code": cast.cohort.code},
    ),
    Case(
        "coaching:assignment_end",
        {**STAFF, "coach": 403, "fellow": 403},
        kwargs=assignment_code,
    ),
    Case(
        "coaching:assignment_end",
        {**STAFF, "coach": 403, "fellow": 403},
        kwargs=assignment_code,
        method="post",
        data=lambda cast: {"reason": "   "},
        label="invalid",
    ),
    Case(
        "coaching:coach_program_add",
        STAFF,
        kwargs=lambda cast: {"slug": cast.program.slug},
        method="post",
        data=lambda cast: {"email": "not an email"},
        label="invalid",
    ),
    Case(
        "coaching:coach_program_remove",
        {"admin": 302, "staff": 302},
        kwargs=lambda cast: {"slug": cast.program.slug, "code": cast.coach.code},
        method="post",
    ),
    # Booking: the coach's own settings; the fellow books, moves and cancels.
    Case("coaching:availability", COACHES),
    Case(
        "coaching:availability",
        COACHES,
        method="post",
        data=lambda cast: {"time_zone": "Nowhere/Else", "day_0": "9 to 25"},
        label="invalid",
    ),
    Case(
        "coaching:day_off_add",
        COACHES,
        method="post",
        data=lambda cast: {"first_day": "not a day", "last_day": ""},
        label="invalid",
    ),
    Case(
        "coaching:day_off_remove",
        {"coach": 302},
        kwargs=lambda cast: {"code": cast.day_off.code},
        setup=_day_off,
        method="post",
    ),
    Case(
        "coaching:book",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 200},
        kwargs=fellow_code,
        setup=_bookable,
    ),
    Case(
        "coaching:book",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 200},
        kwargs=fellow_code,
        setup=_bookable,
        method="post",
        data=lambda cast: {"starts_at": "soon", "duration_minutes": "600"},
        label="invalid",
    ),
    Case(
        "coaching:booking_move",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 200},
        kwargs=session_code,
        setup=_booked,
    ),
    Case(
        "coaching:booking_move",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 200},
        kwargs=session_code,
        setup=_booked,
        method="post",
        data=lambda cast: {"starts_at": "", "duration_minutes": "60"},
        label="invalid",
    ),
    Case(
        "coaching:booking_cancel",
        {"admin": 403, "staff": 403, "coach": 403, "fellow": 302},
        kwargs=session_code,
        setup=_scheduled,
        method="post",
    ),
]

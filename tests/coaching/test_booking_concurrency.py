"""Two fellows booking the same time at the same instant, in two transactions on two database
connections: exactly one gets it, the other is told it is gone. PostgreSQL only (SQLite
serialises all writers, so there is no race to lose there); CI runs PostgreSQL."""

import datetime
import itertools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from coaching.booking import rules, selectors, services
from coaching.models import CoachAvailability, CoachingSession

from ..factories.accounts import UserFactory
from ..factories.coaching import (
    CoachAssignmentFactory,
    CoachAvailabilityFactory,
    CoachProfileFactory,
)
from ..factories.cohorts import CohortFactory, EnrollmentFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
    ),
]


@pytest.fixture
def two_fellows():
    """One coach open for booking and two of their fellows, committed for other connections.
    The cohort year is placed around today so the slots lie within it."""
    today = timezone.now().date()
    cohort = CohortFactory(
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=300),
    )
    coach = UserFactory(full_name="Cora Concurrent")
    profile = CoachProfileFactory(user=coach, programs=[cohort.program])
    CoachAvailabilityFactory(profile=profile, buffer_minutes=0)
    fellows = []
    for name in ("Ana First", "Ben Second"):
        enrollment = EnrollmentFactory(cohort=cohort, user=UserFactory(full_name=name))
        CoachAssignmentFactory(coach=coach, enrollment=enrollment)
        fellows.append(enrollment)
    return coach, fellows


def _first_slots(enrollment, coach, count=2):
    page = selectors.slot_page(
        enrollment=enrollment, coach=coach, viewer_zone=datetime.UTC, minutes=60
    )
    return [slot.starts_at for _, slots in page.days for slot, _ in slots][:count]


def _race(fellows, starts, *, before_insert=None):
    """Each fellow books `starts[i]` in their own thread and connection, released together."""
    start_line = threading.Barrier(len(fellows))
    outcome = {}

    def book(enrollment, starts_at):
        try:
            start_line.wait(timeout=10)
            outcome[enrollment.pk] = services.booking_create(
                enrollment=enrollment,
                by=enrollment.user,
                starts_at=starts_at,
                duration_minutes=60,
            )
        except ValidationError as exc:
            outcome[enrollment.pk] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=book, args=(enrollment, starts_at))
        for enrollment, starts_at in zip(fellows, starts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcome


def _one_booked_one_told(outcome, fellows):
    booked = [v for v in outcome.values() if isinstance(v, CoachingSession)]
    refused = [v for v in outcome.values() if isinstance(v, ValidationError)]
    assert len(booked) == 1, outcome
    assert len(refused) == 1, outcome
    assert rules.SLOT_GONE in refused[0].messages
    assert CoachingSession.objects.filter(enrollment__in=fellows).count() == 1


def test_two_fellows_booking_one_slot_at_once_one_gets_it(two_fellows):
    coach, fellows = two_fellows
    (slot,) = _first_slots(fellows[0], coach, 1)
    outcome = _race(fellows, [slot, slot])
    _one_booked_one_told(outcome, fellows)


def test_overlapping_slots_booked_at_once_go_to_one_fellow(two_fellows):
    """9:00 and 9:30 for an hour each: different starts, so only the lock on the coach's
    availability keeps the second from overlapping the first."""
    coach, fellows = two_fellows
    # The first two open times 30 minutes apart (the first of all may be a day's last).
    slots = _first_slots(fellows[0], coach, 40)
    first, second = next(
        (a, b) for a, b in itertools.pairwise(slots) if b - a == datetime.timedelta(minutes=30)
    )
    outcome = _race(fellows, [first, second])
    _one_booked_one_told(outcome, fellows)


def test_the_database_alone_refuses_the_second_booking(two_fellows, monkeypatch):
    """With the lock taken away and both transactions past every check before either saves,
    the unique constraint still lets only one booking in."""
    coach, fellows = two_fellows
    (slot,) = _first_slots(fellows[0], coach, 1)
    both_checked = threading.Barrier(2)
    original = services.is_open

    def checked_then_wait(**kwargs):
        answer = original(**kwargs)
        both_checked.wait(timeout=10)
        return answer

    def unlocked(coach_id):
        return (
            CoachAvailability.objects.select_related("profile__user")
            .filter(profile__user_id=coach_id)
            .first()
        )

    monkeypatch.setattr(services, "is_open", checked_then_wait)
    monkeypatch.setattr(services, "_locked_availability", unlocked)
    outcome = _race(fellows, [slot, slot])
    _one_booked_one_told(outcome, fellows)

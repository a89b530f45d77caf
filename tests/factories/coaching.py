import datetime

import factory
from django.utils import timezone

from coaching.models import (
    AvailabilityWindow,
    CoachAssignment,
    CoachAvailability,
    CoachingPreferences,
    CoachingSession,
    CoachProfile,
    PrivateNote,
    SessionMode,
    SessionStatus,
)

from .accounts import UserFactory
from .cohorts import EnrollmentFactory


class CoachProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    capacity = 6

    @factory.post_generation
    def programs(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.programs.add(*extracted)


class CoachAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachAssignment

    coach = factory.SubFactory(UserFactory)
    enrollment = factory.SubFactory(EnrollmentFactory)
    started_at = factory.LazyFunction(timezone.now)


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    """A session between the enrollment's coach and fellow; pass `coach` to match an
    assignment. Completed a week ago by default."""

    class Meta:
        model = CoachingSession
        skip_postgeneration_save = True

    enrollment = factory.SubFactory(EnrollmentFactory)
    coach = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    duration_minutes = 60
    mode = SessionMode.VIDEO
    status = SessionStatus.COMPLETED
    topics = "Stakeholder mapping"
    shared_summary = "We mapped the stakeholders of the Medicaid waiver."
    cancelled_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == SessionStatus.CANCELLED else None
    )

    @factory.post_generation
    def competencies(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.competencies.add(*extracted)


class PrivateNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivateNote

    session = factory.SubFactory(CoachingSessionFactory)
    author = factory.LazyAttribute(lambda o: o.session.coach)
    body = "Private: seemed exhausted, mentioned conflict with the deputy."


class CoachingPreferencesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingPreferences
        django_get_or_create = ("enrollment",)

    enrollment = factory.SubFactory(EnrollmentFactory)
    share_summaries_with_staff = False


class CoachAvailabilityFactory(factory.django.DjangoModelFactory):
    """Bookable on weekdays 9:00–12:00 (pass `hours=[(weekday, "09:00", "12:00"), ...]`
    for others), in New York time, sessions of 30 or 60 minutes, 15 minutes apart, from a
    day to four weeks ahead."""

    class Meta:
        model = CoachAvailability
        skip_postgeneration_save = True

    profile = factory.SubFactory(CoachProfileFactory)
    time_zone = "America/New_York"
    session_lengths = factory.LazyFunction(lambda: [30, 60])
    buffer_minutes = 15
    min_notice_hours = 24
    max_days_ahead = 28
    video_url = "https://meet.example.org/coach"

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):
        if not create:
            return
        spans = extracted if extracted is not None else [(d, "09:00", "12:00") for d in range(5)]
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(
                availability=obj,
                weekday=day,
                starts=datetime.time.fromisoformat(starts),
                ends=datetime.time.fromisoformat(ends),
            )
            for day, starts, ends in spans
        )

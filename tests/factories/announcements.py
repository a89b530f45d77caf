import datetime

import factory

from announcements.models import Announcement, Audience

from .cohorts import CohortFactory


class AnnouncementFactory(factory.django.DjangoModelFactory):
    """An announcement to a cohort, sent at the start of its cohort's year (so in the past
    while the test clock is in the cohort's year)."""

    class Meta:
        model = Announcement

    cohort = factory.SubFactory(CohortFactory)
    program = factory.LazyAttribute(lambda o: o.cohort.program if o.cohort else None)
    audience = Audience.COHORT
    peer_group = None
    title = factory.Sequence(lambda n: f"Announcement {n}")
    body = "The seminar moves to **room 4**."
    send_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(
            (o.cohort.start_date if o.cohort else datetime.date(2026, 9, 1)),
            datetime.time(15, 0),
            tzinfo=datetime.UTC,
        )
    )

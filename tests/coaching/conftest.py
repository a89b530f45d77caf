import itertools

import pytest

from curriculum.models import Competency, CompetencyDomain, CompetencyFramework
from tests.factories.accounts import UserFactory
from tests.factories.coaching import (
    CoachAssignmentFactory,
    CoachingSessionFactory,
    CoachProfileFactory,
)
from tests.factories.cohorts import EnrollmentFactory

_counter = itertools.count()


@pytest.fixture
def competencies(cast):
    """Four competencies of a framework the cast cohort uses."""
    framework = CompetencyFramework.objects.create(name="Equity leadership", slug="equity-lead")
    domain = CompetencyDomain.objects.create(framework=framework, name="Leading change")
    cast.cohort.framework = framework
    cast.cohort.save()
    names = ["Systems thinking", "Advancing equity", "Building coalitions", "Adaptive strategy"]
    return [Competency.objects.create(domain=domain, name=n, order=i) for i, n in enumerate(names)]


@pytest.fixture
def grow_coach(cast):
    """grow_coach(n): n more fellows for the cast coach, each with three sessions."""

    def grow(n):
        for _ in range(n):
            i = next(_counter)
            enrollment = EnrollmentFactory(cohort=cast.cohort, agency=f"Grown agency {i}")
            CoachAssignmentFactory(coach=cast.coach, enrollment=enrollment)
            for status in ("completed", "no_show", "scheduled"):
                CoachingSessionFactory(enrollment=enrollment, coach=cast.coach, status=status)

    return grow


@pytest.fixture
def grow_cohort(cast):
    """grow_cohort(n): n more coached fellows with sessions and n without a coach."""

    def grow(n):
        for _ in range(n):
            i = next(_counter)
            coach = CoachProfileFactory(
                user=UserFactory(full_name=f"Extra Coach {i}"), programs=[cast.program]
            ).user
            enrollment = EnrollmentFactory(cohort=cast.cohort, agency=f"Grown agency {i}")
            CoachAssignmentFactory(coach=coach, enrollment=enrollment)
            CoachingSessionFactory(enrollment=enrollment, coach=coach)
            CoachingSessionFactory(enrollment=enrollment, coach=coach, status="scheduled")
            EnrollmentFactory(cohort=cast.cohort, agency=f"Uncoached agency {i}")

    return grow

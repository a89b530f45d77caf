"""Roster and directory pages cost the same number of queries at 30 and at 300 fellows."""

import pytest
from django.urls import reverse

from cohorts.models import InvitationRole, Visibility
from tests.factories.cohorts import (
    CohortFactory,
    EnrollmentFactory,
    InvitationFactory,
    ParticipantProfileFactory,
)
from tests.queries import assert_stable_queries

FELLOWS = 30


def add_fellows(cohort, count):
    """Fellows as they come: some with a profile and photo, some invited with a pending link."""
    for n in range(count):
        status = "invited" if n % 5 == 0 else "active"
        enrollment = EnrollmentFactory(cohort=cohort, status=status, directory_opt_in=n % 3 != 0)
        if n % 2:
            ParticipantProfileFactory(
                user=enrollment.user,
                photo=f"profile-photos/{n}.png",
                state_visibility=Visibility.NETWORK,
            )
        if status == "invited":
            InvitationFactory(
                program=cohort.program,
                user=enrollment.user,
                role=InvitationRole.FELLOW,
                enrollment=enrollment,
            )


@pytest.fixture
def cohort(cast):
    cohort = CohortFactory(program=cast.program, name="2027–2028 cohort")
    add_fellows(cohort, FELLOWS)
    return cohort


def _grow(cohort):
    return lambda times: add_fellows(cohort, FELLOWS * times)


def test_the_staff_roster_does_not_grow_with_the_cohort(cast, client_for, cohort):
    client = client_for("staff")
    url = reverse("cohorts:roster", kwargs={"code": cohort.code})
    assert_stable_queries(lambda: client.get(url), _grow(cohort), factor=10)


def test_a_filtered_roster_does_not_grow_with_the_cohort(cast, client_for, cohort):
    client = client_for("staff")
    url = reverse("cohorts:roster", kwargs={"code": cohort.code}) + "?status=active&q=a"
    assert_stable_queries(lambda: client.get(url), _grow(cohort), factor=10)


def test_a_members_roster_does_not_grow_with_the_cohort(cast, client_for, cohort):
    member = EnrollmentFactory(cohort=cohort, status="active").user
    client = client_for("anonymous")
    client.force_login(member)
    url = reverse("cohorts:roster", kwargs={"code": cohort.code})
    assert_stable_queries(lambda: client.get(url), _grow(cohort), factor=10)


@pytest.mark.parametrize("role", ["staff", "fellow", "alumnus"])
def test_the_directory_does_not_grow_with_the_program(cast, client_for, cohort, role):
    client = client_for(role)
    url = reverse("cohorts:directory", kwargs={"slug": cast.program.slug}) + "?state=HI"
    assert_stable_queries(lambda: client.get(url), _grow(cohort), factor=10)
    response = client.get(reverse("cohorts:directory", kwargs={"slug": cast.program.slug}))
    assert response.context["page"].paginator.count > FELLOWS * 5


def test_the_cohort_and_program_pages_do_not_grow(cast, client_for, cohort):
    client = client_for("staff")
    urls = [cohort.get_absolute_url(), cast.program.get_absolute_url()]
    assert_stable_queries(lambda: [client.get(u) for u in urls][-1], _grow(cohort), factor=10)

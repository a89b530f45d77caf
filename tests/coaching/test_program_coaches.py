"""Staff add coaches to their program and take them off it (coaching:coach_list)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachAssignment
from tests.factories.accounts import UserFactory
from tests.factories.coaching import CoachAssignmentFactory, CoachProfileFactory
from tests.factories.cohorts import EnrollmentFactory
from tests.queries import assert_stable_queries


def _list(cast, client):
    return client.get(reverse("coaching:coach_list", args=[cast.program.slug])).content.decode()


def test_staff_add_an_existing_coach_of_another_program(cast, client_for):
    outsider = CoachProfileFactory(
        user=UserFactory(full_name="Olga Outside", email="olga@example.org"),
        programs=[cast.other_program],
    )
    client = client_for("staff")
    assert "Olga Outside" not in _list(cast, client)
    response = client.post(
        reverse("coaching:coach_program_add", args=[cast.program.slug]),
        {"email": "OLGA@example.org"},
    )
    assert response.status_code == 302
    assert set(outsider.programs.all()) == {cast.program, cast.other_program}
    assert "Olga Outside" in _list(cast, client)


def test_adding_refuses_bad_input_next_to_the_field(cast, client_for):
    UserFactory(email="not-a-coach@example.org")
    client = client_for("staff")
    url = reverse("coaching:coach_program_add", args=[cast.program.slug])
    for email, message in [
        ("", "This field is required."),
        ("nonsense", "Enter a valid email address."),
        ("not-a-coach@example.org", "No coach has this email."),
        (cast.coach.email, "already coaches for"),
    ]:
        response = client.post(url, {"email": email})
        assert response.status_code == 200, email
        body = response.content.decode()
        assert message in body, email
        assert "is-invalid" in body, email
    assert list(cast.coach.coach_profile.programs.all()) == [cast.program]


def test_removing_is_refused_while_the_coach_has_fellows_in_the_program(cast, client_for):
    client = client_for("staff")
    url = reverse("coaching:coach_program_remove", args=[cast.program.slug, cast.coach.code])
    response = client.post(url, follow=True)
    body = response.content.decode()
    assert "Cora Coach still coaches 1 fellow in" in body
    assert "End or change those assignments first." in body
    assert list(cast.coach.coach_profile.programs.all()) == [cast.program]

    # Once the assignment has ended, the program comes off the profile; history stays.
    assignment = CoachAssignment.objects.active().get(coach=cast.coach)
    assignment.ended_at = timezone.now()
    assignment.save()
    body = client.post(url, follow=True).content.decode()
    assert "no longer coaches for" in body
    assert not cast.coach.coach_profile.programs.exists()
    assert CoachAssignment.objects.filter(coach=cast.coach).count() == 1


def test_active_fellows_in_another_program_do_not_block_removal(cast, client_for):
    profile = CoachProfileFactory(programs=[cast.program, cast.other_program])
    CoachAssignmentFactory(
        coach=profile.user, enrollment=EnrollmentFactory(cohort=cast.other_cohort)
    )
    url = reverse("coaching:coach_program_remove", args=[cast.program.slug, profile.user.code])
    assert client_for("staff").post(url).status_code == 302
    assert list(profile.programs.all()) == [cast.other_program]


def test_staff_of_another_program_cannot_add_or_remove_here(cast, client_for):
    client = client_for("other_staff")
    remove = reverse("coaching:coach_program_remove", args=[cast.program.slug, cast.coach.code])
    add = reverse("coaching:coach_program_add", args=[cast.program.slug])
    assert client.post(remove).status_code == 404
    assert client.post(add, {"email": cast.other_coach.email}).status_code == 404
    # A coach who is not in the program cannot be "removed" from it either.
    other = CoachProfileFactory(programs=[cast.other_program])
    url = reverse("coaching:coach_program_remove", args=[cast.program.slug, other.user.code])
    assert client_for("staff").post(url).status_code == 404
    assert client_for("staff").get(remove).status_code == 405


def test_coach_list_shows_fellows_here_and_keeps_its_query_count(cast, client_for, grow_cohort):
    profile = CoachProfileFactory(
        user=UserFactory(full_name="Busy Both"), programs=[cast.program, cast.other_program]
    )
    CoachAssignmentFactory(coach=profile.user, enrollment=EnrollmentFactory(cohort=cast.cohort))
    for _ in range(2):
        CoachAssignmentFactory(
            coach=profile.user, enrollment=EnrollmentFactory(cohort=cast.other_cohort)
        )
    CoachAssignmentFactory(  # ended: counts nowhere
        coach=profile.user,
        enrollment=EnrollmentFactory(cohort=cast.cohort),
        started_at=timezone.now() - datetime.timedelta(days=30),
        ended_at=timezone.now() - datetime.timedelta(days=1),
    )
    client = client_for("staff")
    body = _list(cast, client)
    assert "3 of 6 <span" in body and "(1 here)" in body
    url = reverse("coaching:coach_list", args=[cast.program.slug])
    assert_stable_queries(lambda: client.get(url), grow_cohort)

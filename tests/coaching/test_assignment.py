import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachAssignment
from coaching.services import coach_assign
from tests.factories.accounts import UserFactory
from tests.factories.coaching import CoachAssignmentFactory, CoachProfileFactory
from tests.queries import assert_stable_queries


def test_database_allows_one_active_assignment_per_fellow(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachAssignment.objects.create(
            coach=cast.other_coach,
            enrollment=cast.enrollments["fellow"],
            started_at=timezone.now(),
        )
    # Ended assignments are history, and any number of them may exist.
    CoachAssignmentFactory(
        coach=cast.other_coach,
        enrollment=cast.enrollments["fellow"],
        started_at=timezone.now() - datetime.timedelta(days=90),
        ended_at=timezone.now() - datetime.timedelta(days=60),
    )
    assert CoachAssignment.objects.filter(enrollment=cast.enrollments["fellow"]).count() == 2


def test_an_assignment_cannot_end_before_it_starts(cast):
    assignment = CoachAssignment.objects.active().get(enrollment=cast.enrollments["fellow"])
    assignment.ended_at = assignment.started_at - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        assignment.save()


def test_reassignment_ends_the_old_one_and_keeps_history(cast):
    fellow = cast.enrollments["fellow"]
    old = CoachAssignment.objects.active().get(enrollment=fellow)
    new = coach_assign(
        enrollment=fellow,
        coach=cast.other_coach,
        assigned_by=cast.staff,
        reason="Schedules did not fit",
    )
    old.refresh_from_db()
    assert old.ended_at == new.started_at
    assert old.end_reason == "Schedules did not fit"
    assert CoachAssignment.objects.active().get(enrollment=fellow) == new
    assert new.assigned_by == cast.staff
    assert list(CoachAssignment.objects.filter(enrollment=fellow).order_by("started_at")) == [
        old,
        new,
    ]


def test_reassignment_needs_a_reason_and_changes_nothing_without_one(cast):
    fellow = cast.enrollments["fellow"]
    with pytest.raises(ValidationError) as exc:
        coach_assign(enrollment=fellow, coach=cast.other_coach, assigned_by=cast.staff)
    assert "reason" in exc.value.message_dict
    assert CoachAssignment.objects.active().get(enrollment=fellow).coach == cast.coach


def test_assign_refuses_conflict_full_same_and_outside_coaches(cast):
    fellow = cast.enrollments["peer"]
    conflicted = CoachProfileFactory(programs=[cast.program], affiliations="Puerto Rico Health")
    full = CoachProfileFactory(programs=[cast.program], capacity=1)
    CoachAssignmentFactory(coach=full.user, enrollment=cast.enrollments["withdrawn"])
    outsider = CoachProfileFactory(programs=[cast.other_program])
    for coach, words in [
        (conflicted.user, "conflict of interest"),
        (full.user, "no capacity left"),
        (outsider.user, "does not coach for the program"),
        (UserFactory(), "does not coach for the program"),
    ]:
        with pytest.raises(ValidationError) as exc:
            coach_assign(enrollment=fellow, coach=coach, assigned_by=cast.staff)
        assert words in str(exc.value)
    with pytest.raises(ValidationError, match="already"):
        coach_assign(enrollment=cast.enrollments["fellow"], coach=cast.coach, assigned_by=None)
    assert not CoachAssignment.objects.active().filter(enrollment=fellow).exists()


def test_staff_reassign_from_the_page_and_see_the_history(cast, client_for):
    client = client_for("staff")
    fellow = cast.enrollments["fellow"]
    url = reverse("coaching:assign", args=[fellow.code])
    response = client.post(url, {"coach": str(cast.other_coach.code), "reason": ""})
    assert response.status_code == 200
    assert "Say why the fellow changes coach." in response.content.decode()

    response = client.post(url, {"coach": str(cast.other_coach.code), "reason": "Moved to PT"})
    assert response.status_code == 302
    body = client.get(reverse("coaching:enrollment_coaching", args=[fellow.code])).content.decode()
    assert "Otto Othercoach" in body
    assert "Cora Coach" in body and "Moved to PT" in body


def test_choosing_no_coach_is_refused_next_to_the_field(cast, client_for):
    url = reverse("coaching:assign", args=[cast.enrollments["peer"].code])
    response = client_for("staff").post(url, {"coach": "not-a-coach"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a valid choice" in body
    # The error summary's link leads to the first coach one may choose.
    assert 'href="#id_coach_0"' in body
    assert 'type="radio" name="coach" id="id_coach_0"' in body


def test_staff_see_fellows_with_no_coach(cast, client_for):
    body = client_for("staff").get(reverse("coaching:no_coach", args=[cast.cohort.code]))
    body = body.content.decode()
    assert "Pedro Peer" in body
    assert "Fiona Fellow" not in body  # has a coach
    assert "Will Withdrawn" not in body  # not an active fellow


def test_no_coach_page_query_count_is_stable(cast, client_for, grow_cohort):
    client = client_for("staff")
    url = reverse("coaching:no_coach", args=[cast.cohort.code])
    assert_stable_queries(lambda: client.get(url), grow_cohort)


def test_assign_page_query_count_is_stable(cast, client_for):
    client = client_for("staff")
    url = reverse("coaching:assign", args=[cast.enrollments["peer"].code])

    def grow(n):
        for _ in range(n):
            profile = CoachProfileFactory(programs=[cast.program], languages="English, Tagalog")
            CoachAssignmentFactory(coach=profile.user)

    assert_stable_queries(lambda: client.get(url), grow)


def _active(cast):
    return CoachAssignment.objects.active().get(enrollment=cast.enrollments["fellow"])


def test_staff_end_an_assignment_and_the_fellow_has_no_coach(cast, client_for):
    assignment = _active(cast)
    client = client_for("staff")
    url = reverse("coaching:assignment_end", args=[assignment.code])
    page = client.get(url).content.decode()
    assert "s coaching of Fiona Fellow</h1>" in page
    assert "<h1>End Cora Coach" in page
    no_coach = reverse("coaching:no_coach", args=[cast.cohort.code])
    assert "Fiona Fellow" not in client.get(no_coach).content.decode()

    response = client.post(url, {"reason": "The coach left the program"})
    assert response.status_code == 302
    assert response["Location"] == no_coach
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert assignment.end_reason == "The coach left the program"
    assert "Fiona Fellow" in client.get(no_coach).content.decode()
    history = reverse("coaching:enrollment_coaching", args=[cast.enrollments["fellow"].code])
    assert "(The coach left the program)" in client.get(history).content.decode()
    # The coach is no longer the fellow's coach: the page is closed to them.
    assert client_for("coach").get(history).status_code == 404

    # Ending it again changes nothing and says so.
    response = client.post(url, {"reason": "again"}, follow=True)
    assert "This assignment has already ended." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.end_reason == "The coach left the program"


def test_ending_needs_a_reason_and_saves_nothing_without_one(cast, client_for):
    assignment = _active(cast)
    url = reverse("coaching:assignment_end", args=[assignment.code])
    for reason in ("", "   ", "x" * 301):
        response = client_for("staff").post(url, {"reason": reason})
        assert response.status_code == 200
        body = response.content.decode()
        assert "invalid-feedback" in body or "is-invalid" in body, reason
    assignment.refresh_from_db()
    assert assignment.ended_at is None
    assert (
        "Say why the assignment ends."
        in client_for("staff").post(url, {"reason": " "}).content.decode()
    )


def test_the_service_refuses_to_end_twice(cast):
    from coaching.services import coach_assignment_end

    assignment = _active(cast)
    coach_assignment_end(assignment=assignment, reason="Moved away")
    stale = CoachAssignment.objects.get(pk=assignment.pk)
    stale.ended_at = None  # a stale copy, as a second browser tab would hold
    with pytest.raises(ValidationError, match="already ended"):
        coach_assignment_end(assignment=stale, reason="Again")
    assignment.refresh_from_db()
    assert assignment.end_reason == "Moved away"


def test_end_assignment_page_query_count_is_stable(cast, client_for):
    assignment = _active(cast)
    url = reverse("coaching:assignment_end", args=[assignment.code])
    client = client_for("staff")

    def grow(n):
        for _ in range(n):
            CoachAssignmentFactory(
                coach=cast.other_coach,
                enrollment=cast.enrollments["fellow"],
                started_at=timezone.now() - datetime.timedelta(days=90),
                ended_at=timezone.now() - datetime.timedelta(days=60),
            )

    assert_stable_queries(lambda: client.get(url), grow)

from django.utils import timezone

from accounts import roles
from coaching.models import CoachAssignment
from tests.factories.accounts import UserFactory


def test_program_staff(cast):
    assert roles.is_program_staff(cast.staff, cast.program)
    assert not roles.is_program_staff(cast.other_staff, cast.program)
    assert roles.is_program_staff(cast.admin, cast.other_program)


def test_active_coach_only_while_assigned(cast):
    enrollment = cast.enrollments["fellow"]
    assert roles.is_active_coach_of(cast.coach, enrollment)
    assert not roles.is_active_coach_of(cast.other_coach, enrollment)
    CoachAssignment.objects.filter(enrollment=enrollment).update(ended_at=timezone.now())
    assert not roles.is_active_coach_of(cast.coach, enrollment)


def test_peer_group(cast):
    fellow = cast.enrollments["fellow"]
    assert roles.shares_peer_group(cast.peer, fellow)
    assert not roles.shares_peer_group(cast.classmate, fellow)
    assert not roles.shares_peer_group(cast.fellow, fellow)  # not one's own peer


def test_who_reads_the_cohort(cast):
    readers = {
        role
        for role in ["admin", "staff", "coach", "other_coach", "fellow", "peer", "classmate"]
        if roles.can_read_cohort(cast.user(role), cast.cohort)
    }
    assert len(readers) == 7
    for role in ["other_staff", "other_cohort_fellow", "alumnus", "withdrawn"]:
        assert not roles.can_read_cohort(cast.user(role), cast.cohort), role
    assert roles.can_read_cohort(cast.alumnus, cast.past_cohort)
    assert not roles.can_read_cohort(UserFactory(), cast.cohort)


def test_viewer_roles(cast):
    assert roles.viewer_roles(cast.staff).staff
    assert roles.viewer_roles(cast.coach).coach
    assert roles.viewer_roles(cast.fellow).fellow
    assert roles.viewer_roles(cast.alumnus).fellow
    assert not roles.viewer_roles(cast.withdrawn).any

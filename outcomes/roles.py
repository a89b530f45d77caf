"""Role questions about outcomes data (PRODUCT.md: "results (outcomes)" and "self-identified
demographics" rows). Object access is decided in access.py from these answers."""

from __future__ import annotations

from cohorts import roles as cohort_roles
from cohorts.models import Enrollment, EnrollmentStatus


def owns_plan(user, plan) -> bool:
    """The plan is the user's and they still belong to its cohort (active or alumnus)."""
    enrollment = plan.enrollment
    return cohort_roles.is_fellow_of(user, enrollment) and (
        enrollment.status in EnrollmentStatus.with_cohort_access()
    )


def records_results_on(user, plan) -> bool:
    """The fellow (alumni too: results keep coming after the year) and program staff, who
    may record a result on the fellow's behalf."""
    return owns_plan(user, plan) or cohort_roles.is_cohort_staff(user, plan.enrollment.cohort)


def reads_every_result_of(user, plan) -> bool:
    """Staff, the assigned coach and the fellow read every result, whatever its consent;
    anyone else who may read the plan sees only the results the fellow made public."""
    enrollment = plan.enrollment
    return (
        cohort_roles.is_cohort_staff(user, enrollment.cohort)
        or owns_plan(user, plan)
        or cohort_roles.is_active_coach_of(user, enrollment)
    )


def reads_demographics_of(user, person) -> bool:
    """Program staff of a program the person is (or was) enrolled in, and site admins."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Enrollment.objects.filter(
        user=person, cohort__program_id__in=cohort_roles.staff_program_ids(user)
    ).exists()


def answers_demographics(user) -> bool:
    """Fellows and alumni are asked; anyone else has nothing to answer."""
    return user.is_authenticated and user.enrollments.with_cohort_access().exists()

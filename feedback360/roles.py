"""Role questions about 360° feedback (PRODUCT.md: the fellow reads their own report; the
coach only if the fellow shares it; staff see cohort aggregates only; raters only their own
answers, through their link)."""

from __future__ import annotations

from coaching import roles as coaching_roles
from cohorts import roles
from cohorts.models import EnrollmentStatus


def owns_circle(user, circle) -> bool:
    """The fellow whose raters these are (while they have cohort access)."""
    enrollment = circle.enrollment
    return (
        roles.is_fellow_of(user, enrollment)
        and enrollment.status in EnrollmentStatus.with_cohort_access()
    )


def coach_reads_report(user, circle) -> bool:
    """The fellow's active coach, once the fellow has shared this report."""
    return circle.is_shared_with_coach and coaching_roles.is_active_coach_of(
        user, circle.enrollment
    )


def knows_of_fellow(user, circle) -> bool:
    """May know the fellow exists (so is told 403, not 404): their program's staff and their
    active coach."""
    return roles.is_cohort_staff(user, circle.window.cohort) or coaching_roles.is_active_coach_of(
        user, circle.enrollment
    )

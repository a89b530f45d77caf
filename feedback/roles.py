"""Role questions about feedback data. Object access is decided in access.py from these."""

from __future__ import annotations

from coaching import roles as coaching_roles
from cohorts import roles as cohort_roles


def reads_results_of_cohort(user, cohort) -> bool:
    """Program staff (and site admins) read a cohort's evaluation and survey results."""
    return cohort_roles.is_cohort_staff(user, cohort)


def reads_results_of_program(user, program) -> bool:
    return cohort_roles.is_program_staff(user, program)


def reads_own_coaching_figures(user) -> bool:
    """A coach reads the averages of the feedback about themselves (never single answers)."""
    return coaching_roles.is_coach(user)


def builds_forms_of_program(user, program) -> bool:
    """Program staff (and site admins) keep the question bank and build forms from it."""
    return cohort_roles.is_program_staff(user, program)


def sets_up_feedback_of_cohort(user, cohort) -> bool:
    """Program staff attach evaluations to a cohort's sessions and open its surveys."""
    return cohort_roles.is_cohort_staff(user, cohort)

"""Role questions about coaching's data: who coaches whom.

Apps below coaching ask these through `cohorts.roles` (is_active_coach_of,
coaches_in_cohort, can_read_cohort, works_in_program); coaching registers the answers there
in its `AppConfig.ready()`. Apps above coaching may import this module directly.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.roles import RequestProbe, joined_values, parse_ids

from .models import CoachAssignment, CoachProfile


def is_coach(user) -> bool:
    """Has a coach profile (coaches someone, or may be assigned)."""
    if not user.is_authenticated:
        return False
    return CoachProfile.objects.filter(user=user).exists()


def is_active_coach_of(user, enrollment) -> bool:
    if not user.is_authenticated or enrollment is None:
        return False
    coached = getattr(user, "_cw_coached_enrollments", None)
    if coached is not None:  # asked with the navigation's roles (`coaching_probes`)
        return enrollment.pk in coached
    return CoachAssignment.objects.active().filter(coach=user, enrollment=enrollment).exists()


def coaches_in_cohort(user, cohort) -> bool:
    """The user is the active coach of at least one fellow in the cohort."""
    if not user.is_authenticated or cohort is None:
        return False
    coached = getattr(user, "_cw_coached_cohorts", None)
    if coached is not None:  # asked with the navigation's roles (`coaching_probes`)
        return cohort.pk in coached
    return CoachAssignment.objects.active().filter(coach=user, enrollment__cohort=cohort).exists()


def coached_enrollments_probe(request, match):
    """The enrollments and cohorts the viewer coaches now, asked in the navigation's query
    (a request probe of accounts.roles.viewer_roles): the access checks of plans, fellows'
    pages and dashboards ask them next, often more than once per page."""
    user = request.user

    def answer(request, ids):
        user._cw_coached_enrollments = parse_ids(ids)

    return RequestProbe(_coached_enrollment_ids, answer, {"user_id": user.pk})


def _coached_enrollment_ids(user_id):
    active = CoachAssignment.objects.active().filter(coach_id=user_id)
    return joined_values(active, "enrollment_id")


def coached_cohorts_probe(request, match):
    user = request.user

    def answer(request, ids):
        user._cw_coached_cohorts = parse_ids(ids)

    return RequestProbe(_coached_cohort_ids, answer, {"user_id": user.pk})


def _coached_cohort_ids(user_id):
    active = CoachAssignment.objects.active().filter(coach_id=user_id)
    return joined_values(active, "enrollment__cohort_id")


def is_program_coach(user, program) -> bool:
    """One of the program's coaches (whether or not they coach anyone yet)."""
    return CoachProfile.objects.filter(user=user, programs=program).exists()


def coaches_in_program(user, program) -> bool:
    """A coach of the program, or the active coach of one of its fellows."""
    if not user.is_authenticated or program is None:
        return False
    return (
        is_program_coach(user, program)
        or CoachAssignment.objects.active()
        .filter(coach=user, enrollment__cohort__program=program)
        .exists()
    )


def mfa_coach_rows(user_id: int):
    """Coach profiles in a program that asks its coaches to use two-factor authentication
    (accounts.roles.register_mfa_rule)."""
    return CoachProfile.objects.filter(user_id=user_id, programs__coaches_need_mfa=True)


def navigation_coach_rows(user_id: int):
    """The navigation's coach links (accounts.roles.viewer_roles)."""
    return CoachProfile.objects.filter(user_id=user_id)


def home_program_rows(user_id) -> Q:
    """Programs a coach works in, as a filter on Program (cohorts/terms.py asks)."""
    return Q(coaches__user_id=user_id)

"""Access helpers: the first call of every cohorts view. Outsiders get 404; people who may
read but not manage get 403 from the views that change things."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import roles

from .models import Cohort, Enrollment, Program


def get_program_for_staff(user, slug) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None or not roles.is_program_staff(user, program):
        raise Http404("No such program.")
    return program


def get_cohort_for_viewer(user, code) -> tuple[Cohort, bool]:
    """The cohort and whether the viewer may manage it."""
    cohort = Cohort.objects.select_related("program", "framework").filter(code=code).first()
    if cohort is None or not roles.can_read_cohort(user, cohort):
        raise Http404("No such cohort.")
    return cohort, roles.is_cohort_staff(user, cohort)


def get_cohort_for_staff(user, code) -> Cohort:
    cohort, can_manage = get_cohort_for_viewer(user, code)
    if not can_manage:
        raise PermissionDenied("Only program staff can change this cohort.")
    return cohort


def get_enrollment_for_viewer(user, code) -> tuple[Enrollment, bool]:
    """An enrollment record: staff manage, the assigned coach and the fellow read."""
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "user").filter(code=code).first()
    )
    if enrollment is None:
        raise Http404("No such participant.")
    can_manage = roles.is_cohort_staff(user, enrollment.cohort)
    if not (
        can_manage
        or roles.is_fellow_of(user, enrollment)
        or roles.is_active_coach_of(user, enrollment)
    ):
        raise Http404("No such participant.")
    return enrollment, can_manage

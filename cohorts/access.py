"""Access helpers: the first call of every cohorts view. Outsiders get 404; people who may
read but not manage get 403 from the views that change things."""

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.access import Access, ManagePermissions
from accounts.compiled import CompiledQuery
from accounts.models import User
from accounts.viewer import Viewer

from . import roles
from .models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    Invitation,
    ParticipantProfile,
    Program,
    ProgramStaff,
    RosterImport,
    Visibility,
)
from .selectors import enrollments_of_user


def get_program_for_staff(user: Viewer, slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None or not roles.is_program_staff(user, program):
        raise Http404("No such program.")
    return program


def get_staff_membership_for_staff(user: Viewer, slug: str, user_code: UUID | str) -> ProgramStaff:
    """A staff member of a program whose staff the viewer is."""
    program = get_program_for_staff(user, slug)
    membership = (
        ProgramStaff.objects.select_related("user", "program")
        .filter(program=program, user__code=user_code)
        .first()
    )
    if membership is None:
        raise Http404("No such staff member.")
    return membership


def get_facilitator_for_staff(
    user: Viewer, slug: str, user_code: UUID | str
) -> tuple[Program, User]:
    """A peer-group facilitator of a program whose staff the viewer is."""
    program = get_program_for_staff(user, slug)
    facilitator = program.facilitators.filter(code=user_code).first()
    if facilitator is None:
        raise Http404("No such facilitator.")
    return program, facilitator


# Every cohort page asks this query first: compiled once, run again with each cohort's code.
_COHORT_BY_CODE = CompiledQuery()


def _cohort_by_code(values: Mapping[str, Any]) -> QuerySet[Cohort]:
    cohorts = Cohort.objects.select_related("program", "framework")
    return cohorts.filter(code=values["code"]).order_by("pk")[:1]


def cohort_by_code(code: UUID | str) -> Cohort:
    """The cohort of a URL's code, with its program and framework, whoever asks (the caller
    checks the viewer's role); 404 when no cohort has it."""
    try:
        # The kept SQL takes a UUID (a text would be no cohort's code, but not refused).
        code = code if isinstance(code, UUID) else UUID(str(code))
    except ValueError:
        raise Http404("No such cohort.") from None
    found = _COHORT_BY_CODE.instances("by code", {"code": code}, _cohort_by_code)
    if not found:
        raise Http404("No such cohort.")
    return found[0]


def get_cohort_for_viewer(user: Viewer, code: UUID | str) -> Access[Cohort, ManagePermissions]:
    """The cohort and whether the viewer may manage it."""
    cohort = cohort_by_code(code)
    if not roles.can_read_cohort(user, cohort):
        raise Http404("No such cohort.")
    return Access(cohort, ManagePermissions(can_manage=roles.is_cohort_staff(user, cohort)))


def get_cohort_for_staff(user: Viewer, code: UUID | str) -> Cohort:
    cohort, permissions = get_cohort_for_viewer(user, code)
    can_manage = permissions.can_manage
    if not can_manage:
        raise PermissionDenied("Only program staff can change this cohort.")
    return cohort


def get_enrollment_for_viewer(
    user: Viewer, code: UUID | str
) -> Access[Enrollment, ManagePermissions]:
    """An enrollment record: staff manage, the assigned coach and the fellow read (a withdrawn
    fellow no longer does)."""
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "user").filter(code=code).first()
    )
    if enrollment is None:
        raise Http404("No such participant.")
    can_manage = roles.is_cohort_staff(user, enrollment.cohort)
    own = (
        roles.is_fellow_of(user, enrollment)
        and enrollment.status in EnrollmentStatus.with_cohort_access()
    )
    if not (can_manage or own or roles.is_active_coach_of(user, enrollment)):
        raise Http404("No such participant.")
    return Access(enrollment, ManagePermissions(can_manage=can_manage))


def get_enrollment_for_staff(user: Viewer, code: UUID | str) -> Enrollment:
    enrollment, permissions = get_enrollment_for_viewer(user, code)
    can_manage = permissions.can_manage
    if not can_manage:
        raise PermissionDenied("Only program staff can change this record.")
    return enrollment


def get_roster_import_for_staff(user: Viewer, code: UUID | str) -> RosterImport:
    roster_import = RosterImport.objects.select_related("cohort__program").filter(code=code).first()
    if roster_import is None or not roles.is_cohort_staff(user, roster_import.cohort):
        raise Http404("No such import.")
    return roster_import


def get_invitation_for_staff(user: Viewer, code: UUID | str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("program", "user", "enrollment__cohort")
        .filter(code=code)
        .first()
    )
    if invitation is None or not roles.is_program_staff(user, invitation.program):
        raise Http404("No such invitation.")
    return invitation


def get_own_enrollments(user: Viewer) -> list[Enrollment]:
    """The fellow's enrollments that still give access (a profile page needs one)."""
    enrollments = enrollments_of_user(user)
    if not enrollments:
        raise Http404("You have no participant profile.")
    return enrollments


# --- The directory: who reaches which fields ------------------------------------------------


def program_reach(user: Viewer, program: Program | None) -> frozenset[str] | None:
    """The directory visibilities this person sees in a program, or None for no access:
    staff see every field; current members (active fellows, the program's coaches and peer
    group facilitators) see member and network fields; alumni see network fields."""
    if not user.is_authenticated or program is None:
        return None
    if roles.is_program_staff(user, program):
        return Visibility.reach_of_staff()
    statuses = (
        set(
            Enrollment.objects.filter(user=user, cohort__program=program).values_list(
                "status", flat=True
            )
        )
        if roles.may_be(user, "fellow")
        else set()
    )
    if EnrollmentStatus.ACTIVE in statuses or roles.works_in_program(user, program):
        return Visibility.reach_of_member()
    if EnrollmentStatus.COMPLETED in statuses:
        return Visibility.reach_of_alumnus()
    return None


def get_directory_for_viewer(user: Viewer, slug: str) -> tuple[Program, frozenset[str]]:
    program = Program.objects.filter(slug=slug).first()
    reach = program_reach(user, program)
    if program is None or reach is None:
        raise Http404("No such directory.")
    return program, reach


def get_photo_for_viewer(user: Viewer, code: UUID | str) -> ParticipantProfile:
    """A person's photo: they, staff of their programs and their coach always see it; others
    when the person is listed in a directory they reach and shows the photo to them."""
    profile = ParticipantProfile.objects.select_related("user").filter(user__code=code).first()
    if profile is None or not profile.photo or not user.is_authenticated:
        raise Http404("No such photo.")
    if profile.user_id == user.pk:
        return profile
    enrollments = Enrollment.objects.filter(user=profile.user).select_related("cohort__program")
    for enrollment in enrollments:
        program = enrollment.cohort.program
        if roles.is_program_staff(user, program) or roles.is_active_coach_of(user, enrollment):
            return profile
        listed = (
            enrollment.directory_opt_in
            and enrollment.status in EnrollmentStatus.with_cohort_access()
        )
        if listed and profile.photo_visibility in (program_reach(user, program) or ()):
            return profile
    raise Http404("No such photo.")

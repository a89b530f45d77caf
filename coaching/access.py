"""Access helpers, the first call of every coaching view (PRODUCT.md's table):

* session date, duration, status, competencies — staff read, the coach manages, the fellow
  reads their own;
* shared summary — the coach and the fellow; staff only while the fellow consents;
* private notes — the authoring coach only (read through selectors.private_note_for_author).

Outsiders get 404; people who may read but not change get 403 on writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import Access
from accounts.models import User
from accounts.roles import is_site_admin
from accounts.viewer import Viewer
from cohorts import roles as cohort_roles
from cohorts.access import get_cohort_for_viewer
from cohorts.models import Cohort, Enrollment, Program

from .models import CoachAssignment, CoachingPreferences, CoachingSession, CoachProfile, DayOff
from .roles import is_active_coach_of


def staff_may_read_summaries(enrollment: Enrollment) -> bool:
    prefs = CoachingPreferences.objects.filter(enrollment=enrollment).first()
    return bool(prefs and prefs.share_summaries_with_staff)


@dataclass(frozen=True)
class EnrollmentPermissions:
    """What one viewer may do with one fellow's coaching."""

    is_staff: bool
    is_coach: bool  # the active coach: logs sessions
    is_fellow: bool
    can_read_summaries: bool  # shared summaries


def get_enrollment_for_coaching(
    user: Viewer, code: UUID | str
) -> Access[Enrollment, EnrollmentPermissions]:
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "user").filter(code=code).first()
    )
    if enrollment is None:
        raise Http404("No such participant.")
    staff = cohort_roles.is_cohort_staff(user, enrollment.cohort)
    coach = is_active_coach_of(user, enrollment)
    fellow = cohort_roles.is_fellow_of(user, enrollment) and enrollment.status != "withdrawn"
    if not (staff or coach or fellow):
        raise Http404("No such participant.")
    summaries = coach or fellow or staff_may_read_summaries(enrollment)
    return Access(enrollment, EnrollmentPermissions(staff, coach, fellow, summaries))


@dataclass(frozen=True)
class SessionPermissions:
    """What one viewer may do with one coaching session."""

    is_staff: bool
    is_author: bool  # the session's own coach: manages it and reads their own private note
    is_coach: bool  # the fellow's active coach (may be a later coach than the author)
    is_fellow: bool
    can_read_summaries: bool

    @property
    def can_edit(self) -> bool:
        # Only the fellow's assigned coach manages, and only the sessions they led: a former
        # coach reads what they wrote (and their own private note) and changes nothing.
        return self.is_author and self.is_coach


def get_session_for_viewer(
    user: Viewer, code: UUID | str
) -> Access[CoachingSession, SessionPermissions]:
    session = (
        CoachingSession.objects.select_related(
            "enrollment__cohort__program", "enrollment__user", "coach"
        )
        .filter(code=code)
        .first()
    )
    if session is None or not user.is_authenticated:
        raise Http404("No such coaching session.")
    enrollment = session.enrollment
    staff = cohort_roles.is_cohort_staff(user, enrollment.cohort)
    author = session.coach_id == user.pk
    coach = is_active_coach_of(user, enrollment)
    fellow = cohort_roles.is_fellow_of(user, enrollment) and enrollment.status != "withdrawn"
    if not (staff or author or coach or fellow):
        raise Http404("No such coaching session.")
    summaries = author or coach or fellow or staff_may_read_summaries(enrollment)
    permissions = SessionPermissions(staff, author, coach, fellow, summaries)
    return Access(session, permissions)


def get_session_for_author(user: Viewer, code: UUID | str) -> CoachingSession:
    session, permissions = get_session_for_viewer(user, code)
    if not permissions.can_edit:
        raise PermissionDenied("Only the fellow's assigned coach can change their sessions.")
    return session


def get_session_for_fellow(user: Viewer, code: UUID | str) -> CoachingSession:
    session, permissions = get_session_for_viewer(user, code)
    if not permissions.is_fellow:
        raise PermissionDenied("Only the fellow can write their reflection.")
    return session


def get_own_coach_profile(user: User) -> CoachProfile:
    profile = CoachProfile.objects.filter(user=user).select_related("user").first()
    if profile is None:
        raise Http404("You are not a coach here.")
    return profile


def get_coach_profile_for_viewer(user: Viewer, code: UUID | str) -> CoachProfile:
    """A coach's profile: the coach and staff of a program they coach for read and edit it."""
    profile = CoachProfile.objects.select_related("user").filter(user__code=code).first()
    if profile is None or not user.is_authenticated:
        raise Http404("No such coach.")
    if profile.user_id == user.pk:
        return profile
    staff_programs = cohort_roles.staff_program_ids(user)
    if is_site_admin(user) or profile.programs.filter(pk__in=staff_programs).exists():
        return profile
    raise Http404("No such coach.")


def get_assignment_for_staff(user: Viewer, code: UUID | str) -> CoachAssignment:
    """An assignment, for staff of its cohort to end. The fellow and their coach may know it
    exists (403); anyone else gets 404."""
    assignment = (
        CoachAssignment.objects.select_related(
            "coach", "enrollment__cohort__program", "enrollment__user"
        )
        .filter(code=code)
        .first()
    )
    if assignment is None or not user.is_authenticated:
        raise Http404("No such assignment.")
    enrollment = assignment.enrollment
    if cohort_roles.is_cohort_staff(user, enrollment.cohort):
        return assignment
    if is_active_coach_of(user, enrollment) or cohort_roles.is_fellow_of(user, enrollment):
        raise PermissionDenied("Only program staff end a coaching assignment.")
    raise Http404("No such assignment.")


def get_coach_profile_in_program(program: Program, code: UUID | str) -> CoachProfile:
    """A coach of `program` (the caller has checked the viewer is its staff)."""
    profile = (
        CoachProfile.objects.select_related("user")
        .filter(user__code=code, programs=program)
        .first()
    )
    if profile is None:
        raise Http404("No such coach in this program.")
    return profile


def get_cohort_for_hours_export(user: User, code: UUID | str) -> tuple[Cohort, User | None]:
    """(cohort, coach): staff export the whole cohort (coach None); a coach with active
    fellows in it exports theirs (coach = the user). Other members get 403, outsiders 404."""
    cohort, permissions = get_cohort_for_viewer(user, code)
    can_manage = permissions.can_manage
    if can_manage:
        return cohort, None
    if Enrollment.objects.filter(
        cohort=cohort, coach_assignments__coach=user, coach_assignments__ended_at__isnull=True
    ).exists():
        return cohort, user
    raise PermissionDenied("Only staff and coaches export coaching hours.")


def get_enrollment_for_booking(user: Viewer, code: UUID | str) -> Enrollment:
    """The fellow books their own coaching; their coach and staff may know the page exists
    (403); anyone else gets 404."""
    enrollment, permissions = get_enrollment_for_coaching(user, code)
    if not permissions.is_fellow:
        raise PermissionDenied("Only the fellow books their coaching sessions.")
    return enrollment


def get_session_for_booking(user: Viewer, code: UUID | str) -> CoachingSession:
    """A session the fellow may move or cancel themselves (the rules are in booking/)."""
    session, permissions = get_session_for_viewer(user, code)
    if not permissions.is_fellow:
        raise PermissionDenied("Only the fellow moves or cancels a session here.")
    return session


def get_own_day_off(user: User, code: UUID | str) -> DayOff:
    """One of the coach's own days off; anyone else's gets 404."""
    day_off = DayOff.objects.filter(code=code, availability__profile__user=user).first()
    if day_off is None:
        raise Http404("No such day off.")
    return day_off

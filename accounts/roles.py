"""The one place that answers PRODUCT.md's "who may see and do what" questions.

Roles are not a field on the user: they follow from relations. Someone is *program staff*
through a ProgramStaff row, the *assigned coach* of a fellow through an active
CoachAssignment, a *fellow* through an Enrollment, in the *same peer group* through
PeerGroupMembership. Views, templates (through `viewer_roles`) and tests all ask here.

Each answer is a single query; `viewer_roles` is cached on the user object for the request.
Models are looked up lazily because this module sits below the apps that own them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


def _model(label: str):
    return apps.get_model(label)


def is_site_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


# --- Program staff ------------------------------------------------------------------------


def staff_program_ids(user) -> set[int]:
    """Programs this user administers (all of them for a site admin)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_cw_staff_program_ids", None)
    if cached is None:
        Program = _model("cohorts.Program")
        cached = set(Program.objects.staffed_by(user).values_list("pk", flat=True))
        user._cw_staff_program_ids = cached
    return cached


def is_program_staff(user, program) -> bool:
    return program is not None and program.pk in staff_program_ids(user)


def is_cohort_staff(user, cohort) -> bool:
    return is_program_staff(user, cohort.program) if cohort is not None else False


# --- Fellows ------------------------------------------------------------------------------


def enrollment_in(user, cohort):
    """The user's enrollment in this cohort, whatever its status, or None."""
    if not user.is_authenticated or cohort is None:
        return None
    Enrollment = _model("cohorts.Enrollment")
    return Enrollment.objects.filter(user=user, cohort=cohort).first()


def is_cohort_member(user, cohort) -> bool:
    """An active fellow or an alumnus of this cohort (withdrawn and invited are not)."""
    if not user.is_authenticated or cohort is None:
        return False
    Enrollment = _model("cohorts.Enrollment")
    return Enrollment.objects.with_cohort_access().filter(user=user, cohort=cohort).exists()


def is_fellow_of(user, enrollment) -> bool:
    """The enrollment is the user's own."""
    return user.is_authenticated and enrollment.user_id == user.pk


# --- Coaches ------------------------------------------------------------------------------


def is_coach(user) -> bool:
    if not user.is_authenticated:
        return False
    CoachProfile = _model("coaching.CoachProfile")
    return CoachProfile.objects.filter(user=user).exists()


def is_active_coach_of(user, enrollment) -> bool:
    if not user.is_authenticated or enrollment is None:
        return False
    CoachAssignment = _model("coaching.CoachAssignment")
    return CoachAssignment.objects.active().filter(coach=user, enrollment=enrollment).exists()


def coaches_in_cohort(user, cohort) -> bool:
    """The user is the active coach of at least one fellow in the cohort."""
    if not user.is_authenticated or cohort is None:
        return False
    CoachAssignment = _model("coaching.CoachAssignment")
    return CoachAssignment.objects.active().filter(coach=user, enrollment__cohort=cohort).exists()


# --- Peer groups --------------------------------------------------------------------------


def shares_peer_group(user, enrollment) -> bool:
    """The user is another member of the enrollment's peer group (with cohort access)."""
    if not user.is_authenticated or enrollment is None or enrollment.user_id == user.pk:
        return False
    Membership = _model("networks.PeerGroupMembership")
    return Membership.objects.filter(
        group__memberships__enrollment=enrollment,
        enrollment__user=user,
        enrollment__status__in=_cohort_access_statuses(),
    ).exists()


def facilitates_in_cohort(user, cohort) -> bool:
    if not user.is_authenticated or cohort is None:
        return False
    PeerGroup = _model("networks.PeerGroup")
    return PeerGroup.objects.filter(facilitator=user, cohort=cohort).exists()


def _cohort_access_statuses():
    from cohorts.models import EnrollmentStatus

    return EnrollmentStatus.with_cohort_access()


# --- Combined questions -------------------------------------------------------------------


def can_read_cohort(user, cohort) -> bool:
    """Roster, schedule and sessions: staff manage; coach, fellows and facilitators read."""
    return (
        is_cohort_staff(user, cohort)
        or is_cohort_member(user, cohort)
        or coaches_in_cohort(user, cohort)
        or facilitates_in_cohort(user, cohort)
    )


@dataclass(frozen=True)
class ViewerRoles:
    """What kinds of person the viewer is anywhere in the site: drives navigation and the
    start page, never object access (that is always checked against the object)."""

    admin: bool = False
    staff: bool = False
    coach: bool = False
    fellow: bool = False
    facilitator: bool = False

    @property
    def any(self) -> bool:
        return self.admin or self.staff or self.coach or self.fellow or self.facilitator


def viewer_roles(user) -> ViewerRoles:
    if not user.is_authenticated:
        return ViewerRoles()
    cached = getattr(user, "_cw_roles", None)
    if cached is not None:
        return cached
    Enrollment = _model("cohorts.Enrollment")
    PeerGroup = _model("networks.PeerGroup")
    roles = ViewerRoles(
        admin=user.is_superuser,
        staff=_model("cohorts.ProgramStaff").objects.filter(user=user).exists(),
        coach=is_coach(user),
        fellow=Enrollment.objects.with_cohort_access().filter(user=user).exists(),
        facilitator=PeerGroup.objects.filter(facilitator=user).exists(),
    )
    user._cw_roles = roles
    return roles

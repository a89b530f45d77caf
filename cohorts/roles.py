"""Role questions about programs, cohorts and enrollments (PRODUCT.md's "who may see and
do what").

Roles are not a field on the user: they follow from relations. Someone is *program staff*
through a ProgramStaff row and a *fellow* through an Enrollment: this module answers those
from cohorts' own data. Being the *assigned coach* of a fellow (coaching) or in the *same
peer group* (networks) is answered by the app that owns that data, in its own `roles.py`;
apps below those (curriculum, action_plans, and cohorts itself) ask through the hooks here,
which coaching and networks answer from their `AppConfig.ready()`.
"""

from __future__ import annotations

from accounts.hooks import Hook
from accounts.roles import RequestProbe, is_site_admin, joined_values, known_viewer_roles, parse_ids

from .models import Enrollment, Program, ProgramStaff, StaffRole

# --- Program staff ------------------------------------------------------------------------


def may_be(user, role: str) -> bool:
    """`role` is a navigation role ("staff", "fellow", "coach", "facilitator"). False when
    the navigation's roles, already asked in this request (accounts.roles.viewer_roles, which
    `accounts.middleware.ViewerRolesMiddleware` asks before the view), say the user has no
    row of that kind anywhere: a narrower question then needs no query of its own. Unknown
    roles (outside a request) mean "ask the database"."""
    roles = known_viewer_roles(user)
    if roles is None:
        return True
    # The site admin is on every program's staff; being a fellow, coach or facilitator takes
    # a row like anyone else's.
    return getattr(roles, role) or (role == "staff" and roles.admin)


def staff_program_ids(user) -> set[int]:
    """Programs this user administers (all of them for a site admin)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_cw_staff_program_ids", None)
    if cached is None and not may_be(user, "staff"):
        cached = set()  # the navigation's query of this request found no staff row
    if cached is None:
        cached = set(Program.objects.staffed_by(user).values_list("pk", flat=True))
        user._cw_staff_program_ids = cached
    return cached


def staff_programs_probe(request, match):
    """The programs the viewer staffs, asked in the navigation's query (a request probe of
    accounts.roles.viewer_roles): most pages' access checks ask it next."""
    user = request.user

    def answer(request, ids):
        user._cw_staff_program_ids = parse_ids(ids)

    if user.is_superuser:  # on every program's staff
        return RequestProbe(_all_program_ids, answer, shape="all")
    return RequestProbe(_staffed_program_ids, answer, {"user_id": user.pk})


def _all_program_ids():
    return joined_values(Program.objects.all())


def _staffed_program_ids(user_id):
    # Through ProgramStaff: no DISTINCT needed inside the aggregate (a set is built).
    return joined_values(ProgramStaff.objects.filter(user_id=user_id), "program_id")


# --- What each staff role may do (SECURITY.md has the table) --------------------------------
#
# Directors and coordinators both run the program day to day: cohorts, roster, schedule,
# coaches, peer groups, reports and exports. Only a director (or the site admin) changes
# who is on the staff and in which role, invites staff, and sets the program's security
# settings; a coordinator may only step down themselves. Nobody, the site admin included,
# leaves a program without a director (cohorts.services, the admin and a database trigger).


def staff_role_in(user, program) -> str | None:
    if not user.is_authenticated or program is None:
        return None
    return (
        ProgramStaff.objects.filter(program=program, user=user).values_list("role", flat=True)
    ).first()


def manages_staff(user, program) -> bool:
    """Grants, changes and removes staff roles, invites staff, edits security settings."""
    if is_site_admin(user):
        return True
    return staff_role_in(user, program) == StaffRole.DIRECTOR


def audit_programs(user) -> dict[int, str]:
    """{id: name} of the programs whose audit entries the user reads: those they staff."""
    return dict(Program.objects.staffed_by(user).values_list("pk", "name"))


def is_program_staff(user, program) -> bool:
    return program is not None and program.pk in staff_program_ids(user)


def is_cohort_staff(user, cohort) -> bool:
    return is_program_staff(user, cohort.program) if cohort is not None else False


# --- Fellows ------------------------------------------------------------------------------


def enrollment_in(user, cohort):
    """The user's enrollment in this cohort, whatever its status, or None."""
    if not user.is_authenticated or cohort is None:
        return None
    return Enrollment.objects.filter(user=user, cohort=cohort).first()


def is_cohort_member(user, cohort) -> bool:
    """An active fellow or an alumnus of this cohort (withdrawn and invited are not)."""
    if not user.is_authenticated or cohort is None or not may_be(user, "fellow"):
        return False
    return Enrollment.objects.with_cohort_access().filter(user=user, cohort=cohort).exists()


def is_fellow_of(user, enrollment) -> bool:
    """The enrollment is the user's own."""
    return user.is_authenticated and enrollment.user_id == user.pk


# --- Navigation (accounts.roles.viewer_roles) ----------------------------------------------


def navigation_staff_rows(user_id: int):
    """On the staff of any program."""
    return ProgramStaff.objects.filter(user_id=user_id)


def navigation_fellow_rows(user_id: int):
    """A fellow or alumnus of any cohort."""
    return Enrollment.objects.with_cohort_access().filter(user_id=user_id)


# --- Answered above cohorts ---------------------------------------------------------------
# Each hook is asked with (user, object); the apps named register their answer.

coach_of_enrollment = Hook("the user is the active coach of the enrollment (coaching)")
coach_in_cohort = Hook("the user is the active coach of a fellow in the cohort (coaching)")
peer_of_enrollment = Hook(
    "the user is another member of the enrollment's peer group, with cohort access (networks)"
)
reads_cohort = Hook(
    "the user reads the cohort's roster and schedule through another role: "
    "coaching (a coach of one of its fellows), networks (a facilitator of one of its groups)"
)
serves_program = Hook(
    "the user works in the program without being on its staff: coaching (its coach, or the "
    "active coach of one of its fellows), networks (a facilitator of one of its groups)"
)


def is_active_coach_of(user, enrollment) -> bool:
    if not user.is_authenticated or enrollment is None:
        return False
    return coach_of_enrollment.any(user, enrollment)


def coaches_in_cohort(user, cohort) -> bool:
    """The user is the active coach of at least one fellow in the cohort."""
    if not user.is_authenticated or cohort is None:
        return False
    return coach_in_cohort.any(user, cohort)


def shares_peer_group(user, enrollment) -> bool:
    """The user is another member of the enrollment's peer group (with cohort access)."""
    if not user.is_authenticated or enrollment is None or enrollment.user_id == user.pk:
        return False
    return peer_of_enrollment.any(user, enrollment)


def can_read_cohort(user, cohort) -> bool:
    """Roster, schedule and sessions: staff manage; coaches, fellows and facilitators read."""
    if not user.is_authenticated or cohort is None:
        return False
    return (
        is_cohort_staff(user, cohort)
        or is_cohort_member(user, cohort)
        or reads_cohort.any(user, cohort)
    )


def works_in_program(user, program) -> bool:
    """A coach or facilitator of the program (staff are asked with is_program_staff)."""
    if not user.is_authenticated or program is None:
        return False
    return serves_program.any(user, program)

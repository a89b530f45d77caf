"""Access helpers: the first call of every curriculum view (PRODUCT.md's table).

Schedule, sessions and modules follow the cohort: staff of its program manage; coaches,
fellows, alumni and facilitators of the cohort read. Self-assessments follow the
enrollment: the fellow manages their own, staff and the active coach read. Outsiders get
404; readers get 403 on writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from accounts.access import Access, ManagePermissions
from accounts.roles import is_site_admin
from accounts.viewer import Viewer
from cohorts import roles
from cohorts.models import Cohort, Enrollment, EnrollmentStatus

from .models import (
    AssessmentWindow,
    Assignment,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
    Material,
    Module,
    Session,
    Speaker,
    Submission,
)

M = TypeVar("M", bound=Model)


def _load(queryset: QuerySet[M], code: UUID | str, what: str) -> M:
    """The object with this code (its joins given by `queryset`), or 404 “No such <what>.”"""
    obj = queryset.filter(code=code).first()
    if obj is None:
        raise Http404(f"No such {what}.")
    return obj


def _need_manage(can_manage: bool, message: str) -> None:
    if not can_manage:
        raise PermissionDenied(message)


# --- Frameworks: a library shared by all programs -----------------------------------------


def can_use_framework_library(user: Viewer) -> bool:
    return is_site_admin(user) or bool(roles.staff_program_ids(user))


def can_edit_framework(user: Viewer, framework: CompetencyFramework) -> bool:
    """Site admins, or staff when every cohort using the framework is in their programs."""
    if is_site_admin(user):
        return True
    mine = roles.staff_program_ids(user)
    if not mine:
        return False
    used_by = set(Cohort.objects.filter(framework=framework).values_list("program_id", flat=True))
    return used_by <= mine


def require_framework_library(user: Viewer) -> None:
    if not can_use_framework_library(user):
        raise Http404("No such page.")


def get_framework_for_viewer(
    user: Viewer, code: UUID | str
) -> Access[CompetencyFramework, ManagePermissions]:
    """A framework of the library; `can_manage`: the viewer may edit it."""
    require_framework_library(user)
    framework = _load(CompetencyFramework.objects.all(), code, "framework")
    return Access(framework, ManagePermissions(can_manage=can_edit_framework(user, framework)))


def get_framework_for_editor(user: Viewer, code: UUID | str) -> CompetencyFramework:
    framework, permissions = get_framework_for_viewer(user, code)
    _need_manage(permissions.can_manage, "This framework is used by programs you do not run.")
    return framework


def get_domain_for_editor(user: Viewer, code: UUID | str) -> CompetencyDomain:
    require_framework_library(user)
    domain = _load(CompetencyDomain.objects.select_related("framework"), code, "domain")
    _need_manage(can_edit_framework(user, domain.framework), "You cannot edit this framework.")
    return domain


def get_competency_for_editor(user: Viewer, code: UUID | str) -> Competency:
    require_framework_library(user)
    competency = _load(Competency.objects.select_related("domain__framework"), code, "competency")
    _need_manage(
        can_edit_framework(user, competency.domain.framework), "You cannot edit this framework."
    )
    return competency


# --- Cohort things: modules, sessions, materials, assignments -----------------------------


def _cohort_access(user: Viewer, cohort: Cohort | None) -> bool:
    if cohort is None or not roles.can_read_cohort(user, cohort):
        raise Http404("Not found.")
    return roles.is_cohort_staff(user, cohort)


def get_module_for_viewer(user: Viewer, code: UUID | str) -> Access[Module, ManagePermissions]:
    module = _load(
        Module.objects.select_related("cohort__program", "cohort__framework"), code, "module"
    )
    return Access(module, ManagePermissions(can_manage=_cohort_access(user, module.cohort)))


def get_module_for_staff(user: Viewer, code: UUID | str) -> Module:
    module, permissions = get_module_for_viewer(user, code)
    _need_manage(permissions.can_manage, "Only program staff can change modules.")
    return module


def get_session_for_viewer(user: Viewer, code: UUID | str) -> Access[Session, ManagePermissions]:
    session = _load(Session.objects.select_related("cohort__program", "module"), code, "session")
    return Access(session, ManagePermissions(can_manage=_cohort_access(user, session.cohort)))


def get_session_for_staff(user: Viewer, code: UUID | str) -> Session:
    session, permissions = get_session_for_viewer(user, code)
    _need_manage(permissions.can_manage, "Only program staff can change sessions.")
    return session


def _material(code: UUID | str) -> Material:
    return _load(Material.objects.select_related("session__cohort__program"), code, "material")


def get_material_for_viewer(user: Viewer, code: UUID | str) -> Material:
    material = _material(code)
    _cohort_access(user, material.session.cohort)
    return material


def get_speaker_for_staff(user: Viewer, code: UUID | str) -> Speaker:
    speaker = _load(Speaker.objects.select_related("session__cohort__program"), code, "speaker")
    _need_manage(_cohort_access(user, speaker.session.cohort), "Only program staff edit speakers.")
    return speaker


def get_material_for_staff(user: Viewer, code: UUID | str) -> Material:
    material = _material(code)
    _need_manage(_cohort_access(user, material.session.cohort), "Only staff remove materials.")
    return material


@dataclass(frozen=True)
class AssignmentPermissions:
    """What one viewer may do with one assignment."""

    can_manage: bool = False
    enrollment: Enrollment | None = None  # the viewer's own active enrollment in its cohort

    @property
    def can_submit(self) -> bool:
        return self.enrollment is not None


def get_assignment_for_viewer(
    user: Viewer, code: UUID | str
) -> Access[Assignment, AssignmentPermissions]:
    """The assignment, whether the viewer manages it, and the viewer's own active
    enrollment in its cohort (the one that may submit), or None."""
    assignment = _load(
        Assignment.objects.select_related("module__cohort__program"), code, "assignment"
    )
    cohort = assignment.module.cohort
    can_manage = _cohort_access(user, cohort)
    enrollment = roles.enrollment_in(user, cohort)
    if enrollment is not None and enrollment.status != EnrollmentStatus.ACTIVE:
        enrollment = None
    return Access(assignment, AssignmentPermissions(can_manage=can_manage, enrollment=enrollment))


def get_assignment_for_staff(user: Viewer, code: UUID | str) -> Assignment:
    assignment, permissions = get_assignment_for_viewer(user, code)
    _need_manage(permissions.can_manage, "Only program staff change assignments.")
    return assignment


def get_submission_for_viewer(
    user: Viewer, code: UUID | str
) -> Access[Submission, ManagePermissions]:
    """Staff manage a submission; the fellow reads their own. Nobody else sees it."""
    submission = _load(
        Submission.objects.select_related(
            "assignment__module__cohort__program", "enrollment__user"
        ),
        code,
        "submission",
    )
    cohort = submission.assignment.module.cohort
    can_manage = roles.is_cohort_staff(user, cohort)
    if can_manage or roles.is_fellow_of(user, submission.enrollment):
        return Access(submission, ManagePermissions(can_manage=can_manage))
    if roles.can_read_cohort(user, cohort):
        raise PermissionDenied("Only program staff review submissions.")
    raise Http404("No such submission.")


# --- Self-assessments ----------------------------------------------------------------------


@dataclass(frozen=True)
class SelfAssessmentPermissions:
    """What the fellow rating themselves holds: their own active enrollment in the window's
    cohort (reaching the window is the permission to rate)."""

    enrollment: Enrollment
    can_rate: bool = True


def get_window_for_fellow(
    user: Viewer, code: UUID | str
) -> Access[AssessmentWindow, SelfAssessmentPermissions]:
    """An assessment window and the viewer's active enrollment: only fellows rate themselves."""
    window = _load(
        AssessmentWindow.objects.select_related("cohort__program", "cohort__framework"),
        code,
        "self-assessment",
    )
    _cohort_access(user, window.cohort)
    enrollment = roles.enrollment_in(user, window.cohort)
    if enrollment is None or enrollment.status != EnrollmentStatus.ACTIVE:
        raise PermissionDenied("Only the cohort's active fellows rate themselves.")
    return Access(window, SelfAssessmentPermissions(enrollment=enrollment))


def get_window_for_staff(user: Viewer, code: UUID | str) -> AssessmentWindow:
    """A window to edit or delete: staff of the cohort's program only."""
    window = _load(
        AssessmentWindow.objects.select_related("cohort__program"), code, "self-assessment window"
    )
    _need_manage(_cohort_access(user, window.cohort), "Only program staff change windows.")
    return window

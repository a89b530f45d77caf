"""Access helpers: the first call of every curriculum view (PRODUCT.md's table).

Schedule, sessions and modules follow the cohort: staff of its program manage; coaches,
fellows, alumni and facilitators of the cohort read. Self-assessments follow the
enrollment: the fellow manages their own, staff and the active coach read. Outsiders get
404; readers get 403 on writes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import is_site_admin
from cohorts import roles
from cohorts.models import Cohort, EnrollmentStatus

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


def _load(queryset, code, what: str):
    """The object with this code (its joins given by `queryset`), or 404 “No such <what>.”"""
    obj = queryset.filter(code=code).first()
    if obj is None:
        raise Http404(f"No such {what}.")
    return obj


def _need_manage(can_manage: bool, message: str):
    if not can_manage:
        raise PermissionDenied(message)


# --- Frameworks: a library shared by all programs -----------------------------------------


def can_use_framework_library(user) -> bool:
    return is_site_admin(user) or bool(roles.staff_program_ids(user))


def can_edit_framework(user, framework) -> bool:
    """Site admins, or staff when every cohort using the framework is in their programs."""
    if is_site_admin(user):
        return True
    mine = roles.staff_program_ids(user)
    if not mine:
        return False
    used_by = set(Cohort.objects.filter(framework=framework).values_list("program_id", flat=True))
    return used_by <= mine


def require_framework_library(user):
    if not can_use_framework_library(user):
        raise Http404("No such page.")


def get_framework_for_viewer(user, code) -> tuple[CompetencyFramework, bool]:
    require_framework_library(user)
    framework = _load(CompetencyFramework.objects, code, "framework")
    return framework, can_edit_framework(user, framework)


def get_framework_for_editor(user, code) -> CompetencyFramework:
    framework, can_edit = get_framework_for_viewer(user, code)
    _need_manage(can_edit, "This framework is used by programs you do not run.")
    return framework


def get_domain_for_editor(user, code) -> CompetencyDomain:
    require_framework_library(user)
    domain = _load(CompetencyDomain.objects.select_related("framework"), code, "domain")
    _need_manage(can_edit_framework(user, domain.framework), "You cannot edit this framework.")
    return domain


def get_competency_for_editor(user, code) -> Competency:
    require_framework_library(user)
    competency = _load(Competency.objects.select_related("domain__framework"), code, "competency")
    _need_manage(
        can_edit_framework(user, competency.domain.framework), "You cannot edit this framework."
    )
    return competency


# --- Cohort things: modules, sessions, materials, assignments -----------------------------


def _cohort_access(user, cohort) -> bool:
    if cohort is None or not roles.can_read_cohort(user, cohort):
        raise Http404("Not found.")
    return roles.is_cohort_staff(user, cohort)


def get_module_for_viewer(user, code) -> tuple[Module, bool]:
    module = _load(
        Module.objects.select_related("cohort__program", "cohort__framework"), code, "module"
    )
    return module, _cohort_access(user, module.cohort)


def get_module_for_staff(user, code) -> Module:
    module, can_manage = get_module_for_viewer(user, code)
    _need_manage(can_manage, "Only program staff can change modules.")
    return module


def get_session_for_viewer(user, code) -> tuple[Session, bool]:
    session = _load(Session.objects.select_related("cohort__program", "module"), code, "session")
    return session, _cohort_access(user, session.cohort)


def get_session_for_staff(user, code) -> Session:
    session, can_manage = get_session_for_viewer(user, code)
    _need_manage(can_manage, "Only program staff can change sessions.")
    return session


def _material(code) -> Material:
    return _load(Material.objects.select_related("session__cohort__program"), code, "material")


def get_material_for_viewer(user, code) -> Material:
    material = _material(code)
    _cohort_access(user, material.session.cohort)
    return material


def get_speaker_for_staff(user, code) -> Speaker:
    speaker = _load(Speaker.objects.select_related("session__cohort__program"), code, "speaker")
    _need_manage(_cohort_access(user, speaker.session.cohort), "Only program staff edit speakers.")
    return speaker


def get_material_for_staff(user, code) -> Material:
    material = _material(code)
    _need_manage(_cohort_access(user, material.session.cohort), "Only staff remove materials.")
    return material


def get_assignment_for_viewer(user, code):
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
    return assignment, can_manage, enrollment


def get_assignment_for_staff(user, code) -> Assignment:
    assignment, can_manage, _ = get_assignment_for_viewer(user, code)
    _need_manage(can_manage, "Only program staff change assignments.")
    return assignment


def get_submission_for_viewer(user, code) -> tuple[Submission, bool]:
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
        return submission, can_manage
    if roles.can_read_cohort(user, cohort):
        raise PermissionDenied("Only program staff review submissions.")
    raise Http404("No such submission.")


# --- Self-assessments ----------------------------------------------------------------------


def get_window_for_fellow(user, code):
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
    return window, enrollment


def get_window_for_staff(user, code) -> AssessmentWindow:
    """A window to edit or delete: staff of the cohort's program only."""
    window = _load(
        AssessmentWindow.objects.select_related("cohort__program"), code, "self-assessment window"
    )
    _need_manage(_cohort_access(user, window.cohort), "Only program staff change windows.")
    return window

"""Access helpers: the first call of every action_plans view (PRODUCT.md's "action plan"
row). Outsiders get 404; people who may read a plan but not do the thing asked get 403."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet
from django.http import Http404

from accounts.access import Access
from accounts.compiled import CompiledQuery
from accounts.viewer import Viewer
from cohorts import roles
from cohorts.models import Cohort, Enrollment, EnrollmentStatus

from .models import ActionPlan, Goal, Milestone, PlanFocusLevel, PlanStatus, PlanVisibility


@dataclass(frozen=True)
class PlanPermissions:
    """What one viewer may do with one plan."""

    is_owner: bool = False
    is_staff: bool = False
    is_coach: bool = False
    is_peer: bool = False
    is_classmate: bool = False
    # Derived rights, filled in by `_permissions_for`.
    can_read: bool = False
    can_comment: bool = False
    can_edit: bool = False  # the plan's text, visibility and competencies
    can_work: bool = False  # goals, milestones and progress updates
    can_submit: bool = False
    can_review: bool = False  # approve or request changes
    can_complete: bool = False
    can_see_history: bool = False

    def require(self, right: str, message: str) -> None:
        if not getattr(self, right):
            raise PermissionDenied(message)


def _permissions_for(user: Viewer, plan: ActionPlan) -> PlanPermissions:
    enrollment = plan.enrollment
    cohort = enrollment.cohort
    is_staff = roles.is_cohort_staff(user, cohort)
    is_owner = roles.is_fellow_of(user, enrollment) and enrollment.status in (
        EnrollmentStatus.with_cohort_access()
    )
    is_coach = not is_owner and roles.is_active_coach_of(user, enrollment)
    is_peer = (
        not is_owner
        and plan.visibility != PlanVisibility.PRIVATE
        and roles.shares_peer_group(user, enrollment)
    )
    is_classmate = (
        not is_owner
        and plan.visibility == PlanVisibility.COHORT
        and roles.is_cohort_member(user, cohort)
    )
    active_fellow = is_owner and enrollment.status == EnrollmentStatus.ACTIVE
    open_plan = plan.status != PlanStatus.COMPLETED
    return PlanPermissions(
        is_owner=is_owner,
        is_staff=is_staff,
        is_coach=is_coach,
        is_peer=is_peer,
        is_classmate=is_classmate,
        can_read=is_staff or is_owner or is_coach or is_peer or is_classmate,
        can_comment=is_staff or is_owner or is_coach or is_peer,
        can_edit=active_fellow and plan.is_text_editable,
        can_work=active_fellow and open_plan,
        can_submit=active_fellow
        and plan.status in (PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED),
        can_review=is_staff and plan.status == PlanStatus.SUBMITTED,
        can_complete=is_staff and plan.status == PlanStatus.APPROVED,
        can_see_history=is_staff or is_owner,
    )


PLAN_JOINS = ("enrollment__cohort__program", "enrollment__user")


def _readable(user: Viewer, plan: ActionPlan, what: str) -> PlanPermissions:
    permissions = _permissions_for(user, plan)
    if not permissions.can_read:
        raise Http404(f"No such {what}.")
    return permissions


def with_focus_levels(plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """The plans with their focus levels read in the same query (`focus_levels_read`)."""
    from accounts.roles import joined_values

    levels = PlanFocusLevel.objects.filter(plan=OuterRef("pk"))
    return plans.annotate(focus_levels_read=joined_values(levels, "level"))


# Every plan page asks this query first: compiled once, run again with each plan's code.
_PLAN_BY_CODE = CompiledQuery()


def _plan_by_code(values: Mapping[str, Any]) -> QuerySet[ActionPlan]:
    plans = with_focus_levels(ActionPlan.objects.select_related(*PLAN_JOINS))
    return plans.filter(code=values["code"]).order_by("pk")[:1]


def get_plan_for_viewer(user: Viewer, code: UUID | str) -> Access[ActionPlan, PlanPermissions]:
    """The plan and what the viewer may do with it; 404 when they may not read it."""
    try:
        # The kept SQL takes a UUID (a text would be no plan's code, but not refused).
        code = code if isinstance(code, UUID) else UUID(str(code))
    except ValueError:
        raise Http404("No such plan.") from None
    found = _PLAN_BY_CODE.instances("by code", {"code": code}, _plan_by_code)
    if not found:
        raise Http404("No such plan.")
    plan = found[0]
    return Access(plan, _readable(user, plan, "plan"))


def get_goal_for_viewer(user: Viewer, code: UUID | str) -> Access[Goal, PlanPermissions]:
    """A goal with its plan (one query), and the viewer's rights on that plan."""
    joins = [f"plan__{join}" for join in PLAN_JOINS]
    goal = Goal.objects.select_related(*joins).filter(code=code).first()
    if goal is None:
        raise Http404("No such goal.")
    return Access(goal, _readable(user, goal.plan, "goal"))


def get_milestone_for_viewer(user: Viewer, code: UUID | str) -> Access[Milestone, PlanPermissions]:
    """A milestone with its goal and plan (one query), and the viewer's rights on the plan."""
    joins = [f"goal__plan__{join}" for join in PLAN_JOINS]
    milestone = Milestone.objects.select_related(*joins).filter(code=code).first()
    if milestone is None:
        raise Http404("No such milestone.")
    return Access(milestone, _readable(user, milestone.goal.plan, "milestone"))


def get_enrollment_to_start_plan(user: Viewer, code: UUID | str) -> Enrollment:
    """The enrollment a fellow starts their plan for. Staff and the coach, who may read
    the enrollment, get 403 (only the fellow writes the plan); anyone else 404."""
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "user").filter(code=code).first()
    )
    if enrollment is None:
        raise Http404("No such participant.")
    if roles.is_fellow_of(user, enrollment) and enrollment.status == EnrollmentStatus.ACTIVE:
        return enrollment
    if roles.is_cohort_staff(user, enrollment.cohort) or roles.is_active_coach_of(user, enrollment):
        raise PermissionDenied("Only the fellow writes their action plan.")
    raise Http404("No such participant.")


def get_cohort_for_plan_overview(user: Viewer, code: UUID | str) -> Cohort:
    """The cohort plans table: program staff and coaches with fellows in the cohort.
    Fellows of the cohort know it exists (403); anyone else 404."""
    cohort = Cohort.objects.select_related("program", "framework").filter(code=code).first()
    if cohort is None or not roles.can_read_cohort(user, cohort):
        raise Http404("No such cohort.")
    if not (roles.is_cohort_staff(user, cohort) or roles.coaches_in_cohort(user, cohort)):
        raise PermissionDenied("Only program staff and coaches see every plan of a cohort.")
    return cohort

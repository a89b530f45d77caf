"""Selectors of the panels action_plans shows on other apps' pages. The fellow's start page
(cohorts/home.py): the plan, its progress and last update (figures of the enrollment row)
and the next open milestones. The cohort page: plans by status for staff and coaches, the
fellow's own plan and the classmates' plans shared with them. A fellow's enrollment page:
their plan with its progress, in one query. Who may see what is decided here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery

from accounts.compiled import CompiledQuery
from cohorts import roles
from cohorts.home import Figure, HomePanel, HomeView, SubqueryCount
from cohorts.models import EnrollmentStatus

from .models import ActionPlan, Milestone, MilestoneStatus, PlanStatus, ProgressUpdate, overdue_q
from .selectors import Progress, cohort_status_counts

PANEL_MILESTONES = 3


def _annotations(view: HomeView) -> dict[str, Figure]:
    milestones = Milestone.objects.filter(goal__plan__enrollment=OuterRef("pk"))
    update = ProgressUpdate.objects.filter(plan__enrollment=OuterRef("pk")).order_by(
        "-as_of", "-created_at", "-pk"
    )
    return {
        # One plan per enrollment: a join, cheaper to build than subqueries.
        "plan_id": F("action_plan__pk"),
        "plan_code": F("action_plan__code"),
        "plan_title": F("action_plan__title"),
        "plan_status": F("action_plan__status"),
        "plan_milestones": SubqueryCount(milestones.values("pk")),
        "plan_done": SubqueryCount(milestones.filter(status=MilestoneStatus.DONE).values("pk")),
        "plan_overdue": SubqueryCount(milestones.filter(overdue_q(view.today)).values("pk")),
        "plan_update_as_of": Subquery(update.values("as_of")[:1]),
        "plan_update_signal": Subquery(update.values("signal")[:1]),
    }


def _build(view: HomeView, figures: Mapping[str, Any]) -> dict[str, Any]:
    enrollment = view.enrollment
    data: dict[str, Any] = {
        "enrollment": enrollment,
        "plan": None,
        "today": view.today,
        "can_start": view.is_active,
    }
    if figures["plan_id"] is None:
        return data
    plan = ActionPlan(
        pk=figures["plan_id"],
        code=figures["plan_code"],
        title=figures["plan_title"],
        status=figures["plan_status"],
        enrollment=enrollment,
    )
    last_update = None
    if figures["plan_update_as_of"] is not None:
        last_update = ProgressUpdate(
            as_of=figures["plan_update_as_of"], signal=figures["plan_update_signal"]
        )
    data.update(
        plan=plan,
        progress=Progress(
            figures["plan_done"], figures["plan_milestones"], figures["plan_overdue"]
        ),
        next_milestones=[
            Milestone(**row)
            for row in _NEXT_MILESTONES.rows("next", {"plan_id": plan.pk}, _next_milestones)
        ],
        last_update=last_update,
        can_work=view.is_active and plan.status != PlanStatus.COMPLETED,
    )
    return data


# Kept compiled: the start page asks it on every visit (accounts/compiled.py).
_NEXT_MILESTONES = CompiledQuery()


def _next_milestones(values: Mapping[str, Any]) -> QuerySet:
    return (
        Milestone.objects.filter(goal__plan_id=values["plan_id"])
        .exclude(status=MilestoneStatus.DONE)
        .order_by("due_date", "order")
        .values("pk", "code", "title", "due_date")[:PANEL_MILESTONES]
    )


FELLOW_HOME_PANEL = HomePanel(
    name="action_plans",
    template="action_plans/partials/panel_fellow_home.html",
    order=20,
    annotations=_annotations,
    build=_build,
)


def cohort_panel(user: Any, cohort: Any, can_manage: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"cohort": cohort, "can_manage": can_manage, "overview": False}
    if user is None:
        return data
    if can_manage or roles.coaches_in_cohort(user, cohort):
        data.update(overview=True, counts=cohort_status_counts(user, cohort))
    else:
        data["own_plan"] = ActionPlan.objects.filter(
            enrollment__cohort=cohort, enrollment__user=user
        ).first()
        data["shared_count"] = (
            ActionPlan.objects.visible_to(user)
            .filter(enrollment__cohort=cohort)
            .exclude(enrollment__user=user)
            .count()
        )
    return data


def enrollment_panel(user: Any, enrollment: Any, can_manage: bool) -> dict[str, Any]:
    """The plan the viewer may read, its progress and last update, in one query."""
    is_fellow = user is not None and roles.is_fellow_of(user, enrollment)
    data: dict[str, Any] = {
        "enrollment": enrollment,
        "can_manage": can_manage,
        "plan": None,
        "is_fellow": is_fellow,
        "can_start": is_fellow and enrollment.status == EnrollmentStatus.ACTIVE,
    }
    if user is None:
        return data
    today = enrollment.cohort.local_date()
    milestones = Milestone.objects.filter(goal__plan=OuterRef("pk"))
    update = ProgressUpdate.objects.filter(plan=OuterRef("pk")).order_by(
        "-as_of", "-created_at", "-pk"
    )
    plan = (
        ActionPlan.objects.visible_to(user)
        .filter(enrollment=enrollment)
        .annotate(
            milestone_count=SubqueryCount(milestones.values("pk")),
            done_count=SubqueryCount(milestones.filter(status=MilestoneStatus.DONE).values("pk")),
            overdue_count=SubqueryCount(milestones.filter(overdue_q(today)).values("pk")),
            update_as_of=Subquery(update.values("as_of")[:1]),
            update_signal=Subquery(update.values("signal")[:1]),
        )
        .first()
    )
    if plan is not None:
        data["plan"] = plan
        data["progress"] = Progress(plan.done_count, plan.milestone_count, plan.overdue_count)
        data["last_update"] = (
            ProgressUpdate(as_of=plan.update_as_of, signal=plan.update_signal)
            if plan.update_as_of is not None
            else None
        )
    return data

"""Panels the action_plans app contributes to pages owned by other apps (the fellow's start page,
the cohort page, a fellow's enrollment page). Each loads its own data in a fixed number
of queries and renders nothing when it has nothing to show."""

from django import template
from django.db.models import Count, Q

from action_plans.models import ActionPlan, Milestone, MilestoneStatus, ProgressUpdate, overdue_q
from action_plans.selectors import Progress, cohort_status_counts
from cohorts import roles
from cohorts.terms import passes_terms

register = template.Library()

PANEL_MILESTONES = 3


def _progress(plan, today) -> Progress:
    counts = Milestone.objects.filter(goal__plan=plan).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=MilestoneStatus.DONE)),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    return Progress(counts["done"], counts["total"], counts["overdue"])


@register.inclusion_tag("action_plans/partials/panel_fellow_home.html", takes_context=True)
@passes_terms
def action_plans_fellow_home_panel(context, enrollment):
    request = context.get("request")
    today = enrollment.cohort.local_date()
    plan = ActionPlan.objects.filter(enrollment=enrollment).first()
    data = {"request": request, "enrollment": enrollment, "plan": plan, "today": today}
    if plan is not None:
        open_milestones = (
            Milestone.objects.filter(goal__plan=plan)
            .exclude(status=MilestoneStatus.DONE)
            .select_related("goal")
            .order_by("due_date", "order")
        )
        data.update(
            progress=_progress(plan, today),
            next_milestones=list(open_milestones[:PANEL_MILESTONES]),
            last_update=ProgressUpdate.objects.filter(plan=plan).first(),
            can_work=enrollment.status == "active" and plan.status != "completed",
        )
    return data


@register.inclusion_tag("action_plans/partials/panel_cohort.html", takes_context=True)
@passes_terms
def action_plans_cohort_panel(context, cohort, can_manage=False):
    request = context.get("request")
    user = request.user if request else None
    data = {"request": request, "cohort": cohort, "can_manage": can_manage, "overview": False}
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


@register.inclusion_tag("action_plans/partials/panel_enrollment.html", takes_context=True)
@passes_terms
def action_plans_enrollment_panel(context, enrollment, can_manage=False):
    request = context.get("request")
    user = request.user if request else None
    plan = None
    if user is not None:
        plan = ActionPlan.objects.visible_to(user).filter(enrollment=enrollment).first()
    data = {"request": request, "enrollment": enrollment, "can_manage": can_manage, "plan": plan}
    if plan is not None:
        data["progress"] = _progress(plan, enrollment.cohort.local_date())
        data["last_update"] = ProgressUpdate.objects.filter(plan=plan).first()
    data["is_fellow"] = user is not None and roles.is_fellow_of(user, enrollment)
    return data

"""Panels the outcomes app contributes to pages of other apps: the plan page, the fellow's
start page, a fellow's enrollment page, the cohort dashboard and the funder report. Each
loads its own data in a fixed number of queries and checks who is looking."""

from django import template

from action_plans.models import ActionPlan
from cohorts import roles as cohort_roles

from ..access import permissions_for
from ..demographics import DIMENSIONS, dashboard_table, dimension_for
from ..models import DemographicProfile
from ..roles import reads_demographics_of
from ..selectors import fellow_result_counts, funder_report_results, plan_results

register = template.Library()


def _user(context):
    request = context.get("request")
    return request.user if request is not None else None


@register.inclusion_tag("outcomes/partials/panel_plan.html", takes_context=True)
def outcomes_plan_panel(context, plan):
    user = _user(context)
    permissions = permissions_for(user, plan)
    return {
        "request": context.get("request"),
        "plan": plan,
        "access": permissions,
        "results": plan_results(plan, permissions),
        "alumni_prompt": permissions.is_owner and plan.enrollment.is_alumnus,
    }


@register.inclusion_tag("outcomes/partials/panel_fellow_home.html", takes_context=True)
def outcomes_fellow_home_panel(context, enrollment):
    user = _user(context)
    plan = ActionPlan.objects.filter(enrollment=enrollment).first()
    return {
        "request": context.get("request"),
        "enrollment": enrollment,
        "plan": plan,
        "counts": fellow_result_counts(enrollment) if plan else None,
        "answered": DemographicProfile.objects.filter(user=user).exists(),
    }


@register.inclusion_tag("outcomes/partials/panel_enrollment.html", takes_context=True)
def outcomes_enrollment_panel(context, enrollment, can_manage=False):
    """Staff and the coach see how many results the fellow recorded; staff alone see the
    fellow's demographic answers."""
    user = _user(context)
    data = {"request": context.get("request"), "enrollment": enrollment, "show": False}
    if user is None:
        return data
    is_staff = cohort_roles.is_cohort_staff(user, enrollment.cohort)
    if not (is_staff or cohort_roles.is_active_coach_of(user, enrollment)):
        return data
    data.update(
        show=True,
        plan=ActionPlan.objects.filter(enrollment=enrollment).first(),
        counts=fellow_result_counts(enrollment),
        demographics_visible=is_staff and reads_demographics_of(user, enrollment.user),
    )
    if data["demographics_visible"]:
        profile = (
            DemographicProfile.objects.filter(user_id=enrollment.user_id)
            .prefetch_related("race_ethnicity", "lived_experience")
            .first()
        )
        data["profile"] = profile
        if profile is not None:
            data["race"] = [r.get_category_display() for r in profile.race_ethnicity.all()]
            data["lived"] = [r.get_item_display() for r in profile.lived_experience.all()]
    return data


@register.inclusion_tag("outcomes/partials/funder_results.html")
def outcomes_funder_report_section(scope):
    """The results section of the funder report: only what each fellow let funders see."""
    return {"scope": scope, "section": funder_report_results(scope)}


@register.inclusion_tag("outcomes/partials/dashboard_panel.html", takes_context=True)
def outcomes_dashboard_panel(context, scope):
    """The cohort dashboard broken down by one demographic question (program staff only;
    coaches, who see the dashboard for their own fellows, never see this)."""
    request = context.get("request")
    data = {"request": request, "scope": scope, "show": scope.is_staff}
    if not scope.is_staff:
        return data
    dimension = dimension_for(request.GET.get("by") if request else None)
    dimension = dimension or DIMENSIONS["race"]
    data.update(
        dimensions=DIMENSIONS.values(),
        dimension=dimension,
        table=dashboard_table(scope, dimension),
    )
    return data

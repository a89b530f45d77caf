"""Selectors of the sections outcomes shows on other apps' pages (the plan page, the fellow's
start page, a fellow's enrollment page, the cohort dashboard, the funder report): each
decides its queries and who may see what here; templatetags/outcomes_panels.py only
renders what they return."""

from __future__ import annotations

from action_plans.models import ActionPlan
from cohorts import roles as cohort_roles

from .access import permissions_for
from .demographics import DIMENSIONS, cross_table, dashboard_table, dimension_for, people_groups
from .models import DemographicProfile
from .roles import reads_demographics_of
from .selectors import fellow_result_counts, funder_report_results, plan_results


def plan_panel(user, plan) -> dict:
    """The results on the plan page: every one for staff, coach and fellow; public stories
    for anyone else who may read the plan."""
    permissions = permissions_for(user, plan)
    return {
        "plan": plan,
        "access": permissions,
        "results": plan_results(plan, permissions),
        "alumni_prompt": permissions.is_owner and plan.enrollment.is_alumnus,
    }


def fellow_home_panel(user, enrollment) -> dict:
    plan = ActionPlan.objects.filter(enrollment=enrollment).first()
    return {
        "enrollment": enrollment,
        "plan": plan,
        "counts": fellow_result_counts(enrollment) if plan else None,
        "answered": DemographicProfile.objects.filter(user=user).exists(),
    }


def enrollment_panel(user, enrollment) -> dict:
    """Staff and the coach see how many results the fellow recorded; staff alone see the
    fellow's demographic answers. Nobody else sees the panel."""
    is_staff = cohort_roles.is_cohort_staff(user, enrollment.cohort)
    if not (is_staff or cohort_roles.is_active_coach_of(user, enrollment)):
        return {"enrollment": enrollment, "show": False}
    data = {
        "enrollment": enrollment,
        "show": True,
        "plan": ActionPlan.objects.filter(enrollment=enrollment).first(),
        "counts": fellow_result_counts(enrollment),
        "demographics_visible": is_staff and reads_demographics_of(user, enrollment.user),
    }
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


def funder_report_section(scope) -> dict:
    """The funder report's results: only what each fellow let funders see."""
    return {"scope": scope, "section": funder_report_results(scope)}


def dashboard_panel(scope, by: str | None) -> dict:
    """The cohort dashboard broken down by one demographic question: program staff only
    (coaches see the dashboard for their own fellows, never this)."""
    if not scope.is_staff:
        return {"scope": scope, "show": False}
    dimension = dimension_for(by) or DIMENSIONS["race"]
    return {
        "scope": scope,
        "show": True,
        "dimensions": DIMENSIONS.values(),
        "dimension": dimension,
        "table": dashboard_table(scope, dimension),
    }


def breakdown_panel(user, cohort, breakdowns, by: str | None) -> dict:
    """Named evaluation and survey answers broken down by one demographic question, each
    question a suppressed table: program staff only. `breakdowns` come from the page's app
    (title, columns, items of (person id, column, amount), note); this reads only who is in
    which group, in one query whatever the number of questions and people."""
    if not cohort_roles.is_cohort_staff(user, cohort):
        return {"cohort": cohort, "show": False}
    dimension = dimension_for(by) or DIMENSIONS["race"]
    people = {uid for breakdown in breakdowns for uid, _column, _n in breakdown.items}
    membership = people_groups(people, dimension) if people else {}
    tables = []
    for breakdown in breakdowns:
        table = cross_table(
            breakdown.items, membership, dimension, breakdown.columns, title=breakdown.title
        )
        if breakdown.note:
            table.notes.insert(0, breakdown.note)
        tables.append(table)
    return {
        "cohort": cohort,
        "show": True,
        "dimensions": DIMENSIONS.values(),
        "dimension": dimension,
        "tables": tables,
    }

"""Selectors of the sections outcomes shows on other apps' pages (the plan page, the fellow's
start page, a fellow's enrollment page, the cohort dashboard, the funder report): each
decides its queries and who may see what here; templatetags/outcomes_panels.py only
renders what they return."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q

from action_plans.models import ActionPlan
from cohorts import roles as cohort_roles
from cohorts.home import Figure, HomePanel, HomeView, SubqueryCount

from .access import permissions_for
from .demographics import DIMENSIONS, cross_table, dashboard_table, dimension_for, people_groups
from .models import Consent, DemographicProfile, LivedExperience, RaceEthnicity, Result
from .selectors import funder_report_results, plan_results


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


def _fellow_home_annotations(view: HomeView) -> dict[str, Figure]:
    return {
        "outcomes_plan_code": F("action_plan__code"),  # one plan per enrollment: a join
        "outcomes_results": SubqueryCount(
            Result.objects.filter(plan__enrollment=OuterRef("pk")).values("pk")
        ),
        "outcomes_answered": Exists(DemographicProfile.objects.filter(user=OuterRef("user_id"))),
    }


def _fellow_home_build(view: HomeView, figures: Mapping[str, Any]) -> dict[str, Any]:
    """The fellow's results on their start page: how many, and whether they answered the
    optional questions about themselves."""
    plan_code = figures["outcomes_plan_code"]
    return {
        "enrollment": view.enrollment,
        "plan_code": plan_code,
        "results": figures["outcomes_results"] if plan_code is not None else None,
        "answered": figures["outcomes_answered"],
    }


FELLOW_HOME_PANEL = HomePanel(
    name="outcomes",
    template="outcomes/partials/panel_fellow_home.html",
    order=60,
    annotations=_fellow_home_annotations,
    build=_fellow_home_build,
)


def enrollment_panel(user, enrollment) -> dict:
    """Staff and the coach see how many results the fellow recorded; staff alone see the
    fellow's demographic answers. Nobody else sees the panel. One query for the plan and its
    results, one for the answers."""
    is_staff = cohort_roles.is_cohort_staff(user, enrollment.cohort)
    if not (is_staff or cohort_roles.is_active_coach_of(user, enrollment)):
        return {"enrollment": enrollment, "show": False}
    by_consent = {
        f"consent_{value}": Count("results", filter=Q(results__consent=value))
        for value in Consent.values
    }
    plan = ActionPlan.objects.filter(enrollment=enrollment).annotate(**by_consent).first()
    rows = [(label, getattr(plan, f"consent_{value}", 0)) for value, label in Consent.choices]
    data = {
        "enrollment": enrollment,
        "show": True,
        "plan": plan,
        "counts": {"total": sum(n for _label, n in rows), "rows": rows},
        # Staff of this fellow's program read their answers (reads_demographics_of holds:
        # the fellow is enrolled in a program they staff).
        "demographics_visible": is_staff,
    }
    if is_staff:
        data.update(_demographics_of(enrollment.user_id))
    return data


def _demographics_of(user_id: int) -> dict[str, Any]:
    """The person's answers, both lists joined in (a few rows: one per pair of answers)."""
    rows = list(
        DemographicProfile.objects.filter(user_id=user_id).values_list(
            "pk", "gender", "career_sector", "race_ethnicity__category", "lived_experience__item"
        )
    )
    if not rows:
        return {"profile": None}
    pk, gender, career_sector = rows[0][:3]
    races = sorted({race for *_, race, _lived in rows if race})
    lived = sorted({item for *_, item in rows if item})
    return {
        "profile": DemographicProfile(pk=pk, gender=gender, career_sector=career_sector),
        "race": [RaceEthnicity(value).label for value in races],
        "lived": [LivedExperience(value).label for value in lived],
    }


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

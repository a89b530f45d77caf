"""Panels the curriculum app contributes to pages owned by other apps (the fellow's start page,
the cohort page, a fellow's enrollment page). Each loads its own data in a fixed number
of queries and renders nothing when it has nothing to show."""

from django import template

from cohorts.models import EnrollmentStatus
from cohorts.terms import passes_terms

from ..selectors import (
    attendance_of,
    has_rated,
    next_sessions,
    open_assignments_for,
    open_window_for,
)

register = template.Library()


@register.inclusion_tag("curriculum/partials/panel_fellow_home.html", takes_context=True)
@passes_terms
def curriculum_fellow_home_panel(context, enrollment):
    cohort = enrollment.cohort
    is_active = enrollment.status == EnrollmentStatus.ACTIVE
    window = open_window_for(enrollment, cohort.local_date()) if is_active else None
    done = window is not None and has_rated(window, enrollment)
    return {
        "request": context.get("request"),
        "enrollment": enrollment,
        "cohort": cohort,
        "sessions": next_sessions(cohort),
        "window": window,
        "window_done": done,
        "assignments": open_assignments_for(enrollment) if is_active else [],
    }


@register.inclusion_tag("curriculum/partials/panel_cohort.html", takes_context=True)
@passes_terms
def curriculum_cohort_panel(context, cohort, can_manage=False):
    return {
        "request": context.get("request"),
        "cohort": cohort,
        "can_manage": can_manage,
        "sessions": next_sessions(cohort, limit=2),
    }


@register.inclusion_tag("curriculum/partials/panel_enrollment.html", takes_context=True)
@passes_terms
def curriculum_enrollment_panel(context, enrollment, can_manage=False):
    _records, totals = attendance_of(enrollment)
    return {
        "request": context.get("request"),
        "enrollment": enrollment,
        "can_manage": can_manage,
        "totals": totals,
    }

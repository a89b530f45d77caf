"""Panels the curriculum app contributes to pages owned by other apps (the cohort page, a
fellow's enrollment page). Each renders what its selector in curriculum/panels.py returns."""

from django import template

from cohorts.terms import passes_terms

from .. import panels

register = template.Library()


@register.inclusion_tag("curriculum/partials/panel_cohort.html", takes_context=True)
@passes_terms
def curriculum_cohort_panel(context, cohort, can_manage=False):
    return {"request": context.get("request"), **panels.cohort_panel(cohort, can_manage)}


@register.inclusion_tag("curriculum/partials/panel_enrollment.html", takes_context=True)
@passes_terms
def curriculum_enrollment_panel(context, enrollment, can_manage=False):
    return {"request": context.get("request"), **panels.enrollment_panel(enrollment, can_manage)}

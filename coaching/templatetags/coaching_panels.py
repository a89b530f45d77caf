"""Panels the coaching app contributes to pages owned by other apps (the cohort page, a
fellow's enrollment page). Each renders what its selector in coaching/panels.py returns."""

from django import template

from cohorts.terms import passes_terms

from .. import panels

register = template.Library()


@register.inclusion_tag("coaching/partials/panel_cohort.html", takes_context=True)
@passes_terms
def coaching_cohort_panel(context, cohort, can_manage=False):
    return {"request": context.get("request"), **panels.cohort_panel(cohort, can_manage)}


@register.inclusion_tag("coaching/partials/panel_enrollment.html", takes_context=True)
@passes_terms
def coaching_enrollment_panel(context, enrollment, can_manage=False):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"request": request, **panels.enrollment_panel(user, enrollment, can_manage)}

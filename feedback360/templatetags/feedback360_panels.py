"""What the 360° feedback app shows on pages of other apps: the cohort page, a fellow's
growth page, the cohort's self-assessment overview and the funder report. Each renders what
its selector in feedback360/panels.py returns."""

from django import template

from cohorts.terms import passes_terms

from .. import panels

register = template.Library()


@register.inclusion_tag("feedback360/partials/panel_cohort.html", takes_context=True)
@passes_terms
def feedback360_cohort_panel(context, cohort, can_manage=False):
    return {"request": context.get("request"), **panels.cohort_panel(cohort, can_manage)}


@register.inclusion_tag("feedback360/partials/growth_fellow.html", takes_context=True)
@passes_terms
def feedback360_growth_panel(context, enrollment):
    request = context["request"]
    return {"request": request, **panels.growth_panel(request.user, enrollment)}


@register.inclusion_tag("feedback360/partials/growth_cohort.html", takes_context=True)
@passes_terms
def feedback360_cohort_growth_panel(context, cohort):
    return {"request": context.get("request"), **panels.cohort_growth_panel(cohort)}


@register.inclusion_tag("feedback360/partials/funder_section.html", takes_context=True)
@passes_terms
def feedback360_funder_section(context, scope):
    return {"request": context.get("request"), **panels.funder_section(scope)}

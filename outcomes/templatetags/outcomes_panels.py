"""Sections the outcomes app adds to pages of other apps. Each renders what its selector in
outcomes/panels.py returns."""

from django import template

from cohorts.terms import passes_terms
from outcomes import panels

register = template.Library()


def _request(context):
    return context.get("request")


@register.inclusion_tag("outcomes/partials/panel_plan.html", takes_context=True)
@passes_terms
def outcomes_plan_panel(context, plan):
    request = _request(context)
    return {"request": request, **panels.plan_panel(request.user, plan)}


@register.inclusion_tag("outcomes/partials/panel_enrollment.html", takes_context=True)
@passes_terms
def outcomes_enrollment_panel(context, enrollment, can_manage=False):
    request = _request(context)
    return {"request": request, **panels.enrollment_panel(request.user, enrollment)}


@register.inclusion_tag("outcomes/partials/funder_results.html", takes_context=True)
@passes_terms
def outcomes_funder_report_section(context, scope):
    return panels.funder_report_section(scope)


@register.inclusion_tag("outcomes/partials/dashboard_panel.html", takes_context=True)
@passes_terms
def outcomes_dashboard_panel(context, scope):
    request = _request(context)
    return {"request": request, **panels.dashboard_panel(scope, request.GET.get("by"))}


@register.inclusion_tag("outcomes/partials/breakdown_panel.html", takes_context=True)
@passes_terms
def outcomes_breakdown_panel(context, cohort, breakdowns):
    request = _request(context)
    return {
        "request": request,
        **panels.breakdown_panel(request.user, cohort, breakdowns, request.GET.get("by")),
    }

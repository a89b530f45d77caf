"""Panels the networks app contributes to pages owned by other apps (the cohort page, a
fellow's enrollment page). Each renders what its selector in networks/panels.py returns."""

from django import template

from cohorts.terms import passes_terms

from .. import panels

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("networks/partials/panel_cohort.html", takes_context=True)
@passes_terms
def networks_cohort_panel(context, cohort, can_manage=False):
    return {
        "request": context.get("request"),
        **panels.cohort_panel(_user(context), cohort, can_manage),
    }


@register.inclusion_tag("networks/partials/panel_enrollment.html", takes_context=True)
@passes_terms
def networks_enrollment_panel(context, enrollment, can_manage=False):
    return {
        "request": context.get("request"),
        **panels.enrollment_panel(_user(context), enrollment, can_manage),
    }

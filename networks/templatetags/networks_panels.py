"""Panels the networks app contributes to pages owned by other apps (the fellow's start page,
the cohort page, a fellow's enrollment page). Each loads its own data in a fixed number
of queries and renders nothing when it has nothing to show."""

from django import template

register = template.Library()


@register.inclusion_tag("networks/partials/panel_fellow_home.html", takes_context=True)
def networks_fellow_home_panel(context, enrollment):
    return {"request": context.get("request"), "enrollment": enrollment}


@register.inclusion_tag("networks/partials/panel_cohort.html", takes_context=True)
def networks_cohort_panel(context, cohort, can_manage=False):
    return {"request": context.get("request"), "cohort": cohort, "can_manage": can_manage}


@register.inclusion_tag("networks/partials/panel_enrollment.html", takes_context=True)
def networks_enrollment_panel(context, enrollment, can_manage=False):
    return {"request": context.get("request"), "enrollment": enrollment, "can_manage": can_manage}

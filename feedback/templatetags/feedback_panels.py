"""Sections the feedback app adds to pages of other apps. Each renders what its selector in
feedback/panels.py returns."""

from django import template

from cohorts.terms import passes_terms
from feedback import panels

register = template.Library()


@register.inclusion_tag("feedback/partials/funder_section.html", takes_context=True)
@passes_terms
def feedback_funder_section(context, scope):
    return panels.funder_section(scope)

"""`{% home_panel panel %}`: renders one panel of the fellow's start page (cohorts/home.py)
with the page's context (request, terms) and the data its app's selector returned."""

from django import template

from cohorts.home import RenderedPanel

register = template.Library()


@register.simple_tag(takes_context=True)
def home_panel(context, panel: RenderedPanel):
    with context.push(**panel.data):
        return context.template.engine.get_template(panel.template).render(context)

"""`{{ text|speak:terms }}`: text kept in Python (a choice's label, a notice's topic) said in
the page's words (cohorts/terms.py). A built-in library: no `{% load %}` needed."""

from django import template

from cohorts.terms import DEFAULT_TERMS

register = template.Library()


@register.filter
def speak(text, terms=None):
    return (terms or DEFAULT_TERMS).speak(text)


@register.filter
def speak_form(form, terms=None):
    """`{{ form|speak_form:terms|crispy }}`, for apps below cohorts (notifications)."""
    return (terms or DEFAULT_TERMS).speak_form(form)

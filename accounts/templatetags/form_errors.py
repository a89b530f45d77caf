"""`{% form_errors as errors %}`: every error of the forms a page shows, for the error summary
of `base.html` (a list of links to the fields, focused when the page loads, and "Error:" at
the start of the title; WCAG 3.3.1 and 2.4.2).

It looks at the forms the view put in the context, so every page gains the summary without
its view or template naming it. Only forms the view has already validated count: a bound
filter form nobody checked is not an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.formsets import BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class FormError:
    message: str
    label: str = ""
    anchor: str = ""  # the id of the field's first input
    name: str = ""  # the field's html name, for the script to fall back on


def _forms_in(value):
    # type(), not isinstance(): isinstance would evaluate the context's lazy objects (the
    # navigation's role and unread-count queries) on pages that never use them.
    kind = type(value)
    if issubclass(kind, forms.BaseForm | BaseFormSet):
        yield value
    elif kind is list or kind is tuple:
        for item in value:
            if issubclass(type(item), forms.BaseForm | BaseFormSet):
                yield item


def _anchor(bound_field) -> str:
    # Radio buttons, checkbox lists and split date/time boxes have no single input the
    # label points to: the link goes to the first one (`id_<name>_0`).
    return bound_field.id_for_label or (f"{bound_field.auto_id}_0" if bound_field.auto_id else "")


def _form_errors(form) -> list[FormError]:
    if not form.is_bound or form._errors is None:
        return []
    found: list[FormError] = []
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            found.extend(FormError(message=str(message)) for message in messages)
            continue
        bound_field = form[name]
        anchor = "" if bound_field.is_hidden else _anchor(bound_field)
        label = str(bound_field.label or name)
        found.extend(
            FormError(message=str(m), label=label, anchor=anchor, name=bound_field.html_name)
            for m in messages
        )
    return found


def _formset_errors(formset) -> list[FormError]:
    if not formset.is_bound or formset._errors is None:
        return []
    found = [FormError(message=str(m)) for m in formset.non_form_errors()]
    for form in formset.forms:
        found.extend(_form_errors(form))
    return found


@register.simple_tag(takes_context=True)
def form_errors(context) -> list[FormError]:
    seen: set[int] = set()
    found: list[FormError] = []
    for value in context.flatten().values():
        for item in _forms_in(value):
            if id(item) in seen:
                continue
            seen.add(id(item))
            found.extend(
                _formset_errors(item) if isinstance(item, BaseFormSet) else _form_errors(item)
            )
    return list(dict.fromkeys(found))

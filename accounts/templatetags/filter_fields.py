"""`{{ field|as_filter_field }}`: a form's field as crispy's `as_crispy_field` writes it (the
bootstrap5 pack: a labelled text box, text area or drop-down list in a `mb-3` block), written
in Python for the plain case: the search forms' fields, and the plan page's comment form.

Crispy renders each field through half a dozen templates, ~0.5 ms a field: a roster's
filter form of six fields cost more than its hundred rows. The widget itself is written here
too, from the context Django's widget gives its template: a list of 56 states and
territories cost half a millisecond through select.html and an included template per option.
A field that has help text, errors, a class of its own or another kind of widget (or a list
with groups) goes to crispy as before (tests/foundation/test_filter_fields.py compares the
two)."""

from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.forms import BoundField, Select, Textarea, TextInput
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from accounts.markup import escaped as _e

register = template.Library()

# The classes crispy's bootstrap5 pack gives each widget.
_CLASSES: dict[type, str] = {
    TextInput: "textinput form-control",
    Select: "select form-select",
    Textarea: "textarea form-control",
}


@register.filter
def as_filter_field(field) -> SafeString:
    widget = field.field.widget
    css = _CLASSES.get(type(widget))
    if (
        css is None
        or not field.auto_id
        or field.help_text
        or "class" in widget.attrs
        or field.errors
        or field.css_classes()
    ):
        return as_crispy_field(field)
    label = conditional_escape(field.label)
    required, asterisk = "", ""
    if field.field.required:
        required, asterisk = " requiredField", '<span class="asteriskField">*</span>'
    rendered = _widget(field, css)
    return mark_safe(
        f'<div id="div_{conditional_escape(field.auto_id)}" class="mb-3">'
        f'<label for="{conditional_escape(field.id_for_label)}" class="form-label{required}">'
        f"{label}{asterisk}</label>{rendered}</div>"
    )


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: True as a bare name, False left out."""
    return "".join(
        f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _widget(field: BoundField, css: str) -> str:
    """`field.as_widget(attrs={"class": css})`, the widget's template written in Python."""
    widget = field.field.widget
    given = field.build_widget_attrs({"class": css}, widget)
    if "id" not in widget.attrs:
        given.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), given)["widget"]
    name, value, attrs = _e(context["name"]), context["value"], _attrs(context["attrs"])
    if isinstance(widget, Textarea):
        return f'<textarea name="{name}"{attrs}>\n{_e(value) if value else ""}</textarea>'
    if isinstance(widget, TextInput):
        shown = "" if value is None else f' value="{_e(value)}"'
        return f'<input type="{_e(context["type"])}" name="{name}"{shown}{attrs}>'
    options = []
    for group, choices, _index in context["optgroups"]:
        if group:  # a list with groups: Django's own templates
            return field.as_widget(attrs={"class": css})
        options += [
            f'\n  <option value="{_e(option["value"])}"{_attrs(option["attrs"])}>'
            f"{_e(option['label'])}</option>"
            for option in choices
        ]
    return f'<select name="{name}"{attrs}>{"".join(options)}\n</select>'

"""`{{ field|as_filter_field }}`: a form's field as crispy's `as_crispy_field` writes it (the
bootstrap5 pack: a labelled text box, text area or drop-down list in a `mb-3` block), written
in Python for the plain case: the search forms' fields, and the plan page's comment form.

Crispy renders each field through half a dozen templates, ~0.5 ms a field: a roster's
filter form of six fields cost more than its hundred rows. A field that has help text,
errors, a class of its own or another kind of widget goes to crispy as before
(tests/foundation/test_filter_fields.py compares the two)."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.forms import Select, Textarea, TextInput
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

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
    rendered = field.as_widget(attrs={"class": css})
    return mark_safe(
        f'<div id="div_{conditional_escape(field.auto_id)}" class="mb-3">'
        f'<label for="{conditional_escape(field.id_for_label)}" class="form-label{required}">'
        f"{label}{asterisk}</label>{rendered}</div>"
    )

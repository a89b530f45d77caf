"""Drop-down lists and plain inputs written in Python (accounts/form_renderer.py) are the
very HTML Django's templates write, for every kind of list and input forms on the site use."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from accounts.form_renderer import FormRenderer
from cohorts.filters import RosterFilter
from cohorts.models import Enrollment, Program


class _Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "Alpha"), ("b", "B & <b>")])
    grouped = forms.ChoiceField(
        choices=[
            ("Fruit", [("apple", "Apple"), ("pear", "Pear")]),
            ("Vegetables", [("leek", "Leek")]),
            ("x", 'Ungrouped "quoted"'),
        ]
    )
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, "Three")])
    numbers = forms.TypedChoiceField(choices=[(2025, 2025), (2026, 2026)], coerce=int)
    maybe = forms.NullBooleanField()
    people = forms.ModelChoiceField(queryset=Program.objects.order_by("pk"), required=False)
    shown = forms.ChoiceField(
        choices=[("s", mark_safe("<em>safe</em>"))],
        widget=forms.Select(
            attrs={
                "class": "form-select",
                "required": True,
                "disabled": False,
                "data-x": 'a "b" <c>',
                "aria-describedby": mark_safe("help&#x2d;1"),
            }
        ),
    )
    text = forms.CharField(required=False, max_length=20)
    email = forms.EmailField(widget=forms.EmailInput(attrs={"placeholder": 'say "hi" <x>'}))
    count = forms.IntegerField(min_value=0)
    day = forms.DateField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    when = forms.TimeField(required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "b", "grouped": "pear", "many": ["1", "3"], "numbers": "2026", "maybe": "true"},
        {"plain": "nope", "grouped": "x", "many": ["2"], "maybe": "false", "shown": "s"},
        {"text": '"><b>&amp;', "email": "a@b.org", "count": "7", "day": "2026-11-30"},
        {"secret": "p<w>", "hidden": "h&", "when": "09:30", "count": "-1", "email": "x"},
    ],
)
def test_lists_are_written_as_djangos_templates_write_them(cast, data):
    ours = _Everything(data, renderer=FormRenderer())
    djangos = _Everything(data, renderer=DjangoTemplates())
    ours.is_valid(), djangos.is_valid()
    for name in ours.fields:
        assert str(ours[name]) == str(djangos[name]), name
    assert str(ours["people"]).count("<option") == Program.objects.count() + 1


def test_the_roster_filter_is_the_same_html(cast):
    for data in (None, {"state": "HI", "status": "active", "q": "<x>"}):
        ours = RosterFilter(data, queryset=Enrollment.objects.all(), program=cast.program).form
        djangos = RosterFilter(data, queryset=Enrollment.objects.all(), program=cast.program).form
        ours.renderer, djangos.renderer = FormRenderer(), DjangoTemplates()
        for name in ours.fields:
            assert str(ours[name]) == str(djangos[name]), name


def test_the_site_renders_forms_with_it():
    assert isinstance(forms.Form().renderer, FormRenderer)

"""The one way a view saves a form (`accounts.form_helpers.save_form`): the service's result,
or None with every error next to the field it names."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.form_helpers import save_form


class NameForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


def test_a_valid_form_gives_what_the_service_returned():
    form = NameForm({"name": "Ada"})
    assert save_form(form, lambda data: data["name"].upper()) == "ADA"


def test_a_service_that_returns_nothing_still_counts_as_saved():
    saved = []
    form = NameForm({"name": "Ada"})
    assert save_form(form, lambda data: saved.append(data["name"])) is True
    assert saved == ["Ada"]


def test_an_invalid_form_never_reaches_the_service():
    called = []
    form = NameForm({"name": ""})
    assert save_form(form, lambda data: called.append(data)) is None
    assert called == []
    assert form.errors["name"]


def test_an_unbound_form_is_shown_without_errors():
    form = NameForm()
    assert save_form(form, lambda data: "saved") is None
    assert not form.errors


def test_the_services_refusal_goes_next_to_the_field_it_names():
    def refuse(data):
        raise ValidationError({"note": "Say why.", "elsewhere": "Not a field here."})

    form = NameForm({"name": "Ada"})
    assert save_form(form, refuse) is None
    assert form.errors["note"] == ["Say why."]
    assert form.non_field_errors() == ["Not a field here."]


def test_a_refusal_naming_no_field_goes_where_the_view_says():
    def refuse(data):
        raise ValidationError("That name is taken.")

    form = NameForm({"name": "Ada"})
    assert save_form(form, refuse, errors_at="name") is None
    assert form.errors["name"] == ["That name is taken."]

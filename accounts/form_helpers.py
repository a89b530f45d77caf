"""What every view does with a form and a service, written once for all the apps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.utils.datastructures import MultiValueDict

T = TypeVar("T")


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (`request.POST or None` would leave an
    empty POST unbound and re-show the form without saying what is wrong)."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict[str, Any] | None:
    return request.FILES if request.method == "POST" else None


def apply_errors(form: forms.BaseForm, exc: ValidationError, field: str | None = None) -> None:
    """Puts a service's ValidationError next to the form fields it names; errors that name
    no field go next to `field`, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else field, error)
    else:
        for message in exc.messages:
            form.add_error(field, message)


@overload
def save_form(
    form: forms.BaseForm, save: Callable[[dict[str, Any]], None], *, errors_at: str | None = ...
) -> bool | None: ...
@overload
def save_form(
    form: forms.BaseForm, save: Callable[[dict[str, Any]], T], *, errors_at: str | None = ...
) -> T | None: ...
def save_form(
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    errors_at: str | None = None,
) -> Any:
    """The one way a view saves a form: when the form is valid, calls `save(cleaned_data)`
    (a service) and returns what it returned. None means nothing was saved: the form's own
    errors, or the service's ValidationError placed next to the fields it names (errors that
    name no field go next to `errors_at`, or above the form). A service that returns nothing
    gives True, so that None always means "show the form again"."""
    if not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc, errors_at)
        return None
    return True if result is None else result


def save_then_redirect(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[..., Any],
    *,
    success: str | Callable[[Any], str],
    then: Any,
    errors_at: str | None = None,
) -> HttpResponseRedirect | None:
    """`save_form` for the pages that, once saved, say so and go elsewhere: calls
    `save(**cleaned_data)` (a service) and returns a redirect to `then` with `success` as
    the message, each of them a value or a function of what `save` returned. None: show the
    page (again), on GET or with the errors next to the fields."""
    result = save_form(form, lambda data: save(**data), errors_at=errors_at)
    if result is None:
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then(result) if callable(then) else then)


def start_from_defaults(
    form: forms.BaseForm, model: type[models.Model], instance: models.Model | None = None
) -> None:
    """An unbound form that creates a `model` starts with the model's defaults in its fields
    of the same names (or with the values of the unsaved `instance`). Django does this only
    for the fields a ModelForm generates itself: a field declared on the form, or a plain
    form, would start blank and then be "required" on the first submit."""
    if form.is_bound:
        return
    blank = instance if instance is not None else model()
    for name, field in form.fields.items():
        if name in form.initial or field.initial is not None:
            continue
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if (
            isinstance(model_field, models.Field)
            and model_field.concrete
            and model_field.editable
            and not model_field.many_to_many
        ):
            value = model_field.value_from_object(blank)
            if value not in (None, ""):
                form.initial[name] = value


class ModelForm(forms.ModelForm):
    """The project's ModelForm: a form for a new object starts from the model's defaults,
    declared fields included."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            start_from_defaults(self, type(self.instance), self.instance)

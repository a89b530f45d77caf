from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.form_helpers import apply_errors, posted, posted_files  # noqa: F401 -- used by the views


def save_form(request, form, save: Callable, *, success, then, errors_at=None):
    """On a POST with a valid form, calls `save(**form.cleaned_data)` (a service) and
    returns a redirect to `then` with `success` as the message; each may be a function of
    what `save` returned. Returns None when the page should be shown (again): on GET, or
    with the errors of the form or the service next to the fields (those that name no
    field next to `errors_at`, if given)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(**form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc, errors_at)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then(result) if callable(then) else then)


def form_page(request, form, title: str, **context):
    """The plain form page (`curriculum/form.html`): invalid forms come back with 200."""
    return render(request, "curriculum/form.html", {"form": form, "title": title, **context})


def refused(request, exc: ValidationError) -> None:
    """A refused action without a form (e.g. a delete): its reason as an error message."""
    messages.error(request, " ".join(exc.messages))


def confirm_delete_page(request, obj, title: str, **context):
    """Asks to confirm a delete, or says why `obj` cannot be deleted (its deletion_refusal)."""
    return render(
        request,
        "curriculum/confirm_delete.html",
        {"title": title, "refusal": obj.deletion_refusal(), **context},
    )

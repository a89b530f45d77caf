from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render

from accounts.form_helpers import (  # noqa: F401 -- used by the views
    posted,
    posted_files,
    save_form,
    save_then_redirect,
)


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

"""What every view does with a form and a service, written once for all the apps."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def posted(request):
    """The form data of a POST, even an empty one (`request.POST or None` would leave an
    empty POST unbound and re-show the form without saying what is wrong)."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def apply_errors(form, exc: ValidationError, field: str | None = None) -> None:
    """Puts a service's ValidationError next to the form fields it names; errors that name
    no field go next to `field`, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else field, error)
    else:
        for message in exc.messages:
            form.add_error(field, message)

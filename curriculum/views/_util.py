from django.core.exceptions import ValidationError


def apply_errors(form, exc: ValidationError) -> None:
    """Puts a service's ValidationError next to the form fields it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def posted_data(request):
    """Form data on POST (even an empty POST binds the form, so it is validated)."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None

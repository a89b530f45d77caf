import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.form_helpers import posted
from accounts.models import User
from accounts.roles import is_site_admin
from audit.services import record

from .erasure import erasure_check, person_erase
from .export import personal_data, personal_data_zip
from .forms import EraseConfirmForm, PersonLookupForm


def _signed_in(request: HttpRequest) -> User:
    # The sign-in middleware sends anonymous visitors to the login page before any view.
    user = request.user
    assert isinstance(user, User)
    return user


@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """What we hold about the viewer, section by section, with the download."""
    sections = {name: len(rows) for name, rows in personal_data(_signed_in(request)).items()}
    return render(request, "privacy/my_data.html", {"sections": sections})


@require_GET
def my_data_download(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    body = personal_data_zip(user)
    record(action="accounts.data_downloaded", by=user, target=user)
    response = HttpResponse(body, content_type="application/zip")
    stamp = f"{timezone.now():%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="my-cohortwise-data-{stamp}.zip"'
    return response


def _site_admin_only(user: Any) -> None:
    # Anyone else is not told the page exists.
    if not is_site_admin(user):
        raise Http404("No such page.")


@require_GET
def erase_find(request: HttpRequest) -> HttpResponse:
    """The site admin names the person who asked to be erased; on to the confirmation."""
    _site_admin_only(request.user)
    form = PersonLookupForm(request.GET or None, by=_signed_in(request))
    if form.is_valid() and form.person is not None:
        return redirect("privacy:erase_person", code=form.person.code)
    return render(request, "privacy/erase_find.html", {"form": form})


@require_http_methods(["GET", "POST"])
def erase_person(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Confirmation (the address typed again), then the erasure and what it did."""
    _site_admin_only(request.user)
    person = get_object_or_404(User, code=code)
    try:
        erasure_check(user=person, by=_signed_in(request))
        refusal = None
    except ValidationError as exc:
        refusal = " ".join(exc.messages)
    form = EraseConfirmForm(posted(request), person=person)
    if request.method == "POST" and refusal is None and form.is_valid():
        name, email = str(person), person.email
        try:
            summary = person_erase(user=person, by=_signed_in(request))
        except ValidationError as exc:  # changed between the check and the erasure
            refusal = " ".join(exc.messages)
        else:
            return render(
                request, "privacy/erased.html", {"summary": summary, "name": name, "email": email}
            )
    return render(
        request,
        "privacy/erase_confirm.html",
        {"person": person, "form": form, "refusal": refusal},
    )

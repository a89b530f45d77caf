from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.services import record

from .export import personal_data, personal_data_zip


@require_GET
def my_data(request):
    """What we hold about the viewer, section by section, with the download."""
    sections = {name: len(rows) for name, rows in personal_data(request.user).items()}
    return render(request, "privacy/my_data.html", {"sections": sections})


@require_GET
def my_data_download(request):
    body = personal_data_zip(request.user)
    record(action="accounts.data_downloaded", by=request.user, target=request.user)
    response = HttpResponse(body, content_type="application/zip")
    stamp = f"{timezone.now():%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="my-cohortwise-data-{stamp}.zip"'
    return response

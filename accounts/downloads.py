"""The one way the site serves a stored file (materials, submissions, photos): a file the
database names but the disk no longer has gives a clear 404 page, not a 500."""

from __future__ import annotations

import logging
import mimetypes
import os

from django.http import FileResponse, HttpResponseBase
from django.shortcuts import render

logger = logging.getLogger(__name__)


def file_download(
    request, field_file, *, as_attachment: bool = True, content_type: str | None = None
) -> HttpResponseBase:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, IsADirectoryError):
        logger.warning("Stored file missing from disk: %s", field_file.name)
        return render(request, "missing_file.html", status=404)
    name = os.path.basename(field_file.name)
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=name,
        content_type=content_type or mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Limits on uploaded files (session materials, assignment submissions)."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat

ALLOWED_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".ppt",
    ".pptx",
    ".xls",
    ".xlsx",
    ".odt",
    ".txt",
    ".md",
    ".csv",
    ".png",
    ".jpg",
    ".jpeg",
}


def validate_upload(file) -> None:
    """Refuses files that are too large or of a type we do not accept."""
    if not file:
        return
    limit = settings.MAX_UPLOAD_BYTES
    if file.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; the limit is {filesizeformat(limit)}."
        )
    extension = os.path.splitext(file.name)[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        allowed = ", ".join(sorted(e.lstrip(".") for e in ALLOWED_EXTENSIONS))
        raise ValidationError(f"Files of this type cannot be uploaded. Allowed: {allowed}.")


def delete_after_commit(field_file) -> None:
    """Deletes a stored file once the current transaction commits (a rollback keeps it, so
    a row is never left pointing at a missing file)."""
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))

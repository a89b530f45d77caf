"""Checks on what applicants and referees upload: the product's size and type limits
(curriculum.uploads.validate_upload), and then the content itself, so an HTML page or an SVG
(which can carry scripts) renamed to `.pdf` or `.txt` is refused. Files are only ever served
as downloads with the type checked here."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError

from curriculum.uploads import is_office_file, is_plain_text, validate_upload

ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
}
REFUSED = (
    "This file cannot be uploaded: it is not what its name says, or of a type we do not "
    "accept. Allowed: PDF, DOCX, TXT."
)


def check_document(upload) -> tuple[str, str]:
    """(download name, content type) of an acceptable file, or ValidationError."""
    validate_upload(upload)
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    name = os.path.basename(upload.name or "")[:200]
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED or not _content_matches(upload, extension):
        raise ValidationError(REFUSED)
    return name, ALLOWED[extension]


def _content_matches(upload, extension: str) -> bool:
    upload.seek(0)
    try:
        if extension == ".pdf":
            return upload.read(5) == b"%PDF-"
        if extension == ".docx":
            return is_office_file(upload, "word/")
        return is_plain_text(upload)
    finally:
        upload.seek(0)

"""Evidence files of results: limited in size, and typed by their content, not their name.

A file is accepted only when its first bytes say it is one of the kinds below *and* its name
ends the way that kind does, so an HTML page or an SVG (which can carry scripts) renamed to
`.pdf` or `.txt` is refused. Accepted files are served as downloads with their checked type."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from curriculum.uploads import is_office_file, is_plain_text

SNIFF_BYTES = 4096

# Office documents are zip files; the folder inside names the program that wrote them.
OFFICE = {
    ".docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
MAGIC = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
}
TEXT = {".txt": "text/plain", ".csv": "text/csv"}

ALLOWED = sorted({*OFFICE, *MAGIC, *TEXT} - {".jpeg"})


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the name to offer on download (no folders)
    content_type: str


def max_bytes() -> int:
    return settings.MAX_UPLOAD_BYTES


def _refuse(message: str) -> NoReturn:
    raise ValidationError(message, code="evidence_refused")


def allowed_text() -> str:
    return ", ".join(e.lstrip(".").upper() for e in ALLOWED)


def check_evidence(upload) -> CheckedFile:
    """The file's download name and true type, or ValidationError saying what is wrong."""
    limit = max_bytes()
    if upload.size > limit:
        _refuse(f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}.")
    if upload.size == 0:
        _refuse("The file is empty.")
    name = os.path.basename(upload.name or "")[:200]
    extension = os.path.splitext(name)[1].lower()
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    content_type = _content_type(upload, extension, head)
    if content_type is None:
        _refuse(
            "This file cannot be uploaded: it is not what its name says, or of a type we do "
            f"not accept. Allowed: {allowed_text()}."
        )
    return CheckedFile(name=name, content_type=content_type)


def _content_type(upload, extension: str, head: bytes) -> str | None:
    if extension in MAGIC:
        magic, content_type = MAGIC[extension]
        return content_type if head.startswith(magic) else None
    if extension in OFFICE:
        folder, content_type = OFFICE[extension]
        return content_type if is_office_file(upload, folder) else None
    if extension in TEXT:
        return TEXT[extension] if is_plain_text(upload) else None
    return None

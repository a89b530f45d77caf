"""Limits on uploaded files (session materials, assignment submissions), and keeping storage
in step with the database when a transaction commits or rolls back; what an upload's content
really is (an Office file, plain text that no browser would take for a page)."""

import os
import zipfile
from contextlib import contextmanager

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


class StoredFiles:
    """The files written to storage inside `files_removed_on_rollback`."""

    def __init__(self):
        self.written: list[tuple[object, str]] = []

    def add(self, field_file) -> None:
        if field_file.name:
            self.written.append((field_file.storage, field_file.name))


@contextmanager
def files_removed_on_rollback():
    """A transaction whose stored files go again if it rolls back: storage is not part of
    the database, so a failure after a file was written would otherwise leave it behind
    with no row pointing at it. Call `.add(field_file)` on what the block yields right
    after each file is saved. The block runs in its own transaction (a savepoint inside
    another one); a rollback of an enclosing transaction after the block succeeded is the
    caller's to handle."""
    files = StoredFiles()
    try:
        with transaction.atomic():
            yield files
    except BaseException:
        for storage, name in files.written:
            storage.delete(name)
        raise


def is_office_file(upload, folder: str) -> bool:
    """An Office Open XML file (a zip with its content types and `folder`, e.g. "word/")."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def is_plain_text(upload) -> bool:
    """UTF-8 text without NUL bytes that does not open like markup (HTML, SVG, XML)."""
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # A browser could take text that opens with "<" for a page, whatever the file is called.
    return not text.lstrip("\ufeff \t\r\n").startswith("<")

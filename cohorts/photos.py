"""Profile photos: checked with Pillow (size, real type, dimensions) and re-encoded small,
which also drops EXIF metadata such as where the picture was taken."""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_SOURCE_PIXELS = 40_000_000  # well under Pillow's decompression-bomb limit
STORED_SIZE = (512, 512)
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


def process_photo(upload) -> ContentFile:
    """A small copy of an uploaded photo, or ValidationError saying what is wrong with it."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            f"The photo is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_PHOTO_BYTES // 1024 // 1024} MB.",
            code="photo_too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in FORMATS:
            raise ValidationError("Upload a JPEG, PNG or WebP photo.", code="photo_type")
        if width * height > MAX_SOURCE_PIXELS:
            raise ValidationError("The photo has too many pixels; use a smaller one.")
        upload.seek(0)
        with Image.open(upload) as opened:
            image: Image.Image = ImageOps.exif_transpose(opened)
            image.thumbnail(STORED_SIZE)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(
                out, format=image_format, **({"quality": 85} if image_format != "PNG" else {})
            )
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            "That file is not a photo we can read. Upload a JPEG, PNG or WebP image.",
            code="photo_unreadable",
        ) from None
    extension = FORMATS[image_format][0]
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")

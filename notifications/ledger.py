"""Building ledger rows. Scans (each app's `reminders.py`) return unsaved `Notification`s made
here; `record` inserts them in bulk, ignoring the ones already there (the unique key)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings

from .models import Notification
from .timeutil import iso


def subject_label(obj) -> str:
    return obj._meta.label_lower


def absolute(url: str) -> str:
    if not url or url.startswith("http"):
        return url
    return f"{settings.SITE_URL}{url}"


def event_snapshot(event, **extra) -> dict:
    """What a message and its .ics need to know about a calendar event, frozen at writing."""
    return {
        "event_code": str(event.code),
        "event_title": event.calendar_title,
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
        "location": event.location_text or "",
        "video_url": event.video_url or "",
        "sequence": event.sequence,
        "cancelled": event.cancelled_at is not None,
        **extra,
    }


def event_occurrence(starts_at: datetime.datetime) -> str:
    """Reminders are keyed on the start time, so a moved session is reminded again."""
    return starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%MZ")


def row(
    *,
    recipient_id: int,
    kind: str,
    subject_type: str,
    subject_id: int,
    occurrence: str,
    due_at: datetime.datetime,
    title: str,
    url: str = "",
    expires_at: datetime.datetime | None = None,
    enrollment_id: int | None = None,
    payload: dict | None = None,
) -> Notification:
    return Notification(
        recipient_id=recipient_id,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        occurrence=occurrence[:64],
        due_at=due_at,
        expires_at=expires_at,
        enrollment_id=enrollment_id,
        title=title[:200],
        url=url[:300],
        payload=payload or {},
    )


def record(rows: Iterable[Notification], batch_size: int = 1000) -> int:
    """Inserts rows, skipping those already in the ledger. Returns how many were offered."""
    rows = list(rows)
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=batch_size)
    return len(rows)

"""Building ledger rows. Scans (registered by each app, see registry.py) return unsaved
`Notification`s made here; `record` leaves out the ones already in the ledger (an anti-join
on the unique key) and inserts the rest in bulk."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings

from . import registry
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
    recipient_id: int | None = None,
    recipient_email: str = "",
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
    """One unsaved ledger row, to a person (`recipient_id`) or to an address without an
    account (`recipient_email`): exactly one of the two."""
    if (recipient_id is None) == (not recipient_email):
        raise ValueError("A ledger row goes to a recipient_id or to a recipient_email.")
    return Notification(
        recipient_id=recipient_id,
        recipient_email=recipient_email.strip().lower() if recipient_email else "",
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


# Subject ids per lookup of `already_recorded` (well under every database's parameter limit).
LOOKUP_CHUNK = 500


# The ledger's unique key (the constraints notifications_notification_once and, for rows
# addressed to an email, notifications_notification_once_per_email).
KEY_FIELDS = ("recipient_id", "recipient_email", "kind", "subject_type", "subject_id", "occurrence")


def key(n: Notification) -> tuple:
    return (n.recipient_id, n.recipient_email, n.kind, n.subject_type, n.subject_id, n.occurrence)


def already_recorded(rows: list[Notification]) -> set[tuple]:
    """Keys of these rows that the ledger already holds: one indexed read per subject type
    (and 500 subject ids), however many recipients, instead of one INSERT attempt per row."""
    wanted: dict[str, set[int]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    for n in rows:
        wanted[n.subject_type].add(n.subject_id)
        kinds[n.subject_type].add(n.kind)
    found: set[tuple] = set()
    for subject_type, id_set in wanted.items():
        ids = sorted(id_set)
        for start in range(0, len(ids), LOOKUP_CHUNK):
            found.update(
                Notification.objects.filter(
                    subject_type=subject_type,
                    subject_id__in=ids[start : start + LOOKUP_CHUNK],
                    kind__in=sorted(kinds[subject_type]),
                ).values_list(*KEY_FIELDS)
            )
    return found


def record(rows: Iterable[Notification], batch_size: int = 1000) -> int:
    """Inserts the rows the ledger does not hold yet and returns how many that was. Rows
    already there are filtered out before the INSERT, so a sweep that finds nothing new
    writes nothing; `ignore_conflicts` still covers a row written by a concurrent sweep
    between the read and the insert (the unique constraint is the backstop)."""
    rows = list(rows)
    if not rows:
        return 0
    for kind in {n.kind for n in rows}:
        registry.kind(kind)  # an unregistered kind fails here, before anything is written
    seen = already_recorded(rows)
    new = []
    for n in rows:
        k = key(n)
        if k not in seen:
            seen.add(k)  # the same key twice in one sweep is written once
            new.append(n)
    if new:
        Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=batch_size)
    return len(new)

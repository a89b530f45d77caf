"""Demo data of the notifications app: default delivery choices for every demo login, and the
helper the other apps' demo seeders use for their sample notifications (some read, most
unread, so the badge and the list have something to show). Idempotent: rows are keyed on the
ledger's unique key."""

from __future__ import annotations

from accounts.models import User
from notifications.models import Notification, NotificationSettings, State


def demo_logins(ctx) -> list[User]:
    return list(User.objects.filter(email__in=ctx.logins.values()))


def demo_notification(note: Notification, *, sent_at, read: bool) -> None:
    """Writes (or refreshes) one delivered notification made with `ledger.row`."""
    Notification.objects.update_or_create(
        recipient_id=note.recipient_id,
        kind=note.kind,
        subject_type=note.subject_type,
        subject_id=note.subject_id,
        occurrence=note.occurrence,
        defaults={
            "due_at": note.due_at,
            "title": note.title,
            "url": note.url,
            "payload": note.payload,
            "enrollment_id": note.enrollment_id,
            "state": State.SENT,
            "sent_at": sent_at,
            "read_at": sent_at if read else None,
        },
    )


def seed(ctx) -> None:
    for user in demo_logins(ctx):
        NotificationSettings.objects.get_or_create(user=user)

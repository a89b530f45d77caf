"""Writes of the notifications app: the hooks' work, preferences, read marks, feed tokens."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.updates import model_update
from audit import services as audit

from . import registry
from .enqueue import enqueue_on_commit
from .ledger import KEY_FIELDS, event_snapshot, key, record, row, subject_label
from .models import Delivery, Notification, NotificationPreference, NotificationSettings, State
from .notices import EVENT_CANCELLED, EVENT_UPDATED
from .sweep import batch_size, chunks


def settings_for(*, user: User) -> NotificationSettings:
    """The person's settings, made with the defaults on first use. A service, not a
    selector: the first call writes the row (and its secret calendar token), so the
    token a page shows is the one the feed will accept."""
    found, _ = NotificationSettings.objects.get_or_create(user=user)
    return found


def _send_now(rows: list[Notification]) -> None:
    """Queues the pending rows of these keys, once the surrounding transaction commits."""
    keys = {key(n) for n in rows}
    if not keys:
        return
    from .tasks import send_batch

    found = Notification.objects.filter(
        state=State.PENDING,
        kind__in={k[2] for k in keys},
        subject_type__in={k[3] for k in keys},
        subject_id__in={k[4] for k in keys},
        occurrence__in={k[5] for k in keys},
    ).values_list("pk", *KEY_FIELDS)
    ids = sorted(pk for pk, *rest in found if tuple(rest) in keys)
    for batch in chunks(ids, batch_size()):
        enqueue_on_commit(send_batch, batch)


@transaction.atomic
def notifications_send_now(*, rows: list[Notification]) -> int:
    """Writes rows about something that just happened (made with `ledger.row` by the app that
    decides who is told) and sends them once the surrounding transaction commits. Returns
    how many rows were new."""
    rows = list(rows)
    written = record(rows)
    _send_now(rows)
    return written


@transaction.atomic
def event_change_notify(*, event: Any, cancelled: bool, now: datetime.datetime) -> int:
    """Tells the attendees of a moved or cancelled event at once, with an updated invitation
    (same UID, higher SEQUENCE) or a cancellation. Reminders of the old time are dropped."""
    label = subject_label(event)
    Notification.objects.filter(
        subject_type=label, subject_id=event.pk, state=State.PENDING
    ).update(state=State.SKIPPED, skip_reason="cancelled" if cancelled else "moved")
    if event.ends_at <= now:
        return 0
    kind = (EVENT_CANCELLED if cancelled else EVENT_UPDATED).key
    occurrence = "cancelled" if cancelled else f"seq:{event.sequence}"
    verb = "Cancelled" if cancelled else "Moved"
    recipients = list(event.expected_attendees().values_list("pk", flat=True))
    rows = [
        row(
            recipient_id=user_id,
            kind=kind,
            subject_type=label,
            subject_id=event.pk,
            occurrence=occurrence,
            due_at=now,
            expires_at=event.ends_at,
            title=f"{verb}: {event.calendar_title}",
            url=event.get_absolute_url(),
            payload=event_snapshot(event),
        )
        for user_id in recipients
    ]
    notifications_send_now(rows=rows)
    return len(rows)


@transaction.atomic
def preferences_save(
    *,
    user: User,
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
    deliveries: dict[str, str],
) -> None:
    found = settings_for(user=user)
    model_update(found, data={"quiet_start": quiet_start, "quiet_end": quiet_end})
    for topic, delivery in deliveries.items():
        pref = NotificationPreference(
            user=user, topic=registry.topic(topic).key, delivery=Delivery(delivery)
        )
        NotificationPreference.objects.update_or_create(
            user=user, topic=pref.topic, defaults={"delivery": pref.delivery}
        )


@transaction.atomic
def topic_unsubscribe(*, user: User, topic: str) -> None:
    """No more email about this topic (one-click unsubscribe): the notices stay in the list."""
    NotificationPreference.objects.update_or_create(
        user=user, topic=registry.topic(topic).key, defaults={"delivery": Delivery.NONE}
    )


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> uuid.UUID:
    """A new secret feed URL; the old one stops working at once."""
    found = settings_for(user=user)
    found.calendar_token = uuid.uuid4()
    found.save(update_fields=["calendar_token", "updated_at"])
    audit.record(action="accounts.calendar_token_reset", by=user, target=user)
    return found.calendar_token


@transaction.atomic
def notification_mark_read(
    *, notification: Notification, now: datetime.datetime | None = None
) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now or timezone.now()
        )


@transaction.atomic
def notifications_mark_all_read(*, user: User, now: datetime.datetime | None = None) -> int:
    return (
        Notification.objects.filter(recipient=user).unread().update(read_at=now or timezone.now())
    )


@transaction.atomic
def notifications_resend(*, ids: Iterable[int], by: User, now: datetime.datetime) -> int:
    """Staff send failed notifications again (after fixing an address, or once the mail
    server is back): pending, due now, with a fresh count of tries. One whose cut-off has
    passed (the session started) is skipped by the next sweep, never sent late. Returns how
    many were failed and are now pending."""
    rows = list(Notification.objects.select_for_update().filter(pk__in=ids, state=State.FAILED))
    Notification.objects.filter(pk__in=[n.pk for n in rows]).update(
        state=State.PENDING,
        due_at=now,
        queued_at=None,
        attempts=0,
        failing_since=None,
        sending_since=None,
    )
    for n in rows:
        audit.record(
            action="notifications.resent",
            by=by,
            target=n,
            details={"kind": n.kind, "last_error": n.last_error},
        )
    return len(rows)

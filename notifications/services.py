"""Writes of the notifications app: the hooks' work, preferences, read marks, feed tokens."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from cohorts.models import EnrollmentStatus

from .enqueue import enqueue_on_commit
from .ledger import event_snapshot, record, row, subject_label
from .models import (
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSettings,
    State,
    Topic,
)
from .sweep import batch_size, chunks


def settings_for(user) -> NotificationSettings:
    found, _ = NotificationSettings.objects.get_or_create(user=user)
    return found


def _send_now(filter_kwargs: dict) -> None:
    """Queues the pending rows just written, once the surrounding transaction commits."""
    from .tasks import send_batch

    ids = list(
        Notification.objects.filter(state=State.PENDING, **filter_kwargs)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for batch in chunks(ids, batch_size()):
        enqueue_on_commit(send_batch, batch)


@transaction.atomic
def event_change_notify(*, event, cancelled: bool, now) -> int:
    """Tells the attendees of a moved or cancelled event at once, with an updated invitation
    (same UID, higher SEQUENCE) or a cancellation. Reminders of the old time are dropped."""
    label = subject_label(event)
    Notification.objects.filter(
        subject_type=label, subject_id=event.pk, state=State.PENDING
    ).update(state=State.SKIPPED, skip_reason="cancelled" if cancelled else "moved")
    if event.ends_at <= now:
        return 0
    kind = Kind.EVENT_CANCELLED if cancelled else Kind.EVENT_UPDATED
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
    record(rows)
    _send_now(
        {"subject_type": label, "subject_id": event.pk, "kind": kind, "occurrence": occurrence}
    )
    return len(rows)


@transaction.atomic
def plan_comment_notify(*, comment, now) -> int:
    """The plan's fellow and their active coach hear of a new comment (not its author)."""
    plan = comment.plan
    enrollment = plan.enrollment
    if enrollment.status != EnrollmentStatus.ACTIVE:
        return 0
    recipients = {enrollment.user_id}
    recipients.update(
        enrollment.coach_assignments.filter(ended_at__isnull=True).values_list(
            "coach_id", flat=True
        )
    )
    recipients.discard(comment.author_id)
    author = comment.author.display_name if comment.author else "Someone"
    excerpt = comment.body if len(comment.body) <= 280 else comment.body[:279] + "…"
    rows = [
        row(
            recipient_id=user_id,
            kind=Kind.PLAN_COMMENT,
            subject_type=subject_label(comment),
            subject_id=comment.pk,
            occurrence="posted",
            due_at=now,
            enrollment_id=enrollment.pk,
            title=f"New comment from {author} on {plan.title}",
            url=comment.get_absolute_url(),
            payload={"author": author, "plan": plan.title, "excerpt": excerpt},
        )
        for user_id in sorted(recipients)
    ]
    record(rows)
    _send_now({"subject_type": subject_label(comment), "subject_id": comment.pk})
    return len(rows)


@transaction.atomic
def preferences_save(*, user, quiet_start, quiet_end, deliveries: dict[str, str]) -> None:
    found = settings_for(user)
    found.quiet_start = quiet_start
    found.quiet_end = quiet_end
    found.full_clean()
    found.save()
    for topic, delivery in deliveries.items():
        pref = NotificationPreference(user=user, topic=Topic(topic), delivery=Delivery(delivery))
        NotificationPreference.objects.update_or_create(
            user=user, topic=pref.topic, defaults={"delivery": pref.delivery}
        )


@transaction.atomic
def calendar_token_regenerate(*, user) -> uuid.UUID:
    """A new secret feed URL; the old one stops working at once."""
    found = settings_for(user)
    found.calendar_token = uuid.uuid4()
    found.save(update_fields=["calendar_token", "updated_at"])
    return found.calendar_token


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())

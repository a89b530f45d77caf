"""Reads of the notifications app."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import viewer_roles
from accounts.viewer import Viewer

from . import mailer, registry
from .models import Notification, NotificationPreference, NotificationSettings, State


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).visible().order_by("-sent_at", "-pk")


# The navigation's unread count, asked with the viewer's roles (accounts/roles.py).
UNREAD_COUNT = "unread_notifications"


def unread_rows(user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user_id).unread()


def unread_count(user: Viewer) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user).unread().count()


def calendar_owner(token: uuid.UUID | str) -> User | None:
    """The active user whose secret feed token this is, or None."""
    found = (
        NotificationSettings.objects.filter(calendar_token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return found.user if found is not None else None


def deliveries_of(user: User) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("topic", "delivery"))


def audiences_of(user: User) -> set[str]:
    """Who this person is, in the terms topics name their audience (registry.AUDIENCES)."""
    roles = viewer_roles(user)
    found = set()
    if roles.fellow or not roles.any:
        found.add("fellow")
    if roles.coach:
        found.add("coach")
    if roles.facilitator:
        found.add("facilitator")
    if roles.staff or roles.admin:
        found.add("staff")
    return found


def topics_for(user: User) -> list[registry.Topic]:
    """The registered topics that can concern this person, in the settings page's order."""
    audiences = audiences_of(user)
    return [topic for topic in registry.topics() if topic.audience & audiences]


def feed_items(user: User) -> tuple[list[dict], list[dict]]:
    """The person's events (snapshots with a url) and due dates, from the registered calendar
    sources, for the feed."""
    return registry.calendar_items(user)


def delivery_status(now: datetime.datetime | None = None) -> dict:
    """How many notifications wait to be sent and why, for /health/ and the admin (one
    query). `waiting`: due and not sent yet, or failed for now and waiting to be tried again.
    Counts and reply codes only: nothing personal."""
    now = now or timezone.now()
    pending = Q(state=State.PENDING)
    counts = Notification.objects.aggregate(
        waiting=Count("pk", filter=pending & (Q(due_at__lte=now) | Q(attempts__gt=0))),
        due=Count("pk", filter=Q(state=State.PENDING, due_at__lte=now)),
        retrying=Count("pk", filter=Q(state=State.PENDING, attempts__gt=0)),
        sending=Count("pk", filter=Q(state=State.SENDING)),
        failed_last_day=Count(
            "pk", filter=Q(state=State.FAILED, updated_at__gte=now - datetime.timedelta(days=1))
        ),
    )
    down = mailer.outage()
    return {
        "waiting": counts["waiting"],
        "due_now": counts["due"],
        "retrying": counts["retrying"],
        "sending": counts["sending"],
        "failed_last_day": counts["failed_last_day"],
        "mail_server": "down" if down else "ok",
        "mail_server_down_since": down["since"] if down else None,
        "mail_server_error": mailer.code_of(down["reason"]) if down else None,
        "next_probe": down["until"] if down else None,
    }


def waiting_reasons(limit: int = 5) -> list[tuple[str, int]]:
    """The most common last errors of the rows waiting to be tried again (for staff)."""
    rows = (
        Notification.objects.filter(state=State.PENDING, attempts__gt=0)
        .values("last_error")
        .annotate(n=Count("pk"))
        .order_by("-n", "last_error")[:limit]
    )
    return [(r["last_error"], r["n"]) for r in rows]


def unsubscribe_target(token: str) -> tuple[Notification, registry.Topic] | None:
    """The notification (with its recipient) and topic of a one-click unsubscribe token, or
    None when the token is forged or the row is gone."""
    from django.core import signing

    from .emails import UNSUBSCRIBE_SALT

    try:
        code = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    found = (
        Notification.objects.filter(code=code, recipient__is_active=True)
        .select_related("recipient")
        .first()
    )
    if found is None:
        return None
    topic_key = registry.kind(found.kind).topic
    if topic_key is None:
        return None
    return found, registry.topic(topic_key)


def failed_for(
    recipient_ids: Iterable[int] | QuerySet, enrollment_ids: Iterable[int] | None = None
) -> QuerySet[Notification]:
    """Failed notifications of these recipients (a list or a subquery of user ids), and of
    the rows addressed to an email about these enrollments (a 360° rater of a fellow), newest
    first, with their recipient: what staff see to fix an address and send again."""
    mine = Q(recipient_id__in=recipient_ids)
    if enrollment_ids is not None:
        mine |= Q(recipient__isnull=True, enrollment_id__in=enrollment_ids)
    return (
        Notification.objects.filter(mine, state=State.FAILED)
        .select_related("recipient")
        .order_by("-updated_at", "-pk")
    )


# How the delivery pipeline words a failure that is final (delivery.py, sweep.py).
REJECTED = "rejected"
GAVE_UP = "gave_up"


def explain_failure(last_error: str) -> tuple[str, str, str]:
    """(`REJECTED` or `GAVE_UP`, a plain sentence for staff, the mail server's own words)
    for a failed row's `last_error`."""
    head, _, detail = last_error.partition(": ")
    if head == "Rejected":
        return (
            REJECTED,
            "The mail server refused this address for good. Check the email address on "
            "the roster, then send again.",
            detail,
        )
    if head.startswith("Stale"):
        return (
            GAVE_UP,
            "The mail server kept failing, so sending stopped after several tries. Sending "
            "again is worth a try once the problem is over.",
            detail,
        )
    return (
        GAVE_UP,
        "Sending stopped before the message was confirmed as delivered.",
        last_error,
    )

"""Reads of the notifications app."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.roles import viewer_roles

from . import registry
from .models import Notification, NotificationPreference, NotificationSettings


def inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).visible().order_by("-sent_at", "-pk")


# The navigation's unread count, asked with the viewer's roles (accounts/roles.py).
UNREAD_COUNT = "unread_notifications"


def unread_rows(user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user_id).unread()


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user).unread().count()


def calendar_owner(token):
    """The active user whose secret feed token this is, or None."""
    found = (
        NotificationSettings.objects.filter(calendar_token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return found.user if found is not None else None


def deliveries_of(user) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("topic", "delivery"))


def audiences_of(user) -> set[str]:
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


def topics_for(user) -> list[registry.Topic]:
    """The registered topics that can concern this person, in the settings page's order."""
    audiences = audiences_of(user)
    return [topic for topic in registry.topics() if topic.audience & audiences]


def feed_items(user) -> tuple[list[dict], list[dict]]:
    """The person's events (snapshots with a url) and due dates, from the registered calendar
    sources, for the feed."""
    return registry.calendar_items(user)

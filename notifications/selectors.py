"""Reads of the notifications app."""

from __future__ import annotations

from importlib import import_module

from django.db.models import QuerySet

from .models import Notification, NotificationPreference

# Each app's contribution to a person's calendar feed (see `<app>/reminders.py`).
FEED_SOURCES = [
    "curriculum.reminders.calendar_events",
    "coaching.reminders.calendar_events",
    "networks.reminders.calendar_events",
]
MILESTONE_SOURCE = "action_plans.reminders.calendar_milestones"


def inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).visible().order_by("-sent_at", "-pk")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user).unread().count()


def deliveries_of(user) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("topic", "delivery"))


def _source(path: str):
    module_name, _, func = path.rpartition(".")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None
    return getattr(module, func)


def feed_items(user) -> tuple[list[dict], list[dict]]:
    """The person's events (snapshots with a url) and milestone due dates, for the feed."""
    events: list[dict] = []
    for path in FEED_SOURCES:
        source = _source(path)
        if source is not None:
            events.extend(source(user))
    source = _source(MILESTONE_SOURCE)
    milestones = source(user) if source is not None else []
    return events, milestones

"""Reads of the notifications app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.module_loading import import_string

from accounts.roles import viewer_roles

from .models import Notification, NotificationPreference, NotificationSettings, Topic

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


FELLOW_TOPICS = [
    Topic.SESSIONS,
    Topic.COACHING,
    Topic.MEETINGS,
    Topic.CALENDAR_CHANGES,
    Topic.MILESTONES,
    Topic.PLAN_UPDATES,
    Topic.PLAN_COMMENTS,
]


def topics_for(user) -> list[Topic]:
    """The topics that can concern this person, in the settings page's order."""
    roles = viewer_roles(user)
    wanted: set[Topic] = set()
    if roles.fellow or not roles.any:
        wanted.update(FELLOW_TOPICS)
    if roles.coach:
        wanted.update(
            [Topic.COACHING, Topic.CALENDAR_CHANGES, Topic.PLAN_COMMENTS, Topic.COACH_LOG]
        )
    if roles.facilitator:
        wanted.update([Topic.MEETINGS, Topic.CALENDAR_CHANGES])
    if roles.staff or roles.admin:
        wanted.update([Topic.SESSIONS, Topic.CALENDAR_CHANGES, Topic.STAFF_DIGEST])
    return [topic for topic in Topic if topic in wanted]


def feed_items(user) -> tuple[list[dict], list[dict]]:
    """The person's events (snapshots with a url) and milestone due dates, for the feed."""
    events: list[dict] = []
    for path in FEED_SOURCES:
        events.extend(import_string(path)(user))
    return events, import_string(MILESTONE_SOURCE)(user)

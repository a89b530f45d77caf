"""The kinds of the notifications app itself: moved and cancelled calendar events (any model
offering the calendar-event interface of hooks.py) and the daily digest of held ones."""

from __future__ import annotations

from .registry import Kind, Topic
from .text import changed_event_lines

CALENDAR_CHANGES = Topic(
    key="calendar_changes",
    label="Moved or cancelled sessions and meetings",
    order=40,
    audience=frozenset({"fellow", "coach", "facilitator", "staff"}),
    help_text="Sent at once with an updated calendar invitation.",
)

EVENT_UPDATED = Kind(
    key="event_updated",
    label="Session moved",
    topic=CALENDAR_CHANGES.key,
    is_event=True,
    urgent=True,
    intro="The time or place has changed. The attached invitation updates your calendar.",
    lines=changed_event_lines,
)
EVENT_CANCELLED = Kind(
    key="event_cancelled",
    label="Session cancelled",
    topic=CALENDAR_CHANGES.key,
    is_event=True,
    cancels_event=True,
    urgent=True,
    intro="This has been cancelled. The attached file removes it from your calendar.",
    lines=changed_event_lines,
)
# One email a day collecting the rows held for it (delivery.py and emails.py treat it apart:
# it is never itself held, and it is not listed in the in-app list).
DAILY_DIGEST = Kind(key="daily_digest", label="Daily digest", topic=None)

TOPICS = [CALENDAR_CHANGES]
KINDS = [EVENT_UPDATED, EVENT_CANCELLED, DAILY_DIGEST]

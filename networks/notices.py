"""What the networks app tells people about (registered in apps.py; the scan that writes these
rows is reminders.py): reminders of peer group meetings."""

from __future__ import annotations

from notifications.registry import Kind, Topic
from notifications.text import event_lines

MEETINGS = Topic(
    key="meetings",
    label="Peer group meeting reminders",
    order=30,
    audience=frozenset({"fellow", "facilitator"}),
)

MEETING_24H = Kind(
    key="meeting_24h",
    label="Peer group meeting tomorrow",
    topic=MEETINGS.key,
    is_event=True,
    intro="A reminder: your peer group meets soon.",
    lines=event_lines,
)
MEETING_1H = Kind(
    key="meeting_1h",
    label="Online peer group meeting in an hour",
    topic=MEETINGS.key,
    is_event=True,
    ignores_quiet_hours=True,
    intro="Your peer group meets online in an hour.",
    lines=event_lines,
)

TOPICS = [MEETINGS]
KINDS = [MEETING_24H, MEETING_1H]

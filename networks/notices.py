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


def _group_word(payload: dict) -> str:
    """The program's word for its groups, frozen in the payload (older rows: the default)."""
    return payload.get("group_word") or "peer group"


MEETING_24H = Kind(
    key="meeting_24h",
    label="Peer group meeting tomorrow",
    topic=MEETINGS.key,
    is_event=True,
    intro=lambda payload: f"A reminder: your {_group_word(payload)} meets soon.",
    lines=event_lines,
)
MEETING_1H = Kind(
    key="meeting_1h",
    label="Online peer group meeting in an hour",
    topic=MEETINGS.key,
    is_event=True,
    ignores_quiet_hours=True,
    intro=lambda payload: f"Your {_group_word(payload)} meets online in an hour.",
    lines=event_lines,
)

TOPICS = [MEETINGS]
KINDS = [MEETING_24H, MEETING_1H]

"""What the curriculum app tells people about (registered in apps.py; the scan that writes
these rows is reminders.py): reminders of cohort sessions."""

from __future__ import annotations

from notifications.registry import Kind, Topic
from notifications.text import event_lines

SESSIONS = Topic(
    key="sessions",
    label="Cohort session reminders",
    order=10,
    audience=frozenset({"fellow", "staff"}),
    help_text="24 hours before each session, and 1 hour before online ones. Reminders of a "
    "session less than a day away always come at once.",
)

SESSION_24H = Kind(
    key="session_24h",
    label="Session tomorrow",
    topic=SESSIONS.key,
    is_event=True,
    intro="A reminder of your upcoming session.",
    lines=event_lines,
)
SESSION_1H = Kind(
    key="session_1h",
    label="Online session in an hour",
    topic=SESSIONS.key,
    is_event=True,
    ignores_quiet_hours=True,
    intro="Your online session starts in an hour.",
    lines=event_lines,
)

TOPICS = [SESSIONS]
KINDS = [SESSION_24H, SESSION_1H]

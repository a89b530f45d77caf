"""What the coaching app tells people about (registered in apps.py; the scan that writes these
rows is reminders.py): reminders of coaching sessions, and nudges to log them."""

from __future__ import annotations

from notifications.registry import Kind, Topic
from notifications.text import event_lines
from notifications.timeutil import format_moment, parse

COACHING = Topic(
    key="coaching",
    label="Coaching session reminders",
    order=20,
    audience=frozenset({"fellow", "coach"}),
)
LOG_NUDGES = Topic(
    key="coach_log",
    label="“Log this coaching session” nudges (coaches)",
    order=80,
    audience=frozenset({"coach"}),
    help_text="For coaches: when a coaching session has ended but is not logged.",
)


def _log_lines(payload: dict, tz_name: str) -> list[str]:
    lines = [f"Fellow: {payload.get('with_name', '')}"]
    if payload.get("starts_at"):
        lines.append(f"Held: {format_moment(parse(payload['starts_at']), tz_name)}")
    return lines


COACHING_24H = Kind(
    key="coaching_24h",
    label="Coaching session tomorrow",
    topic=COACHING.key,
    is_event=True,
    intro="A reminder of your upcoming coaching session.",
    lines=event_lines,
)
COACHING_1H = Kind(
    key="coaching_1h",
    label="Online coaching session in an hour",
    topic=COACHING.key,
    is_event=True,
    ignores_quiet_hours=True,
    intro="Your online coaching session starts in an hour.",
    lines=event_lines,
)
COACHING_BOOKED = Kind(
    key="coaching_booked",
    label="Coaching session booked",
    topic=COACHING.key,
    is_event=True,
    urgent=True,
    intro="A coaching session is booked. The attached invitation adds it to your calendar.",
    lines=event_lines,
)
COACH_LOG = Kind(
    key="coach_log",
    label="Log your coaching session",
    topic=LOG_NUDGES.key,
    intro="Your coaching session has ended. Please log it (or mark it a no-show).",
    lines=_log_lines,
)

TOPICS = [COACHING, LOG_NUDGES]
KINDS = [COACHING_24H, COACHING_1H, COACHING_BOOKED, COACH_LOG]

"""What the announcements app tells people about (registered in apps.py): an announcement
sent to an audience they are in. Rows are written by services.announcement_create (sent at
once) and by reminders.scan (those scheduled for later).

Each person's choice for the "announcements" topic applies (email at once, daily digest,
none). An important announcement is its own kind: `urgent`, so it is emailed at once even
to people who chose the digest; not `ignores_quiet_hours`, so someone in their quiet hours
gets it when they end. "None" is kept: they read it in Cohortwise only."""

from __future__ import annotations

from notifications.registry import Kind, Topic

ANNOUNCEMENTS = Topic(
    key="announcements",
    label="Announcements",
    order=15,
    audience=frozenset({"fellow", "coach", "facilitator", "staff"}),
    help_text="News from your program's staff or your peer group's facilitator. Important "
    "ones are emailed at once even if you choose the daily digest.",
)


def _intro(payload: dict) -> str:
    author = payload.get("author") or "Your program"
    return f"{author} to {payload.get('audience', 'you')}: {payload.get('title', '')}"


def _lines(payload: dict, tz_name: str) -> list[str]:
    lines = [payload["text"]] if payload.get("text") else []
    if payload.get("attachment"):
        lines.append(f"Attached: {payload['attachment']} (open the announcement to download it)")
    return lines


ANNOUNCEMENT = Kind(
    key="announcement",
    label="Announcement",
    topic=ANNOUNCEMENTS.key,
    intro=_intro,
    lines=_lines,
)
ANNOUNCEMENT_IMPORTANT = Kind(
    key="announcement_important",
    label="Important announcement",
    topic=ANNOUNCEMENTS.key,
    intro=_intro,
    lines=_lines,
    urgent=True,
)

TOPICS = [ANNOUNCEMENTS]
KINDS = [ANNOUNCEMENT, ANNOUNCEMENT_IMPORTANT]

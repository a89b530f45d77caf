"""Building blocks for the text of a kind (`registry.Kind.lines`): payload values in words,
times in the reader's zone."""

from __future__ import annotations

import datetime

from accounts.timezones import format_span

from .timeutil import parse


def long_date(value: str) -> str:
    """“Tuesday, December 1, 2026” from an ISO date."""
    day = datetime.date.fromisoformat(value)
    return f"{day.strftime('%A, %B')} {day.day}, {day.year}"


def event_lines(payload: dict, tz_name: str) -> list[str]:
    """With whom, when, where and the link of a calendar event (`ledger.event_snapshot`)."""
    lines = []
    if payload.get("with_name"):
        lines.append(f"With: {payload['with_name']}")
    starts, ends = parse(payload["starts_at"]), parse(payload["ends_at"])
    lines.append(f"When: {format_span(starts, ends, tz_name, style='email')}")
    if payload.get("location"):
        lines.append(f"Where: {payload['location']}")
    if payload.get("video_url"):
        lines.append(f"Join online: {payload['video_url']}")
    return lines


def changed_event_lines(payload: dict, tz_name: str) -> list[str]:
    """A moved or cancelled event: which one first (the subject line alone may be cut off)."""
    return [f"What: {payload['event_title']}", *event_lines(payload, tz_name)]

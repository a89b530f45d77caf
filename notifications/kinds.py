"""What each kind of notification is: its topic on the settings page and its delivery rules."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Kind, Topic


@dataclass(frozen=True)
class KindRule:
    topic: Topic | None  # None: not configurable (the digest itself)
    # Sent even in the recipient's quiet hours (the 1-hour reminder of an online session,
    # coaching session or group meeting).
    ignores_quiet_hours: bool = False
    # About a calendar event: carries an .ics file; never held for a digest when the event
    # is less than a day away.
    is_event: bool = False
    # Told at once whatever the digest choice (a moved or cancelled session).
    urgent: bool = False


RULES: dict[str, KindRule] = {
    Kind.SESSION_24H: KindRule(Topic.SESSIONS, is_event=True),
    Kind.SESSION_1H: KindRule(Topic.SESSIONS, ignores_quiet_hours=True, is_event=True),
    Kind.COACHING_24H: KindRule(Topic.COACHING, is_event=True),
    Kind.COACHING_1H: KindRule(Topic.COACHING, ignores_quiet_hours=True, is_event=True),
    Kind.MEETING_24H: KindRule(Topic.MEETINGS, is_event=True),
    Kind.MEETING_1H: KindRule(Topic.MEETINGS, ignores_quiet_hours=True, is_event=True),
    Kind.EVENT_UPDATED: KindRule(Topic.CALENDAR_CHANGES, is_event=True, urgent=True),
    Kind.EVENT_CANCELLED: KindRule(Topic.CALENDAR_CHANGES, is_event=True, urgent=True),
    Kind.MILESTONE_SOON: KindRule(Topic.MILESTONES),
    Kind.MILESTONE_DUE: KindRule(Topic.MILESTONES),
    Kind.MILESTONE_OVERDUE: KindRule(Topic.MILESTONES),
    Kind.PLAN_SILENT: KindRule(Topic.PLAN_UPDATES),
    Kind.PLAN_COMMENT: KindRule(Topic.PLAN_COMMENTS),
    Kind.COACH_LOG: KindRule(Topic.COACH_LOG),
    Kind.STAFF_DIGEST: KindRule(Topic.STAFF_DIGEST),
    Kind.DAILY_DIGEST: KindRule(None),
}


def rule(kind: str) -> KindRule:
    return RULES[kind]

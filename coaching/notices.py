"""What the coaching app tells people about (registered in apps.py; the scan that writes these
rows is reminders.py): reminders of coaching sessions, and nudges to log them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from notifications.ledger import row, subject_label
from notifications.models import Notification
from notifications.registry import Kind, Topic
from notifications.text import event_lines
from notifications.timeutil import format_moment, parse

if TYPE_CHECKING:
    from accounts.models import User
    from coaching.models import CoachAssignment

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
    held = parse(payload.get("starts_at"))
    if held is not None:
        lines.append(f"Held: {format_moment(held, tz_name)}")
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

ASSIGNMENTS = Topic(
    key="coach_assignments",
    label="A coach assigned to me (fellows), new fellows to coach (coaches)",
    order=25,
    audience=frozenset({"fellow", "coach"}),
)


def _coach_given_intro(payload: dict) -> str:
    return f"{payload.get('coach', 'A coach')} is now your coach. They will be in touch."


def _coach_given_lines(payload: dict, tz_name: str) -> list[str]:
    return [f"Cohort: {payload['cohort']}"] if payload.get("cohort") else []


def _fellows_given_intro(payload: dict) -> str:
    count = len(payload.get("fellows", []))
    return f"You have {count} new fellow{'s' if count != 1 else ''} to coach."


def _fellows_given_lines(payload: dict, tz_name: str) -> list[str]:
    return [f"{name}" for name in payload.get("fellows", [])]


COACH_GIVEN = Kind(
    key="coach_given",
    label="Your coach",
    topic=ASSIGNMENTS.key,
    intro=_coach_given_intro,
    lines=lambda payload, tz_name: (
        [f"Cohort: {payload['cohort']}"] if payload.get("cohort") else []
    ),
)
FELLOWS_GIVEN = Kind(
    key="fellows_given",
    label="New fellows to coach",
    topic=ASSIGNMENTS.key,
    intro=_fellows_given_intro,
    lines=_fellows_given_lines,
)


def assignment_rows(*, assignments, now) -> list[Notification]:
    """Each fellow hears of their coach, and each coach once of all their new fellows
    (however many were assigned in one step)."""
    rows: list[Notification] = []
    per_coach: dict[User, list[CoachAssignment]] = {}
    for a in assignments:
        enrollment = a.enrollment
        rows.append(
            row(
                recipient_id=enrollment.user_id,
                kind=COACH_GIVEN.key,
                subject_type=subject_label(a),
                subject_id=a.pk,
                occurrence="assigned",
                due_at=now,
                enrollment_id=enrollment.pk,
                title=f"{a.coach.full_name} is your coach",
                url=reverse("coaching:enrollment_coaching", kwargs={"code": enrollment.code}),
                payload={"coach": a.coach.full_name, "cohort": enrollment.cohort.name},
            )
        )
        per_coach.setdefault(a.coach, []).append(a)
    for coach, given in per_coach.items():
        first = min(given, key=lambda a: a.pk)
        count = len(given)
        rows.append(
            row(
                recipient_id=coach.pk,
                kind=FELLOWS_GIVEN.key,
                subject_type=subject_label(first),
                subject_id=first.pk,
                occurrence="assigned",
                due_at=now,
                title=f"{count} new fellow{'s' if count != 1 else ''} to coach",
                url=reverse("coaching:coach_home"),
                payload={"fellows": sorted(a.enrollment.user.full_name for a in given)},
            )
        )
    return rows


TOPICS = [COACHING, LOG_NUDGES, ASSIGNMENTS]
KINDS = [COACHING_24H, COACHING_1H, COACHING_BOOKED, COACH_LOG, COACH_GIVEN, FELLOWS_GIVEN]

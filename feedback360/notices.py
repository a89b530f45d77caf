"""What the 360° feedback app tells people through the notification ledger (registered in
apps.py; the scan is reminders.py): fellows are asked to nominate when a window opens, told
when staff have decided on their nominations, and told when their report is ready.

Raters are in the ledger too, without an account: their invitation and at most two
reminders are rows addressed to their email (feedback360/emails.py). They choose nothing (no
topic: no preferences, no unsubscribe link, never held for a digest)."""

from __future__ import annotations

from notifications.ledger import row, subject_label
from notifications.registry import Kind, Topic
from notifications.text import long_date

FEEDBACK360 = Topic(
    key="feedback360",
    label="360° feedback",
    order=75,
    audience=frozenset({"fellow"}),
    help_text="When to nominate your raters, decisions on your nominations, and your report.",
)


def _nominate_intro(payload: dict) -> str:
    return (
        f"The {payload.get('phase', '360°').lower()} 360° feedback is open: ask a supervisor, "
        "peers and others who see your leadership to rate you."
    )


def _nominate_lines(payload: dict, tz_name: str) -> list[str]:
    return [f"Open until: {long_date(payload['closes_on'])}"] if payload.get("closes_on") else []


def _decided_intro(payload: dict) -> str:
    approved, declined = payload.get("approved", 0), payload.get("declined", 0)
    if declined:
        return (
            f"Program staff did not approve {declined} of your nominations: see why and "
            "nominate someone else."
        )
    return f"Program staff approved {approved} of your nominations: they are emailed their link."


def _decided_lines(payload: dict, tz_name: str) -> list[str]:
    return [f"Reason: {payload['reason']}"] if payload.get("reason") else []


def _ready_intro(payload: dict) -> str:
    return (
        f"Your {payload.get('phase', '').lower()} 360° feedback report is ready: "
        f"{payload.get('answers', 0)} people answered."
    )


NOMINATE = Kind(
    key="f360_nominate",
    label="Nominate your 360° raters",
    topic=FEEDBACK360.key,
    intro=_nominate_intro,
    lines=_nominate_lines,
)
DECIDED = Kind(
    key="f360_decided",
    label="Decision on your 360° nominations",
    topic=FEEDBACK360.key,
    intro=_decided_intro,
    lines=_decided_lines,
)
REPORT_READY = Kind(
    key="f360_report_ready",
    label="Your 360° report is ready",
    topic=FEEDBACK360.key,
    intro=_ready_intro,
)


def _rater_context(n, now) -> dict:
    from .emails import rater_context

    return rater_context(n, now)


def _rater_skips(rows) -> dict[int, str]:
    from .emails import still_wanted

    return still_wanted(rows)


RATER_INVITATION = Kind(
    key="f360_rater_invitation",
    label="360° feedback request to a rater",
    topic=None,
    template="feedback360/email/rater",
    context=_rater_context,
    skip=_rater_skips,
)
RATER_REMINDER = Kind(
    key="f360_rater_reminder",
    label="360° feedback reminder to a rater",
    topic=None,
    template="feedback360/email/rater",
    context=_rater_context,
    skip=_rater_skips,
)

TOPICS = [FEEDBACK360]
KINDS = [NOMINATE, DECIDED, REPORT_READY, RATER_INVITATION, RATER_REMINDER]


def decided_rows(*, circles: dict, approved: bool, reason: str, now) -> list:
    """One row per fellow whose nominations staff just decided on. `circles`: circle → how
    many of its nominations."""
    rows = []
    for circle, count in circles.items():
        window = circle.window
        rows.append(
            row(
                recipient_id=circle.enrollment.user_id,
                kind=DECIDED.key,
                subject_type=subject_label(circle),
                subject_id=circle.pk,
                occurrence=now.isoformat(),
                due_at=now,
                enrollment_id=circle.enrollment_id,
                title=(
                    "Your 360° nominations were approved"
                    if approved
                    else "Some of your 360° nominations were not approved"
                ),
                url=_nominate_url(window),
                payload={
                    "phase": window.get_phase_display(),
                    "approved": count if approved else 0,
                    "declined": 0 if approved else count,
                    "reason": "" if approved else reason,
                },
            )
        )
    return rows


def _nominate_url(window) -> str:
    from django.urls import reverse

    return reverse("feedback360:nominate", kwargs={"code": window.code})

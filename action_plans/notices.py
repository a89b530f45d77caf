"""What the action_plans app tells people about (registered in apps.py): milestone and
"no progress update" nudges, written by the scans of reminders.py, and new comments on a plan,
whose audience is decided here when one is posted."""

from __future__ import annotations

from cohorts.models import EnrollmentStatus, ProgramStaff
from notifications.ledger import row, subject_label
from notifications.models import Notification
from notifications.registry import Kind, Topic
from notifications.text import long_date

MILESTONES = Topic(
    key="milestones", label="Milestone nudges", order=50, audience=frozenset({"fellow"})
)
PLAN_UPDATES = Topic(
    key="plan_updates",
    label="“No progress update” nudges",
    order=60,
    audience=frozenset({"fellow"}),
)
PLAN_COMMENTS = Topic(
    key="plan_comments",
    label="New comments on my action plan",
    order=70,
    audience=frozenset({"fellow", "coach"}),
)


def _milestone_lines(payload: dict, tz_name: str) -> list[str]:
    return [f"Milestone: {payload.get('milestone', '')}", f"Due: {long_date(payload['due_date'])}"]


def _plan_word(payload: dict, default: str) -> str:
    """The program's word for the plan, frozen in the payload (older rows: the default)."""
    return payload.get("plan_word") or default


def _milestone_intro(when: str):
    def intro(payload: dict) -> str:
        return f"One of your {_plan_word(payload, 'action-plan')} milestones {when}"

    return intro


def _silent_intro(payload: dict) -> str:
    return (
        f"You have not posted a progress update on your {_plan_word(payload, 'action plan')} for "
        f"{payload.get('days', 30)} days. A few lines are enough."
    )


def _silent_lines(payload: dict, tz_name: str) -> list[str]:
    if payload.get("last_update"):
        return [f"Last update: {long_date(payload['last_update'])}"]
    return []


def _comment_intro(payload: dict) -> str:
    return (
        f"{payload.get('author', 'Someone')} commented on {payload.get('plan', 'an action plan')}."
    )


def _comment_lines(payload: dict, tz_name: str) -> list[str]:
    return [f"“{payload['excerpt']}”"] if payload.get("excerpt") else []


MILESTONE_SOON = Kind(
    key="milestone_soon",
    label="Milestone due soon",
    topic=MILESTONES.key,
    intro=_milestone_intro("is due soon."),
    lines=_milestone_lines,
)
MILESTONE_DUE = Kind(
    key="milestone_due",
    label="Milestone due today",
    topic=MILESTONES.key,
    intro=_milestone_intro("is due today."),
    lines=_milestone_lines,
)
MILESTONE_OVERDUE = Kind(
    key="milestone_overdue",
    label="Milestone overdue",
    topic=MILESTONES.key,
    intro=_milestone_intro(
        "is past its due date. Mark it done, or talk with your coach about a new date."
    ),
    lines=_milestone_lines,
)
PLAN_SILENT = Kind(
    key="plan_silent",
    label="No progress update lately",
    topic=PLAN_UPDATES.key,
    intro=_silent_intro,
    lines=_silent_lines,
)
PLAN_COMMENT = Kind(
    key="plan_comment",
    label="New comment on an action plan",
    topic=PLAN_COMMENTS.key,
    intro=_comment_intro,
    lines=_comment_lines,
)

PLAN_REVIEWS = Topic(
    key="plan_reviews",
    label="Action plan reviews",
    order=75,
    audience=frozenset({"fellow", "staff"}),
    help_text="Staff: a plan is submitted for review. Fellows: the review of my plan.",
)


def _submitted_intro(payload: dict) -> str:
    again = "resubmitted" if payload.get("again") else "submitted"
    return f"{payload.get('fellow', 'A fellow')} {again} their action plan for review."


def _submitted_lines(payload: dict, tz_name: str) -> list[str]:
    return [f"Plan: {payload.get('plan', '')}", f"Cohort: {payload.get('cohort', '')}"]


def _reviewed_intro(payload: dict) -> str:
    if payload.get("approved"):
        return f"Your action plan “{payload.get('plan', '')}” is approved."
    return f"Changes are requested on your action plan “{payload.get('plan', '')}”."


def _reviewed_lines(payload: dict, tz_name: str) -> list[str]:
    return [f"“{payload['note']}”"] if payload.get("note") else []


PLAN_SUBMITTED = Kind(
    key="plan_submitted",
    label="Action plan submitted for review",
    topic=PLAN_REVIEWS.key,
    intro=_submitted_intro,
    lines=_submitted_lines,
)
PLAN_REVIEWED = Kind(
    key="plan_reviewed",
    label="Your action plan was reviewed",
    topic=PLAN_REVIEWS.key,
    intro=_reviewed_intro,
    lines=_reviewed_lines,
)

TOPICS = [MILESTONES, PLAN_UPDATES, PLAN_COMMENTS, PLAN_REVIEWS]
KINDS = [
    MILESTONE_SOON,
    MILESTONE_DUE,
    MILESTONE_OVERDUE,
    PLAN_SILENT,
    PLAN_COMMENT,
    PLAN_SUBMITTED,
    PLAN_REVIEWED,
]


def plan_submitted_rows(*, plan, change, now) -> list[Notification]:
    """Every staff member of the plan's program hears of a plan waiting for their review,
    on each submission (a resubmission after changes is said so)."""
    enrollment = plan.enrollment
    again = change.from_status == "changes_requested"
    payload = {
        "fellow": enrollment.user.full_name,
        "plan": plan.title,
        "cohort": enrollment.cohort.name,
        "again": again,
    }
    staff = ProgramStaff.objects.filter(program_id=enrollment.cohort.program_id)
    return [
        row(
            recipient_id=user_id,
            kind=PLAN_SUBMITTED.key,
            subject_type=subject_label(plan),
            subject_id=plan.pk,
            occurrence=f"submitted-{change.pk}",
            due_at=now,
            title=f"{enrollment.user.full_name} {'re' if again else ''}submitted an action plan",
            url=plan.get_absolute_url(),
            payload=payload,
        )
        for user_id in sorted(staff.values_list("user_id", flat=True))
    ]


def plan_reviewed_rows(*, plan, change, now) -> list[Notification]:
    """The fellow hears of the review: approved, or the changes asked for."""
    approved = change.to_status == "approved"
    return [
        row(
            recipient_id=plan.enrollment.user_id,
            kind=PLAN_REVIEWED.key,
            subject_type=subject_label(plan),
            subject_id=plan.pk,
            occurrence=f"reviewed-{change.pk}",
            due_at=now,
            enrollment_id=plan.enrollment_id,
            title="Your action plan is approved" if approved else "Changes requested on your plan",
            url=plan.get_absolute_url(),
            payload={
                "plan": plan.title,
                "approved": approved,
                "note": change.note[:EXCERPT_LENGTH],
            },
        )
    ]


EXCERPT_LENGTH = 280


def plan_comment_rows(*, comment, now) -> list[Notification]:
    """Who hears of a new comment: the plan's fellow and their active coach, not its author,
    and nobody once the fellow is no longer active."""
    plan = comment.plan
    enrollment = plan.enrollment
    if enrollment.status != EnrollmentStatus.ACTIVE:
        return []
    recipients = {enrollment.user_id}
    recipients.update(
        enrollment.coach_assignments.filter(ended_at__isnull=True).values_list(
            "coach_id", flat=True
        )
    )
    recipients.discard(comment.author_id)
    author = comment.author.display_name if comment.author else "Someone"
    excerpt = (
        comment.body
        if len(comment.body) <= EXCERPT_LENGTH
        else comment.body[: EXCERPT_LENGTH - 1] + "…"
    )
    return [
        row(
            recipient_id=user_id,
            kind=PLAN_COMMENT.key,
            subject_type=subject_label(comment),
            subject_id=comment.pk,
            occurrence="posted",
            due_at=now,
            enrollment_id=enrollment.pk,
            title=f"New comment from {author} on {plan.title}",
            url=comment.get_absolute_url(),
            payload={"author": author, "plan": plan.title, "excerpt": excerpt},
        )
        for user_id in sorted(recipients)
    ]

"""What the feedback app tells people about (registered in apps.py): a session's evaluation
once it has ended, and one reminder (rows written by reminders.scan). The email carries the
first question as one-click answers (links.py)."""

from __future__ import annotations

from notifications.ledger import absolute
from notifications.registry import Kind, Topic
from notifications.timeutil import format_moment, parse

from .links import one_click_url
from .models import FormQuestion, QuestionKind
from .reminders import ASK_KIND, REMINDER_KIND, already_answered

FEEDBACK = Topic(
    key="feedback",
    label="Evaluations and surveys",
    order=70,
    audience=frozenset({"fellow"}),
    help_text="A short evaluation after each session you attend, and one reminder.",
)

ONE_CLICK_KINDS = [QuestionKind.RATING, QuestionKind.NPS, QuestionKind.SINGLE]


def _intro(payload: dict) -> str:
    return (
        f"How was “{payload.get('session', 'the session')}”? A few questions; the first "
        "is answered with one click below."
    )


def _reminder_intro(payload: dict) -> str:
    return (
        f"You have not yet said how “{payload.get('session', 'the session')}” went. "
        "One click below is enough."
    )


def _lines(payload: dict, tz_name: str) -> list[str]:
    closes_at = parse(payload.get("closes_at"))
    return [f"Open until {format_moment(closes_at, tz_name)}."] if closes_at else []


def email_context(n, now) -> dict:
    """The first question with one link per answer, signed for this recipient."""
    kind = REMINDER_KIND if n.kind == REMINDER_KIND else ASK_KIND
    payload = n.payload or {}
    item = (
        FormQuestion.objects.select_related("question")
        .filter(form_id=payload.get("form_id"))
        .order_by("position", "pk")
        .first()
    )
    closes_at = parse(payload.get("closes_at"))
    choices = []
    if item is not None and closes_at is not None and item.question.kind in ONE_CLICK_KINDS:
        question = item.question
        values = question.scale or [(option, option) for option in question.options]
        choices = [
            {
                "label": label,
                "value": value,
                "url": one_click_url(
                    person_id=n.recipient_id,
                    form_id=payload["form_id"],
                    occasion=payload["occasion"],
                    question_id=question.pk,
                    value=value,
                    expires_at=closes_at,
                ),
            }
            for value, label in values
        ]
    text = (REMINDER if kind == REMINDER_KIND else EVALUATION).text(n, n.recipient.time_zone)
    return {
        "intro": text.intro,
        "lines": text.lines,
        "question": item.question if item else None,
        "choices": choices,
        "form_url": absolute(n.url),
    }


EVALUATION = Kind(
    key=ASK_KIND,
    label="Session evaluation",
    topic=FEEDBACK.key,
    intro=_intro,
    lines=_lines,
    template="feedback/email/evaluation",
    context=email_context,
    skip=already_answered,
)

REMINDER = Kind(
    key=REMINDER_KIND,
    label="Session evaluation reminder",
    topic=FEEDBACK.key,
    intro=_reminder_intro,
    lines=_lines,
    template="feedback/email/evaluation",
    context=email_context,
    skip=already_answered,
)

TOPICS = [FEEDBACK]
KINDS = [EVALUATION, REMINDER]

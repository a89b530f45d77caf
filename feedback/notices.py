"""What the feedback app tells people about (registered in apps.py): a session's evaluation
once it has ended, a program survey when its window opens, a completed coaching session to
rate, each with one reminder (rows written by the scans of reminders.py). Every email
carries the form's first question as one-click answers (links.py)."""

from __future__ import annotations

from collections.abc import Sequence

from notifications.ledger import absolute
from notifications.registry import Kind, Topic
from notifications.timeutil import format_moment, parse

from .links import one_click_url
from .models import FormQuestion, QuestionKind
from .reminders import (
    ASK_KIND,
    COACHING_KIND,
    COACHING_REMINDER_KIND,
    REMINDER_KIND,
    SURVEY_KIND,
    SURVEY_REMINDER_KIND,
    already_answered,
)

FEEDBACK = Topic(
    key="feedback",
    label="Evaluations and surveys",
    order=70,
    audience=frozenset({"fellow"}),
    help_text=(
        "A short evaluation after each session you attend, program surveys and coaching "
        "feedback, each with one reminder."
    ),
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


def _survey_intro(payload: dict) -> str:
    return (
        f"Your {payload.get('what', 'program survey')} is open. The first question is "
        "answered with one click below."
    )


def _survey_reminder_intro(payload: dict) -> str:
    return (
        f"You have not yet answered your {payload.get('what', 'program survey')}. "
        "One click below is enough to start."
    )


def _coaching_intro(payload: dict) -> str:
    return (
        "How was your coaching session? A few questions, anonymous: your coach only ever "
        "sees averages over several answers. The first is one click below."
    )


def _coaching_reminder_intro(payload: dict) -> str:
    return "You have not yet said how your coaching session went. One click below is enough."


def _lines(payload: dict, tz_name: str) -> list[str]:
    closes_at = parse(payload.get("closes_at"))
    return [f"Open until {format_moment(closes_at, tz_name)}."] if closes_at else []


def email_context(n, now) -> dict:
    """The first question with one link per answer, signed for this recipient."""
    payload = n.payload or {}
    form_id = payload.get("form_id")
    item = (
        FormQuestion.objects.select_related("question")
        .filter(form_id=form_id)
        .order_by("position", "pk")
        .first()
        if form_id is not None
        else None
    )
    closes_at = parse(payload.get("closes_at"))
    choices = []
    if item is not None and closes_at is not None and item.question.kind in ONE_CLICK_KINDS:
        question = item.question
        values: Sequence[tuple[int | str, str]] = question.scale or [
            (option, option) for option in question.options
        ]
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
    text = BY_KEY.get(n.kind, EVALUATION).text(n, n.recipient.time_zone)
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


def _kind(key, label, intro) -> Kind:
    return Kind(
        key=key,
        label=label,
        topic=FEEDBACK.key,
        intro=intro,
        lines=_lines,
        template="feedback/email/evaluation",
        context=email_context,
        skip=already_answered,
    )


SURVEY = _kind(SURVEY_KIND, "Program survey", _survey_intro)
SURVEY_REMINDER = _kind(SURVEY_REMINDER_KIND, "Program survey reminder", _survey_reminder_intro)
COACHING = _kind(COACHING_KIND, "Coaching feedback", _coaching_intro)
COACHING_REMINDER = _kind(
    COACHING_REMINDER_KIND, "Coaching feedback reminder", _coaching_reminder_intro
)

TOPICS = [FEEDBACK]
KINDS = [EVALUATION, REMINDER, SURVEY, SURVEY_REMINDER, COACHING, COACHING_REMINDER]
BY_KEY = {k.key: k for k in KINDS}

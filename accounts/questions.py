"""Question types shared by every form that asks people questions: evaluations and surveys
(feedback) and application rounds (admissions). Here, at the bottom layer, so both use the
same types, the same option rules and the same answer checks; each app keeps its own tables.

A question is anything with `kind`, `choices` (the options) and `labels` (rating labels)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import models

SHORT_TEXT_LENGTH = 200
TEXT_ANSWER_LENGTH = 2000
MAX_CHOICES = 12
DEFAULT_RATING_LABELS = ["Poor", "Fair", "Good", "Very good", "Excellent"]


class QuestionKind(models.TextChoices):
    RATING = "rating", "Rating 1–5"
    NPS = "nps", "Likelihood to recommend 0–10"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"

    @classmethod
    def numeric(cls) -> list[QuestionKind]:
        return [cls.RATING, cls.NPS]

    @classmethod
    def with_choices(cls) -> list[QuestionKind]:
        return [cls.SINGLE, cls.MULTIPLE]

    @classmethod
    def textual(cls) -> list[QuestionKind]:
        return [cls.SHORT_TEXT, cls.LONG_TEXT]


class AskedQuestion(Protocol):
    kind: str
    choices: list[str]
    labels: list[str]


@dataclass(frozen=True)
class CleanOptions:
    choices: list[str]
    labels: list[str]


def clean_options(kind: str, choices: Sequence[object], labels: Sequence[object]) -> CleanOptions:
    """The options and rating labels a question of this kind keeps, or ValidationError keyed
    `choices` / `labels`. Kinds without options keep none."""
    options = [str(c).strip() for c in choices or [] if str(c).strip()]
    if kind in QuestionKind.with_choices():
        if len(options) < 2:
            raise ValidationError({"choices": "Give at least two options."})
        if len(options) > MAX_CHOICES:
            raise ValidationError({"choices": f"At most {MAX_CHOICES} options."})
        if len(set(options)) != len(options):
            raise ValidationError({"choices": "Each option must be different."})
    else:
        options = []
    kept: list[str] = []
    if kind == QuestionKind.RATING:
        kept = [str(label).strip() for label in labels or []] or list(DEFAULT_RATING_LABELS)
        if len(kept) != 5 or not all(kept):
            raise ValidationError({"labels": "Give five labels, from 1 to 5."})
    return CleanOptions(choices=options, labels=kept)


def scale(kind: str, labels: Sequence[str]) -> list[tuple[int, str]]:
    """The values a numeric question takes, each with its label."""
    if kind == QuestionKind.RATING:
        names = list(labels) or DEFAULT_RATING_LABELS
        return [(i + 1, names[i]) for i in range(5)]
    if kind == QuestionKind.NPS:
        return [(i, str(i)) for i in range(11)]
    return []


def text_limit(kind: str, long_text: int = TEXT_ANSWER_LENGTH) -> int:
    """How many characters a text answer may have (`long_text` differs by form)."""
    return SHORT_TEXT_LENGTH if kind == QuestionKind.SHORT_TEXT else long_text


def clean_answer(
    question: AskedQuestion, raw: object, *, long_text: int = TEXT_ANSWER_LENGTH
) -> dict[str, object] | None:
    """The stored fields of one answer from what was posted (a string, or a list for
    multiple choice): {"number": n}, {"picked": [...]} or {"text": "..."}; None when left
    empty. ValidationError says what is wrong."""
    items = raw if isinstance(raw, list | tuple) else [raw]
    values = [str(v).strip() for v in items]
    values = [v for v in values if v and v != "None"]
    if not values:
        return None
    if question.kind in QuestionKind.numeric():
        allowed = {str(value) for value, _label in scale(question.kind, question.labels)}
        if len(values) != 1 or values[0] not in allowed:
            raise ValidationError("Choose one of the values offered.")
        return {"number": int(values[0])}
    if question.kind in QuestionKind.with_choices():
        options = list(question.choices or [])
        if not set(values) <= set(options):
            raise ValidationError("Choose among the options offered.")
        if question.kind == QuestionKind.SINGLE and len(values) != 1:
            raise ValidationError("Choose one option.")
        return {"picked": [o for o in options if o in values]}
    text = values[0] if len(values) == 1 else "\n".join(values)
    limit = text_limit(question.kind, long_text)
    if len(text) > limit:
        raise ValidationError(f"At most {limit} characters.")
    return {"text": text}


@dataclass(frozen=True)
class AnswerInput:
    """How a page asks one question: the input to draw (`text`, `textarea`, `radio` or
    `checkbox`), its values with labels, its length limit and what is already given."""

    widget: str
    values: list[tuple[str, str]]
    maxlength: int
    given: list[str]

    @property
    def text(self) -> str:
        return self.given[0] if self.given else ""


def answer_input(
    question: AskedQuestion, given: object, *, long_text: int = TEXT_ANSWER_LENGTH
) -> AnswerInput:
    """The input for a question, holding `given` (a string, a list, a number or None)."""
    items = given if isinstance(given, list | tuple) else [] if given in (None, "") else [given]
    shown = [str(v) for v in items]
    kind = question.kind
    if kind in QuestionKind.numeric():
        values = [(str(v), label) for v, label in scale(kind, question.labels)]
        return AnswerInput("radio", values, 0, shown)
    if kind in QuestionKind.with_choices():
        values = [(o, o) for o in question.choices or []]
        widget = "checkbox" if kind == QuestionKind.MULTIPLE else "radio"
        return AnswerInput(widget, values, 0, shown)
    widget = "text" if kind == QuestionKind.SHORT_TEXT else "textarea"
    return AnswerInput(widget, [], text_limit(kind, long_text), shown)

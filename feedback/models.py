"""Evaluations and surveys.

The question side is generic: a program's bank of `Question`s (rating 1–5 with labels, 0–10
likelihood to recommend, single and multiple choice, short and long text), `Form`s made of
them (`FormQuestion`: order, required), and a `Response` with its `Answer`s. Nothing there
names a session: what a response is about (`cohort`, `session`, `coach`, `survey`) are
optional columns used to group results, so other kinds of forms can reuse the same tables.

Anonymous forms: a `Response` of an anonymous form has no link to the person (`respondent`
empty), no timestamp and a random primary key, and its answers have random keys too, so
nothing (the admin included) can join an answer back to whoever gave it. Who has answered is
a separate record (`Receipt`: person, form, occasion), which drives reminders and stops a
second answer; it says nothing of what was answered.

What is asked when: an `Evaluation` attaches a form to a cohort's sessions (one session, or
every session of a kind), sent after the session ends (feedback/reminders.py); a `Survey`
is a window (start, midpoint or end of a cohort) during which fellows answer a form; a
program's coaching form is asked after each completed coaching session.
"""

from __future__ import annotations

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from accounts.models import TimeStampedModel

# The question types live below every app that asks questions; re-exported here.
from accounts.questions import DEFAULT_RATING_LABELS as DEFAULT_RATING_LABELS
from accounts.questions import MAX_CHOICES as MAX_CHOICES
from accounts.questions import SHORT_TEXT_LENGTH as SHORT_TEXT_LENGTH
from accounts.questions import TEXT_ANSWER_LENGTH, clean_options, scale
from accounts.questions import QuestionKind as QuestionKind
from curriculum.models import SessionKind

# Figures about fewer people than this are never shown (the small-group rule).
MIN_ANSWERS = 5
# When a survey's invitation and reminder are due, in the cohort's zone (quiet hours still
# hold them for anyone whose morning starts later).
SURVEY_SEND_TIME = datetime.time(9, 0)


class Question(TimeStampedModel):
    """One question of a program's bank: the same row used year after year is what makes
    results comparable across cohorts."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        "cohorts.Program", on_delete=models.CASCADE, related_name="feedback_questions"
    )
    kind = models.CharField(max_length=12, choices=QuestionKind)
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    # Single and multiple choice: the options. Rating: five labels, 1 to 5.
    choices = models.JSONField(default=list, blank=True)
    labels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["program", "text"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="feedback_question_valid_kind"
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        # The option rules are those of every question type (accounts.questions).
        kept = clean_options(self.kind, self.choices, self.labels)
        self.choices, self.labels = kept.choices, kept.labels

    @property
    def scale(self) -> list[tuple[int, str]]:
        """The values a numeric question takes, each with its label."""
        return scale(self.kind, self.labels)

    @property
    def options(self) -> list[str]:
        return list(self.choices or [])

    @property
    def is_numeric(self) -> bool:
        return self.kind in QuestionKind.numeric()

    @property
    def is_text(self) -> bool:
        return self.kind in QuestionKind.textual()


class FormPurpose(models.TextChoices):
    EVALUATION = "evaluation", "Session evaluation"
    COACHING = "coaching", "Coaching feedback"
    SURVEY = "survey", "Program survey"


class Form(TimeStampedModel):
    """A set of questions asked together. Once anyone has answered, its questions no longer
    change: it can be closed or copied (services.form_copy), never edited."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        "cohorts.Program", on_delete=models.CASCADE, related_name="feedback_forms"
    )
    purpose = models.CharField(max_length=12, choices=FormPurpose)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True, max_length=1000)
    anonymous = models.BooleanField(
        default=True, help_text="Answers keep no link to the person who gave them."
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    questions: models.ManyToManyField[Question, FormQuestion] = models.ManyToManyField(
        Question, through="FormQuestion", related_name="forms"
    )

    class Meta:
        ordering = ["program", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=FormPurpose.values), name="feedback_form_valid_purpose"
            ),
            # No single answer about a coach may be traced to the fellow who gave it.
            models.CheckConstraint(
                condition=~Q(purpose="coaching") | Q(anonymous=True),
                name="feedback_form_coaching_anonymous",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.purpose == FormPurpose.COACHING and not self.anonymous:
            raise ValidationError({"anonymous": "Coaching feedback is always anonymous."})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class FormQuestion(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["form", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "question"], name="feedback_formquestion_once_per_form"
            ),
        ]

    def __str__(self):
        return f"{self.form}: {self.question}"


class Evaluation(TimeStampedModel):
    """A form sent after a cohort's sessions: one session, or every session of one kind."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="evaluations")
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="feedback_evaluations"
    )
    session = models.ForeignKey(
        "curriculum.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback_evaluations",
    )
    session_kind = models.CharField(max_length=20, choices=SessionKind, blank=True)
    remind_after_days = models.PositiveSmallIntegerField(default=2)
    open_days = models.PositiveSmallIntegerField(
        "closes after (days)", default=7, help_text="Days after the session ends."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["cohort", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(session__isnull=True) & ~Q(session_kind=""))
                | (Q(session__isnull=False) & Q(session_kind="")),
                name="feedback_evaluation_session_or_kind",
            ),
            models.CheckConstraint(
                condition=Q(open_days__gte=1) & Q(remind_after_days__lt=F("open_days")),
                name="feedback_evaluation_reminder_before_close",
            ),
        ]
        indexes = [models.Index(fields=["cohort"], name="feedback_evaluation_cohort")]

    def __str__(self):
        target = self.session.title if self.session_id else self.get_session_kind_display()
        return f"{self.form.title} after {target}"

    def clean(self):
        super().clean()
        if bool(self.session_id) == bool(self.session_kind):
            raise ValidationError({"session": "Choose one session, or a kind of session."})
        if self.session_id and self.cohort_id and self.session.cohort_id != self.cohort_id:
            raise ValidationError({"session": "That session belongs to another cohort."})
        if self.open_days is not None and self.open_days < 1:
            raise ValidationError({"open_days": "Keep it open at least one day."})
        if (
            self.open_days is not None
            and self.remind_after_days is not None
            and self.remind_after_days >= self.open_days
        ):
            raise ValidationError({"remind_after_days": "Remind before it closes."})

    def closes_at(self, session_ends_at: datetime.datetime) -> datetime.datetime:
        return session_ends_at + datetime.timedelta(days=self.open_days)


class SurveyPhase(models.TextChoices):
    START = "start", "Start"
    MIDPOINT = "midpoint", "Midpoint"
    END = "end", "End"


class Survey(TimeStampedModel):
    """A program survey during a window of a cohort (dates inclusive, in the cohort's zone)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="surveys")
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="feedback_surveys"
    )
    phase = models.CharField(max_length=10, choices=SurveyPhase)
    opens_on = models.DateField()
    closes_on = models.DateField()

    class Meta:
        ordering = ["cohort", "opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "phase"], name="feedback_survey_one_per_phase"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="feedback_survey_closes_after_open"
            ),
        ]

    def __str__(self):
        return f"{self.get_phase_display()} survey, {self.cohort.name}"

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "The window must close on or after it opens."})

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    def _moment(self, day: datetime.date, at: datetime.time) -> datetime.datetime:
        return datetime.datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(self.cohort.time_zone))

    @property
    def asks_at(self) -> datetime.datetime:
        """Fellows are asked on the first morning of the window, in the cohort's zone."""
        return self._moment(self.opens_on, SURVEY_SEND_TIME)

    @property
    def reminds_at(self) -> datetime.datetime:
        """One reminder halfway through the window (at least a day after it opens)."""
        days = max(1, (self.closes_on - self.opens_on).days // 2)
        return self._moment(self.opens_on + datetime.timedelta(days=days), SURVEY_SEND_TIME)

    @property
    def ends_at(self) -> datetime.datetime:
        """The end of the last day, in the cohort's zone: links and rows expire then."""
        return self._moment(self.closes_on + datetime.timedelta(days=1), datetime.time(0, 0))

    @property
    def occasion(self) -> str:
        return f"survey:{self.pk}"


class Receipt(models.Model):
    """That a person answered a form on one occasion ("session:12", "coaching:7",
    "survey:3"): what reminders and the one-answer rule read. Never says what they answered."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="receipts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_receipts"
    )
    occasion = models.CharField(max_length=40)
    answered_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form", "person", "occasion"], name="feedback_receipt_once"
            ),
        ]

    def __str__(self):
        return f"{self.person} answered {self.form} ({self.occasion})"


class Response(models.Model):
    """One set of answers. For an anonymous form: no person, no time, a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback_responses",
    )
    # What the answers are about, for grouping results; none of these names the person.
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback_responses",
    )
    session = models.ForeignKey(
        "curriculum.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_responses",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_about_me",
    )
    survey = models.ForeignKey(
        Survey, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    # The rest of the form was answered (the one-click link records only the first).
    complete = models.BooleanField(default=False)

    class Meta:
        # No ordering by anything that follows time.
        indexes = [models.Index(fields=["form", "cohort"], name="feedback_response_form")]

    def __str__(self):
        return f"Answers to {self.form}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    picked = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True, max_length=TEXT_ANSWER_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="feedback_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | (Q(number__gte=0) & Q(number__lte=10)),
                name="feedback_answer_number_in_range",
            ),
        ]

    def __str__(self):
        return f"Answer to {self.question}"

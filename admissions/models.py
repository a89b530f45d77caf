"""Admissions: an application round per cohort, applications with their letters of
reference, reviewers scoring on the round's rubric, and the committee's decisions.

An accepted application becomes an invited enrollment in the round's cohort (services.decide),
carrying what the applicant wrote about themselves (state or territory, agency, title,
sector). Reviewers hold a seat on one round only (`ReviewerSeat`): it gives them the
applications assigned to them and nothing else of the program.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from accounts.models import TimeStampedModel
from accounts.questions import QuestionKind as QuestionKind
from accounts.questions import clean_options, text_limit
from cohorts.geography import StateOrTerritory
from cohorts.models import Sector

ANSWER_LENGTH = 3000
LETTER_LENGTH = 10000
# How long a referee's link works after the round closes: letters often come last.
LETTER_GRACE = datetime.timedelta(days=14)
DEFAULT_DECISION_TEXT = {
    "accept": "We are glad to offer you a place in {cohort}. An invitation to join follows.",
    "waitlist": "Your application to {cohort} is on our waiting list. We will write again.",
    "decline": "Thank you for applying to {cohort}. We are not able to offer you a place.",
}


class ApplicationRound(TimeStampedModel):
    """When and how people apply to one cohort. Times are stored in UTC and entered and
    shown in the program's zone; `extended_until` (staff) moves the deadline later."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="application_rounds"
    )
    title = models.CharField(max_length=200)
    eligibility = models.TextField("who may apply", max_length=4000, blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    extended_until = models.DateTimeField(
        null=True, blank=True, help_text="A later deadline for every applicant."
    )
    requires_cv = models.BooleanField("CV required", default=True)
    requires_statement = models.BooleanField("personal statement required", default=True)
    letters_required = models.PositiveSmallIntegerField(
        "letters of reference", default=1, validators=[MaxValueValidator(3)]
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    hide_names = models.BooleanField(
        "hide applicants' names from reviewers",
        default=False,
        help_text="Reviewers who are not program staff see neither name nor email.",
    )
    accept_text = models.TextField(
        "acceptance email", max_length=3000, default=DEFAULT_DECISION_TEXT["accept"]
    )
    waitlist_text = models.TextField(
        "waiting-list email", max_length=3000, default=DEFAULT_DECISION_TEXT["waitlist"]
    )
    decline_text = models.TextField(
        "decline email", max_length=3000, default=DEFAULT_DECISION_TEXT["decline"]
    )

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="admissions_round_closes_after_open",
            ),
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True) | Q(extended_until__gt=F("closes_at")),
                name="admissions_round_extension_later",
            ),
            models.CheckConstraint(
                condition=Q(letters_required__lte=3)
                & Q(reviewers_per_application__gte=1)
                & Q(reviewers_per_application__lte=5),
                name="admissions_round_counts_range",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The round must close after it opens."})
        if self.extended_until and self.closes_at and self.extended_until <= self.closes_at:
            raise ValidationError(
                {"extended_until": "An extension must be later than the deadline."}
            )

    def get_absolute_url(self):
        return reverse("admissions:round_detail", kwargs={"code": self.code})

    @property
    def program(self):
        return self.cohort.program

    @property
    def deadline(self) -> datetime.datetime:
        return self.extended_until or self.closes_at

    def is_open_at(self, moment: datetime.datetime) -> bool:
        return self.opens_at <= moment < self.deadline

    def state_at(self, moment: datetime.datetime) -> str:
        if moment < self.opens_at:
            return "Not open yet"
        return "Open" if moment < self.deadline else "Closed"

    def decision_text(self, outcome: str) -> str:
        return getattr(self, f"{outcome}_text")


class RoundQuestion(models.Model):
    """A question of the round, of one of the types evaluations use (accounts.questions).
    Once an application answers it, only its help text, whether it is required and its
    place may change (services.question_save)."""

    round = models.ForeignKey(ApplicationRound, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField("type of question", max_length=12, choices=QuestionKind)
    text = models.CharField("question", max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    # Single and multiple choice: the options. Rating: five labels, 1 to 5.
    choices = models.JSONField(default=list, blank=True)
    labels = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="admissions_question_valid_kind"
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        kept = clean_options(self.kind, self.choices, self.labels)
        self.choices, self.labels = kept.choices, kept.labels

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    @property
    def limit(self) -> int:
        return text_limit(self.kind, ANSWER_LENGTH)


class RubricCriterion(models.Model):
    round = models.ForeignKey(ApplicationRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    guidance = models.CharField(max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name_plural = "rubric criteria"
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=10),
                name="admissions_criterion_weight_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} (×{self.weight})"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    DECIDED = "decided", "Decided"


def document_upload_to(instance, filename):
    # A random name: the applicant's file name is kept in the row, never in the path.
    return f"admissions/{instance.round_id}/{uuid.uuid4().hex}"


class Application(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(
        ApplicationRound, on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(
        max_length=10, choices=ApplicationStatus, default=ApplicationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField("state or territory", max_length=2, choices=StateOrTerritory)
    agency = models.CharField("agency or organization", max_length=200)
    title = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=20, choices=Sector, default=Sector.OTHER)
    # {question id (as text): answer text}
    answers = models.JSONField(default=dict, blank=True)
    cv = models.FileField("CV", upload_to=document_upload_to, blank=True)
    cv_name = models.CharField(max_length=200, blank=True)
    cv_type = models.CharField(max_length=100, blank=True)
    statement = models.FileField("personal statement", upload_to=document_upload_to, blank=True)
    statement_name = models.CharField(max_length=200, blank=True)
    statement_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "applicant"], name="admissions_application_one_per_round"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="admissions_application_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="admissions_app_round_status")]

    def __str__(self):
        return f"Application {str(self.code)[:8]} to {self.round}"

    def get_absolute_url(self):
        return reverse("admissions:application_status", kwargs={"code": self.code})

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def reference(self) -> str:
        """What a reviewer sees instead of a name when names are hidden."""
        return f"Applicant {str(self.code)[:8].upper()}"


class ReferenceRequest(TimeStampedModel):
    """A letter the applicant asked for. The referee answers through a link without an
    account; only the hash of its token is kept, and it works once, until `expires_at`."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="references"
    )
    name = models.CharField("referee's name", max_length=150)
    email = models.EmailField("referee's email")
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    letter_text = models.TextField(max_length=LETTER_LENGTH, blank=True)
    letter_file = models.FileField(upload_to="admissions/letters/", blank=True)
    letter_name = models.CharField(max_length=200, blank=True)
    letter_type = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                "application", models.functions.Lower("email"), name="admissions_reference_once"
            ),
        ]

    def __str__(self):
        return f"Letter from {self.name}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def has_arrived(self) -> bool:
        return self.received_at is not None

    @property
    def document_kind(self) -> str:
        """How the document URL names this letter's file."""
        return f"letter-{self.code}"


class ReviewerSeat(TimeStampedModel):
    """A person who reviews in one round: program staff, or an outside reviewer, for whom
    this seat is their only role. Their agency and state flag conflicts automatically."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(ApplicationRound, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_seats"
    )
    agency = models.CharField("agency or organization", max_length=200, blank=True)
    state = models.CharField(
        "state or territory", max_length=2, choices=StateOrTerritory, blank=True
    )

    class Meta:
        ordering = ["round", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="admissions_seat_once"),
        ]

    def __str__(self):
        return f"{self.user} reviewing {self.round}"

    def automatic_conflict(self, application) -> str:
        """Why this reviewer may not review this application, or ""."""
        if self.agency and self.agency.strip().lower() == application.agency.strip().lower():
            return "Same agency"
        if self.state and self.state == application.state:
            return "Same state or territory"
        return ""


class Conflict(TimeStampedModel):
    """A reviewer who must not review an application: declared by them, or found."""

    seat = models.ForeignKey(ReviewerSeat, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(max_length=300)
    automatic = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "application"], name="admissions_conflict_once"
            ),
        ]

    def __str__(self):
        return f"{self.seat.user} conflicted on {self.application}"


class ReviewAssignment(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seat = models.ForeignKey(ReviewerSeat, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    # The reviewer's scores: {criterion id (as text): 1–5}; empty until they submit.
    scores = models.JSONField(default=dict, blank=True)
    comments = models.TextField(max_length=4000, blank=True)
    weighted_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "application"], name="admissions_assignment_once"
            ),
            models.CheckConstraint(
                condition=Q(weighted_score__isnull=True)
                | (Q(weighted_score__gte=1) & Q(weighted_score__lte=5)),
                name="admissions_assignment_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.seat.user} reviews {self.application}"

    @property
    def is_done(self) -> bool:
        return self.submitted_at is not None


class Outcome(models.TextChoices):
    ACCEPT = "accept", "Accept"
    WAITLIST = "waitlist", "Waiting list"
    DECLINE = "decline", "Decline"


class Decision(TimeStampedModel):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=10, choices=Outcome)
    reason = models.CharField(max_length=500)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    enrollment = models.OneToOneField(
        "cohorts.Enrollment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="admission",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(enrollment__isnull=True) | Q(outcome="accept"),
                name="admissions_decision_enrollment_only_accepted",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.application}"

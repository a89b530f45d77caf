"""360° feedback on the program's competency framework.

Staff open a window on a cohort (baseline, midpoint or final, like self-assessment windows);
each fellow gathers a circle of raters by name, email and relationship; raters answer
through an emailed link, without an account. Answers are kept apart from the people who
gave them: a `RaterResponse` has no link to the `Nomination` (name, email), no timestamp and
a random primary key, so nothing (the Django admin included) can tell whose answer it is.
Reports show them only in groups of at least three (feedback360/aggregate.py).
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from accounts.links import code_url
from accounts.models import TimeStampedModel
from curriculum.models import AssessmentPhase

# A group's average is shown only when at least this many raters answered (PRODUCT.md).
MIN_GROUP_SIZE = 3
MAX_MINIMUM = 10
# Nominations one fellow may make in one window: enough for a full circle, not a mailing list.
MAX_NOMINATIONS = 20
OPEN_ANSWER_LENGTH = 2000


class Relationship(models.TextChoices):
    SUPERVISOR = "supervisor", "Supervisor"
    PEER = "peer", "Peer"
    DIRECT_REPORT = "direct_report", "Direct report"
    COMMUNITY_PARTNER = "community_partner", "Community partner"
    OTHER = "other", "Other"


_MINIMUM = [MaxValueValidator(MAX_MINIMUM, "At most %(limit_value)s.")]


class FeedbackPolicy(TimeStampedModel):
    """A program's rules for 360° feedback, editable by its staff."""

    program = models.OneToOneField(
        "cohorts.Program", on_delete=models.CASCADE, related_name="feedback360_policy"
    )
    min_supervisor = models.PositiveSmallIntegerField("supervisors", default=1, validators=_MINIMUM)
    min_peer = models.PositiveSmallIntegerField("peers", default=3, validators=_MINIMUM)
    min_direct_report = models.PositiveSmallIntegerField(
        "direct reports", default=0, validators=_MINIMUM
    )
    min_community_partner = models.PositiveSmallIntegerField(
        "community partners", default=0, validators=_MINIMUM
    )
    min_other = models.PositiveSmallIntegerField("others", default=0, validators=_MINIMUM)
    approval_required = models.BooleanField(
        default=True, help_text="Staff approve each nomination before the rater is emailed."
    )
    supervisor_shown_alone = models.BooleanField(
        "show a supervisor's ratings on their own",
        default=False,
        help_text=(
            "Supervisors are told so when they answer. Answers given before this was turned "
            "on are never shown on their own."
        ),
    )

    class Meta:
        verbose_name_plural = "feedback policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(min_supervisor__lte=MAX_MINIMUM)
                & Q(min_peer__lte=MAX_MINIMUM)
                & Q(min_direct_report__lte=MAX_MINIMUM)
                & Q(min_community_partner__lte=MAX_MINIMUM)
                & Q(min_other__lte=MAX_MINIMUM),
                name="feedback360_feedbackpolicy_minimums_range",
            ),
        ]

    def __str__(self):
        return f"360° feedback policy of {self.program}"

    def minimums(self) -> dict[str, int]:
        """Relationship → how many raters of it each fellow must nominate."""
        return {r.value: getattr(self, f"min_{r.value}") for r in Relationship}

    def shortfalls(self, counts: dict[str, int]) -> list[str]:
        """What is missing for the minimums, given nominations per relationship, e.g.
        ["1 more peer", "2 more direct reports"]; [] when they are met."""
        missing = []
        for relationship, needed in self.minimums().items():
            lacking = needed - counts.get(relationship, 0)
            if lacking > 0:
                label = Relationship(relationship).label.lower()
                missing.append(f"{lacking} more {label}{'s' if lacking > 1 else ''}")
        return missing


class FeedbackWindow(TimeStampedModel):
    """The dates (inclusive, in the cohort's zone) when fellows nominate and raters answer.
    Staff may close it early (`closed_at`); rater links stop working when it closes."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="feedback_windows"
    )
    phase = models.CharField(max_length=10, choices=AssessmentPhase)
    opens_on = models.DateField()
    closes_on = models.DateField()
    # Not a column: set by feedback360.selectors.windows_of for the pages that list them.
    state: str
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["cohort", "opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "phase"], name="feedback360_feedbackwindow_one_per_phase"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="feedback360_feedbackwindow_closes_after_open",
            ),
        ]

    def __str__(self):
        return f"{self.get_phase_display()} 360° feedback, {self.cohort.name}"

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "The window must close on or after it opens."})
        cohort = self.cohort if self.cohort_id else None
        if (
            cohort
            and self.opens_on
            and self.closes_on
            and (self.opens_on < cohort.start_date or self.closes_on > cohort.end_date)
        ):
            raise ValidationError({"opens_on": "The window must fall within the cohort's dates."})

    def get_absolute_url(self):
        return code_url("feedback360:window_detail", self.code)

    def is_open_on(self, day: datetime.date) -> bool:
        return self.closed_at is None and self.opens_on <= day <= self.closes_on

    def state_on(self, day: datetime.date) -> str:
        if self.is_open_on(day):
            return "Open"
        return "Not yet open" if self.closed_at is None and day < self.opens_on else "Closed"

    @property
    def ends_at(self) -> datetime.datetime:
        """The moment rater links stop working: the end of the last day in the cohort's zone,
        or when staff closed it."""
        if self.closed_at is not None:
            return self.closed_at
        zone = zoneinfo.ZoneInfo(self.cohort.time_zone)
        next_day = self.closes_on + datetime.timedelta(days=1)
        return datetime.datetime.combine(next_day, datetime.time(0, 0), tzinfo=zone)


class RaterCircle(TimeStampedModel):
    """The raters one fellow gathers in one window, and what the fellow decided about the
    report (shared with their coach or not)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    window = models.ForeignKey(FeedbackWindow, on_delete=models.CASCADE, related_name="circles")
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="rater_circles"
    )
    shared_with_coach_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["window", "enrollment__user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "enrollment"], name="feedback360_ratercircle_one_per_window"
            ),
        ]

    def __str__(self):
        return f"Raters of {self.enrollment.user} ({self.window.get_phase_display()})"

    def get_absolute_url(self):
        return code_url("feedback360:report", self.code)

    @property
    def is_shared_with_coach(self) -> bool:
        return self.shared_with_coach_at is not None


class NominationStatus(models.TextChoices):
    DRAFT = "draft", "Not sent yet"
    PENDING = "pending", "Waiting for approval"
    INVITED = "invited", "Invited"
    DECLINED = "declined", "Not approved"


class Nomination(TimeStampedModel):
    """A person the fellow asked for feedback. Whether they answered is known (`answered_at`,
    so a link works once); what they answered is not linked to them."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    circle = models.ForeignKey(RaterCircle, on_delete=models.CASCADE, related_name="nominations")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    relationship = models.CharField(max_length=20, choices=Relationship)
    status = models.CharField(
        max_length=10, choices=NominationStatus, default=NominationStatus.DRAFT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["circle", "relationship", "name"]
        constraints = [
            models.UniqueConstraint(
                "circle", Lower("email"), name="feedback360_nomination_one_per_email"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(status=NominationStatus.INVITED),
                name="feedback360_nomination_answered_was_invited",
            ),
        ]
        indexes = [
            # The reminder scan: invited raters who have not answered yet.
            models.Index(
                fields=["invited_at"],
                condition=Q(status="invited", answered_at__isnull=True),
                name="feedback360_awaiting_answer",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_relationship_display()})"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def can_be_removed(self) -> bool:
        return self.status != NominationStatus.INVITED


class RaterEmailPurpose(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER_1 = "reminder_1", "First reminder"
    REMINDER_2 = "reminder_2", "Second reminder"


class RaterLink(TimeStampedModel):
    """One email to a rater and the link it carried. The row is the email's record: one per
    (nomination, purpose), so a rater gets an invitation and at most two reminders. Only a
    hash of each link's token is stored; every link works until the rater answers or the
    window closes."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(max_length=12, choices=RaterEmailPurpose)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["nomination", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "purpose"], name="feedback360_raterlink_once_per_purpose"
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} to {self.nomination}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class RaterResponse(models.Model):
    """One rater's answers about one fellow. On purpose without a link to the nomination,
    without a timestamp, and with a random key, so the order of rows says nothing either."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    circle = models.ForeignKey(RaterCircle, on_delete=models.CASCADE, related_name="responses")
    relationship = models.CharField(max_length=20, choices=Relationship)
    # A supervisor told, when answering, that their ratings may be shown on their own.
    told_shown_alone = models.BooleanField(default=False)
    strengths = models.TextField(max_length=OPEN_ANSWER_LENGTH, blank=True)
    to_develop = models.TextField(max_length=OPEN_ANSWER_LENGTH, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(told_shown_alone=False) | Q(relationship=Relationship.SUPERVISOR),
                name="feedback360_raterresponse_only_supervisors_told",
            ),
        ]

    def __str__(self):
        # Never the answers: this shows in logs and the admin's delete confirmations.
        return "A rater's answers"


class RaterRating(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(RaterResponse, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(
        "curriculum.Competency", on_delete=models.PROTECT, related_name="rater_ratings"
    )
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "competency"], name="feedback360_raterrating_one_per_competency"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=10),
                name="feedback360_raterrating_value_range",
            ),
        ]

    def __str__(self):
        return "A rater's rating"

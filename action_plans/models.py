"""Leadership Action Plans: the plan, its goals and milestones, progress updates, comments,
the review workflow (with every state change recorded) and the plan's revision history."""

import uuid
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.links import code_url
from accounts.models import TimeStampedModel
from accounts.roles import split_values
from cohorts.models import EnrollmentStatus


class PlanVisibility(models.TextChoices):
    PRIVATE = "private", "Private: me, my coach and program staff"
    PEER_GROUP = "peer_group", "My peer group (and coach and staff)"
    COHORT = "cohort", "My whole cohort"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    COMPLETED = "completed", "Completed"

    @classmethod
    def text_editable(cls):
        """Statuses in which the fellow may change the plan's text. A submitted plan waits
        for its review unchanged; an approved plan keeps being updated."""
        return [cls.DRAFT, cls.CHANGES_REQUESTED, cls.APPROVED]


class FocusLevel(models.TextChoices):
    """The four levels of health-equity transformation guides (PRODUCT.md, program 5)."""

    PATIENT = "patient", "Patient"
    ORGANIZATIONAL = "organizational", "Organizational"
    COMMUNITY = "community", "Community"
    SOCIETAL = "societal", "Societal"


# The plan's text fields: each save that changes one of them keeps a revision.
PLAN_TEXT_FIELDS = [
    "title",
    "initiative",
    "problem",
    "equity_aim",
    "policy_levers",
    "stakeholders",
    "success_measures",
]


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Plans the user may read (PRODUCT.md's "action plan" row): staff of the program,
        the assigned coach, the fellow, their peer group unless private, and the whole
        cohort when the fellow chose so."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        from cohorts.models import EnrollmentStatus

        access = EnrollmentStatus.with_cohort_access()
        plans = ActionPlan.objects
        staff = plans.filter(enrollment__cohort__program__staff_memberships__user=user)
        own = plans.filter(enrollment__user=user)
        coached = plans.filter(
            enrollment__coach_assignments__coach=user,
            enrollment__coach_assignments__ended_at__isnull=True,
        )
        peers = plans.exclude(visibility=PlanVisibility.PRIVATE).filter(
            enrollment__peer_group_memberships__group__memberships__enrollment__user=user,
            enrollment__peer_group_memberships__group__memberships__enrollment__status__in=access,
        )
        classmates = plans.filter(
            visibility=PlanVisibility.COHORT,
            enrollment__cohort__enrollments__user=user,
            enrollment__cohort__enrollments__status__in=access,
        )
        return self.filter(
            Q(pk__in=staff.values("pk"))
            | Q(pk__in=own.values("pk"))
            | Q(pk__in=coached.values("pk"))
            | Q(pk__in=peers.values("pk"))
            | Q(pk__in=classmates.values("pk"))
        )


class ActionPlan(TimeStampedModel):
    """A fellow's Leadership Action Plan: one per enrollment."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrollment = models.OneToOneField(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="action_plan"
    )
    title = models.CharField(max_length=200)
    initiative = models.TextField(
        "strategic initiative",
        blank=True,
        max_length=4000,
        help_text="The initiative this plan advances for your agency and its partner communities.",
    )
    problem = models.TextField(
        "problem or opportunity",
        blank=True,
        max_length=4000,
        help_text="What is wrong, or what opening exists, and why now.",
    )
    equity_aim = models.TextField(
        "equity aim",
        blank=True,
        max_length=4000,
        help_text="Which people, and which disparity you mean to reduce.",
    )
    policy_levers = models.TextField(blank=True, max_length=4000)
    stakeholders = models.TextField("stakeholders and partners", blank=True, max_length=4000)
    success_measures = models.TextField(blank=True, max_length=4000)
    visibility = models.CharField(
        max_length=12, choices=PlanVisibility, default=PlanVisibility.PEER_GROUP
    )
    status = models.CharField(max_length=20, choices=PlanStatus, default=PlanStatus.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    competencies = models.ManyToManyField(
        "curriculum.Competency", blank=True, related_name="action_plans"
    )

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="action_plans_actionplan_status"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=PlanVisibility.values),
                name="action_plans_actionplan_visibility",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return code_url("action_plans:plan_detail", self.code)

    @property
    def cohort(self):
        return self.enrollment.cohort

    @property
    def is_text_editable(self) -> bool:
        return self.status in PlanStatus.text_editable()

    def edit_refusal(self) -> str:
        """Why the fellow cannot edit the plan now, in their words."""
        if self.enrollment.status != EnrollmentStatus.ACTIVE:
            return (
                f"Your time in {self.enrollment.cohort.name} has ended, so the plan is kept as it "
                "was. You can still read it and print it."
            )
        return f"Your plan is {self.get_status_display().lower()}: it cannot be edited right now."

    def text_snapshot(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in PLAN_TEXT_FIELDS}

    def focus_level_values(self) -> list[str]:
        """The plan's focus levels in their canonical order (uses the prefetch if any, or
        the levels read with the plan: `access.with_focus_levels`)."""
        if hasattr(self, "focus_levels_read"):
            chosen = set(split_values(self.focus_levels_read))
        else:
            chosen = {row.level for row in self.focus_levels.all()}
        return [value for value in FocusLevel.values if value in chosen]

    def focus_level_labels(self) -> list[str]:
        labels = dict(FocusLevel.choices)
        return [labels[value] for value in self.focus_level_values()]


class PlanFocusLevel(models.Model):
    """One of the levels a plan's initiative works at; several may apply."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="focus_levels")
    level = models.CharField(max_length=16, choices=FocusLevel)

    class Meta:
        ordering = ["plan", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "level"], name="action_plans_planfocuslevel_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__in=FocusLevel.values),
                name="action_plans_planfocuslevel_known_level",
            ),
        ]
        indexes = [models.Index(fields=["level"], name="action_plans_focus_level")]

    def __str__(self):
        return f"{self.plan}: {self.get_level_display()}"


class Goal(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.plan.get_absolute_url()}#goal-{self.code}"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    BLOCKED = "blocked", "Blocked"


def overdue_q(today, prefix: str = "") -> Q:
    """The overdue rule as a filter on milestones (reached through `prefix`, e.g.
    "goals__milestones__" from plans): not done and due before the cohort's day `today`
    (`Cohort.local_date()`). For milestones of several cohorts, `today` maps each cohort's
    id to its own day (from milestones only)."""
    not_done = ~Q(**{f"{prefix}status": MilestoneStatus.DONE})
    if isinstance(today, Mapping):
        if prefix:
            raise ValueError("Per-cohort days are given on milestones, without a prefix.")
        due = Q(pk__in=[])
        for cohort_id, day in today.items():
            due |= Q(goal__plan__enrollment__cohort_id=cohort_id, due_date__lt=day)
        return not_done & due
    return not_done & Q(**{f"{prefix}due_date__lt": today})


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today):
        """Milestones past due on the cohort's day `today` (see `overdue_q`)."""
        return self.filter(overdue_q(today))


class Milestone(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=MilestoneStatus, default=MilestoneStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    evidence_note = models.TextField(
        blank=True, max_length=2000, help_text="What shows this milestone is met."
    )
    evidence_url = models.URLField(
        "evidence link", blank=True, max_length=500, help_text="A link to a document or page."
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["goal", "order", "due_date", "pk"]
        constraints = [
            # A done milestone has its completion date; any other status has none.
            models.CheckConstraint(
                condition=(Q(status=MilestoneStatus.DONE) & Q(completed_on__isnull=False))
                | (~Q(status=MilestoneStatus.DONE) & Q(completed_on__isnull=True)),
                name="action_plans_milestone_completed_iff_done",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MilestoneStatus.values),
                name="action_plans_milestone_status",
            ),
        ]
        # Reminders scan open milestones by due date.
        indexes = [
            models.Index(
                fields=["due_date"],
                condition=~Q(status="done"),
                name="action_plans_open_by_due",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.goal.plan.get_absolute_url()}#milestone-{self.code}"

    @property
    def is_done(self) -> bool:
        return self.status == MilestoneStatus.DONE

    @property
    def status_badge(self) -> str:
        """The Bootstrap badge class of the milestone's status (the text says it too)."""
        badges: dict[str, str] = {
            MilestoneStatus.DONE: "text-bg-success",
            MilestoneStatus.BLOCKED: "text-bg-danger",
            MilestoneStatus.IN_PROGRESS: "text-bg-primary",
        }
        return badges.get(self.status, "text-bg-secondary")

    def is_overdue(self, today) -> bool:
        """`overdue_q` for one milestone already loaded; `today` is its cohort's day."""
        return not self.is_done and self.due_date < today

    def clean(self):
        super().clean()
        plan = self.goal.plan if self.goal_id else None
        if plan is not None and self.due_date:
            cohort = plan.enrollment.cohort
            if not cohort.start_date <= self.due_date <= cohort.end_date:
                raise ValidationError(
                    {
                        "due_date": (
                            f"The due date must fall within the cohort, between "
                            f"{cohort.start_date:%-d %B %Y} and {cohort.end_date:%-d %B %Y}."
                        )
                    }
                )
        if self.status == MilestoneStatus.DONE and self.completed_on is None:
            raise ValidationError({"completed_on": "A done milestone needs its completion date."})
        if self.status != MilestoneStatus.DONE and self.completed_on is not None:
            raise ValidationError({"completed_on": "Only a done milestone has a completion date."})


class ProgressSignal(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class ProgressUpdate(TimeStampedModel):
    """A dated narrative of how the plan is going, with an overall signal."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    as_of = models.DateField("date")
    signal = models.CharField(max_length=10, choices=ProgressSignal)
    body = models.TextField("what happened", max_length=5000)

    class Meta:
        ordering = ["-as_of", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signal__in=ProgressSignal.values),
                name="action_plans_progressupdate_signal",
            ),
        ]
        indexes = [models.Index(fields=["plan", "-as_of"], name="action_plans_update_recent")]

    def __str__(self):
        return f"{self.plan} — {self.as_of:%Y-%m-%d} ({self.get_signal_display()})"

    def get_absolute_url(self):
        return f"{self.plan.get_absolute_url()}#update-{self.code}"


class PlanComment(TimeStampedModel):
    """A comment by the coach, a peer or staff (or the fellow replying) on the plan as a
    whole or on one of its milestones."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="comments")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField("comment", max_length=3000)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.milestone or self.plan}"

    def get_absolute_url(self):
        return f"{self.plan.get_absolute_url()}#comment-{self.code}"

    def clean(self):
        super().clean()
        if self.milestone_id and self.milestone.goal.plan_id != self.plan_id:
            raise ValidationError({"milestone": "That milestone belongs to another plan."})


class PlanStatusChange(models.Model):
    """Who moved a plan from one status to another, when, and why."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=PlanStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=PlanStatus)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    note = models.TextField(blank=True, max_length=3000)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.plan}: {self.from_status or '—'} → {self.to_status}"


class PlanRevision(models.Model):
    """The plan's text fields as saved at one moment; compared two at a time."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="action_plans_planrevision_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.plan} — version {self.number}"

import uuid

from django.db import models

from accounts.models import TimeStampedModel


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


class ActionPlan(TimeStampedModel):
    """A fellow's Leadership Action Plan: one per enrollment."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrollment = models.OneToOneField(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="action_plan"
    )
    title = models.CharField(max_length=200)
    visibility = models.CharField(
        max_length=12, choices=PlanVisibility, default=PlanVisibility.PEER_GROUP
    )
    status = models.CharField(max_length=20, choices=PlanStatus, default=PlanStatus.DRAFT)
    competencies = models.ManyToManyField(
        "curriculum.Competency", blank=True, related_name="action_plans"
    )

    def __str__(self):
        return self.title


class Goal(TimeStampedModel):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    BLOCKED = "blocked", "Blocked"


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

    class Meta:
        ordering = ["goal", "order", "due_date", "pk"]

    def __str__(self):
        return self.title

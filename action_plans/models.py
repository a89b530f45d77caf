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

    def __str__(self):
        return self.title

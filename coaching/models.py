import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import TimeStampedModel


class CoachProfile(TimeStampedModel):
    """Makes a user a coach; the programs they coach for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_profile"
    )
    programs = models.ManyToManyField("cohorts.Program", blank=True, related_name="coaches")
    bio = models.TextField(blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=6, help_text="How many fellows this coach can take at once."
    )

    def __str__(self):
        return f"Coach {self.user}"


class CoachAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class CoachAssignment(TimeStampedModel):
    """A coach assigned to a fellow's enrollment. One active at a time; ended ones are history."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coach_assignments"
    )
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="coach_assignments"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    objects = CoachAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(ended_at__isnull=True),
                name="coaching_coachassignment_one_active_per_enrollment",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="coaching_coachassignment_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.coach} coaches {self.enrollment.user}"

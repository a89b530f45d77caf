import uuid

from django.conf import settings
from django.db import models

from accounts.models import TimeStampedModel


class PeerGroup(TimeStampedModel):
    """An accountability peer group of 4–6 fellows in one cohort."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="peer_groups"
    )
    name = models.CharField(max_length=120)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_groups",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "name"], name="networks_peergroup_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class PeerGroupMembership(TimeStampedModel):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="memberships")
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="peer_group_memberships"
    )

    class Meta:
        constraints = [
            # An enrollment belongs to one cohort, so this means one group per fellow per cohort.
            models.UniqueConstraint(
                fields=["enrollment"], name="networks_peergroupmembership_one_group_per_fellow"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment.user} in {self.group}"

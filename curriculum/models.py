import uuid

from django.db import models

from accounts.models import TimeStampedModel


class CompetencyFramework(TimeStampedModel):
    """A competency framework, reusable across programs and partner organizations."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

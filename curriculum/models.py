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


class CompetencyDomain(TimeStampedModel):
    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="domains"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "name"], name="curriculum_competencydomain_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class Competency(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    domain = models.ForeignKey(
        CompetencyDomain, on_delete=models.CASCADE, related_name="competencies"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain__order", "order", "name"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "name"], name="curriculum_competency_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class ProficiencyLevel(models.Model):
    """One step of a framework's proficiency scale, e.g. 1 Emerging … 5 Leading."""

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="levels"
    )
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "value"], name="curriculum_proficiencylevel_unique_value"
            ),
        ]

    def __str__(self):
        return f"{self.value} {self.label}"

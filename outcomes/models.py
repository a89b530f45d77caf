"""Outcomes: the results a fellow records on their action plan (what changed because of the
fellowship), each with the fellow's consent to show it, and the optional demographics
fellows tell about themselves so staff can look at equity across groups.

Results sit above action plans: a result belongs to one plan, and alumni keep adding
results to their past plan. Demographics belong to the person, not to one enrollment."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.links import code_url
from accounts.models import TimeStampedModel
from accounts.roles import split_values
from action_plans.models import FocusLevel
from cohorts.geography import StateOrTerritory


class ResultKind(models.TextChoices):
    POLICY = "policy", "Policy or rule adopted"
    PROGRAM = "program", "Program or service launched"
    PRACTICE = "practice", "Practice changed"
    FUNDING = "funding", "Funding secured"
    PARTNERSHIP = "partnership", "Partnership formed"
    DATA = "data", "Data or reporting changed"
    TESTIMONY = "testimony", "Testimony or publication"
    OTHER = "other", "Other"


class Consent(models.TextChoices):
    """Where the fellow lets a result be shown. Each level includes the ones above it."""

    INTERNAL = "internal", "Internal only: program staff and my coach"
    FUNDERS = "funders", "May appear in reports to funders"
    PUBLIC = "public", "May be told publicly as a story"

    @classmethod
    def for_funders(cls) -> list[str]:
        """Levels that let a result into funder reports, impact reports and exports."""
        return [cls.FUNDERS, cls.PUBLIC]

    @classmethod
    def for_public(cls) -> list[str]:
        return [cls.PUBLIC]


# A result happens in one state or territory, or across the whole country.
# django-stubs' overloads leave out the (value, label) member form that Django accepts.
Jurisdiction = models.TextChoices(  # type: ignore[call-overload]
    "Jurisdiction",
    [("NATIONAL", ("US", "National"))]
    + [(place.name, (place.value, place.label)) for place in StateOrTerritory],
)


def _evidence_path(instance, filename) -> str:
    # A random name: evidence is only ever served through an access-checked view.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"result-evidence/{uuid.uuid4().hex}.{extension}"


class ResultQuerySet(models.QuerySet):
    def for_funders(self):
        return self.filter(consent__in=Consent.for_funders())

    def public(self):
        return self.filter(consent__in=Consent.for_public())


class Result(TimeStampedModel):
    """Something that changed because of the fellow's work, recorded on their plan."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        "action_plans.ActionPlan", on_delete=models.CASCADE, related_name="results"
    )
    kind = models.CharField("kind of result", max_length=16, choices=ResultKind)
    title = models.CharField(
        max_length=200, help_text="One line, e.g. “Medicaid now covers doula care”."
    )
    story = models.TextField(
        "what changed",
        max_length=5000,
        help_text="What changed, for whom, what you did, and how you know.",
    )
    achieved_on = models.DateField("date", help_text="When it happened (adopted, launched…).")
    jurisdiction = models.CharField(
        "where", max_length=2, choices=Jurisdiction, help_text="A state or territory, or national."
    )
    people_reached = models.PositiveIntegerField("people reached (estimate)", null=True, blank=True)
    reach_source = models.CharField(
        "source of the estimate",
        max_length=300,
        blank=True,
        help_text="Where the number comes from, e.g. “Medicaid enrollment data, June”.",
    )
    evidence_url = models.URLField("evidence link", max_length=500, blank=True)
    evidence_file = models.FileField("evidence file", upload_to=_evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True, editable=False)
    evidence_type = models.CharField(max_length=100, blank=True, editable=False)
    competencies = models.ManyToManyField(
        "curriculum.Competency", blank=True, related_name="results"
    )
    consent = models.CharField(
        "who may see it", max_length=10, choices=Consent, default=Consent.INTERNAL
    )
    consent_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["-achieved_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResultKind.values), name="outcomes_result_kind"
            ),
            models.CheckConstraint(
                condition=Q(consent__in=Consent.values), name="outcomes_result_consent"
            ),
            models.CheckConstraint(
                condition=Q(jurisdiction__in=Jurisdiction.values),
                name="outcomes_result_jurisdiction",
            ),
            models.CheckConstraint(
                condition=Q(people_reached__isnull=True) | Q(people_reached__gte=0),
                name="outcomes_result_reach_not_negative",
            ),
            # An estimate always comes with its source.
            models.CheckConstraint(
                condition=Q(people_reached__isnull=True) | ~Q(reach_source=""),
                name="outcomes_result_reach_has_source",
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | Q(verified_at__isnull=False),
                name="outcomes_result_verifier_has_date",
            ),
        ]
        indexes = [models.Index(fields=["plan", "-achieved_on"], name="outcomes_result_plan")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return code_url("outcomes:result_detail", self.code)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def in_funder_reports(self) -> bool:
        return self.consent in Consent.for_funders()

    @property
    def is_public(self) -> bool:
        return self.consent in Consent.for_public()

    def focus_level_values(self) -> list[str]:
        """The result's levels in their canonical order (the levels read with the result,
        `focus_levels_read` as `selectors.plan_results` reads them, or the prefetch if any)."""
        if hasattr(self, "focus_levels_read"):
            chosen = set(split_values(self.focus_levels_read))
        else:
            chosen = {row.level for row in self.focus_levels.all()}
        return [value for value in FocusLevel.values if value in chosen]

    def focus_level_labels(self) -> list[str]:
        labels = dict(FocusLevel.choices)
        return [labels[value] for value in self.focus_level_values()]

    def clean(self):
        super().clean()
        errors = {}
        if self.plan_id and self.achieved_on:
            cohort = self.plan.enrollment.cohort
            if self.achieved_on < cohort.start_date:
                errors["achieved_on"] = (
                    f"The date cannot be before the cohort started ({cohort.start_date:%-d %B %Y})."
                )
            elif self.achieved_on > cohort.local_date():
                errors["achieved_on"] = "The date cannot be in the future."
        if self.people_reached is not None and not self.reach_source.strip():
            errors["reach_source"] = "Say where the estimate of people reached comes from."
        if self.reach_source.strip() and self.people_reached is None:
            errors["people_reached"] = "Give the estimate this source is for, or clear the source."
        if errors:
            raise ValidationError(errors)


class ResultFocusLevel(models.Model):
    """One of the levels (patient, organizational, community, societal) a result works at."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="focus_levels")
    level = models.CharField(max_length=16, choices=FocusLevel)

    class Meta:
        ordering = ["result", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "level"], name="outcomes_resultfocuslevel_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__in=FocusLevel.values),
                name="outcomes_resultfocuslevel_known_level",
            ),
        ]

    def __str__(self):
        return f"{self.result}: {self.get_level_display()}"


# --- Self-identified demographics ---------------------------------------------------------

PREFER_NOT = "prefer_not"
PREFER_NOT_LABEL = "Prefer not to say"


class RaceEthnicity(models.TextChoices):
    """The minimum categories of the US federal standard (OMB SPD 15 as revised in 2024);
    a person may choose several."""

    AIAN = "aian", "American Indian or Alaska Native"
    ASIAN = "asian", "Asian"
    BLACK = "black", "Black or African American"
    HISPANIC = "hispanic", "Hispanic or Latino"
    MENA = "mena", "Middle Eastern or North African"
    NHPI = "nhpi", "Native Hawaiian or Pacific Islander"
    WHITE = "white", "White"
    PREFER_NOT = PREFER_NOT, PREFER_NOT_LABEL


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NONBINARY = "nonbinary", "Non-binary"
    NOT_LISTED = "not_listed", "A gender not listed here"
    PREFER_NOT = PREFER_NOT, PREFER_NOT_LABEL


class LivedExperience(models.TextChoices):
    """Lived experience of the communities programs serve; a person may choose several."""

    RURAL = "rural", "Living in a rural or frontier community"
    DISABILITY = "disability", "Living with a disability"
    IMMIGRANT = "immigrant", "Immigrating to the United States, or as a refugee"
    LOW_INCOME = "low_income", "Growing up in a household with low income"
    FIRST_GENERATION = "first_generation", "Being the first in my family to go to college"
    LGBTQ = "lgbtq", "Being LGBTQ+"
    MEDICAID = "medicaid", "Being covered by Medicaid or uninsured"
    CHILD_WELFARE = "child_welfare", "The child welfare or foster care system"
    INCARCERATION = "incarceration", "Incarceration, my own or a family member’s"
    HOUSING = "housing", "Homelessness or housing instability"
    MILITARY = "military", "Military service"
    PREFER_NOT = PREFER_NOT, PREFER_NOT_LABEL


class CareerSector(models.TextChoices):
    FEDERAL = "federal", "Federal government"
    STATE = "state", "State or territorial government"
    TRIBAL = "tribal", "Tribal government"
    LOCAL = "local", "County or city government"
    LEGISLATIVE = "legislative", "Legislative branch"
    HEALTH_CARE = "health_care", "Health care delivery"
    NONPROFIT = "nonprofit", "Nonprofit or community organization"
    ACADEMIC = "academic", "Academic or research"
    PHILANTHROPY = "philanthropy", "Philanthropy"
    PRIVATE = "private", "Private sector"
    OTHER = "other", "Other"
    PREFER_NOT = PREFER_NOT, PREFER_NOT_LABEL


class DemographicProfile(TimeStampedModel):
    """What a person chose to tell about themselves. Every question is optional (blank or no
    rows: not answered) and each offers "prefer not to say". Program staff only may read
    it; never the directory, coaches or other fellows."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demographics"
    )
    gender = models.CharField(max_length=12, choices=Gender, blank=True)
    career_sector = models.CharField(max_length=16, choices=CareerSector, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(gender="") | Q(gender__in=Gender.values),
                name="outcomes_demographicprofile_gender",
            ),
            models.CheckConstraint(
                condition=Q(career_sector="") | Q(career_sector__in=CareerSector.values),
                name="outcomes_demographicprofile_career_sector",
            ),
        ]

    def __str__(self):
        return f"Demographics of {self.user}"

    def race_values(self) -> list[str]:
        return sorted(row.category for row in self.race_ethnicity.all())

    def lived_values(self) -> list[str]:
        return sorted(row.item for row in self.lived_experience.all())


class RaceEthnicityAnswer(models.Model):
    profile = models.ForeignKey(
        DemographicProfile, on_delete=models.CASCADE, related_name="race_ethnicity"
    )
    category = models.CharField(max_length=12, choices=RaceEthnicity)

    class Meta:
        ordering = ["profile", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "category"], name="outcomes_raceethnicityanswer_unique"
            ),
            models.CheckConstraint(
                condition=Q(category__in=RaceEthnicity.values),
                name="outcomes_raceethnicityanswer_category",
            ),
        ]

    def __str__(self):
        return self.get_category_display()


class LivedExperienceAnswer(models.Model):
    profile = models.ForeignKey(
        DemographicProfile, on_delete=models.CASCADE, related_name="lived_experience"
    )
    item = models.CharField(max_length=20, choices=LivedExperience)

    class Meta:
        ordering = ["profile", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "item"], name="outcomes_livedexperienceanswer_unique"
            ),
            models.CheckConstraint(
                condition=Q(item__in=LivedExperience.values),
                name="outcomes_livedexperienceanswer_item",
            ),
        ]

    def __str__(self):
        return self.get_item_display()

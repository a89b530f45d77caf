"""Writes of the outcomes app. Every function is atomic, validates with `full_clean()` (the
database constraints are the backstop) and takes who did it. Views check access first
(access.py); the rules about who may do what are checked here too.

Sensitive actions, for the audit log: `result_set_consent` (a consent change),
`result_verify` (verification), `result_delete` (deletion) and `demographics_save`; the
export of named results is `selectors.results_export`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone

from accounts.models import User
from accounts.updates import model_update
from action_plans.models import ActionPlan, FocusLevel
from cohorts import roles as cohort_roles
from curriculum.models import Competency
from curriculum.uploads import delete_after_commit

from . import roles
from .evidence import check_evidence
from .models import (
    PREFER_NOT,
    CareerSector,
    Consent,
    DemographicProfile,
    Gender,
    LivedExperience,
    LivedExperienceAnswer,
    RaceEthnicity,
    RaceEthnicityAnswer,
    Result,
    ResultFocusLevel,
)

# Set by the service itself when a result changes (the upload, and its verification).
EVIDENCE_AND_VERIFICATION = [
    "evidence_file",
    "evidence_name",
    "evidence_type",
    "verified_at",
    "verified_by",
]
# Fields whose change makes a verified result unverified: staff verified what it said.
SUBSTANCE = [
    "kind",
    "title",
    "story",
    "achieved_on",
    "jurisdiction",
    "people_reached",
    "reach_source",
    "evidence_url",
]


def _check_levels(levels: Iterable[str]) -> list[str]:
    levels = list(dict.fromkeys(levels or []))
    if not levels:
        raise ValidationError({"focus_levels": "Choose at least one level this result works at."})
    unknown = [level for level in levels if level not in FocusLevel.values]
    if unknown:
        raise ValidationError({"focus_levels": f"Unknown level: {', '.join(unknown)}."})
    return levels


def _check_competencies(
    plan: ActionPlan, competencies: Iterable[Competency] | None
) -> list[Competency]:
    competencies = list(competencies or [])
    framework_id = plan.enrollment.cohort.framework_id
    outside = [c for c in competencies if c.domain.framework_id != framework_id]
    if outside:
        raise ValidationError(
            {"competencies": "Choose competencies from the cohort’s framework only."}
        )
    return competencies


def _set_levels(result: Result, levels: list[str]) -> None:
    result.focus_levels.exclude(level__in=levels).delete()
    have = set(result.focus_levels.values_list("level", flat=True))
    ResultFocusLevel.objects.bulk_create(
        [ResultFocusLevel(result=result, level=level) for level in levels if level not in have]
    )


def _attach_evidence(result: Result, upload: UploadedFile) -> None:
    try:
        checked = check_evidence(upload)
    except ValidationError as exc:
        raise ValidationError({"evidence_file": exc.messages}) from None
    result.evidence_file = upload
    result.evidence_name = checked.name
    result.evidence_type = checked.content_type


@transaction.atomic
def result_create(
    *,
    plan: ActionPlan,
    by: User,
    kind: str,
    title: str,
    story: str,
    achieved_on: date,
    jurisdiction: str,
    focus_levels: Iterable[str],
    people_reached: int | None = None,
    reach_source: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    competencies: Iterable[Competency] | None = None,
    consent: str = Consent.INTERNAL,
) -> Result:
    """A result on the plan, by the fellow or by staff on their behalf. Consent is the
    fellow's to give: a result staff record stays internal until the fellow says more."""
    if not roles.records_results_on(by, plan):
        raise PermissionDenied("Only the fellow and program staff record results.")
    if not roles.owns_plan(by, plan) and consent != Consent.INTERNAL:
        raise ValidationError({"consent": "Only the fellow decides who may see their result."})
    result = Result(
        plan=plan,
        kind=kind,
        title=title,
        story=story,
        achieved_on=achieved_on,
        jurisdiction=jurisdiction,
        people_reached=people_reached,
        reach_source=(reach_source or "").strip(),
        evidence_url=evidence_url or "",
        consent=consent,
        recorded_by=by,
    )
    if evidence_file:
        _attach_evidence(result, evidence_file)
    levels = _check_levels(focus_levels)
    competencies = _check_competencies(plan, competencies)
    result.full_clean()
    result.save()
    _set_levels(result, levels)
    result.competencies.set(competencies)
    return result


@transaction.atomic
def result_update(
    *,
    result: Result,
    by: User,
    focus_levels: Iterable[str],
    competencies: Iterable[Competency] | None = None,
    evidence_file: UploadedFile | None = None,
    remove_evidence: bool = False,
    consent: str | None = None,
    now: datetime.datetime | None = None,
    **fields: Any,
) -> Result:
    """Changes a result. A change to what it says clears its verification; consent changes
    go through `result_set_consent`."""
    plan = result.plan
    if not roles.records_results_on(by, plan):
        raise PermissionDenied("Only the fellow and program staff change results.")
    unknown = set(fields) - set(SUBSTANCE)
    if unknown:
        raise TypeError(f"Unknown result fields: {sorted(unknown)}")
    before = {name: getattr(result, name) for name in SUBSTANCE}
    data = {**fields, "reach_source": (fields.get("reach_source", result.reach_source) or "")}
    data["reach_source"] = data["reach_source"].strip()
    old_file = result.evidence_file if result.evidence_file else None
    if evidence_file:
        _attach_evidence(result, evidence_file)
    elif remove_evidence:
        result.evidence_file = ""
        result.evidence_name = result.evidence_type = ""
    levels = _check_levels(focus_levels)
    competencies = _check_competencies(plan, competencies)
    file_changed = bool(evidence_file) or (remove_evidence and old_file is not None)
    changed = file_changed or any(data.get(n, v) != v for n, v in before.items())
    changed = changed or set(levels) != set(result.focus_levels.values_list("level", flat=True))
    if changed and result.is_verified:
        result.verified_at = None
        result.verified_by = None
    model_update(result, data=data, also=EVIDENCE_AND_VERIFICATION)
    if file_changed and old_file is not None:
        delete_after_commit(old_file)
    _set_levels(result, levels)
    result.competencies.set(competencies)
    if consent is not None and consent != result.consent:
        result_set_consent(result=result, by=by, consent=consent, now=now)
    return result


@transaction.atomic
def result_set_consent(
    *, result: Result, by: User, consent: str, now: datetime.datetime | None = None
) -> Result:
    """The fellow changes who may see their result. Reports, exports and the funder report
    read the consent when they are drawn, so the change applies everywhere at once."""
    if not roles.owns_plan(by, result.plan):
        raise PermissionDenied("Only the fellow decides who may see their result.")
    if consent not in Consent.values:
        raise ValidationError({"consent": "Choose one of the listed options."})
    if consent != result.consent:
        result.consent = consent
        result.consent_changed_at = now or timezone.now()
        result.save(update_fields=["consent", "consent_changed_at", "updated_at"])
    return result


@transaction.atomic
def result_verify(
    *, result: Result, by: User, verified: bool = True, now: datetime.datetime | None = None
) -> Result:
    """Program staff confirm (or withdraw their confirmation) that the result is real."""
    if not cohort_roles.is_cohort_staff(by, result.plan.enrollment.cohort):
        raise PermissionDenied("Only program staff verify results.")
    if verified:
        result.verified_at = now or timezone.now()
        result.verified_by = by
    else:
        result.verified_at = None
        result.verified_by = None
    result.save(update_fields=["verified_at", "verified_by", "updated_at"])
    return result


@transaction.atomic
def result_delete(*, result: Result, by: User) -> None:
    if not roles.records_results_on(by, result.plan):
        raise PermissionDenied("Only the fellow and program staff delete results.")
    if result.evidence_file:
        delete_after_commit(result.evidence_file)
    result.delete()


# --- Demographics -----------------------------------------------------------------------------


def _single(value: str, choices: type[TextChoices], field: str) -> str:
    value = value or ""
    if value and value not in choices.values:
        raise ValidationError({field: "Choose one of the listed options."})
    return value


def _several(values: Iterable[str], choices: type[TextChoices], field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if any(value not in choices.values for value in values):
        raise ValidationError({field: "Choose from the listed options only."})
    if PREFER_NOT in values and len(values) > 1:
        raise ValidationError(
            {field: "“Prefer not to say” cannot be chosen together with other answers."}
        )
    return values


@transaction.atomic
def demographics_save(
    *,
    user: User,
    by: User,
    race_ethnicity: Iterable[str] = (),
    gender: str = "",
    lived_experience: Iterable[str] = (),
    career_sector: str = "",
) -> DemographicProfile:
    """A person's own answers (only they give them). Every question may be left blank."""
    if by.pk != user.pk:
        raise PermissionDenied("Only the person themselves answers these questions.")
    race = _several(race_ethnicity, RaceEthnicity, "race_ethnicity")
    lived = _several(lived_experience, LivedExperience, "lived_experience")
    gender = _single(gender, Gender, "gender")
    career_sector = _single(career_sector, CareerSector, "career_sector")
    profile, _ = DemographicProfile.objects.get_or_create(user=user)
    model_update(profile, data={"gender": gender, "career_sector": career_sector})
    profile.race_ethnicity.exclude(category__in=race).delete()
    have = set(profile.race_ethnicity.values_list("category", flat=True))
    RaceEthnicityAnswer.objects.bulk_create(
        [RaceEthnicityAnswer(profile=profile, category=c) for c in race if c not in have]
    )
    profile.lived_experience.exclude(item__in=lived).delete()
    have = set(profile.lived_experience.values_list("item", flat=True))
    LivedExperienceAnswer.objects.bulk_create(
        [LivedExperienceAnswer(profile=profile, item=i) for i in lived if i not in have]
    )
    return profile

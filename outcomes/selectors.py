"""Reads that feed the outcomes pages and panels, with their joins decided here so each
page costs the same number of queries however many results it shows.

Consent is applied here, where results are read for a report: funder reports, impact
reports and exports read `Result.objects.for_funders()`, public stories `.public()`. Nothing
is cached, so a consent change shows everywhere on the next page load."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Prefetch, QuerySet

from accounts.compiled import CompiledQuery
from accounts.models import User
from accounts.roles import joined_values
from action_plans.models import FocusLevel
from cohorts.models import EnrollmentStatus
from curriculum.models import Competency
from reports.access import enrollments_in_view

if TYPE_CHECKING:
    from action_plans.models import ActionPlan
    from cohorts.models import Enrollment
    from reports.access import Scope

    from .access import ImpactScope, ResultPermissions

from .models import Consent, Jurisdiction, Result, ResultFocusLevel, ResultKind


def with_details(results: QuerySet[Result], *, competencies: bool = True) -> QuerySet[Result]:
    """The joins every list of results needs: the fellow, the cohort, levels and (unless
    the page does not show them) competencies."""
    results = results.select_related(
        "plan__enrollment__user", "plan__enrollment__cohort__program", "verified_by"
    ).prefetch_related("focus_levels")
    if competencies:
        results = results.prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.select_related("domain"))
        )
    return results


def plan_results(plan: ActionPlan, permissions: ResultPermissions) -> list[Result]:
    """The results of a plan the viewer may see: all of them for staff, coach and fellow;
    the public ones for anyone else who may read the plan. The panel shows levels, never
    competencies, so only levels are read, in the same query."""
    return _PLAN_RESULTS_QUERY.instances(
        permissions.can_read_all,
        {"plan": plan.pk},
        lambda values: _plan_results_query(values["plan"], permissions.can_read_all),
    )


# Asked on every plan page: its SQL is kept (accounts/compiled.py), one shape per audience.
_PLAN_RESULTS_QUERY = CompiledQuery()


def _plan_results_query(plan_pk: int, can_read_all: bool) -> QuerySet[Result]:
    results = Result.objects.filter(plan_id=plan_pk)
    if not can_read_all:
        results = results.public()
    levels = ResultFocusLevel.objects.filter(result=OuterRef("pk"))
    return results.select_related("verified_by").annotate(
        focus_levels_read=joined_values(levels, "level")
    )


def cohort_results(scope: ImpactScope, *, kind: str = "", unverified: bool = False) -> list[Result]:
    """Every result of the fellows in view (staff: the cohort; a coach: their fellows),
    whatever its consent: this is the working list, not a report."""
    results = Result.objects.filter(plan__enrollment__in=scope.enrollments())
    if kind:
        results = results.filter(kind=kind)
    if unverified:
        results = results.filter(verified_at__isnull=True)
    return list(with_details(results, competencies=False).order_by("-achieved_on", "-pk"))


@dataclass(frozen=True)
class FunderResult:
    """One result as the funder report shows it (plain values: the report lists every
    result of the cohort its fellows let funders see)."""

    code: uuid.UUID
    title: str
    story: str
    kind: str
    kind_label: str
    is_verified: bool
    fellow: str  # the fellow's full name
    enrollment_id: int
    achieved_on: datetime.date
    jurisdiction_label: str
    focus_levels: str  # the labels, in FocusLevel's order, comma-separated
    people_reached: int | None
    reach_source: str


@dataclass
class FunderResults:
    """The results section of the funder report: only what each fellow let funders see."""

    results: list[FunderResult]
    by_kind: list[tuple[str, int]]
    people_reached: int
    verified: int

    @property
    def fellows(self) -> int:
        return len({r.enrollment_id for r in self.results})


_FUNDER_FIELDS = (
    "pk",
    "code",
    "title",
    "story",
    "kind",
    "verified_at",
    "plan__enrollment__user__full_name",
    "plan__enrollment_id",
    "achieved_on",
    "jurisdiction",
    "people_reached",
    "reach_source",
)


# Asked on every funder report: its SQL is kept (accounts/compiled.py), one shape per
# audience (staff, or a coach and their fellows).
_FUNDER_RESULTS_QUERY = CompiledQuery()


def _funder_results_query(values: Mapping[str, Any]) -> QuerySet:
    enrollments = enrollments_in_view(values["cohort_id"], values.get("coach_id")).filter(
        status__in=EnrollmentStatus.with_cohort_access()
    )
    # The report names each result's focus levels, never its competencies. One row per
    # (result, level) rather than a prefetch: the section costs one query.
    return (
        Result.objects.for_funders()
        .filter(plan__enrollment__in=enrollments)
        .values(*_FUNDER_FIELDS, focus_level=F("focus_levels__level"))
        .order_by("kind", "-achieved_on", "-pk")
    )


def funder_report_results(scope: Scope) -> FunderResults:
    """The results of the fellows in the report's scope (a cohort, or a coach's fellows in
    it) that their fellows let funders see."""
    rows = _FUNDER_RESULTS_QUERY.rows(scope.is_staff, scope.query_values(), _funder_results_query)
    kinds, places = dict(ResultKind.choices), dict(Jurisdiction.choices)
    by_pk: dict[int, dict] = {}
    levels: dict[int, set[str]] = {}
    for row in rows:
        by_pk.setdefault(row["pk"], row)
        if row["focus_level"]:
            levels.setdefault(row["pk"], set()).add(row["focus_level"])
    level_labels = FocusLevel.choices
    results = [
        FunderResult(
            code=row["code"],
            title=row["title"],
            story=row["story"],
            kind=row["kind"],
            kind_label=kinds.get(row["kind"], row["kind"]),
            is_verified=row["verified_at"] is not None,
            fellow=row["plan__enrollment__user__full_name"],
            enrollment_id=row["plan__enrollment_id"],
            achieved_on=row["achieved_on"],
            jurisdiction_label=places.get(row["jurisdiction"], row["jurisdiction"]),
            focus_levels=", ".join(
                label for value, label in level_labels if value in levels.get(pk, ())
            ),
            people_reached=row["people_reached"],
            reach_source=row["reach_source"],
        )
        for pk, row in by_pk.items()
    ]
    counts = dict.fromkeys(ResultKind.values, 0)
    for result in results:
        counts[result.kind] += 1
    return FunderResults(
        results=results,
        by_kind=[(label, counts[value]) for value, label in ResultKind.choices if counts[value]],
        people_reached=sum(r.people_reached or 0 for r in results),
        verified=sum(1 for r in results if r.is_verified),
    )


def fellow_result_counts(enrollment: Enrollment) -> dict:
    """The fellow's own results: how many, and how many each consent level covers."""
    rows = dict(
        Result.objects.filter(plan__enrollment=enrollment)
        .values_list("consent")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "total": sum(rows.values()),
        "rows": [(label, rows.get(value, 0)) for value, label in Consent.choices],
    }


# --- Exports ----------------------------------------------------------------------------------


def results_export(*, scope: ImpactScope, by: User) -> tuple[list[str], object]:
    """The header and rows of the results CSV of an impact scope (only results the fellows
    let funders see). The view has checked `by` may read the scope; the export names
    fellows, so it is a sensitive action in its own right."""
    from .impact import EXPORT_HEADER, export_rows  # impact reads this module

    return EXPORT_HEADER, export_rows(scope)

"""Competency growth: average self-rating by domain at baseline and at the latest phase that
has ratings (curriculum's rule, `curriculum.selectors.growth_rows`), read as one grouped
query of the framework's domains joined to their ratings, with each phase's average (an
aggregate filtered by phase) and the scale's top as columns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Avg, Max, OuterRef, Q, QuerySet, Subquery

from accounts.compiled import CompiledQuery
from curriculum.models import AssessmentPhase, CompetencyDomain, ProficiencyLevel
from curriculum.selectors import PHASE_ORDER, GrowthRow

from ..access import Scope, enrollments_in_view


@dataclass
class GrowthFigures:
    rows: list[GrowthRow]  # domain, baseline, latest, change
    latest_phase: str | None
    scale_max: int

    @property
    def latest_label(self) -> str:
        return AssessmentPhase(self.latest_phase).label if self.latest_phase else "Latest"

    @property
    def has_data(self) -> bool:
        return any(r.baseline is not None or r.latest is not None for r in self.rows)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def growth(scope: Scope) -> GrowthFigures:
    framework = scope.cohort.framework
    if framework is None:
        return GrowthFigures([], None, 5)
    values = scope.query_values(framework_id=framework.pk)
    # Compiled once per kind of viewer (accounts/compiled.py): building its filtered averages
    # cost more CPU than running them.
    domains = []
    for row in _DOMAINS.rows(scope.is_staff, values, _domains_query):
        domain = CompetencyDomain.from_db(
            DEFAULT_DB_ALIAS, _DOMAIN_FIELDS, [row[name] for name in _DOMAIN_FIELDS]
        )
        domains.append((domain, row))
    later = [p for p in PHASE_ORDER[1:] if any(row[f"avg_{p}"] is not None for _, row in domains)]
    latest_phase = later[-1] if later else None
    rows = [
        GrowthRow(
            domain,
            _round(row[f"avg_{AssessmentPhase.BASELINE}"]),
            _round(row[f"avg_{latest_phase}"]) if latest_phase else None,
        )
        for domain, row in domains
    ]
    scale_max = (domains[0][1]["scale_max"] if domains else None) or 5
    return GrowthFigures(rows, latest_phase, scale_max)


_DOMAINS = CompiledQuery()
_DOMAIN_FIELDS = [field.attname for field in CompetencyDomain._meta.concrete_fields]


def _domains_query(values: Mapping[str, Any]) -> QuerySet:
    """The framework's domains with each phase's average of the cohort's fellows in view."""
    # One pass over the framework's ratings: each phase's average is an aggregate of the
    # same join, limited to this cohort's fellows in view (a correlated average per domain
    # and phase read the ratings once per cell).
    rated = "competencies__ratings__"
    in_view = Q(
        **{
            f"{rated}assessment__window__cohort_id": values["cohort_id"],
            f"{rated}assessment__enrollment__in": enrollments_in_view(
                values["cohort_id"], values.get("coach_id")
            ),
        }
    )
    top = (
        ProficiencyLevel.objects.filter(framework=OuterRef("framework"))
        .order_by()
        .values("framework")
        .annotate(top=Max("value"))
        .values("top")
    )
    averages = {
        f"avg_{phase}": Avg(
            f"{rated}level__value",
            filter=in_view & Q(**{f"{rated}assessment__window__phase": phase}),
        )
        for phase in PHASE_ORDER
    }
    return (
        CompetencyDomain.objects.filter(framework_id=values["framework_id"])
        .annotate(scale_max=Subquery(top), **averages)
        .order_by("order", "name")
        .values(*_DOMAIN_FIELDS, "scale_max", *averages)
    )

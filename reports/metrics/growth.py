"""Competency growth: average self-rating by domain at baseline and at the latest phase that
has ratings (curriculum's rule, `curriculum.selectors.growth_rows`), read as one grouped
query of the framework's domains joined to their ratings, with each phase's average (an
aggregate filtered by phase) and the scale's top as columns."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Max, OuterRef, Q, Subquery

from curriculum.models import AssessmentPhase, CompetencyDomain, ProficiencyLevel
from curriculum.selectors import PHASE_ORDER, GrowthRow

from ..access import Scope


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
    # One pass over the framework's ratings: each phase's average is an aggregate of the
    # same join, limited to this cohort's fellows in view (a correlated average per domain
    # and phase read the ratings once per cell).
    rated = "competencies__ratings__"
    in_view = Q(
        **{
            f"{rated}assessment__window__cohort": scope.cohort,
            f"{rated}assessment__enrollment__in": scope.enrollments(),
        }
    )
    top = (
        ProficiencyLevel.objects.filter(framework=OuterRef("framework"))
        .order_by()
        .values("framework")
        .annotate(top=Max("value"))
        .values("top")
    )
    domains = list(
        CompetencyDomain.objects.filter(framework=framework)
        .annotate(
            scale_max=Subquery(top),
            **{
                f"avg_{phase}": Avg(
                    f"{rated}level__value",
                    filter=in_view & Q(**{f"{rated}assessment__window__phase": phase}),
                )
                for phase in PHASE_ORDER
            },
        )
        .order_by("order", "name")
    )
    later = [p for p in PHASE_ORDER[1:] if any(getattr(d, f"avg_{p}") is not None for d in domains)]
    latest_phase = later[-1] if later else None
    rows = [
        GrowthRow(
            d,
            _round(getattr(d, f"avg_{AssessmentPhase.BASELINE}")),
            _round(getattr(d, f"avg_{latest_phase}")) if latest_phase else None,
        )
        for d in domains
    ]
    scale_max = (getattr(domains[0], "scale_max", None) if domains else None) or 5
    return GrowthFigures(rows, latest_phase, scale_max)

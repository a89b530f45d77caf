"""Focus levels year over year (PRODUCT.md, program 5): for a program across its cohorts, or
for every program a staff member runs, how many plans work at each level (patient,
organizational, community, societal), the milestones of those plans and how many are done,
and the results at that level, per year.

A year is the year its cohort starts (two cohorts of one program starting in the same year
count together). Plans count for active fellows and alumni, as on the program view; results
count as in the impact report: those the fellow let funders see, whoever recorded them. A
plan or a result working at several levels counts once at each, so the levels do not add up
to the plans. Three queries whatever the data: plans and milestones per cohort and level,
plans per cohort, results per cohort and level."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from action_plans.models import ActionPlan, FocusLevel, MilestoneStatus, PlanFocusLevel
from cohorts.models import EnrollmentStatus, Program
from cohorts.terms import DEFAULT_TERMS, Terms
from reports.charts import Chart, bar_chart

from .access import ImpactScope
from .models import Consent, ResultFocusLevel

ACCESS = EnrollmentStatus.with_cohort_access()


@dataclass
class LevelFigures:
    plans: int = 0
    milestones: int = 0
    done: int = 0
    results: int = 0

    @property
    def percent_done(self) -> int | None:
        return round(100 * self.done / self.milestones) if self.milestones else None

    def add(self, other: LevelFigures) -> None:
        self.plans += other.plans
        self.milestones += other.milestones
        self.done += other.done
        self.results += other.results


@dataclass
class YearLine:
    """One year of one program (or of every program): its cohorts, plans in all, and the
    figures of each level in FocusLevel's order."""

    year: int
    cohorts: list = field(default_factory=list)
    plans: int = 0  # every plan of the year, with a level or not
    with_level: int = 0  # of which name at least one level
    levels: dict[str, LevelFigures] = field(default_factory=dict)

    def __post_init__(self):
        for value in FocusLevel.values:
            self.levels.setdefault(value, LevelFigures())

    @property
    def rows(self) -> list[tuple[str, str, LevelFigures]]:
        labels = dict(FocusLevel.choices)
        return [(value, labels[value], self.levels[value]) for value in FocusLevel.values]

    @property
    def without_level(self) -> int:
        return self.plans - self.with_level


@dataclass
class LevelReport:
    scope: ImpactScope
    years: list[YearLine]  # oldest first, across the scope's programs
    by_program: list[tuple[Program, list[YearLine]]]  # only when the scope spans several
    charts: dict[str, Chart] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(
            line.plans or any(f.results for f in line.levels.values()) for line in self.years
        )


def level_report(scope: ImpactScope, terms: Terms = DEFAULT_TERMS) -> LevelReport:
    cohorts = {c.pk: c for c in scope.cohorts}
    plan_rows = (
        PlanFocusLevel.objects.filter(
            plan__enrollment__cohort_id__in=cohorts, plan__enrollment__status__in=ACCESS
        )
        .values("plan__enrollment__cohort_id", "level")
        .annotate(
            plans=Count("plan", distinct=True),
            milestones=Count("plan__goals__milestones"),
            done=Count(
                "plan__goals__milestones",
                filter=Q(plan__goals__milestones__status=MilestoneStatus.DONE),
            ),
        )
        .order_by()
    )
    plan_totals = (
        ActionPlan.objects.filter(enrollment__cohort_id__in=cohorts, enrollment__status__in=ACCESS)
        .values("enrollment__cohort_id")
        .annotate(
            plans=Count("pk", distinct=True),
            with_level=Count("pk", filter=Q(focus_levels__isnull=False), distinct=True),
        )
        .order_by()
    )
    result_rows = (
        ResultFocusLevel.objects.filter(
            result__plan__enrollment__cohort_id__in=cohorts,
            result__consent__in=Consent.for_funders(),
        )
        .values("result__plan__enrollment__cohort_id", "level")
        .annotate(results=Count("result", distinct=True))
        .order_by()
    )

    # Per cohort first, then summed into years (per program and over all of them).
    per_cohort: dict[int, dict[str, LevelFigures]] = defaultdict(lambda: defaultdict(LevelFigures))
    totals: dict[int, tuple[int, int]] = {}
    for row in plan_rows:
        figures = per_cohort[row["plan__enrollment__cohort_id"]][row["level"]]
        figures.plans, figures.milestones, figures.done = (
            row["plans"],
            row["milestones"],
            row["done"],
        )
    for row in plan_totals:
        totals[row["enrollment__cohort_id"]] = (row["plans"], row["with_level"])
    for row in result_rows:
        per_cohort[row["result__plan__enrollment__cohort_id"]][row["level"]].results = row[
            "results"
        ]

    def years_of(cohort_list) -> list[YearLine]:
        lines: dict[int, YearLine] = {}
        for cohort in sorted(cohort_list, key=lambda c: (c.start_date, c.pk)):
            line = lines.setdefault(cohort.start_date.year, YearLine(year=cohort.start_date.year))
            line.cohorts.append(cohort)
            plans, with_level = totals.get(cohort.pk, (0, 0))
            line.plans += plans
            line.with_level += with_level
            for level, figures in per_cohort.get(cohort.pk, {}).items():
                line.levels[level].add(figures)
        return [lines[year] for year in sorted(lines)]

    by_program = []
    if len(scope.programs) > 1:
        for program in scope.programs:
            mine = [c for c in scope.cohorts if c.program_id == program.pk]
            by_program.append((program, years_of(mine)))
    report = LevelReport(scope=scope, years=years_of(scope.cohorts), by_program=by_program)
    plans = f"{terms.plan_short}s"
    report.charts = {
        "plans_chart": _chart(
            report.years,
            chart_id="level-plans-chart",
            title=f"{plans.capitalize()} by focus level, year over year",
            what=f"{plans} working at each level",
            value=lambda f: f.plans,
        ),
        "results_chart": _chart(
            report.years,
            chart_id="level-results-chart",
            title="Results by focus level, year over year",
            what=f"results at each level that {terms.participants} let funders see",
            value=lambda f: f.results,
        ),
    }
    return report


def _chart(years: list[YearLine], *, chart_id, title, what, value) -> Chart:
    """One group of four bars per year (a pattern per level, in the levels' order)."""
    rows = [
        (str(line.year), [(value(f), f"{value(f)} {label.lower()}") for _v, label, f in line.rows])
        for line in years
    ]
    top = max((value(f) for line in years for f in line.levels.values()), default=0)
    ceiling = max(top, 1)
    return bar_chart(
        id=chart_id,
        title=title,
        description=(
            f"Number of {what}, one group per year, oldest first: patient (solid), "
            "organizational (hatched), community (dotted), societal (outlined)."
        ),
        row_header="Year",
        series=FocusLevel.labels,
        rows=rows,
        max_value=ceiling,
        ticks=sorted({0, ceiling // 2, ceiling}) if ceiling > 1 else [0, 1],
    )


# --- CSV export ----------------------------------------------------------------------------


def export_header(terms: Terms = DEFAULT_TERMS) -> list[str]:
    plans = f"{terms.plan_short}s".capitalize()
    return [
        "Program",
        "Year",
        "Cohorts",
        "Focus level",
        plans,
        "Milestones",
        "Milestones done",
        "Results",
    ]


def export_rows(report: LevelReport):
    """One row per program, year and level (every program of the scope, even alone)."""
    programs = report.by_program or [(report.scope.programs[0], report.years)]
    for program, years in programs:
        for line in years:
            cohorts = "; ".join(c.name for c in line.cohorts)
            for _value, label, figures in line.rows:
                yield [
                    program.name,
                    line.year,
                    cohorts,
                    label,
                    figures.plans,
                    figures.milestones,
                    figures.done,
                    figures.results,
                ]

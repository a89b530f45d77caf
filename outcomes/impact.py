"""The impact report: what changed because of a cohort, a program across its years, or every
program a staff member runs. Computed from the results fellows let funders see
(`Consent.for_funders()`); stories only from the ones they made public. A fixed number of
queries whatever the number of results: rows come from one query each, the rest is
arithmetic in Python."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from action_plans.models import FocusLevel
from cohorts.models import EnrollmentStatus
from reports.charts import Chart, count_chart
from reports.suppression import Table

from .access import ImpactScope
from .demographics import Dimension, Measure, cross_table, disaggregate, people_groups
from .models import Consent, Jurisdiction, Result, ResultKind
from .selectors import with_details
from .tilemap import TileMap, tile_map

MAX_QUARTERS = 12  # a longer span is shown by year


@dataclass
class CohortLine:
    cohort: object
    fellows: int
    reporting: int
    results: int
    people_reached: int


@dataclass
class ImpactReport:
    scope: ImpactScope
    results: list[Result]
    left_out: int  # results the fellows keep internal: counted nowhere in the report
    fellows: int
    reporting: int
    by_kind: list[tuple[str, int]]
    by_level: list[tuple[str, int]]
    by_place: list[tuple[str, str, int]]  # (code, name, results), most first
    over_time: list[tuple[str, int]]
    stories: list[Result]
    reached: list[Result]  # results with an estimate of people reached, largest first
    by_cohort: list[CohortLine] = field(default_factory=list)
    charts: dict[str, Chart] = field(default_factory=dict)
    map: TileMap | None = None
    dimension: Dimension | None = None
    tables: list[Table] = field(default_factory=list)

    @property
    def people_reached(self) -> int:
        return sum(r.people_reached or 0 for r in self.results)

    @property
    def verified(self) -> int:
        return sum(1 for r in self.results if r.is_verified)

    @property
    def national(self) -> int:
        return next((n for code, _name, n in self.by_place if code == Jurisdiction.NATIONAL), 0)

    @property
    def places(self) -> int:
        return sum(1 for code, _name, n in self.by_place if n and code != Jurisdiction.NATIONAL)


def _period(day: datetime.date, by_year: bool) -> tuple[int, int]:
    return (day.year, 0) if by_year else (day.year, (day.month - 1) // 3 + 1)


def _period_label(period: tuple[int, int]) -> str:
    year, quarter = period
    return str(year) if quarter == 0 else f"{year} Q{quarter}"


def _next(period: tuple[int, int]) -> tuple[int, int]:
    year, quarter = period
    if quarter == 0:
        return (year + 1, 0)
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def over_time(days: list[datetime.date]) -> list[tuple[str, int]]:
    """Results per quarter from the first to the last (every quarter between, even empty);
    per year when that would be more than MAX_QUARTERS quarters."""
    if not days:
        return []
    first, last = min(days), max(days)
    by_year = (last.year - first.year) * 4 + (last.month - first.month) // 3 >= MAX_QUARTERS
    counts = Counter(_period(day, by_year) for day in days)
    period, end = _period(first, by_year), _period(last, by_year)
    rows = []
    while period <= end:
        rows.append((_period_label(period), counts.get(period, 0)))
        period = _next(period)
    return rows


def impact_report(scope: ImpactScope, dimension: Dimension | None = None) -> ImpactReport:
    every = list(with_details(scope.results(), competencies=False).order_by("-achieved_on", "-pk"))
    results = [r for r in every if r.in_funder_reports]
    enrollments = list(
        scope.enrollments()
        .filter(status__in=EnrollmentStatus.with_cohort_access())
        .values_list("pk", "user_id", "cohort_id")
    )
    kinds = Counter(r.kind for r in results)
    levels = Counter(level for r in results for level in r.focus_level_values())
    places = Counter(r.jurisdiction for r in results)
    place_names = dict(Jurisdiction.choices)
    reporting = {r.plan.enrollment.user_id for r in results}
    report = ImpactReport(
        scope=scope,
        results=results,
        left_out=len(every) - len(results),
        fellows=len({user_id for _pk, user_id, _c in enrollments}),
        reporting=len(reporting),
        by_kind=[(label, kinds[value]) for value, label in ResultKind.choices],
        by_level=[(label, levels[value]) for value, label in FocusLevel.choices],
        by_place=sorted(
            ((code, place_names[code], n) for code, n in places.items()),
            key=lambda row: (-row[2], row[1]),
        ),
        over_time=over_time([r.achieved_on for r in results]),
        stories=[r for r in results if r.is_public],
        reached=sorted(
            (r for r in results if r.people_reached is not None),
            key=lambda r: (-(r.people_reached or 0), r.title),
        ),
    )
    if scope.kind != "cohort":
        report.by_cohort = _by_cohort(scope, results, enrollments)
    report.charts = _charts(report)
    report.map = tile_map(
        {code: n for code, n in places.items() if code != Jurisdiction.NATIONAL},
        id="place-map",
        title="Results by state or territory",
    )
    if dimension is not None:
        report.dimension = dimension
        among = scope.enrollments().values("user_id")
        report.tables = _equity_tables(results, enrollments, dimension, among)
    return report


def _by_cohort(scope, results, enrollments) -> list[CohortLine]:
    fellows = defaultdict(set)
    for _pk, user_id, cohort_id in enrollments:
        fellows[cohort_id].add(user_id)
    per_cohort = defaultdict(list)
    for r in results:
        per_cohort[r.plan.enrollment.cohort_id].append(r)
    return [
        CohortLine(
            cohort=cohort,
            fellows=len(fellows[cohort.pk]),
            reporting=len({r.plan.enrollment.user_id for r in per_cohort[cohort.pk]}),
            results=len(per_cohort[cohort.pk]),
            people_reached=sum(r.people_reached or 0 for r in per_cohort[cohort.pk]),
        )
        for cohort in scope.cohorts
    ]


def _charts(report: ImpactReport) -> dict[str, Chart]:
    return {
        "kind_chart": count_chart(
            chart_id="kind-chart",
            title="Results by kind",
            description="Number of results of each kind.",
            row_header="Kind of result",
            counts=report.by_kind,
            series="Results",
        ),
        "level_chart": count_chart(
            chart_id="level-chart",
            title="Results by level",
            description="Number of results at each level (a result may work at several).",
            row_header="Level",
            counts=report.by_level,
            series="Results",
        ),
        "time_chart": count_chart(
            chart_id="time-chart",
            title="Results over time",
            description="Number of results by the date they happened, oldest first.",
            row_header="Period",
            counts=report.over_time,
            series="Results",
        ),
    }


def _equity_tables(results, enrollments, dimension: Dimension, among) -> list[Table]:
    people: dict[int, dict] = {
        user_id: {"results": 0, "reached": 0} for _pk, user_id, _c in enrollments
    }
    items = []
    for r in results:
        person = people.setdefault(r.plan.enrollment.user_id, {"results": 0, "reached": 0})
        person["results"] += 1
        person["reached"] += r.people_reached or 0
        items.append((r.plan.enrollment.user_id, r.kind, 1))
    measures = [
        Measure("Fellows", lambda p: 1, lambda p: True),
        Measure(
            "Fellows with a result", lambda p: int(p["results"] > 0), lambda p: p["results"] > 0
        ),
        Measure("Results", lambda p: p["results"], lambda p: p["results"] > 0),
        Measure("People reached", lambda p: p["reached"], lambda p: p["reached"] > 0),
    ]
    membership = people_groups(people.keys(), dimension, among=among)
    summary = disaggregate(
        people,
        dimension,
        measures,
        title=f"Fellows and results by {dimension.label.lower()}",
        membership=membership,
    )
    kinds = cross_table(
        items,
        membership,
        dimension,
        list(ResultKind.choices),
        title=f"Results by kind and {dimension.label.lower()}",
    )
    return [summary, kinds]


# --- CSV export ----------------------------------------------------------------------------

EXPORT_HEADER = [
    "Program",
    "Cohort",
    "Fellow",
    "Kind",
    "Title",
    "Date",
    "Where",
    "Levels",
    "People reached",
    "Source of the estimate",
    "Evidence link",
    "Verified",
    "Consent",
    "Competencies",
    "What changed",
]


# The file's order, shared by the three reads of the export so they can be walked together.
_EXPORT_ORDER = ("plan__enrollment__cohort__start_date", "-achieved_on", "pk")
_EXPORT_COLUMNS = (
    "pk",
    "plan__enrollment__cohort__program__name",
    "plan__enrollment__cohort__name",
    "plan__enrollment__user__full_name",
    "kind",
    "title",
    "achieved_on",
    "jurisdiction",
    "people_reached",
    "reach_source",
    "evidence_url",
    "verified_at",
    "consent",
    "story",
)


def _many(results, *order: str) -> Iterator[tuple[int, list]]:
    """(result pk, its values of a many-valued column) in the export's order, through one
    cursor; results without any are left out."""
    column = order[-1]
    rows = (
        results.filter(**{f"{column}__isnull": False})
        .order_by(*_EXPORT_ORDER, *order)
        .values_list("pk", column)
    )
    for pk, group in groupby(rows.iterator(), key=itemgetter(0)):
        yield pk, [value for _pk, value in group]


def export_rows(scope: ImpactScope) -> Iterator[list]:
    """One row per result the fellow let funders see (the same rule as the report). Three
    queries whatever the number of results, read as plain values through cursors walked
    side by side (the results, their levels, their competencies): memory stays flat."""
    results = scope.results().for_funders()
    rows = results.order_by(*_EXPORT_ORDER).values_list(*_EXPORT_COLUMNS)
    levels = _many(results, "focus_levels__level")
    competencies = _many(
        results, "competencies__domain__order", "competencies__order", "competencies__name"
    )
    next_levels, next_competencies = next(levels, None), next(competencies, None)
    kinds, places = dict(ResultKind.choices), dict(Jurisdiction.choices)
    consents, level_labels = dict(Consent.choices), dict(FocusLevel.choices)
    for pk, program, cohort, fellow, kind, title, achieved_on, place, *rest in rows.iterator():
        reached, source, evidence, verified_at, consent, story = rest
        chosen: list = []
        if next_levels is not None and next_levels[0] == pk:
            chosen, next_levels = next_levels[1], next(levels, None)
        named: list = []
        if next_competencies is not None and next_competencies[0] == pk:
            named, next_competencies = next_competencies[1], next(competencies, None)
        yield [
            program,
            cohort,
            fellow,
            kinds.get(kind, kind),
            title,
            achieved_on.isoformat(),
            places.get(place, place),
            "; ".join(level_labels[v] for v in FocusLevel.values if v in chosen),
            "" if reached is None else reached,
            source,
            evidence,
            "yes" if verified_at is not None else "no",
            consents.get(consent, consent),
            "; ".join(named),
            story,
        ]

"""Figures broken down by the demographics fellows chose to tell, for program staff only.
Every table goes through `reports.suppression.suppress`: no cell about fewer than 5
people is shown, nor one that could be worked out from the totals.

How people are grouped, per question:

* **Race and ethnicity**: one group per person. Someone who chose one category is counted in
  it; someone who chose several, once, under "More than one race or ethnicity" (the federal
  standard's Multiracial and/or Multiethnic); then "Prefer not to say" and "Not answered".
* **Gender** and **career sector**: the answer given, "Prefer not to say", or "Not answered".
* **Lived experience**: a person is counted under every item they chose, so these groups
  overlap and their rows do not add up to the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from accounts.compiled import CompiledQuery
from action_plans.models import PlanStatus
from cohorts.models import EnrollmentStatus
from reports.access import enrollments_in_view
from reports.suppression import Cell, Table, suppress

from .models import (
    PREFER_NOT,
    CareerSector,
    DemographicProfile,
    Gender,
    LivedExperience,
    RaceEthnicity,
    Result,
)

NOT_ANSWERED = ("not_answered", "Not answered")
MULTIPLE = ("multiple", "More than one race or ethnicity")
NONE_CHOSEN = ("none_chosen", "None of those listed")


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    groups: tuple[tuple[str, str], ...]
    partition: bool  # every person is in exactly one group

    def group_label(self, key: str) -> str:
        return dict(self.groups)[key]


def _choices(choices) -> tuple[tuple[str, str], ...]:
    return tuple((value, label) for value, label in choices.choices if value != PREFER_NOT)


PREFER = (PREFER_NOT, "Prefer not to say")

DIMENSIONS: dict[str, Dimension] = {
    "race": Dimension(
        "race",
        "Race and ethnicity",
        (*_choices(RaceEthnicity), MULTIPLE, PREFER, NOT_ANSWERED),
        partition=True,
    ),
    "gender": Dimension(
        "gender", "Gender", (*_choices(Gender), PREFER, NOT_ANSWERED), partition=True
    ),
    "lived": Dimension(
        "lived",
        "Lived experience",
        (*_choices(LivedExperience), NONE_CHOSEN, PREFER, NOT_ANSWERED),
        partition=False,
    ),
    "sector": Dimension(
        "sector", "Career sector", (*_choices(CareerSector), PREFER, NOT_ANSWERED), partition=True
    ),
}


def dimension_for(key: str | None) -> Dimension | None:
    return DIMENSIONS.get(key or "")


def groups_for(dimension: Dimension, answered: bool, values: list[str]) -> list[str]:
    """The groups a person is counted in (exactly one for a partition), from whether they
    answered at all and what they chose for this question."""
    if not answered:
        return [NOT_ANSWERED[0]]
    if dimension.key == "race":
        if not values:
            return [NOT_ANSWERED[0]]
        return [values[0]] if len(values) == 1 else [MULTIPLE[0]]
    if dimension.key == "lived":
        return sorted(values) or [NONE_CHOSEN[0]]
    return [values[0]] if values else [NOT_ANSWERED[0]]


ANSWER_FIELDS = {
    "race": "race_ethnicity__category",
    "lived": "lived_experience__item",
    "gender": "gender",
    "sector": "career_sector",
}


def people_groups(user_ids, dimension: Dimension, *, among=None) -> dict[int, list[str]]:
    """user id → the groups they are counted in. One query whatever the number of people;
    `among` (a queryset of user ids) filters in SQL instead of a long list of ids."""
    user_ids = list(user_ids)
    rows = DemographicProfile.objects.filter(
        user_id__in=among if among is not None else user_ids
    ).values_list("user_id", ANSWER_FIELDS[dimension.key])
    return _groups_from_answers(user_ids, dimension, rows)


def _groups_from_answers(
    user_ids: list[int], dimension: Dimension, rows: Iterable[tuple[int, str | None]]
) -> dict[int, list[str]]:
    """`people_groups` from the rows of (user id, answer) it reads."""
    answered, values = set(), defaultdict(list)
    for user_id, value in rows:
        answered.add(user_id)
        if value:
            values[user_id].append(value)
    return {uid: groups_for(dimension, uid in answered, sorted(values[uid])) for uid in user_ids}


@dataclass(frozen=True)
class Measure:
    """One column of a disaggregated table: for each person, the value they add and whether
    they count among the column's people."""

    label: str
    value_of: Callable[[Any], int]
    counts_person: Callable[[Any], bool]


def disaggregate(
    people: Mapping[int, Any],
    dimension: Dimension,
    measures: list[Measure],
    *,
    title: str,
    membership: dict[int, list[str]] | None = None,
) -> Table:
    """Groups × measures, with a totals row; suppressed. `people`: user id → what the
    measures read about that person; `membership` (from `people_groups`) if already read."""
    if membership is None:
        membership = people_groups(people.keys(), dimension)
    rows = []
    for key, _label in dimension.groups:
        members = [uid for uid, groups in membership.items() if key in groups]
        rows.append([_measure_cell(measure, members, people) for measure in measures])
    totals = [_measure_cell(measure, list(people), people) for measure in measures]
    table = Table(
        row_labels=[label for _key, label in dimension.groups],
        column_labels=[m.label for m in measures],
        cells=rows,
        column_totals=totals,
        columns_add_up=dimension.partition,
        title=title,
        row_header=dimension.label,
        total_label="All fellows",
    )
    if not dimension.partition:
        table.notes.append("A person may be counted in several rows, so rows do not add up.")
    return suppress(table)


def _counted(test: Callable[[Any], bool]) -> Callable[[Any], int]:
    """A yes/no test as a value to add up: 1 for each person it holds for."""
    return lambda person: int(test(person))


def _measure_cell(measure: Measure, members: list[int], people: Mapping[int, Any]) -> Cell:
    counted = [uid for uid in members if measure.counts_person(people[uid])]
    value = sum(measure.value_of(people[uid]) for uid in members)
    return Cell(value=value, people=len(counted))


def cross_table(
    items: list[tuple[int, str, int]],
    membership: dict[int, list[str]],
    dimension: Dimension,
    columns: list[tuple[str, str]],
    *,
    title: str,
) -> Table:
    """Groups × categories of things people did (`items`: (user id, category, amount)),
    with row, column and grand totals; each cell knows how many people it is about.
    `membership`: user id → groups, from `people_groups`."""
    keys = [key for key, _label in columns]
    # (group, category); None stands for every group or every category.
    amount: defaultdict[tuple[str | None, str | None], int] = defaultdict(int)
    who: defaultdict[tuple[str | None, str | None], set[int]] = defaultdict(set)
    for uid, category, n in items:
        for group in membership.get(uid, []):
            amount[group, category] += n
            who[group, category].add(uid)
            who[group, None].add(uid)
        amount[None, category] += n
        who[None, category].add(uid)
        who[None, None].add(uid)
    cells = [
        [Cell(amount[group, k], len(who[group, k])) for k in keys] for group, _l in dimension.groups
    ]
    row_totals = [
        Cell(sum(amount[group, k] for k in keys), len(who[group, None]))
        for group, _l in dimension.groups
    ]
    column_totals = [Cell(amount[None, k], len(who[None, k])) for k in keys]
    grand = Cell(sum(amount[None, k] for k in keys), len(who[None, None]))
    table = Table(
        row_labels=[label for _key, label in dimension.groups],
        column_labels=[label for _key, label in columns],
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        grand_total=grand,
        rows_add_up=True,
        columns_add_up=dimension.partition,
        title=title,
        row_header=dimension.label,
        total_label="All fellows",
    )
    if not dimension.partition:
        table.notes.append("A person may be counted in several rows, so rows do not add up.")
    return suppress(table)


# The cohort dashboard asks these two on every load: compiled once per process and shape
# (accounts/compiled.py), then run again with each cohort's id.
_DASHBOARD_PEOPLE = CompiledQuery()
_DASHBOARD_ANSWERS = CompiledQuery()


def _dashboard_people(values: Mapping[str, Any]) -> QuerySet:
    return (
        enrollments_in_view(values["cohort_id"], values.get("coach_id"))
        .exclude(status=EnrollmentStatus.INVITED)
        .annotate(has_result=Exists(Result.objects.filter(plan__enrollment=OuterRef("pk"))))
        .values("user_id", "status", "action_plan__status", "has_result")
    )


def _dashboard_answers(field: str) -> Callable[[Mapping[str, Any]], QuerySet]:
    def build(values: Mapping[str, Any]) -> QuerySet:
        among = enrollments_in_view(values["cohort_id"], values.get("coach_id")).values("user_id")
        return DemographicProfile.objects.filter(user_id__in=among).values("user_id", field)

    return build


def dashboard_table(scope, dimension: Dimension) -> Table:
    """The cohort dashboard by group: fellows on the roster (invited ones not yet), still in
    or completed, withdrawn, with an approved plan, with a result recorded."""
    values = scope.query_values()
    rows = _DASHBOARD_PEOPLE.rows(scope.is_staff, values, _dashboard_people)
    people = {
        row["user_id"]: {
            "status": row["status"],
            "plan": row["action_plan__status"],
            "result": row["has_result"],
        }
        for row in rows
    }
    field = ANSWER_FIELDS[dimension.key]
    answers = _DASHBOARD_ANSWERS.rows((scope.is_staff, field), values, _dashboard_answers(field))
    membership = _groups_from_answers(
        list(people), dimension, [(row["user_id"], row[field]) for row in answers]
    )
    staying = EnrollmentStatus.with_cohort_access()
    approved = [PlanStatus.APPROVED, PlanStatus.COMPLETED]
    tests = [
        ("Fellows", lambda p: True),
        ("Active or completed", lambda p: p["status"] in staying),
        ("Withdrew", lambda p: p["status"] == EnrollmentStatus.WITHDRAWN),
        ("Plan approved", lambda p: p["plan"] in approved),
        ("Recorded a result", lambda p: bool(p["result"])),
    ]
    return disaggregate(
        people,
        dimension,
        [Measure(label, _counted(test), test) for label, test in tests],
        title=f"Fellows by {dimension.label.lower()}",
        membership=membership,
    )

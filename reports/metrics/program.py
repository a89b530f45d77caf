"""The program view: the same headline figures for every cohort of a program, each counting
on its own day, in a fixed number of grouped queries whatever the number of cohorts."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum

from accounts.compiled import CompiledQuery
from action_plans.models import ActionPlan, MilestoneStatus, PlanStatus
from coaching.entitlement import used_amount
from coaching.models import CoachAssignment, CoachingSession
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program
from curriculum.models import AssessmentPhase, Attendance, AttendanceStatus, Rating
from curriculum.selectors import RateRow

from .at_risk import at_risk_counts
from .common import ACCESS, percent, tidy


@dataclass
class CohortHeadline:
    cohort: Cohort
    statuses: dict[str, int]
    attendance: RateRow
    coaching_sessions: int
    coaching_minutes: int
    entitled: Decimal
    used: Decimal
    without_coach: int
    plans: dict[str, int]
    milestones: int
    milestones_done: int
    milestones_overdue: int
    baseline: float | None
    latest: float | None
    at_risk: int = 0  # active fellows with at least one at-risk reason

    @property
    def fellows(self) -> int:
        return sum(self.statuses.get(s, 0) for s in ACCESS)

    @property
    def coaching_hours(self) -> Decimal:
        return tidy(used_amount("hours", 0, self.coaching_minutes))

    @property
    def percent_used(self) -> int | None:
        return percent(self.used, self.entitled)

    @property
    def percent_done(self) -> int | None:
        return percent(self.milestones_done, self.milestones)

    @property
    def plans_approved(self) -> int:
        return self.plans.get(PlanStatus.APPROVED, 0) + self.plans.get(PlanStatus.COMPLETED, 0)

    @property
    def growth(self) -> float | None:
        if self.baseline is None or self.latest is None:
            return None
        return round(self.latest - self.baseline, 1)


def program_headlines(program: Program, now: datetime.datetime) -> list[CohortHeadline]:
    """The same headline figures for every cohort of the program, oldest first: seven
    queries whatever the number of cohorts or fellows. Each cohort counts on its own day."""
    cohorts = list(program.cohorts.order_by("start_date", "pk"))
    todays = {c.pk: c.local_date(now) for c in cohorts}
    at_risk_by_cohort = at_risk_counts(program, cohorts, now)
    # Each grouped query is compiled once (accounts/compiled.py), the plans' per number of
    # cohorts: building them cost more CPU than running them.
    values: dict[str, Any] = {"program_id": program.pk, "now": now}
    for i, (pk, day) in enumerate(todays.items()):
        values[f"cohort_{i}"], values[f"today_{i}"] = pk, day

    # Fellows by status and, in the same query, the active ones without a coach.
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    without_coach: Counter[int] = Counter()
    for row in _STATUSES.rows("statuses", values, _statuses_query):
        statuses[row["cohort_id"]][row["status"]] = row["n"]
        without_coach[row["cohort_id"]] += row["without"]

    marks = {row["session__cohort_id"]: row for row in _MARKS.rows("marks", values, _marks_query)}
    coaching_totals = {
        row["enrollment__cohort_id"]: row
        for row in _COACHING.rows("coaching", values, _coaching_query)
    }

    # Plans by status and, in the same query, their milestones (each cohort on its own day).
    plan_counts: dict[int, dict[str, int]] = defaultdict(dict)
    milestones: dict[int, Counter[str]] = defaultdict(Counter)
    for row in _PLANS.rows(len(todays), values, _plans_query):
        cohort_id = row["enrollment__cohort_id"]
        plan_counts[cohort_id][row["status"]] = row["n"]
        for key in ("total", "done", "overdue"):
            milestones[cohort_id][key] += row[key]

    averages: dict[int, dict[str, float]] = defaultdict(dict)
    for row in _AVERAGES.rows("averages", values, _averages_query):
        averages[row["assessment__window__cohort_id"]][row["assessment__window__phase"]] = row[
            "avg"
        ]

    unit = program.coaching_entitlement_unit
    amount = Decimal(program.coaching_entitlement_amount)
    empty_marks = dict.fromkeys(AttendanceStatus.values, 0)
    headlines = []
    for cohort in cohorts:
        cohort.program = program
        status_counts = statuses.get(cohort.pk, {})
        coach_row = coaching_totals.get(cohort.pk, {"n": 0, "minutes": 0})
        m = milestones.get(cohort.pk, {"total": 0, "done": 0, "overdue": 0})
        phases = averages.get(cohort.pk, {})
        later = [p for p in (AssessmentPhase.FINAL, AssessmentPhase.MIDPOINT) if p in phases]
        fellows = sum(status_counts.get(s, 0) for s in ACCESS)
        mark_row = marks.get(cohort.pk, empty_marks)
        headlines.append(
            CohortHeadline(
                cohort=cohort,
                statuses=status_counts,
                attendance=RateRow(cohort, **{s: mark_row[s] for s in AttendanceStatus.values}),
                coaching_sessions=coach_row["n"],
                coaching_minutes=coach_row["minutes"] or 0,
                entitled=tidy(amount * fellows),
                used=tidy(used_amount(unit, coach_row["n"], coach_row["minutes"] or 0)),
                without_coach=without_coach.get(cohort.pk, 0),
                plans=plan_counts.get(cohort.pk, {}),
                milestones=m["total"],
                milestones_done=m["done"],
                milestones_overdue=m["overdue"],
                baseline=_round(phases.get(AssessmentPhase.BASELINE)),
                latest=_round(phases[later[0]]) if later else None,
                at_risk=at_risk_by_cohort.get(cohort.pk, 0),
            )
        )
    return headlines


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


_STATUSES, _MARKS, _COACHING, _PLANS, _AVERAGES = (CompiledQuery() for _ in range(5))


def _in_program(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "enrollment__cohort__program_id": values["program_id"],
        "enrollment__status__in": ACCESS,
    }


def _statuses_query(values: Mapping[str, Any]) -> QuerySet:
    has_coach = CoachAssignment.objects.active().filter(enrollment=OuterRef("pk"))
    return (
        Enrollment.objects.filter(cohort__program_id=values["program_id"])
        .values("cohort_id", "status")
        .annotate(
            n=Count("pk"),
            without=Count("pk", filter=Q(status=EnrollmentStatus.ACTIVE) & ~Q(Exists(has_coach))),
        )
        .order_by()
    )


def _marks_query(values: Mapping[str, Any]) -> QuerySet:
    return (
        Attendance.objects.filter(
            session__cohort__program_id=values["program_id"],
            session__cancelled_at__isnull=True,
            session__ends_at__lte=values["now"],
        )
        .values("session__cohort_id")
        .annotate(**{s: Count("pk", filter=Q(status=s)) for s in AttendanceStatus.values})
        .order_by()
    )


def _coaching_query(values: Mapping[str, Any]) -> QuerySet:
    return (
        CoachingSession.objects.counting()
        .filter(**_in_program(values))
        .values("enrollment__cohort_id")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by()
    )


def _plans_query(values: Mapping[str, Any]) -> QuerySet:
    """Plans by cohort and status with their milestones: all, done, and overdue on each
    cohort's own day (cohort_0, today_0, ... in `values`)."""
    milestone = "goals__milestones"
    done = Q(goals__milestones__status=MilestoneStatus.DONE)
    due = Q(pk__in=[])
    for key, cohort_id in values.items():
        if key.startswith("cohort_"):
            day = values[f"today_{key.removeprefix('cohort_')}"]
            due |= Q(enrollment__cohort_id=cohort_id, goals__milestones__due_date__lt=day)
    return (
        ActionPlan.objects.filter(**_in_program(values))
        .values("enrollment__cohort_id", "status")
        .annotate(
            n=Count("pk", distinct=True),
            total=Count(milestone),
            done=Count(milestone, filter=done),
            overdue=Count(milestone, filter=~done & due),
        )
        .order_by()
    )


def _averages_query(values: Mapping[str, Any]) -> QuerySet:
    return (
        Rating.objects.filter(assessment__window__cohort__program_id=values["program_id"])
        .values("assessment__window__cohort_id", "assessment__window__phase")
        .annotate(avg=Avg("level__value"))
        .order_by()
    )

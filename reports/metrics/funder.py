"""The funder report's figures: totals only (no fellow is named), so its fellows are read as
one row each of the few columns the totals add up, in a query compiled once (the
dashboard's `fellows.fellow_rows` also carries the at-risk facts and each fellow's page)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet

from accounts.compiled import CompiledQuery
from accounts.models import User
from accounts.roles import joined_values, split_values
from action_plans.models import (
    ActionPlan,
    FocusLevel,
    Milestone,
    MilestoneStatus,
    PlanFocusLevel,
    PlanStatus,
)
from coaching.models import CoachingSession, SessionStatus
from cohorts.geography import StateOrTerritory
from cohorts.models import Cohort, EnrollmentStatus, Sector
from curriculum.models import Attendance, Session
from curriculum.selectors import RateRow

from ..access import Scope
from .at_risk import held_q
from .cohort import MARKS, AttendanceFigures, PlanFigures
from .common import ACCESS, CoachingUse, StatusCount, count_of, sum_of
from .growth import GrowthFigures, growth


@dataclass
class Participants:
    total: int
    by_state: list[tuple[str, int]]  # (name, count), most first
    by_sector: list[tuple[str, int]]


@dataclass(frozen=True)
class PartnerRow:
    name: str
    fellows: int
    plans: int
    milestones: int
    milestones_done: int


@dataclass
class FunderCoaching(CoachingUse):
    """Coaching delivered to the fellows in view with cohort access."""

    fellows: int
    sessions: int  # sessions that used entitlement (completed and no-shows)
    minutes: int
    coached: int  # fellows with at least one such session
    unit: str
    amount: Decimal  # each fellow's entitlement

    def use_counts(self) -> tuple[int, int, int]:
        return self.fellows, self.sessions, self.minutes


@dataclass
class FunderReport:
    today: datetime.date
    people: Participants
    partners: list[PartnerRow]
    attendance: AttendanceFigures
    coaching: FunderCoaching
    plans: PlanFigures
    growth: GrowthFigures


def funder_report(scope: Scope, now: datetime.datetime) -> FunderReport:
    today = scope.today(now)
    fellows = _fellows(scope, today)
    program = scope.program
    return FunderReport(
        today=today,
        people=_participants(fellows),
        partners=_by_partner(fellows),
        attendance=_attendance(scope, now),
        coaching=FunderCoaching(
            fellows=len(fellows),
            sessions=sum(f["counting_sessions"] for f in fellows),
            minutes=sum(f["counting_minutes"] for f in fellows),
            coached=sum(1 for f in fellows if f["counting_sessions"]),
            unit=program.coaching_entitlement_unit,
            amount=Decimal(program.coaching_entitlement_amount),
        ),
        plans=_plans(fellows),
        growth=growth(scope),
    )


# The report's queries are compiled once per kind of viewer (staff, a coach) and run again
# with each request's cohort, coach and day (accounts/compiled.py).
_FELLOWS = CompiledQuery()
_SESSIONS = CompiledQuery()


def _scope_of(values: Mapping[str, Any]) -> Scope:
    """The viewer's scope, from the values alone (see Scope.query_values)."""
    coach = User(pk=values["coach_id"]) if "coach_id" in values else None
    return Scope(cohort=Cohort(pk=values["cohort_id"]), viewer=coach, coach=coach)


@dataclass(frozen=True)
class HeldSession:
    """A session held, as the attendance chart names it."""

    title: str
    starts_at: datetime.datetime


def _attendance(scope: Scope, now: datetime.datetime) -> AttendanceFigures:
    """The marks of the fellows in view at each session held, oldest first (the counts of
    cohort.sessions_with_marks). The report shows the rates by session only: no row per
    fellow."""
    rows = _SESSIONS.rows(scope.is_staff, scope.query_values(now=now), _sessions_query)
    return AttendanceFigures(
        by_session=[
            RateRow(
                HeldSession(row["title"], row["starts_at"]),
                **{status: row[column] for status, column in MARKS.items()},
            )
            for row in rows
        ],
        by_fellow=[],
        missed_in_a_row={},
    )


def _sessions_query(values: Mapping[str, Any]) -> QuerySet:
    marks = Attendance.objects.filter(
        session=OuterRef("pk"), enrollment__in=_scope_of(values).enrollments()
    )
    return (
        Session.objects.filter(held_q(values["now"], prefix=""), cohort_id=values["cohort_id"])
        .annotate(
            **{column: count_of(marks.filter(status=status)) for status, column in MARKS.items()}
        )
        .order_by("starts_at", "pk")
        .values("title", "starts_at", *MARKS.values())
    )


def _fellows(scope: Scope, today: datetime.date) -> list[dict[str, Any]]:
    """The fellows in view with cohort access, one row each of what the totals count."""
    return _FELLOWS.rows(scope.is_staff, scope.query_values(today=today), _fellows_query)


def _fellows_query(values: Mapping[str, Any]) -> QuerySet:
    in_view = _scope_of(values)
    coaching = CoachingSession.objects.filter(
        enrollment=OuterRef("pk"), status__in=SessionStatus.counting()
    )
    milestones = Milestone.objects.filter(goal__plan__enrollment=OuterRef("pk"))
    return (
        in_view.enrollments()
        .filter(status__in=ACCESS)
        .annotate(
            partner_name=F("partner__name"),
            has_plan=Exists(ActionPlan.objects.filter(enrollment=OuterRef("pk"))),
            plan_status=F("action_plan__status"),
            focus_levels=joined_values(
                PlanFocusLevel.objects.filter(plan__enrollment=OuterRef("pk")), "level"
            ),
            milestones=count_of(milestones),
            milestones_done=count_of(milestones.filter(status=MilestoneStatus.DONE)),
            # The at-risk rule's overdue milestones (at_risk.fact_columns).
            overdue=count_of(
                milestones.filter(due_date__lt=values["today"]).exclude(status=MilestoneStatus.DONE)
            ),
            counting_sessions=count_of(coaching),
            counting_minutes=sum_of(coaching, "duration_minutes"),
        )
        .order_by()
        .values(
            "status",
            "state",
            "sector",
            "partner_name",
            "has_plan",
            "plan_status",
            "focus_levels",
            "milestones",
            "milestones_done",
            "overdue",
            "counting_sessions",
            "counting_minutes",
        )
    )


def _participants(fellows: list[dict[str, Any]]) -> Participants:
    """Fellows by state or territory and by sector, most first."""
    states = Counter(f["state"] for f in fellows)
    sectors = Counter(f["sector"] for f in fellows)
    state_names = dict(StateOrTerritory.choices)
    sector_names = dict(Sector.choices)
    return Participants(
        total=len(fellows),
        by_state=sorted(
            ((state_names.get(s, s), n) for s, n in states.items()), key=lambda r: (-r[1], r[0])
        ),
        by_sector=sorted(
            ((sector_names.get(s, s), n) for s, n in sectors.items()), key=lambda r: (-r[1], r[0])
        ),
    )


def _by_partner(fellows: list[dict[str, Any]]) -> list[PartnerRow]:
    """Fellows per sponsoring partner organization, with their plans and milestones done;
    fellows without a partner last. Empty when nobody in view has a sponsoring partner."""
    totals: dict[str, list[int]] = {}
    for f in fellows:
        row = totals.setdefault(f["partner_name"] or "", [0, 0, 0, 0])
        row[0] += 1
        row[1] += f["has_plan"]
        row[2] += f["milestones"]
        row[3] += f["milestones_done"]
    if not any(totals):
        return []
    found = [PartnerRow(name, *counts) for name, counts in totals.items()]
    return sorted(found, key=lambda row: (not row.name, row.name))


def _plans(fellows: list[dict[str, Any]]) -> PlanFigures:
    """cohort.plans()'s figures (the dashboard's), from these rows."""
    statuses = Counter(f["plan_status"] for f in fellows if f["has_plan"])
    levels = Counter(level for f in fellows for level in split_values(f["focus_levels"]))
    return PlanFigures(
        by_status=[StatusCount(v, label, statuses.get(v, 0)) for v, label in PlanStatus.choices],
        by_focus_level=[StatusCount(v, label, levels.get(v, 0)) for v, label in FocusLevel.choices],
        milestones=sum(f["milestones"] for f in fellows),
        done=sum(f["milestones_done"] for f in fellows),
        overdue=sum(f["overdue"] for f in fellows),
        without_plan=sum(
            1 for f in fellows if f["status"] == EnrollmentStatus.ACTIVE and not f["has_plan"]
        ),
    )

"""The at-risk rules, once: the facts each rule reads are columns of one query over the
fellows (`fact_columns`), and `reasons_for` turns one fellow's facts into reasons. The
cohort's list, the dashboard, the staff digest and the program view's counts all use both.

* **Missed sessions in a row**: unexcused absences at sessions held (not cancelled, ended)
  after the fellow's latest present or late mark; excused and unrecorded sessions neither
  break nor extend the run. Flagged at the program's `at_risk_missed_sessions` or more.
* **No coaching**: days since the fellow's last completed coaching session (or, with none,
  since the cohort started) *more than* the program's `at_risk_days_without_coaching`.
* **No plan update**: the reminders' rule (`action_plans.reminders.plan_is_silent`: an
  approved plan with no progress update, or approval, since
  `at_risk_days_without_plan_update` days ago).
* **Overdue milestones**: any milestone not done whose due date is before today.
* **No coach**: an active fellow with no active coach assignment.
* Only active fellows are ever at risk; "today" is the cohort's own calendar day.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from accounts.compiled import CompiledQuery
from action_plans.models import Milestone, MilestoneStatus, ProgressUpdate
from action_plans.reminders import plan_is_silent
from coaching.models import CoachAssignment, CoachingSession, SessionStatus
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program
from curriculum.models import Attendance, AttendanceStatus

from .common import count_of

ATTENDED = [AttendanceStatus.PRESENT, AttendanceStatus.LATE]


@dataclass
class Reason:
    code: str  # missed_sessions, no_coaching, overdue_milestones, no_plan_update, no_coach
    text: str


@dataclass(eq=False)
class Facts:
    """What the rules read of one fellow (the columns of `fact_columns`, but the first)."""

    missed: int
    has_coach: bool
    last_session_at: datetime.datetime | None
    overdue: int
    plan_status: str | None
    plan_changed_at: datetime.datetime | None
    last_update: datetime.date | None


@dataclass
class AtRiskFellow:
    enrollment: Any  # a `fellows.Fellow` (or anything with the enrollment's fields)
    reasons: list[Reason] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]


def held_q(now: datetime.datetime, prefix: str = "session__") -> Q:
    """Marks (or sessions, without prefix) at sessions held: not cancelled, ended."""
    return Q(**{f"{prefix}cancelled_at__isnull": True, f"{prefix}ends_at__lte": now})


def fact_columns(now: datetime.datetime, todays: Mapping[int, datetime.date]) -> list[dict]:
    """Annotations on Enrollment, in order (the second reads the first): the facts of the
    rules. `todays` maps each cohort's id to its own day."""
    absent = Attendance.objects.filter(
        held_q(now), enrollment=OuterRef("pk"), status=AttendanceStatus.ABSENT
    )
    session_at = OuterRef("session__starts_at")
    attended_later = Attendance.objects.filter(
        held_q(now), enrollment_id=OuterRef("enrollment_id"), status__in=ATTENDED
    ).filter(
        Q(session__starts_at__gt=session_at)
        | Q(session__starts_at=session_at, session_id__gt=OuterRef("session_id"))
    )
    completed = CoachingSession.objects.filter(
        enrollment=OuterRef("pk"), status=SessionStatus.COMPLETED
    ).order_by("-starts_at")
    latest_update = ProgressUpdate.objects.filter(plan__enrollment=OuterRef("pk")).order_by(
        "-as_of"
    )
    overdue = Milestone.objects.filter(
        goal__plan__enrollment=OuterRef("pk"), due_date__lt=OuterRef("cohort_today")
    ).exclude(status=MilestoneStatus.DONE)
    return [
        {
            "cohort_today": Case(
                *(When(cohort_id=pk, then=Value(day)) for pk, day in todays.items()),
                output_field=DateField(),
            ),
        },
        {
            "missed": count_of(absent.exclude(Exists(attended_later))),
            "has_coach": Exists(CoachAssignment.objects.active().filter(enrollment=OuterRef("pk"))),
            "last_session_at": Subquery(completed.values("starts_at")[:1]),
            "overdue": count_of(overdue),
            "plan_status": F("action_plan__status"),
            "plan_changed_at": F("action_plan__status_changed_at"),
            "last_update": Subquery(latest_update.values("as_of")[:1]),
        },
    ]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def reasons_for(
    program: Program, cohort: Cohort, today: datetime.date, facts: Facts
) -> list[Reason]:
    """Why one active fellow is at risk (the rules of this module's docstring)."""
    missed = facts.missed
    missed_limit = program.at_risk_missed_sessions
    coaching_days = program.at_risk_days_without_coaching
    reasons = []
    if missed_limit and missed >= missed_limit:
        reasons.append(
            Reason("missed_sessions", f"Missed the last {_plural(missed, 'session')} in a row")
        )
    if not facts.has_coach:
        reasons.append(Reason("no_coach", "No coach assigned"))
    if facts.last_session_at is None:
        since = (today - cohort.start_date).days
        if since > coaching_days:
            reasons.append(
                Reason("no_coaching", f"No coaching session yet, {since} days into the cohort")
            )
    else:
        since = (today - cohort.local_date(facts.last_session_at)).days
        if since > coaching_days:
            reasons.append(Reason("no_coaching", f"No coaching session in {since} days"))
    if facts.overdue:
        reasons.append(Reason("overdue_milestones", _plural(facts.overdue, "overdue milestone")))
    update_days = program.at_risk_days_without_plan_update
    silent = plan_is_silent(
        status=facts.plan_status,
        last_update=facts.last_update,
        status_changed_at=facts.plan_changed_at,
        since=today - datetime.timedelta(days=update_days),
        cohort=cohort,
    )
    if silent:
        reasons.append(Reason("no_plan_update", f"No plan update in more than {update_days} days"))
    return reasons


def at_risk_counts(
    program: Program, cohorts: list[Cohort], now: datetime.datetime
) -> dict[int, int]:
    """How many active fellows of each cohort are at risk, for all the cohorts of a program
    at once: one query whatever the number of cohorts or fellows."""
    if not cohorts:
        return {}
    by_pk = {c.pk: c for c in cohorts}
    todays = {c.pk: c.local_date(now) for c in cohorts}
    values: dict[str, Any] = {"now": now}
    for i, (pk, day) in enumerate(todays.items()):
        values[f"cohort_{i}"], values[f"today_{i}"] = pk, day
    # Compiled once per number of cohorts (accounts/compiled.py): building the facts'
    # subqueries cost more CPU than running them.
    counts = dict.fromkeys(by_pk, 0)
    for row in _COUNTS.rows(len(todays), values, _facts_query):
        cohort_id = row.pop("cohort_id")
        reasons = reasons_for(program, by_pk[cohort_id], todays[cohort_id], Facts(**row))
        counts[cohort_id] += bool(reasons)
    return counts


_COUNTS = CompiledQuery()


def _facts_query(values: Mapping[str, Any]) -> QuerySet:
    """The active fellows of the cohorts in `values` (cohort_0, today_0, ...) with their
    facts."""
    todays = {}
    for key, cohort_id in values.items():
        if key.startswith("cohort_"):
            todays[cohort_id] = values[f"today_{key.removeprefix('cohort_')}"]
    first, second = fact_columns(values["now"], todays)
    return (
        Enrollment.objects.filter(cohort_id__in=list(todays), status=EnrollmentStatus.ACTIVE)
        .annotate(**first)
        .annotate(**second)
        .values("cohort_id", *second)
    )

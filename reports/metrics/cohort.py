"""A cohort's figures as one viewer may see them (a `Scope`): roster, attendance, coaching and
plans. Each takes the fellows in view (`fellows.fellow_rows`, one query) when the page has
read them already, and otherwise reads them itself; the marks per session held are one query
of the sessions with their counts. The funder report's participants and partners are in
`funder`."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.compiled import CompiledQuery
from accounts.roles import split_values
from action_plans.models import (
    ActionPlan,
    FocusLevel,
    Milestone,
    MilestoneStatus,
    PlanFocusLevel,
    PlanStatus,
    ProgressSignal,
    ProgressUpdate,
    overdue_q,
)
from action_plans.selectors import cohort_plans
from cohorts.models import EnrollmentStatus
from curriculum.models import Attendance, AttendanceStatus, Session
from curriculum.selectors import RateRow

from ..access import Scope, enrollments_in_view
from .at_risk import held_q
from .common import ACCESS, CoachingUse, StatusCount, count_of
from .fellows import Fellow, entitlement_of, fellow_rows

# --- Roster ----------------------------------------------------------------------------------


def roster_by_status(scope: Scope, *, fellows: list[Fellow] | None = None) -> list[StatusCount]:
    """Enrollments in view by status (every status)."""
    counts = Counter(f.status for f in _given(scope, fellows))
    return [StatusCount(v, label, counts.get(v, 0)) for v, label in EnrollmentStatus.choices]


def _given(scope: Scope, fellows: list[Fellow] | None) -> list[Fellow]:
    """The fellows the page read, or read now (the figures that take no moment do not depend
    on it)."""
    return fellow_rows(scope, timezone.now()) if fellows is None else fellows


def with_access(fellows: list[Fellow]) -> list[Fellow]:
    """Fellows with cohort access (active and alumni): the ones the figures count."""
    return [f for f in fellows if f.status in ACCESS]


# --- Attendance --------------------------------------------------------------------------------

MARKS = {status: f"marks_{status}" for status in AttendanceStatus.values}


@dataclass
class AttendanceFigures:
    by_session: list[RateRow]  # sessions held, oldest first
    by_fellow: list[RateRow]  # fellows with cohort access, by name
    missed_in_a_row: dict[int, int]  # enrollment pk → latest unexcused absences in a row

    @property
    def overall(self) -> RateRow:
        totals = dict.fromkeys(AttendanceStatus.values, 0)
        for row in self.by_session:
            for status in AttendanceStatus.values:
                totals[status] += getattr(row, status)
        return RateRow(None, **totals)


def sessions_with_marks(
    scope: Scope, now: datetime.datetime, *, coming: bool = False
) -> tuple[list[Session], list[Session]]:
    """The sessions held, each with its marks of the fellows in view counted
    (`marks_<status>`), and, with `coming`, the sessions of the coming week: one query."""
    ends = now + datetime.timedelta(days=7)
    values = scope.query_values(now=now, ends=ends)
    # Compiled once per kind of viewer and page (accounts/compiled.py): building its four
    # counts cost more CPU than running them.
    sessions = _SESSIONS.instances(
        (scope.is_staff, coming), values, lambda values: _sessions_query(values, coming)
    )
    held = [s for s in sessions if s.ends_at <= now]
    week = [s for s in sessions if now <= s.starts_at < ends]
    return held, week


_SESSIONS = CompiledQuery()


def _sessions_query(values: Mapping[str, Any], coming: bool) -> QuerySet:
    now = values["now"]
    wanted = held_q(now, prefix="")
    if coming:
        wanted |= Q(cancelled_at__isnull=True, starts_at__gte=now, starts_at__lt=values["ends"])
    in_view = enrollments_in_view(values["cohort_id"], values.get("coach_id"))
    marks = Attendance.objects.filter(session=OuterRef("pk"), enrollment__in=in_view)
    return (
        Session.objects.filter(cohort_id=values["cohort_id"])
        .filter(wanted)
        .annotate(
            **{column: count_of(marks.filter(status=status)) for status, column in MARKS.items()}
        )
        .order_by("starts_at", "pk")
    )


def attendance(
    scope: Scope,
    now: datetime.datetime,
    *,
    sessions: list[Session] | None = None,
    fellows: list[Fellow] | None = None,
) -> AttendanceFigures:
    """Rates by session held and by fellow, and each fellow's latest absences in a row.
    `sessions` from `sessions_with_marks`, `fellows` from `fellow_rows` when the page has
    them."""
    if sessions is None:
        sessions, _ = sessions_with_marks(scope, now)
    if fellows is None:
        fellows = fellow_rows(scope, now)
    in_view = with_access(fellows)
    return AttendanceFigures(
        by_session=[
            RateRow(s, **{status: getattr(s, column) for status, column in MARKS.items()})
            for s in sessions
        ],
        by_fellow=[RateRow(f, f.present, f.late, f.excused, f.absent) for f in in_view],
        missed_in_a_row={f.pk: f.missed for f in in_view},
    )


# --- Coaching ----------------------------------------------------------------------------------


@dataclass
class CoachingFigures(CoachingUse):
    rows: list[Fellow]  # fellows in view with cohort access, by name
    unit: str
    amount: Decimal
    scope: Scope
    today: datetime.date

    @property
    def active_rows(self) -> list[Fellow]:
        return [r for r in self.rows if r.status == EnrollmentStatus.ACTIVE]

    @property
    def sessions(self) -> int:
        """Sessions that used entitlement (completed and no-shows)."""
        return sum(r.counting_sessions for r in self.rows)

    @property
    def minutes(self) -> int:
        return sum(r.counting_minutes for r in self.rows)

    def use_counts(self) -> tuple[int, int, int]:
        return len(self.rows), self.sessions, self.minutes

    @property
    def without_coach(self) -> list[Fellow]:
        return [r for r in self.active_rows if not r.has_coach]

    @property
    def coached(self) -> int:
        """Fellows with at least one session that used entitlement."""
        return sum(1 for r in self.rows if r.counting_sessions)

    @cached_property
    def pace_counts(self) -> list[tuple[str, int]]:
        labels = {
            "on_pace": "On pace",
            "behind": "Behind pace",
            "running_low": "Running low",
            "used_up": "Used up",
        }
        # The pace depends on a fellow's use alone: worked out once per distinct use.
        uses: Counter[tuple[int, int]] = Counter()
        first_with: dict[tuple[int, int], Fellow] = {}
        for r in self.active_rows:
            use = (r.counting_sessions, r.counting_minutes)
            uses[use] += 1
            first_with.setdefault(use, r)
        counts: Counter[str] = Counter()
        for use, n in uses.items():
            counts[entitlement_of(self.scope, first_with[use], self.today).pace] += n
        return [(label, counts.get(key, 0)) for key, label in labels.items()]


def coaching(
    scope: Scope, now: datetime.datetime, *, fellows: list[Fellow] | None = None
) -> CoachingFigures:
    if fellows is None:
        fellows = fellow_rows(scope, now)
    program = scope.program
    return CoachingFigures(
        rows=with_access(fellows),
        unit=program.coaching_entitlement_unit,
        amount=Decimal(program.coaching_entitlement_amount),
        scope=scope,
        today=scope.today(now),
    )


# --- Plans -------------------------------------------------------------------------------------


@dataclass
class PlanFigures:
    """The plans of the fellows in view with cohort access."""

    by_status: list[StatusCount]
    by_focus_level: list[StatusCount]
    milestones: int
    done: int
    overdue: int
    without_plan: int  # active fellows with no plan yet

    @property
    def total(self) -> int:
        return sum(s.count for s in self.by_status)

    @property
    def on_track(self) -> int:
        """Not done and not yet due."""
        return self.milestones - self.done - self.overdue


def plans(
    scope: Scope, now: datetime.datetime, *, fellows: list[Fellow] | None = None
) -> PlanFigures:
    """Plans by status and focus level, and their milestones, from the fellows' rows."""
    if fellows is None:
        fellows = fellow_rows(scope, now)
    in_view = with_access(fellows)
    statuses = Counter(f.plan_status for f in in_view if f.has_plan)
    levels = Counter(level for f in in_view for level in split_values(f.focus_levels))
    return PlanFigures(
        by_status=[StatusCount(v, label, statuses.get(v, 0)) for v, label in PlanStatus.choices],
        by_focus_level=[StatusCount(v, label, levels.get(v, 0)) for v, label in FocusLevel.choices],
        milestones=sum(f.milestones for f in in_view),
        done=sum(f.milestones_done for f in in_view),
        overdue=sum(f.overdue for f in in_view),
        without_plan=sum(
            1 for f in in_view if f.status == EnrollmentStatus.ACTIVE and not f.has_plan
        ),
    )


def plan_list(scope: Scope, today: datetime.date) -> list:
    """The plans in view (fellows with cohort access) with their progress, for the export:
    action_plans' staff table, narrowed to the scope."""
    rows = [
        p
        for p in cohort_plans(scope.viewer, scope.cohort, today=today)
        if p.enrollment.status in ACCESS
    ]
    if not scope.is_staff:
        mine = scope.coached_ids()
        rows = [p for p in rows if p.enrollment_id in mine]
    return rows


@dataclass(frozen=True)
class PlanProgressRow:
    """One plan of the plan-progress export, as plain values."""

    fellow: str
    email: str
    title: str
    status: str  # the label
    focus_levels: list[str]  # labels, in FocusLevel's order
    milestones: int
    done: int
    overdue: int
    last_update_on: datetime.date | None
    last_signal: str  # the label, "" without an update

    @property
    def on_track(self) -> int:
        return self.milestones - self.done - self.overdue


def plan_progress_rows(scope: Scope, today: datetime.date) -> Iterator[PlanProgressRow]:
    """The plans plan_list() gives (same plans, same order, same figures), for the export:
    streamed as rows of one query (counts and the last update as correlated subqueries,
    each focus level as a yes/no column), so that neither the time per row nor the memory
    grows with model instances or a prefetch of every plan's levels."""
    milestones = Milestone.objects.filter(goal__plan=OuterRef("pk"))
    updates = ProgressUpdate.objects.filter(plan=OuterRef("pk")).order_by("-as_of", "-pk")
    levels = {
        f"level_{value}": Exists(PlanFocusLevel.objects.filter(plan=OuterRef("pk"), level=value))
        for value in FocusLevel.values
    }
    plans = ActionPlan.objects.visible_to(scope.viewer).filter(
        enrollment__cohort=scope.cohort, enrollment__status__in=ACCESS
    )
    if not scope.is_staff:
        plans = plans.filter(enrollment_id__in=scope.coached_ids())
    rows = (
        plans.annotate(
            **levels,
            milestone_total=count_of(milestones),
            milestone_done=count_of(milestones.filter(status=MilestoneStatus.DONE)),
            milestone_overdue=count_of(milestones.filter(overdue_q(today))),
            last_update_on=Subquery(updates.values("as_of")[:1]),
            last_signal=Subquery(updates.values("signal")[:1]),
        )
        .order_by("enrollment__user__full_name")
        .values_list(
            "enrollment__user__full_name",
            "enrollment__user__email",
            "title",
            "status",
            *levels,
            "milestone_total",
            "milestone_done",
            "milestone_overdue",
            "last_update_on",
            "last_signal",
        )
    )
    status_label = dict(PlanStatus.choices)
    level_labels = [label for _value, label in FocusLevel.choices]
    signal_label = dict(ProgressSignal.choices)
    n = len(level_labels)
    for row in rows.iterator(chunk_size=2000):
        chosen = row[4 : 4 + n]
        total, done, overdue, last_on, signal = row[4 + n :]
        yield PlanProgressRow(
            fellow=row[0],
            email=row[1],
            title=row[2],
            status=status_label.get(row[3], row[3]),
            focus_levels=[label for label, on in zip(level_labels, chosen, strict=True) if on],
            milestones=total or 0,
            done=done or 0,
            overdue=overdue or 0,
            last_update_on=last_on,
            last_signal=signal_label.get(signal, "") if signal else "",
        )

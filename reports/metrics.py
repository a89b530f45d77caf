"""Every figure of the staff dashboard, the at-risk list, the program view and the funder
report, as plain functions over a `Scope` (reports/access.py). Each costs a fixed number of
queries however many fellows, sessions or milestones there are: counts come from
aggregate/annotate, rows from one query each, the rest is arithmetic in Python.

Where another app already computes a figure, it is called rather than recomputed:
attendance rates (curriculum.selectors), coaching entitlement and pace
(coaching.selectors.coverage_rows), plan progress (action_plans.selectors.cohort_plans),
plan silence (action_plans.reminders.plan_is_silent), growth by domain
(curriculum.selectors.growth_rows).

Rules decided here (tested in tests/reports/test_metrics.py):

* **Attendance** counts marks at sessions held so far (not cancelled, ended). Rate =
  (present + late) / (present + late + absent); excused marks count for nobody.
* **Missed sessions in a row**: the fellow's latest marks, newest first, skipping excused and
  unrecorded sessions, counted until a present or late mark. Flagged at the program's
  `at_risk_missed_sessions` or more.
* **No coaching**: days since the fellow's last completed coaching session (or, with none,
  since the cohort started) *more than* the program's `at_risk_days_without_coaching`.
* **No plan update**: the reminders' rule (an approved plan with no progress update, or
  approval, since `at_risk_days_without_plan_update` days ago).
* **Overdue milestones**: any milestone not done whose due date is before today.
* **No coach**: an active fellow with no active coach assignment.
* Only active fellows are ever at risk; "today" is the cohort's own calendar day.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery, Sum

from action_plans.models import (
    ActionPlan,
    FocusLevel,
    Milestone,
    MilestoneStatus,
    PlanStatus,
    ProgressUpdate,
)
from action_plans.reminders import plan_is_silent
from action_plans.selectors import cohort_plans
from coaching.entitlement import used_amount
from coaching.models import CoachAssignment, CoachingSession, SessionStatus
from coaching.selectors import coverage_rows
from cohorts.geography import StateOrTerritory
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Sector
from curriculum.models import AssessmentPhase, Attendance, AttendanceStatus, Rating, Session
from curriculum.selectors import RateRow, as_percent, attendance_rate, growth_rows
from networks.models import GroupMeeting

from .access import Scope, roster_counts

ACCESS = EnrollmentStatus.with_cohort_access()
WEEK = datetime.timedelta(days=7)


def tidy(amount) -> Decimal:
    """10.0 → 10, 3.50 → 3.5: amounts as a person writes them."""
    amount = Decimal(amount)
    return (
        amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()
    )


def _percent(part, whole) -> int | None:
    return None if not whole else round(Decimal(part) * 100 / Decimal(whole))


# --- Roster ----------------------------------------------------------------------------------


@dataclass
class StatusCount:
    value: str
    label: str
    count: int


def roster_by_status(scope: Scope) -> list[StatusCount]:
    counts = roster_counts(scope)  # read with the cohort for the dashboard
    if counts is None:
        counts = dict(scope.enrollments().values_list("status").annotate(n=Count("pk")).order_by())
    return [StatusCount(v, label, counts.get(v, 0)) for v, label in EnrollmentStatus.choices]


@dataclass
class Participants:
    total: int
    by_state: list[tuple[str, int]]  # (name, count), most first
    by_sector: list[tuple[str, int]]


def participants(scope: Scope, *, fellows=None) -> Participants:
    """Fellows with cohort access (active and alumni) by state or territory and by sector
    (no query when those fellows are given: `CoachingFigures.rows`)."""
    if fellows is not None:
        rows = [(e.state, e.sector) for e in fellows]
    else:
        rows = list(scope.enrollments().filter(status__in=ACCESS).values_list("state", "sector"))
    states = Counter(state for state, _ in rows)
    sectors = Counter(sector for _, sector in rows)
    state_names = dict(StateOrTerritory.choices)
    sector_names = dict(Sector.choices)
    return Participants(
        total=len(rows),
        by_state=sorted(
            ((state_names.get(s, s), n) for s, n in states.items()), key=lambda r: (-r[1], r[0])
        ),
        by_sector=sorted(
            ((sector_names.get(s, s), n) for s, n in sectors.items()), key=lambda r: (-r[1], r[0])
        ),
    )


@dataclass(frozen=True)
class PartnerRow:
    name: str
    fellows: int
    plans: int
    milestones: int
    milestones_done: int


def by_partner(scope: Scope) -> list[PartnerRow]:
    """Fellows with cohort access per sponsoring partner organization, with their plans and
    milestones done; fellows without a partner last. One query. Empty when nobody in view has
    a sponsoring partner."""
    done = Q(action_plan__goals__milestones__status=MilestoneStatus.DONE)
    rows = (
        scope.enrollments()
        .filter(status__in=ACCESS)
        .values("partner__name")
        .annotate(
            fellows=Count("pk", distinct=True),
            plans=Count("action_plan", distinct=True),
            milestones=Count("action_plan__goals__milestones", distinct=True),
            milestones_done=Count("action_plan__goals__milestones", filter=done, distinct=True),
        )
        .order_by("partner__name")
    )
    found = [
        PartnerRow(
            name=row["partner__name"] or "",
            fellows=row["fellows"],
            plans=row["plans"],
            milestones=row["milestones"],
            milestones_done=row["milestones_done"],
        )
        for row in rows
    ]
    if not any(row.name for row in found):
        return []
    return sorted(found, key=lambda row: (not row.name, row.name))


# --- Attendance --------------------------------------------------------------------------------


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


def attendance(
    scope: Scope, now: datetime.datetime, *, sessions=None, fellows=None
) -> AttendanceFigures:
    """Three queries: the sessions held, the fellows, and every mark at those sessions. Fewer
    when the sessions held (`dashboard` reads them with the week's) or the fellows in view
    with cohort access, by name (`CoachingFigures.rows`), are given."""
    if sessions is None:
        sessions = list(
            Session.objects.held_before(now).filter(cohort=scope.cohort).order_by("starts_at", "pk")
        )
    if fellows is None:
        fellows = list(
            scope.enrollments()
            .filter(status__in=ACCESS)
            .select_related("user")
            .order_by("user__full_name", "pk")
        )
    marks = Attendance.objects.filter(
        session__cohort=scope.cohort,
        session__cancelled_at__isnull=True,
        session__ends_at__lte=now,
        enrollment__in=scope.enrollments(),
    ).values_list("session_id", "enrollment_id", "status")
    per_session: dict[int, Counter] = defaultdict(Counter)
    per_fellow: dict[int, Counter] = defaultdict(Counter)
    by_fellow_session: dict[int, dict[int, str]] = defaultdict(dict)
    for session_id, enrollment_id, status in marks:
        per_session[session_id][status] += 1
        per_fellow[enrollment_id][status] += 1
        by_fellow_session[enrollment_id][session_id] = status

    def counts(counter):
        return {s: counter.get(s, 0) for s in AttendanceStatus.values}

    newest_first = [s.pk for s in reversed(sessions)]
    return AttendanceFigures(
        by_session=[RateRow(s, **counts(per_session[s.pk])) for s in sessions],
        by_fellow=[RateRow(e, **counts(per_fellow[e.pk])) for e in fellows],
        missed_in_a_row={
            e.pk: missed_in_a_row(by_fellow_session[e.pk], newest_first) for e in fellows
        },
    )


def missed_in_a_row(marks: dict[int, str], sessions_newest_first: list[int]) -> int:
    """Unexcused absences at the latest sessions, skipping excused and unrecorded ones."""
    missed = 0
    for session_id in sessions_newest_first:
        status = marks.get(session_id)
        if status == AttendanceStatus.ABSENT:
            missed += 1
        elif status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
            break
    return missed


# --- Coaching ----------------------------------------------------------------------------------


@dataclass
class CoachingFigures:
    # enrollments in view (cohort access, by name) with `entitlement`, `active_assignments`,
    # stats: the fellows the other figures of a page take rather than read again
    rows: list
    unit: str
    amount: Decimal

    @property
    def active_rows(self) -> list:
        return [r for r in self.rows if r.status == EnrollmentStatus.ACTIVE]

    @property
    def sessions(self) -> int:
        """Sessions that used entitlement (completed and no-shows)."""
        return sum(r.counting_sessions for r in self.rows)

    @property
    def minutes(self) -> int:
        return sum(r.counting_minutes or 0 for r in self.rows)

    @property
    def hours(self) -> Decimal:
        return tidy(used_amount("hours", 0, self.minutes))

    @property
    def used(self) -> Decimal:
        return tidy(used_amount(self.unit, self.sessions, self.minutes))

    @property
    def entitled(self) -> Decimal:
        return tidy(self.amount * len(self.rows))

    @property
    def percent_used(self) -> int | None:
        return _percent(self.used, self.entitled)

    @property
    def without_coach(self) -> list:
        return [r for r in self.active_rows if not r.active_assignments]

    @property
    def coached(self) -> int:
        """Fellows with at least one session that used entitlement."""
        return sum(1 for r in self.rows if r.counting_sessions)

    @property
    def pace_counts(self) -> list[tuple[str, int]]:
        labels = {
            "on_pace": "On pace",
            "behind": "Behind pace",
            "running_low": "Running low",
            "used_up": "Used up",
        }
        counts = Counter(r.entitlement.pace for r in self.active_rows)
        return [(label, counts.get(key, 0)) for key, label in labels.items()]


def coaching(scope: Scope, now: datetime.datetime) -> CoachingFigures:
    """Two queries (coaching's own coverage rows), narrowed to the scope in Python."""
    rows = coverage_rows(scope.cohort, now)
    if scope.coach is not None:  # not staff
        rows = [r for r in rows if any(a.coach_id == scope.coach.pk for a in r.active_assignments)]
    program = scope.program
    return CoachingFigures(
        rows=rows,
        unit=program.coaching_entitlement_unit,
        amount=Decimal(program.coaching_entitlement_amount),
    )


# --- Plans -------------------------------------------------------------------------------------


@dataclass
class PlanFigures:
    plans: list  # ActionPlan rows with `progress`, `last_update_on`, `last_signal`
    without_plan: int  # active fellows with no plan yet

    @property
    def by_status(self) -> list[StatusCount]:
        counts = Counter(p.status for p in self.plans)
        return [StatusCount(v, label, counts.get(v, 0)) for v, label in PlanStatus.choices]

    @property
    def by_focus_level(self) -> list[StatusCount]:
        counts = Counter(level for p in self.plans for level in p.focus_level_values())
        return [StatusCount(v, label, counts.get(v, 0)) for v, label in FocusLevel.choices]

    @property
    def milestones(self) -> int:
        return sum(p.progress.total for p in self.plans)

    @property
    def done(self) -> int:
        return sum(p.progress.done for p in self.plans)

    @property
    def overdue(self) -> int:
        return sum(p.progress.overdue for p in self.plans)

    @property
    def on_track(self) -> int:
        """Not done and not yet due."""
        return self.milestones - self.done - self.overdue


def plans(scope: Scope, today: datetime.date, *, fellows=None) -> PlanFigures:
    """Three queries: the plans table of action_plans, its focus levels, fellows without.
    Given the fellows in view with cohort access (`CoachingFigures.rows`), those without a
    plan are counted from them and the plans: one query fewer."""
    rows = [
        p
        for p in cohort_plans(scope.viewer, scope.cohort, today=today)
        if p.enrollment.status in ACCESS
    ]
    if not scope.is_staff:
        mine = scope.coached_ids()
        rows = [p for p in rows if p.enrollment_id in mine]
    if fellows is not None:
        # A plan belongs to one enrollment; `rows` are the plans of the fellows in view.
        planned = {p.enrollment_id for p in rows}
        active = [e for e in fellows if e.status == EnrollmentStatus.ACTIVE]
        without = sum(1 for e in active if e.pk not in planned)
    else:
        without = (
            scope.enrollments()
            .filter(status=EnrollmentStatus.ACTIVE)
            .exclude(Exists(ActionPlan.objects.filter(enrollment=OuterRef("pk"))))
            .count()
        )
    return PlanFigures(plans=rows, without_plan=without)


# --- Competency growth -------------------------------------------------------------------------


@dataclass
class GrowthFigures:
    rows: list  # curriculum.selectors.GrowthRow: domain, baseline, latest, change
    latest_phase: str | None
    scale_max: int

    @property
    def latest_label(self) -> str:
        return AssessmentPhase(self.latest_phase).label if self.latest_phase else "Latest"

    @property
    def has_data(self) -> bool:
        return any(r.baseline is not None or r.latest is not None for r in self.rows)


def growth(scope: Scope) -> GrowthFigures:
    """Average self-rating by domain, baseline and latest phase (curriculum's rule)."""
    framework = scope.cohort.framework
    if framework is None:
        return GrowthFigures([], None, 5)
    rows, latest_phase, scale_max = growth_rows(
        framework,
        {
            "assessment__window__cohort": scope.cohort,
            "assessment__enrollment__in": scope.enrollments(),
        },
    )
    return GrowthFigures(rows, latest_phase, scale_max)


# --- This week ---------------------------------------------------------------------------------


@dataclass
class Week:
    sessions: list
    meetings: list  # peer group meetings (staff only: coaches do not see group meetings)
    starts: datetime.datetime
    ends: datetime.datetime


def this_week(scope: Scope, now: datetime.datetime, *, sessions=None) -> Week:
    ends = now + WEEK
    if sessions is None:
        sessions = list(
            Session.objects.scheduled()
            .filter(cohort=scope.cohort, starts_at__gte=now, starts_at__lt=ends)
            .order_by("starts_at", "pk")
        )
    meetings = []
    if scope.is_staff:
        meetings = list(
            GroupMeeting.objects.not_cancelled()
            .filter(group__cohort=scope.cohort, starts_at__gte=now, starts_at__lt=ends)
            .select_related("group")
            .order_by("starts_at", "pk")
        )
    return Week(sessions=sessions, meetings=meetings, starts=now, ends=ends)


# --- At risk -----------------------------------------------------------------------------------


@dataclass
class Reason:
    code: str  # missed_sessions, no_coaching, overdue_milestones, no_plan_update, no_coach
    text: str


@dataclass
class AtRiskFellow:
    enrollment: Enrollment
    reasons: list[Reason] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def at_risk(
    scope: Scope,
    today: datetime.date,
    *,
    attendance: AttendanceFigures,
    coaching: CoachingFigures,
    plans: PlanFigures,
) -> list[AtRiskFellow]:
    """Active fellows with at least one reason, most reasons first. No query of its own:
    everything comes from the other figures (plan silence by action_plans.reminders' rule,
    from the plans' last update)."""
    program = scope.program
    update_days = program.at_risk_days_without_plan_update
    since = today - datetime.timedelta(days=update_days)
    silent = {
        p.enrollment_id
        for p in plans.plans
        if p.enrollment.status == EnrollmentStatus.ACTIVE
        and plan_is_silent(
            status=p.status,
            last_update=p.last_update_on,
            status_changed_at=p.status_changed_at,
            since=since,
            cohort=scope.cohort,
        )
    }
    overdue = {p.enrollment_id: p.progress.overdue for p in plans.plans}
    flagged = []
    for row in coaching.active_rows:
        reasons = reasons_for(
            program,
            scope.cohort,
            today,
            missed=attendance.missed_in_a_row.get(row.pk, 0),
            has_coach=bool(row.active_assignments),
            last_coaching=scope.today(row.last_session_at) if row.last_session_at else None,
            overdue=overdue.get(row.pk, 0),
            silent=row.pk in silent,
        )
        if reasons:
            flagged.append(AtRiskFellow(row, reasons))
    flagged.sort(key=lambda f: (-len(f.reasons), f.enrollment.user.full_name))
    return flagged


def reasons_for(
    program,
    cohort,
    today: datetime.date,
    *,
    missed: int,
    has_coach: bool,
    last_coaching: datetime.date | None,
    overdue: int,
    silent: bool,
) -> list[Reason]:
    """Why one active fellow is at risk (the rules of this module's docstring), from the
    facts gathered for a cohort's list (`at_risk`) or for every cohort (`at_risk_counts`)."""
    missed_limit = program.at_risk_missed_sessions
    coaching_days = program.at_risk_days_without_coaching
    reasons = []
    if missed_limit and missed >= missed_limit:
        reasons.append(
            Reason("missed_sessions", f"Missed the last {_plural(missed, 'session')} in a row")
        )
    if not has_coach:
        reasons.append(Reason("no_coach", "No coach assigned"))
    if last_coaching is None:
        since = (today - cohort.start_date).days
        if since > coaching_days:
            reasons.append(
                Reason("no_coaching", f"No coaching session yet, {since} days into the cohort")
            )
    else:
        since = (today - last_coaching).days
        if since > coaching_days:
            reasons.append(Reason("no_coaching", f"No coaching session in {since} days"))
    if overdue:
        reasons.append(Reason("overdue_milestones", _plural(overdue, "overdue milestone")))
    if silent:
        days = program.at_risk_days_without_plan_update
        reasons.append(Reason("no_plan_update", f"No plan update in more than {days} days"))
    return reasons


def at_risk_counts(program, cohorts: list, now: datetime.datetime) -> dict[int, int]:
    """How many active fellows of each cohort are at risk, by `reasons_for`, for all the
    cohorts of a program at once: three queries (the fellows with their coaching and plan
    facts, their attendance marks, their overdue milestones) whatever the number of
    cohorts or fellows. Agrees with the cohort's own at-risk list (tested)."""
    if not cohorts:
        return {}
    by_pk = {c.pk: c for c in cohorts}
    todays = {c.pk: c.local_date(now) for c in cohorts}
    active = {"enrollment__cohort__in": cohorts, "enrollment__status": EnrollmentStatus.ACTIVE}

    completed = CoachingSession.objects.filter(
        enrollment=OuterRef("pk"), status=SessionStatus.COMPLETED
    ).order_by("-starts_at")
    latest_update = ProgressUpdate.objects.filter(plan__enrollment=OuterRef("pk")).order_by(
        "-as_of"
    )
    fellows = (
        Enrollment.objects.filter(cohort__in=cohorts, status=EnrollmentStatus.ACTIVE)
        .annotate(
            has_coach=Exists(CoachAssignment.objects.active().filter(enrollment=OuterRef("pk"))),
            last_session_at=Subquery(completed.values("starts_at")[:1]),
            last_update=Subquery(latest_update.values("as_of")[:1]),
        )
        .values_list(
            "pk",
            "cohort_id",
            "has_coach",
            "last_session_at",
            "last_update",
            "action_plan__status",
            "action_plan__status_changed_at",
        )
    )

    missed: Counter = Counter()
    streak_over: set[int] = set()
    marks = (
        Attendance.objects.filter(
            **active, session__cancelled_at__isnull=True, session__ends_at__lte=now
        )
        .order_by("-session__starts_at", "-session_id")
        .values_list("enrollment_id", "status")
    )
    for enrollment_id, status in marks:  # newest first: the same walk as `missed_in_a_row`
        if enrollment_id in streak_over:
            continue
        if status == AttendanceStatus.ABSENT:
            missed[enrollment_id] += 1
        elif status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
            streak_over.add(enrollment_id)

    overdue: Counter = Counter(
        Milestone.objects.filter(
            goal__plan__enrollment__cohort__in=cohorts,
            goal__plan__enrollment__status=EnrollmentStatus.ACTIVE,
        )
        .overdue(todays)
        .values_list("goal__plan__enrollment_id", flat=True)
    )

    counts = dict.fromkeys(by_pk, 0)
    update_days = program.at_risk_days_without_plan_update
    for pk, cohort_id, has_coach, last_session_at, last_update, status, changed_at in fellows:
        today = todays[cohort_id]
        since = today - datetime.timedelta(days=update_days)
        silent = plan_is_silent(
            status=status,
            last_update=last_update,
            status_changed_at=changed_at,
            since=since,
            cohort=by_pk[cohort_id],
        )
        reasons = reasons_for(
            program,
            by_pk[cohort_id],
            today,
            missed=missed[pk],
            has_coach=has_coach,
            last_coaching=by_pk[cohort_id].local_date(last_session_at) if last_session_at else None,
            overdue=overdue[pk],
            silent=silent,
        )
        counts[cohort_id] += bool(reasons)
    return counts


def at_risk_for(scope: Scope, now: datetime.datetime) -> list[AtRiskFellow]:
    today = scope.today(now)
    # The coaching rows are the fellows in view with cohort access: the other figures
    # take them rather than reading them again.
    coaching_figures = coaching(scope, now)
    fellows = coaching_figures.rows
    return at_risk(
        scope,
        today,
        attendance=attendance(scope, now, fellows=fellows),
        coaching=coaching_figures,
        plans=plans(scope, today, fellows=fellows),
    )


def _sessions_held_and_coming(scope: Scope, now: datetime.datetime):
    """The sessions held (attendance) and those of the coming week, in one query."""
    ends = now + WEEK
    sessions = list(
        Session.objects.scheduled()
        .filter(cohort=scope.cohort)
        .filter(Q(ends_at__lte=now) | Q(starts_at__gte=now, starts_at__lt=ends))
        .order_by("starts_at", "pk")
    )
    held = [s for s in sessions if s.ends_at <= now]
    coming = [s for s in sessions if now <= s.starts_at < ends]
    return held, coming


# --- The dashboard, all at once ----------------------------------------------------------------


@dataclass
class Dashboard:
    scope: Scope
    today: datetime.date
    roster: list[StatusCount]
    attendance: AttendanceFigures
    coaching: CoachingFigures
    plans: PlanFigures
    growth: GrowthFigures
    week: Week
    at_risk: list[AtRiskFellow]

    @property
    def fellows(self) -> int:
        return sum(s.count for s in self.roster if s.value in ACCESS)


def dashboard(scope: Scope, now: datetime.datetime) -> Dashboard:
    today = scope.today(now)
    held, coming = _sessions_held_and_coming(scope, now)
    coaching_figures = coaching(scope, now)
    fellows = coaching_figures.rows  # in view, with cohort access, by name
    attendance_figures = attendance(scope, now, sessions=held, fellows=fellows)
    plan_figures = plans(scope, today, fellows=fellows)
    return Dashboard(
        scope=scope,
        today=today,
        roster=roster_by_status(scope),
        attendance=attendance_figures,
        coaching=coaching_figures,
        plans=plan_figures,
        growth=growth(scope),
        week=this_week(scope, now, sessions=coming),
        at_risk=at_risk(
            scope,
            today,
            attendance=attendance_figures,
            coaching=coaching_figures,
            plans=plan_figures,
        ),
    )


# --- The program view: headline figures per cohort ---------------------------------------------


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
        return _percent(self.used, self.entitled)

    @property
    def percent_done(self) -> int | None:
        return _percent(self.milestones_done, self.milestones)

    @property
    def plans_approved(self) -> int:
        return self.plans.get(PlanStatus.APPROVED, 0) + self.plans.get(PlanStatus.COMPLETED, 0)

    @property
    def growth(self) -> float | None:
        if self.baseline is None or self.latest is None:
            return None
        return round(self.latest - self.baseline, 1)


def program_headlines(program, now: datetime.datetime):
    """The same headline figures for every cohort of the program, oldest first: eleven
    queries whatever the number of cohorts or fellows. Each cohort counts on its own day."""
    cohorts = list(program.cohorts.order_by("start_date", "pk"))
    todays = {c.pk: c.local_date(now) for c in cohorts}
    at_risk_by_cohort = at_risk_counts(program, cohorts, now)
    in_program = {"enrollment__cohort__program": program, "enrollment__status__in": ACCESS}

    # Fellows by status and, in the same query, the active ones without a coach.
    has_coach = CoachAssignment.objects.active().filter(enrollment=OuterRef("pk"))
    statuses: dict[int, dict] = defaultdict(dict)
    without_coach: Counter = Counter()
    for row in (
        Enrollment.objects.filter(cohort__program=program)
        .values("cohort_id", "status")
        .annotate(
            n=Count("pk"),
            without=Count("pk", filter=Q(status=EnrollmentStatus.ACTIVE) & ~Q(Exists(has_coach))),
        )
        .order_by()
    ):
        statuses[row["cohort_id"]][row["status"]] = row["n"]
        without_coach[row["cohort_id"]] += row["without"]

    marks = {
        row["session__cohort_id"]: row
        for row in Attendance.objects.filter(
            session__cohort__program=program,
            session__cancelled_at__isnull=True,
            session__ends_at__lte=now,
        )
        .values("session__cohort_id")
        .annotate(**{s: Count("pk", filter=Q(status=s)) for s in AttendanceStatus.values})
        .order_by()
    }

    coaching_totals = {
        row["enrollment__cohort_id"]: row
        for row in CoachingSession.objects.counting()
        .filter(**in_program)
        .values("enrollment__cohort_id")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by()
    }

    # Plans by status and, in the same query, their milestones (each cohort on its own day).
    milestone = "goals__milestones"
    done = Q(goals__milestones__status=MilestoneStatus.DONE)
    due = Q(pk__in=[])
    for cohort_id, day in todays.items():
        due |= Q(enrollment__cohort_id=cohort_id, goals__milestones__due_date__lt=day)
    plan_counts: dict[int, dict] = defaultdict(dict)
    milestones: dict[int, Counter] = defaultdict(Counter)
    for row in (
        ActionPlan.objects.filter(**in_program)
        .values("enrollment__cohort_id", "status")
        .annotate(
            n=Count("pk", distinct=True),
            total=Count(milestone),
            done=Count(milestone, filter=done),
            overdue=Count(milestone, filter=~done & due),
        )
        .order_by()
    ):
        cohort_id = row["enrollment__cohort_id"]
        plan_counts[cohort_id][row["status"]] = row["n"]
        for key in ("total", "done", "overdue"):
            milestones[cohort_id][key] += row[key]

    averages: dict[int, dict] = defaultdict(dict)
    for row in (
        Rating.objects.filter(assessment__window__cohort__program=program)
        .values("assessment__window__cohort_id", "assessment__window__phase")
        .annotate(avg=Avg("level__value"))
        .order_by()
    ):
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


def _round(value) -> float | None:
    return None if value is None else round(float(value), 1)


def rate_percent(row: RateRow) -> int | None:
    return as_percent(
        attendance_rate(present=row.present, late=row.late, excused=row.excused, absent=row.absent)
    )

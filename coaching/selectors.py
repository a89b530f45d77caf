"""Reads that feed coaching pages, with their joins decided here. None of these touch
PrivateNote except `private_note_for_author`, which needs the author."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from accounts.compiled import CompiledQuery
from accounts.links import code_url
from accounts.models import User
from action_plans.models import PlanStatus
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program

from .burndown import BurndownChart, burndown, burndown_chart
from .entitlement import Entitlement, entitlement_for, entitlement_of
from .matching import CoachMatch, rank, score_coach
from .models import (
    CoachAssignment,
    CoachingPreferences,
    CoachingSession,
    CoachingSessionQuerySet,
    CoachProfile,
    PrivateNote,
    SessionMode,
    SessionStatus,
)


def private_note_for_author(session: CoachingSession, author: User) -> PrivateNote | None:
    """The only way notes are read: by the author, for one session."""
    if session.coach_id != author.pk:
        return None
    return PrivateNote.objects.by(author).filter(session=session).first()


def _with_session_stats(
    queryset: QuerySet[Enrollment], now: datetime.datetime, prefix: str = "coaching_sessions"
) -> QuerySet[Enrollment]:
    counting = Q(**{f"{prefix}__status__in": SessionStatus.counting()})
    return queryset.annotate(
        counting_sessions=Count(f"{prefix}", filter=counting),
        counting_minutes=Sum(f"{prefix}__duration_minutes", filter=counting),
        last_session_at=Max(
            f"{prefix}__starts_at", filter=Q(**{f"{prefix}__status": SessionStatus.COMPLETED})
        ),
        next_session_at=Min(
            f"{prefix}__starts_at",
            filter=Q(
                **{f"{prefix}__status": SessionStatus.SCHEDULED, f"{prefix}__starts_at__gte": now}
            ),
        ),
    )


# `enrollment` carries the annotations of `_with_session_stats`.
def attach_entitlement(enrollment: Any, today: datetime.date | None = None) -> Any:
    """Sets `enrollment.entitlement` from the annotations of `_with_session_stats`. Pace is
    measured on the cohort's calendar, as the burn-down chart is, whoever is looking."""
    enrollment.entitlement = entitlement_for(
        program=enrollment.cohort.program,
        cohort=enrollment.cohort,
        counting_sessions=enrollment.counting_sessions,
        counting_minutes=enrollment.counting_minutes or 0,
        today=today or enrollment.cohort.local_date(),
    )
    return enrollment


def enrollment_with_stats(enrollment_pk: int, now: datetime.datetime | None = None) -> Any:
    now = now or timezone.now()
    enrollment = (
        _with_session_stats(Enrollment.objects.filter(pk=enrollment_pk), now)
        .select_related("cohort__program", "user")
        .get()
    )
    return attach_entitlement(enrollment)


_active_assignments = Prefetch(
    "coach_assignments",
    queryset=CoachAssignment.objects.active().select_related("coach"),
    to_attr="active_assignments",
)


# The coach home's queries are asked by every coach several times a day: each is compiled to
# SQL once per process and run again with the coach's values (accounts/compiled.py), and
# its rows become the light objects below rather than model instances.
_FELLOWS_QUERY = CompiledQuery()
_SESSIONS_QUERY = CompiledQuery()
_MONTH_QUERY = CompiledQuery()

_PLAN_STATUS_LABELS = dict(PlanStatus.choices)


@dataclass(frozen=True)
class CoachFellow:
    """One row of the coach home's table of fellows."""

    code: uuid.UUID
    full_name: str
    title: str
    agency: str
    state: str
    plan_code: uuid.UUID | None
    plan_status: str | None
    last_session_at: datetime.datetime | None
    next_session_at: datetime.datetime | None
    entitlement: Entitlement

    @property
    def plan_url(self) -> str:
        return code_url("action_plans:plan_detail", self.plan_code) if self.plan_code else ""

    @property
    def plan_status_label(self) -> str:
        if self.plan_status is None:
            return ""
        return _PLAN_STATUS_LABELS.get(self.plan_status, self.plan_status)


_FELLOW_FIELDS = (
    "code",
    "title",
    "agency",
    "state",
    "user__full_name",
    "action_plan__code",
    "action_plan__status",
    "cohort__start_date",
    "cohort__end_date",
    "cohort__time_zone",
    "cohort__program__coaching_entitlement_unit",
    "cohort__program__coaching_entitlement_amount",
    "cohort__program__coaching_behind_pace_percent",
    "cohort__program__coaching_running_low_percent",
    "counting_sessions",
    "counting_minutes",
    "last_session_at",
    "next_session_at",
)


def _coach_fellows_query(values: Mapping[str, Any]) -> QuerySet:
    return (
        _with_session_stats(
            Enrollment.objects.filter(
                coach_assignments__coach_id=values["coach_id"],
                coach_assignments__ended_at__isnull=True,
            ),
            values["now"],
        )
        .order_by("user__full_name")
        .values(*_FELLOW_FIELDS)
    )


def coach_fellows(coach: User, now: datetime.datetime | None = None) -> list[CoachFellow]:
    """The coach's current fellows with plan status, last and next session, entitlement."""
    now = now or timezone.now()
    rows = _FELLOWS_QUERY.rows(
        "coach_fellows", {"coach_id": coach.pk, "now": now}, _coach_fellows_query
    )
    today_in: dict[str, datetime.date] = {}  # pace counts on each cohort's own calendar
    fellows = []
    for row in rows:
        zone = row["cohort__time_zone"]
        if zone not in today_in:
            today_in[zone] = Cohort(time_zone=zone).local_date(now)
        fellows.append(
            CoachFellow(
                code=row["code"],
                full_name=row["user__full_name"],
                title=row["title"],
                agency=row["agency"],
                state=row["state"],
                plan_code=row["action_plan__code"],
                plan_status=row["action_plan__status"],
                last_session_at=row["last_session_at"],
                next_session_at=row["next_session_at"],
                entitlement=entitlement_of(
                    unit=row["cohort__program__coaching_entitlement_unit"],
                    amount=row["cohort__program__coaching_entitlement_amount"],
                    behind_pace_percent=row["cohort__program__coaching_behind_pace_percent"],
                    running_low_percent=row["cohort__program__coaching_running_low_percent"],
                    start=row["cohort__start_date"],
                    end=row["cohort__end_date"],
                    counting_sessions=row["counting_sessions"],
                    counting_minutes=row["counting_minutes"] or 0,
                    today=today_in[zone],
                ),
            )
        )
    return fellows


@dataclass(frozen=True)
class CoachSession:
    """A session in the coach home's lists."""

    code: uuid.UUID
    starts_at: datetime.datetime
    duration_minutes: int
    mode: str
    fellow_name: str

    @property
    def url(self) -> str:
        return code_url("coaching:session_detail", self.code)

    @property
    def mode_label(self) -> str:
        return _MODE_LABELS.get(self.mode, self.mode)


def _coach_sessions_query(which: str, limit: int | None) -> Callable[[Mapping], QuerySet]:
    def build(values: Mapping[str, Any]) -> QuerySet:
        sessions = CoachingSession.objects.filter(coach_id=values["coach_id"])
        if which == "to_log":
            sessions = sessions.to_log(values["now"])
        else:
            sessions = sessions.upcoming(values["now"])
        sessions = sessions.order_by("starts_at").values(
            "code", "starts_at", "duration_minutes", "mode", "enrollment__user__full_name"
        )
        return sessions[:limit] if limit is not None else sessions

    return build


def _coach_sessions(
    which: str, coach: User, now: datetime.datetime | None, limit: int | None = None
) -> list[CoachSession]:
    values = {"coach_id": coach.pk, "now": now or timezone.now()}
    rows = _SESSIONS_QUERY.rows((which, limit), values, _coach_sessions_query(which, limit))
    return [
        CoachSession(
            code=row["code"],
            starts_at=row["starts_at"],
            duration_minutes=row["duration_minutes"],
            mode=row["mode"],
            fellow_name=row["enrollment__user__full_name"],
        )
        for row in rows
    ]


def sessions_to_log(coach: User, now: datetime.datetime | None = None) -> list[CoachSession]:
    """Sessions whose time has passed that the coach has not logged, earliest first."""
    return _coach_sessions("to_log", coach, now)


def upcoming_sessions_for_coach(
    coach: User, now: datetime.datetime | None = None, limit: int = 10
) -> list[CoachSession]:
    return _coach_sessions("upcoming", coach, now, limit)


def month_bounds(
    coach: User, now: datetime.datetime | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """This calendar month in the coach's own zone, as aware datetimes: the coach's hours
    are one figure whoever looks and whichever cohorts' fellows they coach."""
    local = (now or timezone.now()).astimezone(ZoneInfo(coach.time_zone))
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end.replace(tzinfo=start.tzinfo)


@dataclass(frozen=True)
class CoachMonth:
    """The coach home's headline: hours coached this month and the coach's capacity."""

    capacity: int
    hours: float
    month_start: datetime.datetime


def _coach_month_query(values: Mapping[str, Any]) -> QuerySet:
    minutes = (
        CoachingSession.objects.counting()
        .filter(coach_id=OuterRef("user_id"), starts_at__gte=values["start"])
        .filter(starts_at__lt=values["end"])
        .order_by()
        .values("coach_id")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    return CoachProfile.objects.filter(user_id=values["coach_id"]).values(
        "capacity", minutes=Subquery(minutes)
    )


def coach_month(coach: User, now: datetime.datetime | None = None) -> CoachMonth | None:
    """None when the person has no coach profile."""
    start, end = month_bounds(coach, now)
    row = _MONTH_QUERY.first(
        "coach_month", {"coach_id": coach.pk, "start": start, "end": end}, _coach_month_query
    )
    if not row:
        return None
    return CoachMonth(row["capacity"], round((row["minutes"] or 0) / 60, 1), start)


def hours_this_month(coach: User, now: datetime.datetime | None = None) -> float:
    month = coach_month(coach, now)
    return month.hours if month else 0.0


def coach_sessions(coach: User, *, query: str = "", status: str = "") -> QuerySet[CoachingSession]:
    """The coach's sessions, searchable by fellow, topics and shared summary (never notes)."""
    sessions = CoachingSession.objects.filter(coach=coach).select_related("enrollment__user")
    if status in SessionStatus.values:
        sessions = sessions.filter(status=status)
    if query:
        sessions = sessions.filter(
            Q(enrollment__user__full_name__icontains=query)
            | Q(topics__icontains=query)
            | Q(shared_summary__icontains=query)
        )
    return sessions.prefetch_related("competencies").order_by("-starts_at")


def sessions_of_enrollment(enrollment: Enrollment) -> QuerySet[CoachingSession]:
    return (
        CoachingSession.objects.filter(enrollment=enrollment)
        .select_related("coach")
        .prefetch_related("competencies")
        .order_by("-starts_at")
    )


def assignment_history(enrollment: Enrollment) -> QuerySet[CoachAssignment]:
    return (
        CoachAssignment.objects.filter(enrollment=enrollment)
        .select_related("coach", "assigned_by")
        .order_by("-started_at")
    )


def cohort_fellows(cohort: Cohort) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(
        cohort=cohort, status__in=EnrollmentStatus.with_cohort_access()
    )


def coverage_rows(cohort: Cohort, now: datetime.datetime | None = None) -> list[Any]:
    """Per fellow of the cohort: coach, sessions used, last and next session, pace."""
    now = now or timezone.now()
    enrollments = (
        _with_session_stats(cohort_fellows(cohort), now)
        .select_related("user", "cohort__program")
        .prefetch_related(_active_assignments)
        .order_by("user__full_name", "pk")
    )
    return [attach_entitlement(e) for e in enrollments]


def fellows_without_coach(cohort: Cohort) -> QuerySet[Enrollment]:
    has_coach = CoachAssignment.objects.active().filter(enrollment=OuterRef("pk"))
    return (
        cohort.enrollments.filter(status=EnrollmentStatus.ACTIVE)
        .exclude(Exists(has_coach))
        .select_related("user")
        .order_by("user__full_name")
    )


def count_without_coach(rows: Iterable[Any]) -> int:
    """Active fellows among `coverage_rows` with no active coach."""
    return sum(1 for r in rows if r.status == EnrollmentStatus.ACTIVE and not r.active_assignments)


def coverage_summary(cohort: Cohort, now: datetime.datetime | None = None) -> dict[str, int]:
    rows = coverage_rows(cohort, now)
    active = [r for r in rows if r.status == EnrollmentStatus.ACTIVE]
    without_coach = count_without_coach(rows)
    return {
        "fellows": len(active),
        "with_coach": len(active) - without_coach,
        "without_coach": without_coach,
        "behind": sum(1 for r in active if r.entitlement.pace == "behind"),
        "running_low": sum(1 for r in active if r.entitlement.pace in ("running_low", "used_up")),
        "sessions": sum(r.counting_sessions for r in rows),
    }


def coach_profile_detail(profile: CoachProfile) -> CoachProfile:
    """One coach's profile with expertise, programs and how many fellows they coach now."""
    return (
        CoachProfile.objects.select_related("user")
        .prefetch_related("expertise__domain", "programs")
        .annotate(
            active_count=Count(
                "user__coach_assignments",
                filter=Q(user__coach_assignments__ended_at__isnull=True),
            )
        )
        .get(pk=profile.pk)
    )


def preferences_of(enrollment: Enrollment) -> CoachingPreferences | None:
    """The fellow's coaching preferences, or None before they first save them."""
    return CoachingPreferences.objects.filter(enrollment=enrollment).first()


def program_coaches(program: Program) -> QuerySet[CoachProfile]:
    """The coaches of a program with their active assignments, overall (capacity) and in
    this program (which keep them from being removed from it)."""
    active = Q(user__coach_assignments__ended_at__isnull=True)
    return (
        CoachProfile.objects.filter(programs=program)
        .select_related("user")
        .prefetch_related("expertise")
        .annotate(
            active_count=Count("user__coach_assignments", filter=active, distinct=True),
            program_active_count=Count(
                "user__coach_assignments",
                filter=active & Q(user__coach_assignments__enrollment__cohort__program=program),
                distinct=True,
            ),
        )
    )


def coach_matches(enrollment: Enrollment) -> list[CoachMatch]:
    """Every coach of the enrollment's program, scored and ranked (coaching/matching.py)."""
    from curriculum.models import Competency

    profiles = (
        CoachProfile.objects.filter(programs=enrollment.cohort.program_id)
        .select_related("user")
        .prefetch_related("expertise")
        .annotate(
            active_count=Count(
                "user__coach_assignments",
                filter=Q(user__coach_assignments__ended_at__isnull=True),
                distinct=True,
            )
        )
    )
    plan_competencies = {
        c.pk: c.name for c in Competency.objects.filter(action_plans__enrollment=enrollment)
    }
    prefs = getattr(enrollment, "coaching_preferences", None)
    languages = prefs.language_list if prefs else []
    matches = [
        score_coach(
            profile=p,
            active_count=p.active_count,
            expertise_ids={c.pk for c in p.expertise.all()},
            plan_competency_ids=set(plan_competencies),
            fellow_languages=languages,
            fellow_state=enrollment.state,
            fellow_agency=enrollment.agency,
            competency_names=plan_competencies,
        )
        for p in profiles
    ]
    return rank(matches)


_MODE_LABELS: dict[str, str] = dict(SessionMode.choices)
_STATUS_LABELS: dict[str, str] = dict(SessionStatus.choices)
_COUNTING = frozenset(SessionStatus.counting())


@dataclass(frozen=True)
class ExportSession:
    """One row of the coaching-hours exports: facts only, in plain values."""

    fellow_name: str
    fellow_email: str
    fellow_state: str
    fellow_agency: str
    coach_name: str
    starts_at: datetime.datetime
    duration_minutes: int
    mode: str
    status: str
    competencies: tuple[str, ...]

    # Read once per row of a file of thousands: plain lookups, no enum built per row.
    @property
    def mode_label(self) -> str:
        return _MODE_LABELS[self.mode]

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS[self.status]

    @property
    def counts_against_entitlement(self) -> bool:
        return self.status in _COUNTING


# The fields of ExportSession filled from the columns between the pk and the competency name.
_EXPORT_FIELDS = [f.name for f in fields(ExportSession) if f.name != "competencies"]
_EXPORT_COLUMNS = (
    "pk",
    "enrollment__user__full_name",
    "enrollment__user__email",
    "enrollment__state",
    "enrollment__agency",
    "coach__full_name",
    "starts_at",
    "duration_minutes",
    "mode",
    "status",
    "competencies__name",
)


def export_sessions(cohort: Cohort, coach: User | None = None) -> Iterator[ExportSession]:
    """Facts for the coaching-hours CSVs: no topics, summary, reflection or notes.

    One query whatever the number of sessions, read as plain values through a cursor (no model
    instances, no prefetch per batch): one row per session and competency, in the order of
    the file, folded here into one `ExportSession` per session."""
    sessions = CoachingSession.objects.filter(enrollment__cohort=cohort)
    if coach is not None:
        sessions = sessions.filter(
            enrollment__coach_assignments__coach=coach,
            enrollment__coach_assignments__ended_at__isnull=True,
        )
    rows = sessions.order_by(
        "enrollment__user__full_name",
        "starts_at",
        "pk",
        "competencies__domain__order",
        "competencies__order",
        "competencies__name",
    ).values_list(*_EXPORT_COLUMNS)
    for _pk, group in groupby(rows.iterator(), key=itemgetter(0)):
        first, *rest = group
        names = [first[-1], *(row[-1] for row in rest)]
        facts = dict(zip(_EXPORT_FIELDS, first[1:-1], strict=True))
        yield ExportSession(**facts, competencies=tuple(n for n in names if n is not None))


def _burndown_for(
    cohort: Cohort,
    sessions: CoachingSessionQuerySet,
    fellows: int,
    now: datetime.datetime | None = None,
) -> BurndownChart:
    """One query: the counting sessions' start and length, as days in the cohort's zone."""
    program = cohort.program
    zone = ZoneInfo(cohort.time_zone)
    today = cohort.local_date(now)
    amount = Decimal(program.coaching_entitlement_amount) * fellows
    rows = sessions.counting().values_list("starts_at", "duration_minutes").order_by()
    points = burndown(
        unit=program.coaching_entitlement_unit,
        amount=amount,
        start=cohort.start_date,
        end=cohort.end_date,
        sessions=[(timezone.localtime(s, zone).date(), m) for s, m in rows],
        today=today,
    )
    return burndown_chart(
        points,
        unit=program.coaching_entitlement_unit,
        amount=amount,
        start=cohort.start_date,
        end=cohort.end_date,
        today=today,
    )


def enrollment_burndown(
    enrollment: Enrollment, now: datetime.datetime | None = None
) -> BurndownChart:
    """The fellow's burn-down chart (coaching/burndown.py)."""
    sessions = CoachingSession.objects.filter(enrollment=enrollment)
    return _burndown_for(enrollment.cohort, sessions, 1, now)


def cohort_burndown(
    cohort: Cohort, enrollments: Iterable[Enrollment], now: datetime.datetime | None = None
) -> BurndownChart:
    """The entitlement of all `enrollments` together, burnt down over the cohort year."""
    ids = [e.pk for e in enrollments]
    sessions = CoachingSession.objects.filter(enrollment_id__in=ids)
    return _burndown_for(cohort, sessions, len(ids), now)


@dataclass
class Proposal:
    """One fellow without a coach, the coaches they may have (best first) and the one the
    balanced proposal gives them (None when every coach is full or in conflict)."""

    enrollment: Enrollment
    matches: list
    proposed: CoachProfile | None


def cohort_coach_proposals(cohort: Cohort) -> tuple[list[Proposal], Sequence[CoachProfile]]:
    """A coach for every active fellow of the cohort who has none, by the ranking of
    matching.py, balanced so no coach goes over capacity: fellows with the fewest possible
    coaches choose first, and each proposal takes a place from the coach's capacity before
    the next fellow is scored. A fixed number of queries whatever the cohort's size."""
    from curriculum.models import Competency

    profiles = list(
        CoachProfile.objects.filter(programs=cohort.program_id)
        .select_related("user")
        .prefetch_related("expertise")
        .annotate(
            active_count=Count(
                "user__coach_assignments",
                filter=Q(user__coach_assignments__ended_at__isnull=True),
                distinct=True,
            )
        )
        .order_by("user__full_name")
    )
    fellows = list(fellows_without_coach(cohort).select_related("coaching_preferences"))
    plan_competencies: dict[int, dict[int, str]] = {}
    for enrollment_id, pk, name in Competency.objects.filter(
        action_plans__enrollment__in=[f.pk for f in fellows]
    ).values_list("action_plans__enrollment_id", "pk", "name"):
        plan_competencies.setdefault(enrollment_id, {})[pk] = name
    expertise = {p.pk: {c.pk for c in p.expertise.all()} for p in profiles}
    load = {p.pk: p.active_count for p in profiles}

    def matches_for(enrollment: Enrollment) -> list[CoachMatch]:
        competencies = plan_competencies.get(enrollment.pk, {})
        prefs = getattr(enrollment, "coaching_preferences", None)
        return rank(
            [
                score_coach(
                    profile=p,
                    active_count=load[p.pk],
                    expertise_ids=expertise[p.pk],
                    plan_competency_ids=set(competencies),
                    fellow_languages=prefs.language_list if prefs else [],
                    fellow_state=enrollment.state,
                    fellow_agency=enrollment.agency,
                    competency_names=competencies,
                )
                for p in profiles
            ]
        )

    def choices(enrollment: Enrollment) -> int:
        return sum(1 for m in matches_for(enrollment) if not m.conflict)

    proposals = {}
    for enrollment in sorted(fellows, key=lambda f: (choices(f), f.user.full_name)):
        matches = matches_for(enrollment)
        best = next((m.profile for m in matches if m.eligible), None)
        if best is not None:
            load[best.pk] += 1
        proposals[enrollment.pk] = Proposal(enrollment, matches, best)
    return [proposals[f.pk] for f in fellows], profiles

"""CSV exports: streamed row by row, every text cell made safe for spreadsheets.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula,
so such cells get a leading apostrophe. Times are given in UTC and the column says so.
Coaching exports carry the facts of sessions only: never summaries, reflections or notes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from coaching.models import CoachAssignment
from coaching.selectors import export_sessions
from cohorts.models import Enrollment
from curriculum.models import AssessmentWindow, Attendance, Rating, Session

from .access import Scope
from .metrics import plan_progress_rows


def _utc(moment: datetime.datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M}"


def _date(day: datetime.date | None) -> str:
    return "" if day is None else day.isoformat()


# --- Each export: a header and the rows ------------------------------------------------------


def _labels(model, field: str) -> dict:
    """A choice field's stored value -> its label, for rows read as plain values."""
    return dict(model._meta.get_field(field).flatchoices)


def roster_rows(scope: Scope, now) -> Iterator[list]:
    # Plain values through one cursor: no model instances, no prefetch per batch.
    active_coach = CoachAssignment.objects.active().filter(enrollment=OuterRef("pk"))
    enrollments = (
        scope.enrollments()
        .annotate(coach_name=Subquery(active_coach.values("coach__full_name")[:1]))
        .order_by("user__full_name", "pk")
        .values_list(
            "user__full_name",
            "user__email",
            "state",
            "agency",
            "title",
            "sector",
            "status",
            "coach_name",
            "withdrawn_on",
            "partner__name",
        )
    )
    states = _labels(Enrollment, "state")
    sectors = _labels(Enrollment, "sector")
    statuses = _labels(Enrollment, "status")
    for (
        name,
        email,
        state,
        agency,
        title,
        sector,
        status,
        coach,
        withdrawn,
        partner,
    ) in enrollments.iterator():
        yield [
            name,
            email,
            states.get(state, state),
            agency,
            title,
            sectors.get(sector, sector),
            statuses.get(status, status),
            coach or "",
            _date(withdrawn),
            partner or "",
        ]


def attendance_rows(scope: Scope, now) -> Iterator[list]:
    marks = (
        Attendance.objects.filter(
            session__cohort=scope.cohort,
            session__cancelled_at__isnull=True,
            enrollment__in=scope.enrollments(),
        )
        .order_by("session__starts_at", "session__pk", "day_number", "enrollment__user__full_name")
        .values_list(
            "enrollment__user__full_name",
            "enrollment__user__email",
            "session__title",
            "session__kind",
            "session__starts_at",
            "session__ends_at",
            "day_number",
            "status",
        )
    )
    kinds = _labels(Session, "kind")
    statuses = _labels(Attendance, "status")
    cohort = scope.cohort
    first_days: dict[datetime.datetime, datetime.date] = {}  # a session's day, worked out once
    for name, email, title, kind, starts_at, ends_at, day_number, status in marks.iterator():
        # The day of the mark on the cohort's calendar: a two-day gathering has one per day.
        if starts_at not in first_days:
            first_days[starts_at] = cohort.local_date(starts_at)
        day = first_days[starts_at] + datetime.timedelta(days=day_number - 1)
        yield [
            name,
            email,
            title,
            kinds.get(kind, kind),
            _utc(starts_at),
            _utc(ends_at),
            _date(day),
            statuses.get(status),
        ]


def coaching_rows(scope: Scope, now) -> Iterator[list]:
    """The facts coaching's own export selector gives: no topics, summaries or notes."""
    sessions = export_sessions(scope.cohort, coach=scope.coach)
    for s in sessions:
        yield [
            s.fellow_name,
            s.fellow_email,
            s.coach_name,
            _utc(s.starts_at),
            s.duration_minutes,
            f"{s.duration_minutes / 60:.2f}",
            s.mode_label,
            s.status_label,
            "yes" if s.counts_against_entitlement else "no",
            "; ".join(s.competencies),
        ]


def plan_rows(scope: Scope, now) -> Iterator[list]:
    for p in plan_progress_rows(scope, scope.today(now)):
        yield [
            p.fellow,
            p.email,
            p.title,
            p.status,
            "; ".join(p.focus_levels),
            p.milestones,
            p.done,
            p.on_track,
            p.overdue,
            _date(p.last_update_on),
            p.last_signal,
        ]


def assessment_rows(scope: Scope, now) -> Iterator[list]:
    ratings = (
        Rating.objects.filter(
            assessment__window__cohort=scope.cohort,
            assessment__enrollment__in=scope.enrollments(),
        )
        .order_by(
            "assessment__enrollment__user__full_name",
            "assessment__window__opens_on",
            "competency__domain__order",
            "competency__order",
            "pk",
        )
        .values_list(
            "assessment__enrollment__user__full_name",
            "assessment__enrollment__user__email",
            "assessment__window__phase",
            "assessment__submitted_at",
            "competency__domain__name",
            "competency__name",
            "level__value",
            "level__label",
        )
    )
    phases = _labels(AssessmentWindow, "phase")
    for name, email, phase, submitted, domain, competency, value, label in ratings.iterator():
        yield [
            name,
            email,
            phases.get(phase, phase),
            _utc(submitted),
            domain,
            competency,
            value,
            label,
        ]


@dataclass(frozen=True)
class Export:
    slug: str
    title: str
    header: list[str]
    rows: object  # (scope, now) -> iterator of lists


EXPORTS = {
    e.slug: e
    for e in [
        Export(
            "roster",
            "Roster",
            [
                "Fellow",
                "Email",
                "State or territory",
                "Agency",
                "Title",
                "Sector",
                "Status",
                "Coach",
                "Withdrawn on",
                "Sponsoring partner",
            ],
            roster_rows,
        ),
        Export(
            "attendance",
            "Attendance",
            [
                "Fellow",
                "Email",
                "Session",
                "Kind",
                "Starts (UTC)",
                "Ends (UTC)",
                "Day (cohort's calendar)",
                "Attendance",
            ],
            attendance_rows,
        ),
        Export(
            "coaching-hours",
            "Coaching hours",
            [
                "Fellow",
                "Email",
                "Coach",
                "Starts (UTC)",
                "Duration (minutes)",
                "Hours",
                "Mode",
                "Status",
                "Counts against entitlement",
                "Competencies",
            ],
            coaching_rows,
        ),
        Export(
            "plan-progress",
            "Plan progress",
            [
                "Fellow",
                "Email",
                "Plan",
                "Plan status",
                "Focus levels",
                "Milestones",
                "Done",
                "On track",
                "Overdue",
                "Last update",
                "Last signal",
            ],
            plan_rows,
        ),
        Export(
            "self-assessments",
            "Self-assessment results",
            [
                "Fellow",
                "Email",
                "Phase",
                "Submitted (UTC)",
                "Domain",
                "Competency",
                "Level",
                "Level label",
            ],
            assessment_rows,
        ),
    ]
}

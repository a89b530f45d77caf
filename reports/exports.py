"""CSV exports: streamed row by row, every text cell made safe for spreadsheets.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula,
so such cells get a leading apostrophe. Times are given in UTC and the column says so.
Coaching exports carry the facts of sessions only: never summaries, reflections or notes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch

from action_plans.models import ProgressSignal
from coaching.models import CoachAssignment
from coaching.selectors import export_sessions
from curriculum.models import Attendance, Rating

from .access import Scope
from .metrics import plans as plan_figures

CHUNK = 500


def _utc(moment: datetime.datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M}"


def _date(day: datetime.date | None) -> str:
    return "" if day is None else day.isoformat()


# --- Each export: a header and the rows ------------------------------------------------------


def roster_rows(scope: Scope, now) -> Iterator[list]:
    enrollments = (
        scope.enrollments()
        .select_related("user", "partner")
        .prefetch_related(
            Prefetch(
                "coach_assignments",
                queryset=CoachAssignment.objects.active().select_related("coach"),
                to_attr="active_assignments",
            )
        )
        .order_by("user__full_name", "pk")
    )
    for e in enrollments.iterator(chunk_size=CHUNK):
        coach = e.active_assignments[0].coach.full_name if e.active_assignments else ""
        yield [
            e.user.full_name,
            e.user.email,
            e.get_state_display(),
            e.agency,
            e.title,
            e.get_sector_display(),
            e.get_status_display(),
            coach,
            _date(e.withdrawn_on),
            e.partner.name if e.partner else "",
        ]


def attendance_rows(scope: Scope, now) -> Iterator[list]:
    marks = (
        Attendance.objects.filter(
            session__cohort=scope.cohort,
            session__cancelled_at__isnull=True,
            enrollment__in=scope.enrollments(),
        )
        .select_related("session", "enrollment__user")
        .order_by("session__starts_at", "session__pk", "enrollment__user__full_name")
    )
    for a in marks.iterator(chunk_size=CHUNK):
        yield [
            a.enrollment.user.full_name,
            a.enrollment.user.email,
            a.session.title,
            a.session.get_kind_display(),
            _utc(a.session.starts_at),
            a.get_status_display(),
        ]


def coaching_rows(scope: Scope, now) -> Iterator[list]:
    """The facts coaching's own export selector gives: no topics, summaries or notes."""
    sessions = export_sessions(scope.cohort, coach=scope.coach)
    for s in sessions.iterator(chunk_size=CHUNK):
        yield [
            s.enrollment.user.full_name,
            s.enrollment.user.email,
            s.coach.full_name,
            _utc(s.starts_at),
            s.duration_minutes,
            f"{s.duration_minutes / 60:.2f}",
            s.get_mode_display(),
            s.get_status_display(),
            "yes" if s.counts_against_entitlement else "no",
            "; ".join(c.name for c in s.competencies.all()),
        ]


def plan_rows(scope: Scope, now) -> Iterator[list]:
    for p in plan_figures(scope, scope.today(now)).plans:
        yield [
            p.enrollment.user.full_name,
            p.enrollment.user.email,
            p.title,
            p.get_status_display(),
            "; ".join(p.focus_level_labels()),
            p.progress.total,
            p.progress.done,
            p.progress.total - p.progress.done - p.progress.overdue,
            p.progress.overdue,
            _date(p.last_update_on),
            ProgressSignal(p.last_signal).label if p.last_signal else "",
        ]


def assessment_rows(scope: Scope, now) -> Iterator[list]:
    ratings = (
        Rating.objects.filter(
            assessment__window__cohort=scope.cohort,
            assessment__enrollment__in=scope.enrollments(),
        )
        .select_related(
            "assessment__window", "assessment__enrollment__user", "competency__domain", "level"
        )
        .order_by(
            "assessment__enrollment__user__full_name",
            "assessment__window__opens_on",
            "competency__domain__order",
            "competency__order",
            "pk",
        )
    )
    for r in ratings.iterator(chunk_size=CHUNK):
        yield [
            r.assessment.enrollment.user.full_name,
            r.assessment.enrollment.user.email,
            r.assessment.window.get_phase_display(),
            _utc(r.assessment.submitted_at),
            r.competency.domain.name,
            r.competency.name,
            r.level.value,
            r.level.label,
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
            ["Fellow", "Email", "Session", "Kind", "Starts (UTC)", "Attendance"],
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

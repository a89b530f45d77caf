"""Selectors of the panels curriculum shows on other apps' pages. The fellow's start page
(cohorts/home.py): the open self-assessment window and whether they rated themselves in it
(figures of the enrollment row), the next sessions and the assignments left to hand in. The
cohort page: the next sessions. A fellow's enrollment page: their attendance totals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.compiled import CompiledQuery
from cohorts.home import Figure, HomePanel, HomeView

from .models import (
    AssessmentWindow,
    Assignment,
    Attendance,
    AttendanceStatus,
    SelfAssessment,
    Session,
)
from .selectors import RateRow, next_sessions


def _open_window(view: HomeView, cohort: OuterRef) -> QuerySet[AssessmentWindow]:
    return AssessmentWindow.objects.filter(
        cohort_id=cohort, opens_on__lte=view.today, closes_on__gte=view.today
    ).order_by("opens_on")


def _annotations(view: HomeView) -> dict[str, Figure]:
    if not view.is_active:
        return {}
    window = _open_window(view, OuterRef("cohort_id"))
    return {
        "curriculum_window_id": Subquery(window.values("pk")[:1]),
        "curriculum_window_code": Subquery(window.values("code")[:1]),
        "curriculum_window_phase": Subquery(window.values("phase")[:1]),
        "curriculum_window_closes_on": Subquery(window.values("closes_on")[:1]),
        "curriculum_window_done": Exists(
            SelfAssessment.objects.filter(
                enrollment=OuterRef("pk"),
                window=Subquery(
                    _open_window(view, OuterRef(OuterRef("cohort_id"))).values("pk")[:1]
                ),
            )
        ),
    }


def _build(view: HomeView, figures: Mapping[str, Any]) -> dict[str, Any]:
    enrollment = view.enrollment
    window = None
    if figures.get("curriculum_window_id") is not None:
        window = AssessmentWindow(
            pk=figures["curriculum_window_id"],
            code=figures["curriculum_window_code"],
            phase=figures["curriculum_window_phase"],
            closes_on=figures["curriculum_window_closes_on"],
            cohort_id=enrollment.cohort_id,
        )
    return {
        "enrollment": enrollment,
        "cohort": enrollment.cohort,
        "sessions": _home_next_sessions(view),
        "window": window,
        "window_done": window is not None and bool(figures["curriculum_window_done"]),
        "assignments": _home_open_assignments(view) if view.is_active else [],
    }


# The start page's next sessions (as selectors.next_sessions() reads them) and the
# assignments the fellow has not handed in: only the columns the panel shows, and their SQL
# kept (accounts/compiled.py).
_NEXT_SESSIONS = CompiledQuery()
_OPEN_ASSIGNMENTS = CompiledQuery()
HOME_SESSIONS = 3
HOME_ASSIGNMENTS = 3


def _home_next_sessions(view: HomeView) -> list[Session]:
    values = {"cohort_id": view.enrollment.cohort_id, "now": view.now}
    rows = _NEXT_SESSIONS.rows(
        "next",
        values,
        lambda values: (
            Session.objects.scheduled()
            .filter(cohort_id=values["cohort_id"], ends_at__gt=values["now"])
            .order_by("starts_at")
            .values("pk", "code", "cohort_id", "title", "venue", "starts_at", "ends_at")[
                :HOME_SESSIONS
            ]
        ),
    )
    return [Session(**row) for row in rows]


def _home_open_assignments(view: HomeView) -> list[Assignment]:
    values = {"cohort_id": view.enrollment.cohort_id, "enrollment_id": view.enrollment.pk}
    rows = _OPEN_ASSIGNMENTS.rows(
        "open",
        values,
        lambda values: (
            Assignment.objects.filter(module__cohort_id=values["cohort_id"])
            .exclude(submissions__enrollment_id=values["enrollment_id"])
            .order_by("due_at")
            .values("pk", "code", "module_id", "title", "due_at")[:HOME_ASSIGNMENTS]
        ),
    )
    return [Assignment(**row) for row in rows]


FELLOW_HOME_PANEL = HomePanel(
    name="curriculum",
    template="curriculum/partials/panel_fellow_home.html",
    order=10,
    annotations=_annotations,
    build=_build,
)


def cohort_panel(cohort: Any, can_manage: bool) -> dict[str, Any]:
    return {"cohort": cohort, "can_manage": can_manage, "sessions": next_sessions(cohort, limit=2)}


def enrollment_panel(enrollment: Any, can_manage: bool) -> dict[str, Any]:
    """The fellow's attendance totals over the session days held so far, in one query."""
    held = Session.objects.held_before(timezone.now()).filter(cohort_id=enrollment.cohort_id)
    totals = dict.fromkeys(AttendanceStatus.values, 0)
    for status, n in (
        Attendance.objects.filter(enrollment=enrollment, session__in=held)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        totals[status] = n
    return {
        "enrollment": enrollment,
        "can_manage": can_manage,
        "totals": RateRow(enrollment, **totals),
    }

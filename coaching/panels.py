"""Selectors of the panels coaching shows on other apps' pages. The fellow's start page
(cohorts/home.py): the coach, the next session and the entitlement used, all figures of the
enrollment row. The cohort page: coverage for staff. A fellow's enrollment page: the
assignment history, for staff, the fellow and their coach. Who may see what is decided here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import OuterRef, Subquery, Sum

from cohorts.home import Figure, HomePanel, HomeView, SubqueryCount
from cohorts.roles import is_fellow_of

from . import selectors
from .entitlement import entitlement_for
from .models import CoachAssignment, CoachingSession, SessionStatus
from .roles import is_active_coach_of


def _annotations(view: HomeView) -> dict[str, Figure]:
    coach = (
        CoachAssignment.objects.active().filter(enrollment=OuterRef("pk")).order_by("-started_at")
    )
    upcoming = (
        CoachingSession.objects.upcoming(view.now)
        .filter(enrollment=OuterRef("pk"))
        .order_by("starts_at")
    )
    counting = CoachingSession.objects.filter(
        enrollment=OuterRef("pk"), status__in=SessionStatus.counting()
    )
    return {
        "coaching_coach_name": Subquery(coach.values("coach__full_name")[:1]),
        "coaching_next_code": Subquery(upcoming.values("code")[:1]),
        "coaching_next_starts_at": Subquery(upcoming.values("starts_at")[:1]),
        "coaching_sessions": SubqueryCount(counting.values("pk")),
        "coaching_minutes": Subquery(
            counting.order_by()
            .values("enrollment")
            .annotate(minutes=Sum("duration_minutes"))
            .values("minutes")
        ),
    }


def _build(view: HomeView, figures: Mapping[str, Any]) -> dict[str, Any]:
    enrollment = view.enrollment
    next_session = None
    if figures["coaching_next_code"] is not None:
        next_session = CoachingSession(
            code=figures["coaching_next_code"], starts_at=figures["coaching_next_starts_at"]
        )
    coach_name = figures["coaching_coach_name"]
    return {
        "enrollment": enrollment,
        "coach": {"full_name": coach_name} if coach_name is not None else None,
        "next_session": next_session,
        "completed": view.is_completed,
        "can_book": view.is_active,
        "entitlement": entitlement_for(
            program=enrollment.cohort.program,
            cohort=enrollment.cohort,
            counting_sessions=figures["coaching_sessions"],
            counting_minutes=figures["coaching_minutes"] or 0,
            today=view.today,
        ),
    }


FELLOW_HOME_PANEL = HomePanel(
    name="coaching",
    template="coaching/partials/panel_fellow_home.html",
    order=30,
    annotations=_annotations,
    build=_build,
)


def cohort_panel(cohort: Any, can_manage: bool) -> dict[str, Any]:
    return {
        "cohort": cohort,
        "can_manage": can_manage,
        "summary": selectors.coverage_summary(cohort) if can_manage else None,
    }


def enrollment_panel(user: Any, enrollment: Any, can_manage: bool) -> dict[str, Any]:
    show = bool(
        can_manage
        or (user is not None and is_fellow_of(user, enrollment))
        or (user is not None and is_active_coach_of(user, enrollment))
    )
    return {
        "enrollment": enrollment,
        "can_manage": can_manage,
        "show": show,
        "history": list(selectors.assignment_history(enrollment)) if show else [],
    }

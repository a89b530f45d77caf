"""Selectors of the panels feedback360 shows on other apps' pages. The fellow's start page
(cohorts/home.py): the window open for nominations and the fellow's reports of earlier
windows, in one query. The cohort page: nominations waiting for staff's approval. A fellow's
growth page, the cohort's self-assessment overview and the funder report: raters' averages.
Individual answers never leave feedback360/aggregate.py, and staff get cohort figures only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from accounts.compiled import CompiledQuery
from accounts.links import code_url
from coaching import roles as coaching_roles
from cohorts import roles
from cohorts.home import Figure, HomePanel, HomeView

from .charts import growth_chart
from .models import FeedbackWindow, Nomination, NominationStatus, RaterCircle
from .selectors import cohort_growth, fellow_growth


def _annotations(view: HomeView) -> dict[str, Figure]:
    return {}


def _build(view: HomeView, figures: Mapping[str, Any]) -> dict[str, Any]:
    enrollment = view.enrollment
    today = view.today
    values = {"enrollment_id": enrollment.pk, "cohort_id": enrollment.cohort_id, "today": today}
    # (window, the code of the fellow's circle in it or None)
    windows = []
    for row in _WINDOWS.rows("windows", values, _home_windows):
        circle_code = row.pop("circle_code")
        windows.append((FeedbackWindow(**row), circle_code))
    open_windows = [(w, code) for w, code in windows if w.is_open_on(today)]
    window, circle_code = open_windows[-1] if view.is_active and open_windows else (None, None)
    return {
        "window": window,
        "circle": circle_code is not None,
        "reports": [
            {"url": code_url("feedback360:report", code), "phase": w.get_phase_display()}
            for w, code in windows
            if code is not None and not w.is_open_on(today)
        ],
    }


_WINDOWS = CompiledQuery()


def _home_windows(values: Mapping[str, Any]) -> QuerySet:
    """The cohort's windows open today and those the fellow has a circle in, newest first,
    with the code of the fellow's circle (the SQL is kept: accounts/compiled.py)."""
    today = values["today"]
    open_today = Q(
        cohort_id=values["cohort_id"],
        opens_on__lte=today,
        closes_on__gte=today,
        closed_at__isnull=True,
    )
    return (
        FeedbackWindow.objects.annotate(
            circle_code=Subquery(
                RaterCircle.objects.filter(
                    window=OuterRef("pk"), enrollment_id=values["enrollment_id"]
                ).values("code")[:1]
            )
        )
        .filter(open_today | Q(circle_code__isnull=False))
        .order_by("-opens_on")
        .values(
            "pk", "cohort_id", "code", "phase", "opens_on", "closes_on", "closed_at", "circle_code"
        )
    )


FELLOW_HOME_PANEL = HomePanel(
    name="feedback360",
    template="feedback360/partials/panel_fellow_home.html",
    order=50,
    annotations=_annotations,
    build=_build,
)


def cohort_panel(cohort: Any, can_manage: bool) -> dict[str, Any]:
    pending = 0
    if can_manage:
        pending = Nomination.objects.filter(
            circle__window__cohort=cohort, status=NominationStatus.PENDING
        ).count()
    return {"cohort": cohort, "can_manage": can_manage, "pending": pending}


def growth_panel(user: Any, enrollment: Any) -> dict[str, Any]:
    """On a fellow's growth page: their raters' averages, baseline vs final, for the fellow
    (and their coach, from the reports the fellow shared); staff are pointed to cohort
    figures."""
    own = roles.is_fellow_of(user, enrollment)
    coach = not own and coaching_roles.is_active_coach_of(user, enrollment)
    growth = fellow_growth(enrollment, shared_only=coach) if own or coach else None
    return {
        "enrollment": enrollment,
        "growth": growth,
        "own": own,
        "chart": growth_chart(growth, "feedback360-growth", "360° feedback by domain")
        if growth and growth.has_data
        else None,
    }


def cohort_growth_panel(cohort: Any) -> dict[str, Any]:
    """On the staff's self-assessment overview: the cohort's 360° figures."""
    growth = cohort_growth(cohort)
    return {
        "cohort": cohort,
        "growth": growth,
        "chart": growth_chart(growth, "feedback360-cohort-growth", "Cohort 360° feedback by domain")
        if growth.has_data
        else None,
    }


def funder_section(scope: Any) -> dict[str, Any]:
    """The funder report's 360° section: cohort figures; a coach's report counts only the
    fellows they coach who shared their reports."""
    if scope.is_staff:
        growth = cohort_growth(scope.cohort)
    else:
        growth = cohort_growth(
            scope.cohort, enrollments=scope.enrollments(), shared_with_coach=True
        )
    return {
        "scope": scope,
        "growth": growth,
        "chart": growth_chart(growth, "feedback360-funder", "360° feedback by domain")
        if growth.has_data
        else None,
    }

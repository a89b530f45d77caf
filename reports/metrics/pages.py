"""The figures of each reports page of a cohort, read once and shared: the fellows in view
(one query) feed the roster, attendance, coaching, plans and at-risk figures. The funder
report's are in `funder`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cohorts.models import EnrollmentStatus

from ..access import Scope
from .at_risk import AtRiskFellow, reasons_for
from .cohort import (
    AttendanceFigures,
    CoachingFigures,
    PlanFigures,
    StatusCount,
    attendance,
    coaching,
    plans,
    roster_by_status,
    sessions_with_marks,
)
from .common import ACCESS
from .fellows import Fellow, fellow_rows
from .growth import GrowthFigures, growth
from .week import Week, this_week


def at_risk_among(
    scope: Scope, now: datetime.datetime, fellows: list[Fellow]
) -> list[AtRiskFellow]:
    """Active fellows with at least one reason, most reasons first."""
    today = scope.today(now)
    flagged = []
    for fellow in fellows:
        if fellow.status != EnrollmentStatus.ACTIVE:
            continue
        reasons = reasons_for(scope.program, scope.cohort, today, fellow)
        if reasons:
            flagged.append(AtRiskFellow(fellow, reasons))
    flagged.sort(key=lambda f: (-len(f.reasons), f.enrollment.full_name))
    return flagged


def at_risk_for(scope: Scope, now: datetime.datetime) -> list[AtRiskFellow]:
    return at_risk_among(scope, now, fellow_rows(scope, now))


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
    fellows = fellow_rows(scope, now)
    held, coming = sessions_with_marks(scope, now, coming=True)
    return Dashboard(
        scope=scope,
        today=scope.today(now),
        roster=roster_by_status(scope, fellows=fellows),
        attendance=attendance(scope, now, sessions=held, fellows=fellows),
        coaching=coaching(scope, now, fellows=fellows),
        plans=plans(scope, now, fellows=fellows),
        growth=growth(scope),
        week=this_week(scope, now, sessions=coming),
        at_risk=at_risk_among(scope, now, fellows),
    )

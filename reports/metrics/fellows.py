"""The fellows in view, one row each with every per-fellow figure of the reports pages
(coaching used, attendance marks, plan and milestones, the at-risk facts), read in one
query: the roster, attendance, coaching, plan and at-risk figures are sums over these rows,
so none of them reads the fellows again."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse

from accounts.compiled import CompiledQuery
from accounts.roles import joined_values
from action_plans.models import ActionPlan, Milestone, MilestoneStatus, PlanFocusLevel
from coaching.entitlement import Entitlement, entitlement_for
from coaching.models import CoachingSession, SessionStatus
from curriculum.models import Attendance, AttendanceStatus

from ..access import Scope, enrollments_in_view
from .at_risk import Facts, fact_columns, held_q
from .common import count_of, sum_of


@dataclass(eq=False)
class Fellow(Facts):
    """One enrollment as the reports show it. `user` is the row itself, so templates and
    code written for an enrollment (`e.user.full_name`, `e.code`) read it unchanged."""

    pk: int
    code: uuid.UUID
    user_id: int
    full_name: str
    preferred_name: str
    email: str
    agency: str
    status: str
    state: str
    sector: str
    partner_name: str | None
    counting_sessions: int
    counting_minutes: int
    present: int
    late: int
    excused: int
    absent: int
    has_plan: bool
    focus_levels: str | None  # the plan's focus levels, comma-separated
    milestones: int
    milestones_done: int
    cohort_today: datetime.date | None  # the at-risk facts are inherited (`Facts`)
    url: str = ""  # the fellow's page

    @property
    def user(self) -> Fellow:
        return self

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or self.email

    def get_absolute_url(self) -> str:
        return self.url


COLUMNS = [name for name in Fellow.__dataclass_fields__ if name != "url"]
_ANY = uuid.UUID(int=0)


def fellow_rows(scope: Scope, now: datetime.datetime) -> list[Fellow]:
    """Every enrollment in view (every status), by name."""
    values = scope.query_values(now=now, today=scope.today(now))
    # Building and compiling this query of twenty subqueries cost more CPU than running it:
    # its SQL is kept per kind of viewer and run again with each request's values.
    rows = _ROWS.rows(scope.is_staff, values, _rows_query)
    # One reverse() for every row: a long roster's links cost a string replace each.
    page = reverse("cohorts:enrollment_detail", kwargs={"code": _ANY})
    return [Fellow(**row, url=page.replace(str(_ANY), str(row["code"]))) for row in rows]


_ROWS = CompiledQuery()


def _rows_query(values: Mapping[str, Any]) -> QuerySet:
    """The fellows' rows, built from `values` alone (accounts/compiled.py)."""
    cohort_id, now = values["cohort_id"], values["now"]
    held = held_q(now)
    marks = Attendance.objects.filter(held, session__cohort_id=cohort_id, enrollment=OuterRef("pk"))
    coaching = CoachingSession.objects.filter(
        enrollment=OuterRef("pk"), status__in=SessionStatus.counting()
    )
    milestones = Milestone.objects.filter(goal__plan__enrollment=OuterRef("pk"))
    first, second = fact_columns(now, {cohort_id: values["today"]})
    return (
        enrollments_in_view(cohort_id, values.get("coach_id"))
        .annotate(**first)
        .annotate(
            full_name=F("user__full_name"),
            preferred_name=F("user__preferred_name"),
            email=F("user__email"),
            partner_name=F("partner__name"),
            counting_sessions=count_of(coaching),
            counting_minutes=sum_of(coaching, "duration_minutes"),
            **{status: count_of(marks.filter(status=status)) for status in AttendanceStatus.values},
            has_plan=Exists(ActionPlan.objects.filter(enrollment=OuterRef("pk"))),
            focus_levels=joined_values(
                PlanFocusLevel.objects.filter(plan__enrollment=OuterRef("pk")), "level"
            ),
            milestones=count_of(milestones),
            milestones_done=count_of(milestones.filter(status=MilestoneStatus.DONE)),
            **second,
        )
        .order_by("user__full_name", "pk")
        .values(*COLUMNS)
    )


def entitlement_of(scope: Scope, fellow: Fellow, today: datetime.date) -> Entitlement:
    return entitlement_for(
        program=scope.program,
        cohort=scope.cohort,
        counting_sessions=fellow.counting_sessions,
        counting_minutes=fellow.counting_minutes,
        today=today,
    )

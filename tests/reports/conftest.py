"""A small fixed data set for the reports tests, with every figure computable by hand.

The clock stands at 1 Dec 2026, 12:00 UTC (7:00 in New York, the cohort's zone). The cast's
current cohort (1 Sep 2026 – 31 Aug 2027) has three active fellows and one withdrawn:

* fellow (Fiona, coached by Cora Coach): sessions 1 present, 2 absent, 3 absent; coaching
  completed 20 Nov (60 min), no-show 20 Oct (60), cancelled 25 Nov, scheduled 5 Dec; plan
  approved, focus community + societal, milestones: done, overdue (1 Nov), due Jan 2027;
  last update 25 Nov; self-ratings baseline 2,2 | 3,3, midpoint 4,4 | 4,4.
* peer (Pedro, no coach): sessions late, absent, excused; no coaching; plan approved, focus
  organizational, one milestone due Feb 2027; last update 10 Oct; baseline 1,1 | 2,2.
* classmate (Clara, coached by Otto): present at all three; coaching completed 1 Oct
  (90 min); plan in draft, focus community, no milestones.
* withdrawn (Will): absent at session 1; a submitted plan with an overdue milestone (never
  counted: withdrawn fellows are not in plan or at-risk figures).

Session 5 (1 Oct) was cancelled; session 4 (3 Dec) is upcoming, and so is a peer-group
meeting on 2 Dec (another on 20 Dec is beyond the week).
"""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace

import pytest
import time_machine

from action_plans.models import PlanFocusLevel, PlanStatus
from coaching.models import SessionStatus
from curriculum.models import AssessmentPhase, AttendanceStatus
from tests.factories.action_plans import (
    ActionPlanFactory,
    GoalFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
)
from tests.factories.coaching import CoachAssignmentFactory, CoachingSessionFactory
from tests.factories.cohorts import CohortFactory, EnrollmentFactory
from tests.factories.curriculum import (
    AssessmentWindowFactory,
    AttendanceFactory,
    SelfAssessmentFactory,
    SessionFactory,
    framework_with_scale,
    rate,
)
from tests.factories.networks import GroupMeetingFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
P, L, E, A = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)
_counter = itertools.count()


def at(month, day, year=2026, hour=17):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _plan(enrollment, status, levels, changed):
    plan = ActionPlanFactory(enrollment=enrollment, status=status, status_changed_at=changed)
    for level in levels:
        PlanFocusLevel.objects.create(plan=plan, level=level)
    return plan


def _milestone(goal, due, status="not_started"):
    return MilestoneFactory(goal=goal, due_date=due, status=status)


def build_report_data(cast):
    cohort = cast.cohort
    e = cast.enrollments
    framework = framework_with_scale(name="Public-sector leadership", slug="psl-reports")
    cohort.framework = framework
    cohort.save(update_fields=["framework"])
    domains = list(framework.domains.order_by("order"))
    d1 = list(domains[0].competencies.order_by("order"))
    d2 = list(domains[1].competencies.order_by("order"))

    sessions = [
        SessionFactory(cohort=cohort, title="September session", starts_at=at(9, 15)),
        SessionFactory(cohort=cohort, title="October session", starts_at=at(10, 15)),
        SessionFactory(cohort=cohort, title="November session", starts_at=at(11, 15)),
    ]
    upcoming = SessionFactory(cohort=cohort, title="December seminar", starts_at=at(12, 3))
    SessionFactory(
        cohort=cohort, title="Cancelled session", starts_at=at(10, 1), cancelled_at=at(9, 20)
    )
    marks = {
        "fellow": [P, A, A],
        "peer": [L, A, E],
        "classmate": [P, P, P],
        "withdrawn": [A, None, None],
    }
    for role, statuses in marks.items():
        for session, status in zip(sessions, statuses, strict=True):
            if status:
                AttendanceFactory(session=session, enrollment=e[role], status=status)

    fellow_sessions = [
        (at(11, 20), SessionStatus.COMPLETED, 60),
        (at(10, 20), SessionStatus.NO_SHOW, 60),
        (at(11, 25), SessionStatus.CANCELLED, 60),
        (at(12, 5), SessionStatus.SCHEDULED, 60),
    ]
    for starts, status, minutes in fellow_sessions:
        CoachingSessionFactory(
            enrollment=e["fellow"],
            coach=cast.coach,
            starts_at=starts,
            status=status,
            duration_minutes=minutes,
        )
    CoachingSessionFactory(
        enrollment=e["classmate"],
        coach=cast.other_coach,
        starts_at=at(10, 1),
        status=SessionStatus.COMPLETED,
        duration_minutes=90,
    )

    fellow_plan = _plan(e["fellow"], PlanStatus.APPROVED, ["community", "societal"], at(9, 20))
    goal = GoalFactory(plan=fellow_plan)
    _milestone(goal, datetime.date(2026, 10, 1), "done")
    _milestone(goal, datetime.date(2026, 11, 1), "in_progress")
    _milestone(goal, datetime.date(2027, 1, 15))
    ProgressUpdateFactory(plan=fellow_plan, as_of=datetime.date(2026, 11, 25))

    peer_plan = _plan(e["peer"], PlanStatus.APPROVED, ["organizational"], at(9, 15))
    _milestone(GoalFactory(plan=peer_plan), datetime.date(2027, 2, 1))
    ProgressUpdateFactory(plan=peer_plan, as_of=datetime.date(2026, 10, 10))

    _plan(e["classmate"], PlanStatus.DRAFT, ["community"], at(9, 10))

    withdrawn_plan = _plan(e["withdrawn"], PlanStatus.SUBMITTED, ["patient"], at(9, 10))
    _milestone(GoalFactory(plan=withdrawn_plan), datetime.date(2026, 10, 5))

    baseline = AssessmentWindowFactory(
        cohort=cohort,
        phase=AssessmentPhase.BASELINE,
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 9, 30),
    )
    midpoint = AssessmentWindowFactory(
        cohort=cohort,
        phase=AssessmentPhase.MIDPOINT,
        opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2026, 11, 30),
    )
    ratings = [
        (baseline, "fellow", [2, 2], [3, 3]),
        (baseline, "peer", [1, 1], [2, 2]),
        (midpoint, "fellow", [4, 4], [4, 4]),
    ]
    for window, role, first, second in ratings:
        assessment = SelfAssessmentFactory(window=window, enrollment=e[role])
        rate(assessment, dict(zip(d1 + d2, first + second, strict=True)))

    GroupMeetingFactory(group=cast.group, starts_at=at(12, 2, hour=22))
    GroupMeetingFactory(group=cast.group, starts_at=at(12, 20, hour=22))

    cast.rep = SimpleNamespace(
        framework=framework,
        domains=domains,
        competencies=d1 + d2,
        sessions=sessions,
        upcoming=upcoming,
        baseline=baseline,
        midpoint=midpoint,
    )
    return cast


@pytest.fixture
def data(frozen, cast):
    return build_report_data(cast)


def grow_cohort(cast, n, *, coach=None):
    """n more active fellows in the cast's cohort with the same kinds of records as the fixed
    data: attendance at every session held, coaching, a plan with milestones and an update,
    self-ratings. With `coach`, that coach is assigned to each of them."""
    rep = cast.rep
    for _ in range(n):
        i = next(_counter)
        enrollment = EnrollmentFactory(cohort=cast.cohort, agency=f"Grown agency {i}")
        assigned = coach or cast.other_coach
        CoachAssignmentFactory(coach=assigned, enrollment=enrollment)
        for session, status in zip(rep.sessions, [P, A, A], strict=True):
            AttendanceFactory(session=session, enrollment=enrollment, status=status)
        CoachingSessionFactory(
            enrollment=enrollment, coach=assigned, starts_at=at(11, 2), duration_minutes=45
        )
        plan = _plan(enrollment, PlanStatus.APPROVED, ["patient", "community"], at(9, 20))
        goal = GoalFactory(plan=plan)
        _milestone(goal, datetime.date(2026, 10, 1), "done")
        _milestone(goal, datetime.date(2026, 11, 2))
        ProgressUpdateFactory(plan=plan, as_of=datetime.date(2026, 10, 1))
        assessment = SelfAssessmentFactory(window=rep.baseline, enrollment=enrollment)
        rate(assessment, dict.fromkeys(rep.competencies, 3))


def grow_program(cast, n):
    """n more cohorts of the program, each with a fellow, a session and its attendance."""
    for _ in range(n):
        i = next(_counter)
        cohort = CohortFactory(
            program=cast.program,
            name=f"Grown cohort {i}",
            start_date=datetime.date(2020 + i % 5, 9, 1),
            end_date=datetime.date(2021 + i % 5, 8, 31),
        )
        enrollment = EnrollmentFactory(cohort=cohort)
        session = SessionFactory(cohort=cohort, starts_at=at(10, 1, year=2020 + i % 5))
        AttendanceFactory(session=session, enrollment=enrollment, status=P)
        CoachingSessionFactory(enrollment=enrollment, coach=cast.coach, starts_at=at(10, 2))
        plan = _plan(enrollment, PlanStatus.COMPLETED, ["societal"], at(9, 20))
        _milestone(GoalFactory(plan=plan), cohort.start_date + datetime.timedelta(days=30))

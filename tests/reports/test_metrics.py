"""Every figure against hand-computed values on the fixed data set (see conftest.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports import metrics
from reports.access import Scope

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_scope(data):
    return Scope(cohort=data.cohort, viewer=data.staff)


@pytest.fixture
def coach_scope(data):
    return Scope(cohort=data.cohort, viewer=data.coach, coach=data.coach)


def names(rows):
    return [r.subject.user.full_name for r in rows]


def test_roster_by_status(staff_scope, coach_scope):
    counts = {s.value: s.count for s in metrics.roster_by_status(staff_scope)}
    assert counts == {"invited": 0, "active": 3, "completed": 0, "withdrawn": 1}
    coach_counts = {s.value: s.count for s in metrics.roster_by_status(coach_scope)}
    assert coach_counts == {"invited": 0, "active": 1, "completed": 0, "withdrawn": 0}


def test_attendance_by_session_skips_cancelled_and_future_sessions(staff_scope):
    figures = metrics.attendance(staff_scope, NOW)
    assert [r.subject.title for r in figures.by_session] == [
        "September session",
        "October session",
        "November session",
    ]
    # September: Fiona and Clara present, Pedro late, Will absent → 3 of 4.
    # October: Clara present, Fiona and Pedro absent → 1 of 3.
    # November: Clara present, Fiona absent, Pedro excused (not counted) → 1 of 2.
    assert [r.rate for r in figures.by_session] == [75, 33, 50]
    overall = figures.overall
    assert (overall.present, overall.late, overall.excused, overall.absent) == (4, 1, 1, 4)
    assert overall.rate == 56  # 5 of 9


def test_attendance_by_fellow_and_missed_in_a_row(data, staff_scope):
    figures = metrics.attendance(staff_scope, NOW)
    assert names(figures.by_fellow) == ["Clara Classmate", "Fiona Fellow", "Pedro Peer"]
    assert [r.rate for r in figures.by_fellow] == [100, 33, 50]
    e = data.enrollments
    # Fiona missed the last two; Pedro's excused November does not break or extend his run.
    assert figures.missed_in_a_row == {e["classmate"].pk: 0, e["fellow"].pk: 2, e["peer"].pk: 1}


def test_attendance_for_a_coach_counts_their_fellows_only(coach_scope):
    figures = metrics.attendance(coach_scope, NOW)
    assert [r.rate for r in figures.by_session] == [100, 0, 0]
    assert names(figures.by_fellow) == ["Fiona Fellow"]


def test_coaching_used_against_entitlement(data, staff_scope):
    figures = metrics.coaching(staff_scope, NOW)
    # Counting: Fiona's completed and no-show (120 min), Clara's completed (90 min).
    assert figures.sessions == 3
    assert figures.hours == Decimal("3.5")
    assert figures.used == 3
    assert figures.entitled == 30  # 10 sessions × 3 fellows
    assert figures.percent_used == 10
    assert figures.coached == 2
    assert [e.user.full_name for e in figures.without_coach] == ["Pedro Peer"]


def test_coaching_in_hours(data, staff_scope):
    program = data.program
    program.coaching_entitlement_unit = "hours"
    program.coaching_entitlement_amount = 12
    program.save()
    figures = metrics.coaching(staff_scope, NOW)
    assert figures.used == Decimal("3.5")
    assert figures.entitled == 36
    assert figures.percent_used == 10  # 3.5 / 36 = 9.7 %


def test_coaching_for_a_coach(coach_scope):
    figures = metrics.coaching(coach_scope, NOW)
    assert [r.user.full_name for r in figures.rows] == ["Fiona Fellow"]
    assert (figures.sessions, figures.entitled, figures.without_coach) == (2, 10, [])


def test_plans_by_status_and_milestones(staff_scope):
    figures = metrics.plans(staff_scope, NOW)
    counts = {s.value: s.count for s in figures.by_status}
    # The withdrawn fellow's submitted plan is not counted.
    assert counts == {
        "draft": 1,
        "submitted": 0,
        "changes_requested": 0,
        "approved": 2,
        "completed": 0,
    }
    assert (figures.milestones, figures.done, figures.on_track, figures.overdue) == (4, 1, 2, 1)
    levels = {s.value: s.count for s in figures.by_focus_level}
    assert levels == {"patient": 0, "organizational": 1, "community": 2, "societal": 1}
    assert figures.without_plan == 0


def test_fellows_without_a_plan(data, staff_scope):
    data.enrollments["classmate"].action_plan.delete()
    assert metrics.plans(staff_scope, NOW).without_plan == 1


def test_plans_for_a_coach(coach_scope):
    figures = metrics.plans(coach_scope, NOW)
    plans = metrics.plan_list(coach_scope, NOW.date())
    assert [p.enrollment.user.full_name for p in plans] == ["Fiona Fellow"]
    assert figures.total == 1
    assert (figures.milestones, figures.done, figures.on_track, figures.overdue) == (3, 1, 1, 1)


def test_growth_baseline_to_latest_by_domain(staff_scope, coach_scope):
    figures = metrics.growth(staff_scope)
    assert figures.latest_label == "Midpoint"
    # Baseline: domain 1 (2+2+1+1)/4, domain 2 (3+3+2+2)/4; midpoint: Fiona alone.
    assert [(r.domain.name, r.baseline, r.latest, r.change) for r in figures.rows] == [
        ("Domain 1", 1.5, 4.0, 2.5),
        ("Domain 2", 2.5, 4.0, 1.5),
    ]
    coach = metrics.growth(coach_scope)
    assert [(r.baseline, r.latest) for r in coach.rows] == [(2.0, 4.0), (3.0, 4.0)]


def test_growth_matches_curriculum_and_ignores_other_cohorts_on_the_framework(data, staff_scope):
    """The dashboard's growth figures follow curriculum's rule (`cohort_growth`), and another
    cohort rating the same framework, even at a later phase, changes none of them."""
    import datetime

    from curriculum.models import AssessmentPhase
    from curriculum.selectors import cohort_growth
    from tests.factories.cohorts import CohortFactory, EnrollmentFactory
    from tests.factories.curriculum import AssessmentWindowFactory, SelfAssessmentFactory, rate

    other = CohortFactory(program=data.cohort.program, framework=data.rep.framework)
    window = AssessmentWindowFactory(
        cohort=other,
        phase=AssessmentPhase.FINAL,
        opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2026, 11, 30),
    )
    for _ in range(2):
        assessment = SelfAssessmentFactory(
            window=window, enrollment=EnrollmentFactory(cohort=other)
        )
        rate(assessment, dict.fromkeys(data.rep.competencies, 1))

    figures = metrics.growth(staff_scope)
    rows, latest_phase, scale_max = cohort_growth(data.cohort)
    assert (figures.latest_phase, figures.scale_max) == (latest_phase, scale_max)
    assert [(r.domain.pk, r.baseline, r.latest) for r in figures.rows] == [
        (r.domain.pk, r.baseline, r.latest) for r in rows
    ]
    assert [(r.baseline, r.latest) for r in figures.rows] == [(1.5, 4.0), (2.5, 4.0)]
    assert figures.latest_label == "Midpoint"


def test_growth_without_a_framework(data, staff_scope):
    data.cohort.framework = None
    figures = metrics.growth(staff_scope)
    assert (figures.rows, figures.has_data) == ([], False)


def test_this_week(staff_scope, coach_scope):
    week = metrics.this_week(staff_scope, NOW)
    assert [s.title for s in week.sessions] == ["December seminar"]
    assert [m.group.name for m in week.meetings] == ["Group Kōkua"]
    # Coaches do not see peer group meetings (PRODUCT.md).
    assert metrics.this_week(coach_scope, NOW).meetings == []


def test_participants_by_state_and_sector(data, staff_scope):
    people = metrics.funder_report(staff_scope, NOW).people
    assert people.total == 3
    assert sorted(people.by_state) == [("Guam", 1), ("Hawaii", 1), ("Puerto Rico", 1)]
    assert sum(n for _name, n in people.by_sector) == 3


def test_the_funder_reports_totals_are_the_dashboards(staff_scope, coach_scope):
    """The funder report reads its own rows of the fellows (totals only): its plans,
    coaching and attendance figures are the dashboard's, for staff and for a coach, one
    after the other (its query is compiled once and reused with each viewer's values)."""
    for scope in (staff_scope, coach_scope, staff_scope):
        report = metrics.funder_report(scope, NOW)
        board = metrics.dashboard(scope, NOW)
        assert report.plans == board.plans
        mine, theirs = report.coaching, board.coaching
        assert (mine.fellows, mine.sessions, mine.minutes, mine.coached) == (
            len(theirs.rows),
            theirs.sessions,
            theirs.minutes,
            theirs.coached,
        )
        assert (mine.hours, mine.used, mine.entitled, mine.percent_used) == (
            theirs.hours,
            theirs.used,
            theirs.entitled,
            theirs.percent_used,
        )
        assert report.attendance.overall == board.attendance.overall
    staff, coach = metrics.funder_report(staff_scope, NOW), metrics.funder_report(coach_scope, NOW)
    assert (staff.coaching.fellows, coach.coaching.fellows) == (3, 1)
    assert (staff.plans.milestones, staff.plans.done, staff.plans.overdue) == (4, 1, 1)


def test_program_headlines(data):
    headlines = metrics.program_headlines(data.program, NOW)
    assert [h.cohort.name for h in headlines] == [
        "2025–2026 cohort",
        "2026 spring cohort",
        "2026–2027 cohort",
    ]
    past, sibling, current = headlines
    assert (past.fellows, sibling.fellows, current.fellows) == (1, 1, 3)
    assert current.statuses["withdrawn"] == 1
    assert current.attendance.rate == 56
    assert (current.coaching_sessions, current.coaching_hours) == (3, Decimal("3.5"))
    assert (current.used, current.entitled, current.percent_used) == (3, 30, 10)
    assert current.without_coach == 1
    assert current.plans_approved == 2
    assert (current.milestones, current.milestones_done, current.milestones_overdue) == (4, 1, 1)
    # All baseline ratings average (10 + 6) / 8; the midpoint is Fiona's 4s.
    assert (current.baseline, current.latest, current.growth) == (2.0, 4.0, 2.0)
    assert (past.attendance.rate, past.percent_done, past.growth) == (None, None, None)

"""The fellow's start page, a fellow's record, the cohort page and the schedule cost the same
number of queries (at most 12) when every panel on them has ten times the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from action_plans import panels as action_plans_panels
from action_plans.models import ActionPlan, MilestoneStatus
from coaching.models import SessionStatus
from cohorts import selectors
from curriculum import panels as curriculum_panels
from curriculum.models import AssessmentPhase
from feedback import panels as feedback_panels
from feedback360 import panels as feedback360_panels
from networks.models import PeerGroup
from tests.factories.action_plans import GoalFactory, MilestoneFactory, ProgressUpdateFactory
from tests.factories.coaching import CoachingSessionFactory
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.curriculum import (
    AssessmentWindowFactory,
    AssignmentFactory,
    AttendanceFactory,
    MaterialFactory,
    ModuleFactory,
    SessionFactory,
    SpeakerFactory,
    SubmissionFactory,
)
from tests.factories.feedback360 import FeedbackWindowFactory, RaterCircleFactory, closed_window
from tests.factories.networks import CheckInFactory, GroupMeetingFactory, PeerGroupMembershipFactory
from tests.factories.outcomes import DemographicProfileFactory, ResultFactory
from tests.queries import assert_stable_queries

BUDGET = 12


@pytest.fixture
def full_year(cast):
    """The fellow with something in every panel: a plan with milestones and an update,
    coaching sessions, a group meeting and check-in, self-assessment and 360° windows,
    results and demographic answers, sessions with speakers, materials and attendance."""
    fellow = cast.enrollments["fellow"]
    plan = ActionPlan.objects.create(enrollment=fellow, title="Community health workers")
    goal = GoalFactory(plan=plan)
    AssessmentWindowFactory(
        cohort=cast.cohort,
        phase=AssessmentPhase.MIDPOINT,
        opens_on=cast.cohort.local_date() - datetime.timedelta(days=3),
        closes_on=cast.cohort.local_date() + datetime.timedelta(days=3),
    )
    FeedbackWindowFactory(cohort=cast.cohort, phase=AssessmentPhase.MIDPOINT)
    RaterCircleFactory(window=closed_window(cast.cohort), enrollment=fellow)
    DemographicProfileFactory(
        user=fellow.user, gender="woman", race=["asian", "aian"], lived=["rural", "disability"]
    )
    module = ModuleFactory(cohort=cast.cohort)
    group = PeerGroup.objects.get(memberships__enrollment=fellow)
    now = timezone.now()

    def grow(times):
        for i in range(times):
            MilestoneFactory(goal=goal, due_date=cast.cohort.start_date + datetime.timedelta(i))
            MilestoneFactory(goal=goal, status=MilestoneStatus.DONE)
            ProgressUpdateFactory(plan=plan)
            ResultFactory(plan=plan)
            CoachingSessionFactory(enrollment=fellow, coach=cast.coach)
            CoachingSessionFactory(
                enrollment=fellow,
                coach=cast.coach,
                status=SessionStatus.SCHEDULED,
                starts_at=now + datetime.timedelta(days=10 + i),
            )
            meeting = GroupMeetingFactory(
                group=group, starts_at=now - datetime.timedelta(days=i + 1)
            )
            GroupMeetingFactory(group=group, starts_at=now + datetime.timedelta(days=i + 1))
            CheckInFactory(meeting=meeting, enrollment=fellow)
            for days in (-(i + 2), i + 2):
                session = SessionFactory(
                    cohort=cast.cohort, module=module, starts_at=now + datetime.timedelta(days=days)
                )
                SpeakerFactory(session=session)
                MaterialFactory(session=session)
                if days < 0:
                    AttendanceFactory(session=session, enrollment=fellow)
            AssignmentFactory(module=module, due_at=now + datetime.timedelta(days=i + 5))
            other = EnrollmentFactory(cohort=cast.cohort)
            PeerGroupMembershipFactory(group=group, enrollment=other)

    grow(1)
    return grow


def _check(client, url, grow):
    count = assert_stable_queries(lambda: client.get(url), grow)
    assert count <= BUDGET, f"{url}: {count} queries"


def test_fellow_home_queries_are_few_and_flat(cast, client_for, full_year):
    _check(client_for("fellow"), reverse("cohorts:fellow_home"), full_year)


def test_fellow_home_shows_every_panel_with_full_data(cast, client_for, full_year):
    body = client_for("fellow").get(reverse("cohorts:fellow_home")).content.decode()
    assert "Community health workers" in body  # the plan
    assert "1 of 2 milestones done" in body
    assert "Rate yourself:" in body  # the open self-assessment window
    assert "Nominate my raters" in body  # the open 360° window
    assert "My baseline 360° report" in body  # the closed window's circle
    assert "You have recorded 1 result on your plan." in body
    assert "not answered yet" not in body  # demographics answered
    assert "Next meeting:" in body and "My last commitment" in body
    assert "Next session:" in body and "Book a session" in body


def test_each_fellow_sees_their_own_lists_on_the_start_page(cast, client_for, full_year):
    """The start page's queries are compiled once and run again with each visitor's values
    (accounts/compiled.py): a classmate's visit leaves nothing of theirs on the fellow's page,
    nor the fellow's on theirs."""
    classmate = cast.enrollments["classmate"]
    plan = ActionPlan.objects.create(enrollment=classmate, title="Clara plans")
    MilestoneFactory(goal=GoalFactory(plan=plan), title="Milestone of Clara")
    handed_in = AssignmentFactory(
        module=ModuleFactory(cohort=cast.cohort),
        title="Handed in by Clara",
        due_at=timezone.now() + datetime.timedelta(days=1),
    )
    SubmissionFactory(assignment=handed_in, enrollment=classmate)
    home = reverse("cohorts:fellow_home")
    before = client_for("classmate").get(home).content.decode()
    page = client_for("fellow").get(home).content.decode()
    after = client_for("classmate").get(home).content.decode()
    for theirs in (before, after):
        assert "Clara plans" in theirs and "Milestone of Clara" in theirs
        assert "Community health workers" not in theirs
        assert "Handed in by Clara" not in theirs
        assert "My baseline 360° report" not in theirs
    assert "Community health workers" in page and "Handed in by Clara" in page
    assert "Milestone of Clara" not in page and "Clara plans" not in page
    assert "My baseline 360° report" in page
    for query, shape in (
        (selectors._OWN_ENROLLMENTS, "own"),
        (action_plans_panels._NEXT_MILESTONES, "next"),
        (curriculum_panels._NEXT_SESSIONS, "next"),
        (curriculum_panels._OPEN_ASSIGNMENTS, "open"),
        (feedback_panels._COACHING, "coaching"),
        (feedback360_panels._WINDOWS, "windows"),
    ):
        assert query.is_reused(shape), shape


@pytest.mark.parametrize("role", ["staff", "coach", "fellow"])
def test_enrollment_page_queries_are_few_and_flat(cast, client_for, full_year, role):
    url = cast.enrollments["fellow"].get_absolute_url()
    _check(client_for(role), url, full_year)


def test_enrollment_page_shows_attendance_results_and_answers_to_staff(cast, client_for, full_year):
    body = client_for("staff").get(cast.enrollments["fellow"].get_absolute_url()).content.decode()
    assert "Attended <strong>100%</strong> of sessions: 1 present" in body
    assert "1 result recorded:" in body
    assert "Asian" in body and "Woman" in body


@pytest.mark.parametrize("role", ["staff", "coach", "fellow"])
def test_cohort_page_queries_are_few_and_flat(cast, client_for, full_year, role):
    _check(client_for(role), cast.cohort.get_absolute_url(), full_year)


@pytest.mark.parametrize("role", ["staff", "fellow"])
def test_schedule_queries_are_few_and_flat(cast, client_for, full_year, role):
    url = reverse("curriculum:schedule", kwargs={"code": cast.cohort.code})
    _check(client_for(role), url, full_year)

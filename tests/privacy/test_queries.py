"""Query counts of the personal-data page and download: the same at 1x and 10x (a person
with more plans, milestones, updates, comments, check-ins, attendance, submissions,
self-assessments, coaching sessions, assignments, announcements, private notes, applications,
letters written as a referee, reviews and 360° invitations)."""

import pytest
from django.urls import reverse

from admissions.models import ReviewAssignment
from announcements.models import AnnouncementRead
from curriculum.models import Rating

from ..factories.action_plans import (
    ActionPlanFactory,
    MilestoneFactory,
    PlanCommentFactory,
    ProgressUpdateFactory,
)
from ..factories.admissions import make_application, make_reference, make_round, make_seat
from ..factories.announcements import AnnouncementFactory
from ..factories.coaching import (
    CoachAssignmentFactory,
    CoachingSessionFactory,
    PrivateNoteFactory,
)
from ..factories.cohorts import CohortFactory, EnrollmentFactory
from ..factories.curriculum import (
    AssessmentWindowFactory,
    AttendanceFactory,
    CompetencyDomainFactory,
    CompetencyFactory,
    CompetencyFrameworkFactory,
    ProficiencyLevelFactory,
    SelfAssessmentFactory,
    SessionFactory,
)
from ..factories.feedback360 import NominationFactory
from ..factories.networks import CheckInFactory, GroupMeetingFactory, PeerGroupFactory
from ..queries import assert_stable_queries

# The download reads one query per section it gathers (tests/test_query_budget.py holds
# the ceiling); what matters here is that it does not grow with the person's data.
PAGES = ["privacy:my_data", "privacy:my_data_download"]


@pytest.fixture
def grow(cast):
    """Each round: one more enrollment of the fellow (in a cohort of their program) with a
    plan and everything around it, one more session the coach led with a private note, an
    announcement the staff member wrote and the fellow opened, an application of the fellow
    with a letter the coach wrote and a review the staff member wrote, and a 360° invitation
    to the coach."""

    framework = CompetencyFrameworkFactory()
    level = ProficiencyLevelFactory(framework=framework)

    def add(n):
        for _ in range(n):
            cohort = CohortFactory(program=cast.program)
            enrollment = EnrollmentFactory(cohort=cohort, user=cast.fellow)
            plan = ActionPlanFactory(enrollment=enrollment)
            MilestoneFactory(goal__plan=plan)
            ProgressUpdateFactory(plan=plan)
            PlanCommentFactory(plan=plan, author=cast.coach)
            group = PeerGroupFactory(cohort=cohort)
            CheckInFactory(meeting=GroupMeetingFactory(group=group), enrollment=enrollment)
            AttendanceFactory(session=SessionFactory(cohort=cohort), enrollment=enrollment)
            window = AssessmentWindowFactory(cohort=cohort)
            assessment = SelfAssessmentFactory(window=window, enrollment=enrollment)
            competency = CompetencyFactory(domain=CompetencyDomainFactory(framework=framework))
            Rating.objects.create(assessment=assessment, competency=competency, level=level)
            CoachAssignmentFactory(coach=cast.coach, enrollment=enrollment)
            session = CoachingSessionFactory(enrollment=enrollment, coach=cast.coach)
            PrivateNoteFactory(session=session, author=cast.coach)
            announcement = AnnouncementFactory(cohort=cohort)
            announcement.author = cast.staff
            announcement.save()
            AnnouncementRead.objects.create(
                announcement=announcement, user=cast.fellow, opened_at=announcement.send_at
            )
            round_ = make_round(cohort)
            application = make_application(round_, cast.fellow)
            make_reference(application, email=cast.coach.email.upper(), arrived=True)
            seat = make_seat(round_, cast.staff)
            ReviewAssignment.objects.create(seat=seat, application=application, comments="Fine")
            NominationFactory(email=cast.coach.email)

    add(1)
    return add


def _fetch(client, url):
    def fetch():
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    return fetch


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["fellow", "coach", "staff"])
def test_the_data_pages_cost_the_same_at_1x_and_10x(cast, client_for, grow, role, page):
    client = client_for(role)
    assert_stable_queries(_fetch(client, reverse(page)), grow, factor=10)

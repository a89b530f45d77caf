"""The curriculum's Django admin: every model listed and searchable; what fellows and staff
record through the app's own pages is read-only here."""

import pytest
from django.contrib import admin
from django.urls import reverse

from curriculum.models import (
    AssessmentWindow,
    Assignment,
    Attendance,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
    Module,
    Rating,
    SelfAssessment,
    Session,
    Submission,
)
from tests.factories.curriculum import AttendanceFactory, SelfAssessmentFactory, rate
from tests.queries import assert_stable_queries

pytestmark = pytest.mark.django_db

MODELS = [
    CompetencyFramework,
    CompetencyDomain,
    Competency,
    Module,
    Session,
    Assignment,
    Submission,
    Attendance,
    AssessmentWindow,
    SelfAssessment,
]


def _url(model, action, *args):
    return reverse(f"admin:curriculum_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def rated(cast, cur):
    assessment = SelfAssessmentFactory(window=cur.window, enrollment=cast.enrollments["fellow"])
    rate(assessment, {cur.competency: 3})
    AttendanceFactory(session=cur.session, enrollment=cast.enrollments["fellow"])
    return assessment


def test_every_model_has_a_searchable_list_and_a_change_page(client_for, cur, rated):
    client = client_for("admin")
    objects = {
        CompetencyFramework: cur.framework,
        CompetencyDomain: cur.domain,
        Competency: cur.competency,
        Module: cur.module,
        Session: cur.session,
        Assignment: cur.assignment,
        Submission: cur.submission,
        Attendance: Attendance.objects.get(),
        AssessmentWindow: cur.window,
        SelfAssessment: rated,
    }
    for model in MODELS:
        assert model in admin.site._registry, model
        assert client.get(_url(model, "changelist"), {"q": "a"}).status_code == 200, model
        assert client.get(_url(model, "change", objects[model].pk)).status_code == 200, model


def test_framework_page_nests_domains_and_the_scale(client_for, cur):
    body = client_for("admin").get(_url(CompetencyFramework, "change", cur.framework.pk))
    text = body.content.decode()
    assert "Proficiency levels" in text and "Competency domains" in text and "Emerging" in text
    body = client_for("admin").get(_url(Competency, "change", cur.competency.pk)).content.decode()
    assert "Behavioural indicators" in body


def test_records_made_through_the_app_are_read_only(client_for, cast, cur, rated):
    client = client_for("admin")
    attendance = Attendance.objects.get()
    response = client.post(_url(Attendance, "change", attendance.pk), {"status": "absent"})
    assert response.status_code == 403
    attendance.refresh_from_db()
    assert attendance.status == "present"
    assert client.post(_url(SelfAssessment, "delete", rated.pk), {"post": "yes"}).status_code == 403
    assert client.get(_url(Submission, "add")).status_code == 403
    assert Rating.objects.filter(assessment=rated).count() == 1
    page = client.get(_url(SelfAssessment, "change", rated.pk)).content.decode()
    assert 'name="ratings-0-level"' not in page  # shown, not editable


def test_a_window_with_ratings_and_an_assignment_with_work_cannot_be_deleted(
    client_for, cur, rated
):
    client = client_for("admin")
    assert (
        client.post(_url(AssessmentWindow, "delete", cur.window.pk), {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(_url(Assignment, "delete", cur.assignment.pk), {"post": "yes"}).status_code
        == 403
    )
    assert AssessmentWindow.objects.filter(pk=cur.window.pk).exists()
    assert Assignment.objects.filter(pk=cur.assignment.pk).exists()


def test_a_window_outside_the_cohort_is_refused_in_the_admin_too(client_for, cur):
    response = client_for("admin").post(
        _url(AssessmentWindow, "change", cur.window.pk),
        {"opens_on": "2020-01-01", "closes_on": "2026-10-01"},
    )
    assert response.status_code == 200
    assert "within the cohort" in response.content.decode()
    cur.window.refresh_from_db()
    assert cur.window.opens_on == cur.window.cohort.start_date


def test_a_sessions_time_and_place_are_read_only_once_it_exists(client_for, cur):
    page = client_for("admin").get(_url(Session, "change", cur.session.pk)).content.decode()
    assert 'name="title"' in page and 'name="starts_at_0"' not in page


def test_admin_lists_keep_their_query_count(client_for, cast, cur):
    from tests.factories.curriculum import AssignmentFactory, SessionFactory

    client = client_for("admin")

    def grow(n):
        for _ in range(n):
            SessionFactory(cohort=cast.cohort)
            AssignmentFactory(module=cur.module)

    for model in (Session, Assignment, AssessmentWindow, CompetencyFramework):
        assert_stable_queries(lambda m=model: client.get(_url(m, "changelist")), grow)

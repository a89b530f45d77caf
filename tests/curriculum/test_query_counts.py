"""Query-count guards for the curriculum pages not covered next to their features: the
same number of queries at 1x and 10x data (tests/queries.py prints the SQL on failure)."""

import datetime
import itertools

import pytest
import time_machine
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.factories.cohorts import EnrollmentFactory, ProgramStaffFactory
from tests.factories.curriculum import (
    AssignmentFactory,
    AttendanceFactory,
    BehaviouralIndicatorFactory,
    CompetencyDomainFactory,
    CompetencyFactory,
    ModuleFactory,
    SessionFactory,
    SubmissionFactory,
    framework_with_scale,
)
from tests.queries import assert_stable_queries

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 22, 17, 0, tzinfo=datetime.UTC)
_order = itertools.count(100)


def _grow_framework(framework):
    def grow(times):
        for _ in range(times):
            domain = CompetencyDomainFactory(framework=framework, order=next(_order))
            for _ in range(2):
                competency = CompetencyFactory(domain=domain, order=next(_order))
                BehaviouralIndicatorFactory(competency=competency)

    return grow


def test_framework_library_pages(client_for, cur):
    client = client_for("staff")
    assert_stable_queries(
        lambda: client.get(reverse("curriculum:framework_list")),
        lambda times: [framework_with_scale() for _ in range(times)],
    )
    for name in ("framework_detail", "framework_export", "scale_edit", "domain_create"):
        assert_stable_queries(
            lambda name=name: client.get(reverse(f"curriculum:{name}", args=[cur.framework.code])),
            _grow_framework(cur.framework),
        )
    assert_stable_queries(
        lambda: client.get(reverse("curriculum:competency_edit", args=[cur.competency.code])),
        lambda times: [
            BehaviouralIndicatorFactory(competency=cur.competency) for _ in range(times)
        ],
    )


def test_modules_and_their_forms(client_for, cast, cur):
    client = client_for("staff")

    def grow(times):
        for _ in range(times):
            module = ModuleFactory(cohort=cast.cohort, order=next(_order))
            module.competencies.add(cur.competency)
            AssignmentFactory(module=module)
            CompetencyFactory(domain=cur.domain, order=next(_order))

    for url in (
        reverse("curriculum:module_list", args=[cast.cohort.code]),
        reverse("curriculum:module_create", args=[cast.cohort.code]),
        reverse("curriculum:module_edit", args=[cur.module.code]),
        reverse("curriculum:assignment_create", args=[cur.module.code]),
    ):
        assert_stable_queries(lambda url=url: client.get(url), grow)
    fellow = client_for("fellow")
    assert_stable_queries(
        lambda: fellow.get(reverse("curriculum:module_list", args=[cast.cohort.code])), grow
    )


def test_session_forms_with_many_facilitators_and_modules(client_for, cast, cur):
    client = client_for("staff")

    def grow(times):
        for _ in range(times):
            ProgramStaffFactory(program=cast.program, user=UserFactory())
            ModuleFactory(cohort=cast.cohort, order=next(_order))
            cur.session.facilitators.add(UserFactory())

    for url in (
        reverse("curriculum:session_create", args=[cast.cohort.code]),
        reverse("curriculum:session_edit", args=[cur.session.code]),
        reverse("curriculum:series_create", args=[cast.cohort.code]),
    ):
        assert_stable_queries(lambda url=url: client.get(url), grow)


def test_assignment_and_submission_pages(client_for, cast, cur):
    def grow(times):
        for _ in range(times):
            SubmissionFactory(
                assignment=cur.assignment, enrollment=EnrollmentFactory(cohort=cast.cohort)
            )

    url = cur.assignment.get_absolute_url()
    for role in ("staff", "fellow", "coach"):
        client = client_for(role)
        assert_stable_queries(lambda client=client: client.get(url), grow)
    staff = client_for("staff")
    submission_url = reverse("curriculum:submission_detail", args=[cur.submission.code])
    assert_stable_queries(lambda: staff.get(submission_url), grow)


@time_machine.travel(NOW, tick=False)
def test_a_fellows_attendance_record_and_self_assessment(client_for, cast, cur):
    fellow = client_for("fellow")
    enrollment = cast.enrollments["fellow"]

    def grow(times):
        for i in range(times):
            session = SessionFactory(
                cohort=cast.cohort,
                starts_at=datetime.datetime(2026, 10, 2 + i, 17, tzinfo=datetime.UTC),
            )
            AttendanceFactory(session=session, enrollment=enrollment, status="late")
            CompetencyFactory(domain=cur.domain, order=next(_order))

    assert_stable_queries(
        lambda: fellow.get(reverse("curriculum:enrollment_attendance", args=[enrollment.code])),
        grow,
    )
    assert_stable_queries(
        lambda: fellow.get(reverse("curriculum:self_assessment", args=[cur.window.code])), grow
    )
    assert_stable_queries(lambda: fellow.get(enrollment.get_absolute_url()), grow)

"""Query counts of the 360° pages: the same at 1x and 10x data; the app's own pages make at
most 12 queries beyond what every page costs (session, user, navigation, unread count)."""

import itertools

import pytest
from django.urls import reverse

from feedback360.models import NominationStatus, Relationship
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.feedback360 import NominationFactory, RaterCircleFactory, answer
from tests.queries import assert_stable_queries, count_queries

pytestmark = pytest.mark.django_db

_n = itertools.count()


def _grow(cast, f360):
    """`times` more fellows, each with nominations in both windows and three answers in the
    closed one; the fellow gets more nominations and answers too."""

    def grow(times):
        for _ in range(times):
            enrollment = EnrollmentFactory(cohort=cast.cohort)
            circle = RaterCircleFactory(window=f360.window, enrollment=enrollment)
            for status in (NominationStatus.PENDING, NominationStatus.INVITED):
                NominationFactory(circle=circle, status=status)
            closed = RaterCircleFactory(window=f360.closed, enrollment=enrollment)
            for value in (2, 3, 4):
                answer(closed, Relationship.PEER, value, strengths=f"Strength {next(_n)}")
            NominationFactory(circle=f360.circle, status=NominationStatus.PENDING)
            answer(f360.report, Relationship.DIRECT_REPORT, 3, to_develop=f"Develop {next(_n)}")

    return grow


def _every_page(client) -> int:
    """What any page costs this viewer (a 404 page has the same layout)."""
    count, _sql, response = count_queries(lambda: client.get("/360/windows/nothing-here/"))
    assert response.status_code == 404
    return count


@pytest.mark.parametrize(
    "role, url",
    [
        ("staff", lambda cast, f: reverse("feedback360:cohort_windows", args=[cast.cohort.code])),
        ("staff", lambda cast, f: f.window.get_absolute_url()),
        ("staff", lambda cast, f: f.closed.get_absolute_url()),
        ("staff", lambda cast, f: reverse("feedback360:window_close", args=[f.window.code])),
        ("fellow", lambda cast, f: reverse("feedback360:nominate", args=[f.window.code])),
        ("fellow", lambda cast, f: f.report.get_absolute_url()),
        ("anonymous", lambda cast, f: f"/360/r/{f.token}/"),
        ("staff", lambda cast, f: reverse("feedback360:cohort_export", args=[cast.cohort.code])),
    ],
    ids=[
        "cohort windows",
        "open window",
        "closed window",
        "close",
        "nominate",
        "report",
        "rate",
        "figures csv",
    ],
)
def test_pages_of_the_app(cast, client_for, f360, role, url):
    client = client_for(role)
    count = assert_stable_queries(lambda: client.get(url(cast, f360)), _grow(cast, f360), factor=10)
    assert count - _every_page(client) <= 12, count


@pytest.mark.parametrize(
    "role, url",
    [
        (
            "fellow",
            lambda cast: reverse("curriculum:growth", args=[cast.enrollments["fellow"].code]),
        ),
        ("staff", lambda cast: reverse("curriculum:assessment_overview", args=[cast.cohort.code])),
        ("staff", lambda cast: reverse("reports:cohort_report", args=[cast.cohort.code])),
        ("coach", lambda cast: reverse("reports:cohort_report", args=[cast.cohort.code])),
        ("fellow", lambda cast: reverse("cohorts:fellow_home")),
        ("staff", lambda cast: reverse("cohorts:cohort_detail", args=[cast.cohort.code])),
    ],
    ids=["growth", "cohort growth", "funder report", "coach's funder report", "home", "cohort"],
)
def test_pages_the_app_adds_to_stay_flat(cast, client_for, f360, role, url):
    client = client_for(role)
    assert_stable_queries(lambda: client.get(url(cast)), _grow(cast, f360), factor=10)

"""Staff open, change and close 360° windows; closing with too few raters asks first. A
rater's link opens their own form and nothing else."""

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback360.models import FeedbackWindow, NominationStatus, Relationship
from tests.factories.feedback360 import NominationFactory, answer

pytestmark = pytest.mark.django_db


def _open(client, cast, **data):
    return client.post(
        reverse("feedback360:cohort_windows", kwargs={"code": cast.cohort.code}),
        {"phase": "midpoint", "opens_on": "2027-02-01", "closes_on": "2027-02-28", **data},
    )


def test_staff_open_a_window(cast, client_for):
    response = _open(client_for("staff"), cast)
    assert response.status_code == 302
    window = FeedbackWindow.objects.get(cohort=cast.cohort)
    assert (window.phase, str(window.opens_on), str(window.closes_on)) == (
        "midpoint",
        "2027-02-01",
        "2027-02-28",
    )


@pytest.mark.parametrize(
    "data, errors",
    [
        (
            {"opens_on": "2026-08-01"},
            {"opens_on": ["The window must fall within the cohort's dates."]},
        ),
        (
            {"closes_on": "2027-01-31"},
            {"closes_on": ["The window must close on or after it opens."]},
        ),
        (
            {"phase": "someday"},
            {"phase": ["Select a valid choice. someday is not one of the available choices."]},
        ),
    ],
)
def test_bad_window_dates_are_refused_next_to_the_field(cast, client_for, data, errors):
    response = _open(client_for("staff"), cast, **data)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert not FeedbackWindow.objects.exists()


def test_one_window_per_phase(cast, client_for, f360):
    response = _open(client_for("staff"), cast, phase="baseline")
    assert response.context["form"].errors == {
        "phase": ["This cohort already has a baseline 360° feedback window."]
    }


def test_closing_with_too_few_raters_asks_first_and_changes_nothing(cast, client_for, f360):
    url = reverse("feedback360:window_close", kwargs={"code": f360.window.code})
    client = client_for("staff")
    page = client.get(url).content.decode()
    # Nobody has answered in the open window: every fellow is short.
    assert "3 fellows have too few raters." in page
    assert "Fiona Fellow: 0 answers; nominations short of the program's minimums" in page
    response = client.post(url, {})
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["confirm_short"][0]
        .startswith("3 fellows have too few raters (Clara Classmate, Fiona Fellow, Pedro Peer).")
    )
    assert FeedbackWindow.objects.get(pk=f360.window.pk).closed_at is None
    # The rater's link still works.
    assert client_for("anonymous").get(f"/360/r/{f360.token}/").status_code == 200

    response = client.post(url, {"confirm_short": "on"})
    assert response.status_code == 302
    window = FeedbackWindow.objects.get(pk=f360.window.pk)
    assert (window.closed_by, window.state_on(cast.cohort.local_date())) == (cast.staff, "Closed")
    assert client_for("anonymous").get(f"/360/r/{f360.token}/").status_code == 410
    # Closed for good: its dates no longer change, and it cannot be closed again.
    edit = client.post(
        reverse("feedback360:window_edit", kwargs={"code": window.code}),
        {"opens_on": "2026-11-01", "closes_on": "2026-12-31"},
    )
    assert "This window was closed; its dates can no longer change." in edit.content.decode()
    again = client.post(url, {"confirm_short": "on"})
    assert "This window is already closed." in again.content.decode()


def test_closing_without_shortfalls_needs_no_confirmation(cast, client_for, f360):
    from cohorts.models import Enrollment, EnrollmentStatus

    Enrollment.objects.filter(cohort=cast.cohort).exclude(pk=f360.circle.enrollment_id).update(
        status=EnrollmentStatus.WITHDRAWN, withdrawn_on=cast.cohort.start_date
    )
    f360.circle.nominations.update(status=NominationStatus.INVITED)
    NominationFactory(circle=f360.circle, relationship=Relationship.SUPERVISOR)
    for nomination in f360.circle.nominations.all()[:3]:
        nomination.answered_at = timezone.now()
        nomination.save()
        answer(f360.circle, nomination.relationship, 3)
    response = client_for("staff").post(
        reverse("feedback360:window_close", kwargs={"code": f360.window.code}), {}
    )
    assert response.status_code == 302, response.context["form"].errors
    assert FeedbackWindow.objects.get(pk=f360.window.pk).closed_at is not None


def test_a_raters_link_opens_nothing_else(cast, client_for, f360):
    """The "rater's token" row of the matrix: the link is no login."""
    rater = client_for("anonymous")
    page = rater.get(f"/360/r/{f360.token}/").content.decode()
    assert "Feedback for Fiona Fellow" in page
    for secret in ("SECRET-SUPERVISOR", "Peer strength", "Pat Pending", "dana@agency"):
        assert secret not in page
    for url in [
        f360.report.get_absolute_url(),
        f360.circle.get_absolute_url(),
        reverse("feedback360:nominate", kwargs={"code": f360.window.code}),
        f360.window.get_absolute_url(),
        reverse("feedback360:cohort_windows", kwargs={"code": cast.cohort.code}),
        reverse("cohorts:enrollment_detail", kwargs={"code": cast.enrollments["fellow"].code}),
    ]:
        response = rater.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url

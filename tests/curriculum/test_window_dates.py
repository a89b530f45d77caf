"""Changing a window's dates keeps every self-assessment already made inside them (days in
the cohort's zone): a change that would leave ratings out is refused next to the date field
that excludes them, and nothing is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum import services
from curriculum.models import AssessmentPhase, AssessmentWindow
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.curriculum import AssessmentWindowFactory, SelfAssessmentFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
NOV = datetime.date(2026, 11, 1)


def _day(n):
    return NOV.replace(day=n)


@pytest.fixture
def window(cast):
    return AssessmentWindowFactory(
        cohort=cast.cohort, phase=AssessmentPhase.MIDPOINT, opens_on=_day(10), closes_on=_day(20)
    )


def _rated(window, count, moment):
    for _ in range(count):
        SelfAssessmentFactory(
            window=window,
            enrollment=EnrollmentFactory(cohort=window.cohort),
            submitted_at=moment,
        )


def _move(window, opens_on, closes_on):
    return services.window_save(
        cohort=window.cohort,
        phase=window.phase,
        opens_on=opens_on,
        closes_on=closes_on,
        window=window,
    )


def test_closing_before_ratings_is_refused_next_to_the_closing_date(client_for, window):
    # 17:00 UTC is midday in New York, the cohort's zone.
    _rated(window, 3, datetime.datetime(2026, 11, 12, 17, 0, tzinfo=UTC))
    response = client_for("staff").post(
        reverse("curriculum:window_edit", args=[window.code]),
        {"opens_on": "2026-11-01", "closes_on": "2026-11-11"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_closes_on"' in body and 'id="error_1_id_opens_on"' not in body
    assert (
        "3 fellows rated themselves on 12 November 2026, outside these dates; "
        "keep the window open on that day."
    ) in body
    window.refresh_from_db()
    assert (window.opens_on, window.closes_on) == (_day(10), _day(20))


def test_opening_after_ratings_is_refused_next_to_the_opening_date(window):
    _rated(window, 1, datetime.datetime(2026, 11, 10, 17, 0, tzinfo=UTC))
    _rated(window, 2, datetime.datetime(2026, 11, 11, 17, 0, tzinfo=UTC))
    _rated(window, 1, datetime.datetime(2026, 11, 15, 17, 0, tzinfo=UTC))
    with pytest.raises(ValidationError) as info:
        _move(window, _day(12), _day(14))
    assert info.value.message_dict == {
        "opens_on": [
            "3 fellows rated themselves on 10 November 2026 and 11 November 2026, outside "
            "these dates; keep the window open on those days."
        ],
        "closes_on": [
            "1 fellow rated themselves on 15 November 2026, outside these dates; "
            "keep the window open on that day."
        ],
    }
    stored = AssessmentWindow.objects.get(pk=window.pk)
    assert (stored.opens_on, stored.closes_on) == (_day(10), _day(20))


def test_a_change_that_keeps_every_rating_inside_is_saved(client_for, window):
    _rated(window, 2, datetime.datetime(2026, 11, 12, 17, 0, tzinfo=UTC))
    _rated(window, 1, datetime.datetime(2026, 11, 14, 17, 0, tzinfo=UTC))
    response = client_for("staff").post(
        reverse("curriculum:window_edit", args=[window.code]),
        {"opens_on": "2026-11-12", "closes_on": "2026-11-14"},
    )
    assert response.status_code == 302
    window.refresh_from_db()
    assert (window.opens_on, window.closes_on) == (_day(12), _day(14))


def test_a_window_nobody_rated_in_moves_freely(window):
    _move(window, _day(1), _day(2))
    window.refresh_from_db()
    assert (window.opens_on, window.closes_on) == (_day(1), _day(2))


def test_days_are_the_cohorts_not_utc(cast, window):
    """23:30 on 20 November in Honolulu is 09:30 on 21 November in UTC: the rating was made
    on the window's last day there, so the window may close that day but not before."""
    cohort = cast.cohort
    cohort.time_zone = "Pacific/Honolulu"
    cohort.save()
    window.refresh_from_db()
    late = datetime.datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    _rated(window, 1, late)
    _move(window, _day(12), _day(20))
    with pytest.raises(ValidationError) as info:
        _move(window, _day(12), _day(19))
    assert info.value.message_dict == {
        "closes_on": [
            "1 fellow rated themselves on 20 November 2026, outside these dates; "
            "keep the window open on that day."
        ]
    }
    # And a rating made at 00:30 on 21 November in Honolulu (10:30 UTC) falls outside.
    _rated(window, 1, datetime.datetime(2026, 11, 21, 10, 30, tzinfo=UTC))
    with pytest.raises(ValidationError, match="on 21 November 2026"):
        _move(window, _day(12), _day(20))
    stored = AssessmentWindow.objects.get(pk=window.pk)
    assert (stored.opens_on, stored.closes_on) == (_day(12), _day(20))


def test_a_rating_made_through_the_service_at_2330_in_honolulu_keeps_the_last_day(cur, cast):
    cohort = cast.cohort
    cohort.time_zone = "Pacific/Honolulu"
    cohort.save()
    window = AssessmentWindowFactory(
        cohort=cohort, phase=AssessmentPhase.MIDPOINT, opens_on=_day(10), closes_on=_day(20)
    )
    ratings = {c.pk: (3, "") for d in cur.framework.domains.all() for c in d.competencies.all()}
    services.self_assessment_submit(
        window=window,
        enrollment=cast.enrollments["fellow"],
        ratings=ratings,
        now=datetime.datetime(2026, 11, 21, 9, 30, tzinfo=UTC),  # 23:30 on 20 Nov in Honolulu
    )
    with pytest.raises(ValidationError, match="on 20 November 2026"):
        _move(window, _day(10), _day(19))
    _move(window, _day(20), _day(20))


def test_the_admin_refuses_it_too(client_for, window):
    _rated(window, 2, datetime.datetime(2026, 11, 18, 17, 0, tzinfo=UTC))
    response = client_for("admin").post(
        reverse("admin:curriculum_assessmentwindow_change", args=[window.pk]),
        {"opens_on": "2026-11-10", "closes_on": "2026-11-15"},
    )
    assert response.status_code == 200
    assert "2 fellows rated themselves on 18 November 2026" in response.content.decode()
    window.refresh_from_db()
    assert window.closes_on == _day(20)

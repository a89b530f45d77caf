import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from curriculum import services
from curriculum.models import AssessmentPhase, AssessmentWindow, Rating, SelfAssessment
from curriculum.selectors import cohort_growth, growth_of
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.curriculum import (
    AssessmentWindowFactory,
    SelfAssessmentFactory,
    SessionFactory,
    framework_with_scale,
    rate,
)
from tests.queries import assert_stable_queries

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 22, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture
def framework(cast):
    framework = framework_with_scale(domains=2, per_domain=2)
    cast.cohort.framework = framework
    cast.cohort.save()
    return framework


@pytest.fixture
def window(cast, framework):
    return AssessmentWindowFactory(
        cohort=cast.cohort,
        opens_on=datetime.date(2026, 11, 15),
        closes_on=datetime.date(2026, 11, 30),
    )


def _all(framework, value, note=""):
    return {c.pk: (value, note) for d in framework.domains.all() for c in d.competencies.all()}


def test_window_dates_must_make_sense(cast):
    with pytest.raises(ValidationError) as info:
        services.window_save(
            cohort=cast.cohort,
            phase="baseline",
            opens_on=datetime.date(2026, 9, 30),
            closes_on=datetime.date(2026, 9, 1),
        )
    assert "closes_on" in info.value.message_dict
    with pytest.raises(ValidationError, match="within the cohort"):
        services.window_save(
            cohort=cast.cohort,
            phase="baseline",
            opens_on=datetime.date(2025, 9, 1),
            closes_on=datetime.date(2026, 9, 30),
        )
    services.window_save(
        cohort=cast.cohort,
        phase="baseline",
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 9, 30),
    )
    with pytest.raises(ValidationError, match="already has a baseline window"):
        services.window_save(
            cohort=cast.cohort,
            phase="baseline",
            opens_on=datetime.date(2026, 10, 1),
            closes_on=datetime.date(2026, 10, 30),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentWindow.objects.create(
            cohort=cast.cohort,
            phase="midpoint",
            opens_on=datetime.date(2027, 2, 1),
            closes_on=datetime.date(2027, 1, 1),
        )


def test_fellow_rates_every_competency_and_may_revise(cast, framework, window):
    enrollment = cast.enrollments["fellow"]
    services.self_assessment_submit(
        window=window, enrollment=enrollment, ratings=_all(framework, 2, "Growing"), now=NOW
    )
    services.self_assessment_submit(
        window=window, enrollment=enrollment, ratings=_all(framework, 3), now=NOW
    )
    assessment = SelfAssessment.objects.get()
    assert sorted(assessment.ratings.values_list("level__value", flat=True)) == [3, 3, 3, 3]


def test_ratings_outside_the_scale_or_incomplete_are_refused(cast, framework, window):
    enrollment = cast.enrollments["fellow"]
    ratings = _all(framework, 3)
    first = next(iter(ratings))
    with pytest.raises(ValidationError, match=r"6 is not on the scale \(1–5\)"):
        services.self_assessment_submit(
            window=window, enrollment=enrollment, ratings={**ratings, first: (6, "")}, now=NOW
        )
    del ratings[first]
    with pytest.raises(ValidationError, match="Rate “"):
        services.self_assessment_submit(
            window=window, enrollment=enrollment, ratings=ratings, now=NOW
        )
    assert not SelfAssessment.objects.exists() and not Rating.objects.exists()


def test_ratings_outside_the_window_are_refused(cast, framework, window):
    for moment in ("2026-11-14 12:00:00+00:00", "2026-12-01 12:00:00+00:00"):
        with pytest.raises(ValidationError, match="window is open 15 Nov – 30 Nov 2026, not today"):
            services.self_assessment_submit(
                window=window,
                enrollment=cast.enrollments["fellow"],
                ratings=_all(framework, 3),
                now=datetime.datetime.fromisoformat(moment),
            )


def test_window_closes_at_midnight_in_the_cohorts_zone(cast, framework, window):
    # 04:30 UTC on 1 December is still 30 November in New York: the window is open.
    in_time = datetime.datetime(2026, 12, 1, 4, 30, tzinfo=datetime.UTC)
    assessment = services.self_assessment_submit(
        window=window,
        enrollment=cast.enrollments["fellow"],
        ratings=_all(framework, 3),
        now=in_time,
    )
    assert assessment.submitted_at == in_time
    assert list(assessment.ratings.values_list("level__value", flat=True)) == [3, 3, 3, 3]
    # 05:00 UTC is midnight in New York: 1 December there, and the window has closed.
    with pytest.raises(ValidationError, match="window is open 15 Nov – 30 Nov 2026, not today"):
        services.self_assessment_submit(
            window=window,
            enrollment=cast.enrollments["peer"],
            ratings=_all(framework, 3),
            now=datetime.datetime(2026, 12, 1, 5, 0, tzinfo=datetime.UTC),
        )
    assert not SelfAssessment.objects.filter(enrollment=cast.enrollments["peer"]).exists()


def test_only_active_fellows_rate_themselves(cast, framework, window):
    with pytest.raises(ValidationError, match="active fellows"):
        services.self_assessment_submit(
            window=window,
            enrollment=cast.enrollments["withdrawn"],
            ratings=_all(framework, 3),
            now=NOW,
        )


def test_growth_by_domain_baseline_against_latest(cast, framework):
    enrollment = cast.enrollments["fellow"]
    c11, c12, c21, c22 = [c for d in framework.domains.all() for c in d.competencies.all()]
    baseline = SelfAssessmentFactory(
        window=AssessmentWindowFactory(cohort=cast.cohort, phase=AssessmentPhase.BASELINE),
        enrollment=enrollment,
    )
    rate(baseline, {c11: 1, c12: 2, c21: 3, c22: 3})
    midpoint = SelfAssessmentFactory(
        window=AssessmentWindowFactory(cohort=cast.cohort, phase=AssessmentPhase.MIDPOINT),
        enrollment=enrollment,
    )
    rate(midpoint, {c11: 3, c12: 4, c21: 3, c22: 4})
    rows, latest, scale_max = growth_of(enrollment)
    assert latest == "midpoint" and scale_max == 5
    assert [(r.domain.name, r.baseline, r.latest, r.change) for r in rows] == [
        ("Domain 1", 1.5, 3.5, 2.0),
        ("Domain 2", 3.0, 3.5, 0.5),
    ]
    # Cohort aggregate with a second fellow at baseline only: (1.5 + 4) / 2 per domain.
    peer = SelfAssessmentFactory(window=baseline.window, enrollment=cast.enrollments["peer"])
    rate(peer, {c11: 4, c12: 4, c21: 2, c22: 2})
    rows, latest, _ = cohort_growth(cast.cohort)
    assert [(r.baseline, r.latest) for r in rows] == [(2.8, 3.5), (2.5, 3.5)]


@time_machine.travel(NOW, tick=False)
def test_fellow_completes_baseline_through_the_page(client_for, cast, framework, window):
    url = reverse("curriculum:self_assessment", args=[window.code])
    data = {}
    for d in framework.domains.all():
        for c in d.competencies.all():
            data[f"c-{c.code}"] = "2"
            data[f"n-{c.code}"] = "Still learning"
    response = client_for("fellow").post(url, data)
    growth_url = reverse("curriculum:growth", args=[cast.enrollments["fellow"].code])
    assert response.status_code == 302 and response["Location"] == growth_url
    body = client_for("fellow").get(growth_url).content.decode()
    assert "<svg" in body and "Growth by domain" in body
    assert '<th scope="row">Domain 1</th>' in body
    # The fellow's coach reads it; a peer does not.
    assert client_for("coach").get(growth_url).status_code == 200
    assert client_for("peer").get(growth_url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_out_of_scale_value_through_the_page_is_refused(client_for, cast, framework, window):
    data = {f"c-{c.code}": "9" for d in framework.domains.all() for c in d.competencies.all()}
    response = client_for("fellow").post(
        reverse("curriculum:self_assessment", args=[window.code]), data
    )
    assert response.status_code == 200
    assert "Choose a level on the scale." in response.content.decode()
    assert not SelfAssessment.objects.exists()


@time_machine.travel("2026-12-05 12:00:00+00:00", tick=False)
def test_closed_window_page_refuses_ratings(client_for, cast, framework, window):
    data = {f"c-{c.code}": "3" for d in framework.domains.all() for c in d.competencies.all()}
    response = client_for("fellow").post(
        reverse("curriculum:self_assessment", args=[window.code]), data
    )
    assert response.status_code == 200
    assert "This window is closed" in response.content.decode()
    assert not SelfAssessment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_fellow_home_says_the_baseline_window_is_open(client_for, cast, framework, window):
    body = client_for("fellow").get(reverse("cohorts:fellow_home")).content.decode()
    assert "Rate yourself:" in body and "baseline window is open" in body


@time_machine.travel(NOW, tick=False)
def test_staff_open_a_window_and_see_the_cohort_aggregate(client_for, cast, framework):
    url = reverse("curriculum:assessment_overview", args=[cast.cohort.code])
    response = client_for("staff").post(
        url, {"phase": "midpoint", "opens_on": "2027-02-01", "closes_on": "2027-02-28"}
    )
    assert response.status_code == 302
    body = client_for("staff").get(url).content.decode()
    assert "Midpoint" in body and "Cohort average by domain" in body


@time_machine.travel(NOW, tick=False)
def test_schedule_and_growth_query_counts_are_stable(client_for, cast, framework):
    fellow = client_for("fellow")
    staff = client_for("staff")
    baseline_window = AssessmentWindowFactory(cohort=cast.cohort, phase="baseline")
    competencies = [c for d in framework.domains.all() for c in d.competencies.all()]

    def grow(times):
        for i in range(times):
            for month in (10, 12):  # one past, one upcoming
                session = SessionFactory(
                    cohort=cast.cohort,
                    starts_at=datetime.datetime(2026, month, 3 + i, 17, tzinfo=datetime.UTC),
                )
                session.materials.create(title="Slides", url="https://example.org/s")
                session.speakers.create(name="Speaker")
                session.facilitators.add(cast.staff)
            enrollment = EnrollmentFactory(cohort=cast.cohort)
            rate(
                SelfAssessmentFactory(window=baseline_window, enrollment=enrollment),
                dict.fromkeys(competencies, 3),
            )

    grow(1)
    rate(
        SelfAssessmentFactory(window=baseline_window, enrollment=cast.enrollments["fellow"]),
        dict.fromkeys(competencies, 2),
    )
    assert_stable_queries(
        lambda: fellow.get(reverse("curriculum:schedule", args=[cast.cohort.code])), grow
    )
    assert_stable_queries(
        lambda: fellow.get(reverse("curriculum:growth", args=[cast.enrollments["fellow"].code])),
        grow,
    )
    assert_stable_queries(
        lambda: staff.get(reverse("curriculum:assessment_overview", args=[cast.cohort.code])), grow
    )
    assert_stable_queries(
        lambda: staff.get(reverse("curriculum:module_list", args=[cast.cohort.code])), grow
    )


@time_machine.travel(NOW, tick=False)
def test_overview_says_which_windows_are_open_not_yet_open_or_closed(client_for, cast, framework):
    from tests.factories.curriculum import AssessmentWindowFactory

    for phase, opens, closes in [
        ("baseline", datetime.date(2026, 9, 8), datetime.date(2026, 10, 6)),
        ("midpoint", datetime.date(2026, 11, 16), datetime.date(2026, 11, 30)),
        ("final", datetime.date(2027, 7, 15), datetime.date(2027, 8, 15)),
    ]:
        AssessmentWindowFactory(cohort=cast.cohort, phase=phase, opens_on=opens, closes_on=closes)
    body = (
        client_for("staff")
        .get(reverse("curriculum:assessment_overview", args=[cast.cohort.code]))
        .content.decode()
    )
    baseline, midpoint, final = (
        body.split(f">{p}</th>")[1].split("</tr>")[0] for p in ("Baseline", "Midpoint", "Final")
    )
    assert "Closed" in baseline and ">Open<" in midpoint and "Not yet open" in final

"""The burn-down (coaching/burndown.py), hand-computed, and the charts on the pages."""

import datetime
from decimal import Decimal

import time_machine
from django.urls import reverse

from coaching.burndown import BurnPoint, burndown, burndown_chart
from coaching.selectors import enrollment_burndown
from tests.factories.coaching import CoachingSessionFactory
from tests.queries import assert_stable_queries

START = datetime.date(2026, 9, 1)
END = datetime.date(2027, 8, 31)  # 364 days
D = datetime.date


def test_sessions_burn_down_against_the_even_pace():
    points = burndown(
        unit="sessions",
        amount=Decimal(10),
        start=START,
        end=END,
        sessions=[(D(2026, 10, 1), 60), (D(2026, 10, 1), 60), (D(2026, 12, 1), 90)],
        today=D(2027, 3, 2),
    )
    # 1 Oct: day 30 of 364, even pace 10 × 30/364 = 0.82 → 0.8 used, 9.2 left.
    # 1 Dec: day 91, a quarter: 2.5 used, 7.5 left. 2 Mar: day 182, half: 5 left.
    assert points == [
        BurnPoint(START, Decimal(10), Decimal(10)),
        BurnPoint(D(2026, 10, 1), Decimal(8), Decimal("9.2")),
        BurnPoint(D(2026, 12, 1), Decimal(7), Decimal("7.5")),
        BurnPoint(D(2027, 3, 2), Decimal(7), Decimal("5.0")),
    ]


def test_hours_burn_down_by_minutes_and_never_below_zero():
    points = burndown(
        unit="hours",
        amount=Decimal(2),
        start=START,
        end=END,
        # Before the start counts on the first day; after today is not drawn yet.
        sessions=[(D(2026, 8, 20), 45), (D(2026, 12, 1), 90), (D(2027, 1, 5), 60)],
        today=D(2026, 12, 1),
    )
    # 45 min = 0.75 → 0.8 h used, 1.2 left; 135 min = 2.25 → 2.3 h used: nothing left.
    assert [(p.day, p.remaining) for p in points] == [
        (START, Decimal("1.2")),
        (D(2026, 12, 1), Decimal(0)),
    ]
    assert points[-1].even == Decimal("1.5")  # 2 × (1 - 91/364)


def test_before_the_cohort_starts_there_is_one_point_and_after_it_ends_the_year():
    before = burndown(
        unit="sessions", amount=Decimal(10), start=START, end=END, sessions=[], today=D(2026, 5, 1)
    )
    assert before == [BurnPoint(START, Decimal(10), Decimal(10))]
    after = burndown(
        unit="sessions", amount=Decimal(10), start=START, end=END, sessions=[], today=D(2028, 1, 1)
    )
    assert after[-1] == BurnPoint(END, Decimal(10), Decimal(0))


def test_chart_coordinates():
    points = [
        BurnPoint(START, Decimal(10), Decimal(10)),
        BurnPoint(D(2027, 3, 2), Decimal(5), Decimal(5)),
    ]
    chart = burndown_chart(
        points, unit="sessions", amount=Decimal(10), start=START, end=END, today=D(2027, 3, 2)
    )
    # Plot: x from 48 to 584 (536 wide), y from 12 (10 left) to 192 (nothing left).
    assert (chart.left, chart.right, chart.top, chart.bottom) == (48, 584, 12, 192)
    assert chart.even_line == "48.0,12.0 584.0,192.0"
    # Half-way: x = 48 + 268 = 316; 5 left: y = 12 + 90 = 102. A step: flat, then down.
    assert chart.remaining_line == "48.0,12.0 316.0,12.0 316.0,102.0"
    assert chart.markers == [(48.0, 12.0), (316.0, 102.0)]
    assert chart.today_x == 316.0
    assert [t.label for t in chart.y_ticks] == ["10", "5", "0"]
    assert [t.label for t in chart.x_ticks] == ["Sep 2026", "Aug 2027"]


def test_a_zero_entitlement_draws_without_dividing_by_zero():
    chart = burndown_chart(
        [BurnPoint(START, Decimal(0), Decimal(0))],
        unit="hours",
        amount=Decimal(0),
        start=START,
        end=END,
        today=START,
    )
    assert chart.remaining_line == "48.0,192.0"
    assert chart.today_x is None


@time_machine.travel("2027-03-02 15:00:00+00:00", tick=False)
def test_selector_counts_sessions_on_the_cohorts_day(cast):
    """A session late on 30 Nov in Honolulu is 1 Dec in UTC: it counts on the cohort's day."""
    cast.cohort.time_zone = "Pacific/Honolulu"
    cast.cohort.save()
    fellow = cast.enrollments["fellow"]
    CoachingSessionFactory(
        enrollment=fellow,
        coach=cast.coach,
        starts_at=datetime.datetime(2026, 12, 1, 5, tzinfo=datetime.UTC),  # 30 Nov, 19:00 HST
    )
    CoachingSessionFactory(enrollment=fellow, coach=cast.coach, status="cancelled")
    chart = enrollment_burndown(fellow)
    assert [(p.day, p.remaining) for p in chart.points] == [
        (START, Decimal(10)),
        (D(2026, 11, 30), Decimal(9)),
        (D(2027, 3, 2), Decimal(9)),
    ]


@time_machine.travel("2027-03-02 15:00:00+00:00", tick=False)
def test_fellow_coach_and_staff_see_the_chart_and_its_table(cast, client_for):
    fellow = cast.enrollments["fellow"]
    CoachingSessionFactory(
        enrollment=fellow,
        coach=cast.coach,
        starts_at=datetime.datetime(2026, 12, 1, 15, tzinfo=datetime.UTC),
    )
    url = reverse("coaching:enrollment_coaching", args=[fellow.code])
    for role in ("fellow", "coach", "staff"):
        body = client_for(role).get(url).content.decode()
        assert 'role="img"' in body, role
        assert "9 of 10 sessions left on 2 Mar 2027; an even pace would leave 5." in body, role
        assert '<th scope="row">1 Dec 2026</th><td>9</td><td>7.5</td>' in body, role
        assert 'stroke-dasharray="8 5"' in body  # the even pace is dashed, not only grey


@time_machine.travel("2027-03-02 15:00:00+00:00", tick=False)
def test_coverage_shows_the_cohort_burn_down(cast, client_for):
    CoachingSessionFactory(enrollment=cast.enrollments["fellow"], coach=cast.coach)
    CoachingSessionFactory(enrollment=cast.enrollments["classmate"], coach=cast.other_coach)
    body = client_for("staff").get(reverse("coaching:coverage", args=[cast.cohort.code]))
    body = body.content.decode()
    # Fellow, peer and classmate (the withdrawn fellow is not listed): 3 × 10 sessions, two
    # used; half-way through the year an even pace leaves 15.
    assert "The entitlement of all 3 fellows listed below together" in body
    assert "28 of 30 sessions left on 2 Mar 2027; an even pace would leave 15." in body


def test_coverage_burndown_query_count_is_stable(cast, client_for, grow_cohort):
    client = client_for("staff")
    url = reverse("coaching:coverage", args=[cast.cohort.code])
    assert "Cohort burn-down" in client.get(url).content.decode()
    assert_stable_queries(lambda: client.get(url), grow_cohort)


def test_burndown_query_count_is_stable(cast, client_for):
    fellow = cast.enrollments["fellow"]
    url = reverse("coaching:enrollment_coaching", args=[fellow.code])

    def grow(n):
        for i in range(n * 3):
            CoachingSessionFactory(
                enrollment=fellow,
                coach=cast.coach,
                starts_at=datetime.datetime(2026, 10, 1 + i, 15, tzinfo=datetime.UTC),
            )

    grow(1)
    client = client_for("fellow")
    assert_stable_queries(lambda: client.get(url), grow)

"""Entitlement arithmetic (coaching/entitlement.py), hand-computed."""

import datetime
from decimal import Decimal

import time_machine
from django.urls import reverse

from coaching.entitlement import Entitlement, entitlement_for, even_pace, used_amount
from coaching.selectors import coverage_rows, enrollment_with_stats
from tests.factories.coaching import CoachingSessionFactory

START = datetime.date(2026, 9, 1)
END = datetime.date(2027, 8, 31)  # 364 days later


def test_sessions_count_completed_and_no_shows():
    assert used_amount("sessions", counting_sessions=4, counting_minutes=999) == Decimal(4)


def test_hours_sum_minutes_to_a_tenth():
    # 60 + 90 + 45 minutes = 195 minutes = 3.25 hours → 3.3
    assert used_amount("hours", counting_sessions=3, counting_minutes=195) == Decimal("3.3")
    assert used_amount("hours", counting_sessions=0, counting_minutes=0) == Decimal("0.0")


def test_even_pace_runs_over_the_cohort_year():
    assert even_pace(Decimal(10), START, END, datetime.date(2026, 8, 1)) == 0
    # 91 of 364 days = a quarter: 2.5 of 10 sessions.
    assert even_pace(Decimal(10), START, END, datetime.date(2026, 12, 1)) == Decimal("2.5")
    assert even_pace(Decimal(12), START, END, datetime.date(2027, 3, 2)) == Decimal("6.0")
    assert even_pace(Decimal(10), START, END, datetime.date(2027, 12, 1)) == 10


def _ent(used, expected=0, amount=10, unit="sessions", behind=15, low=20):
    return Entitlement(
        unit=unit,
        amount=Decimal(amount),
        used=Decimal(used),
        expected=expected,
        behind_pace_percent=behind,
        running_low_percent=low,
    )


def test_behind_pace_is_more_than_the_margin_below_even_pace():
    # Even pace 5 of 10, margin 15 % = 1.5: behind below 3.5.
    assert _ent(3, expected=Decimal(5)).pace == "behind"
    assert _ent(Decimal("3.5"), expected=Decimal(5)).pace == "on_pace"
    assert _ent(5, expected=Decimal(5)).pace == "on_pace"


def test_running_low_then_used_up():
    # 20 % of 10 sessions = 2 left or fewer.
    assert _ent(7).pace == "on_pace"
    assert _ent(8).pace == "running_low"
    assert _ent(8).remaining == 2
    assert _ent(10).pace == "used_up"
    assert _ent(11).remaining == 0
    assert _ent(11).percent_used == 100
    # 12 hours: 20 % is 2.4 hours.
    assert _ent(Decimal("9.5"), amount=12, unit="hours").pace == "on_pace"
    assert _ent(Decimal("9.6"), amount=12, unit="hours").pace == "running_low"
    # A small entitlement warns with one unit left at least.
    assert _ent(2, amount=3).pace == "running_low"


@time_machine.travel("2027-03-02 15:00:00+00:00", tick=False)
def test_entitlement_from_real_sessions_in_sessions_and_hours(cast):
    enrollment = cast.enrollments["fellow"]
    when = datetime.datetime(2027, 2, 1, 15, tzinfo=datetime.UTC)
    for status, minutes in [
        ("completed", 60),
        ("completed", 90),
        ("no_show", 45),
        ("cancelled", 60),
        ("scheduled", 60),
    ]:
        CoachingSessionFactory(
            enrollment=enrollment,
            coach=cast.coach,
            status=status,
            duration_minutes=minutes,
            starts_at=when,
        )
    # Another fellow's session does not count here.
    CoachingSessionFactory(enrollment=cast.enrollments["classmate"], coach=cast.other_coach)

    program = cast.program
    program.coaching_entitlement_unit = "sessions"
    program.coaching_entitlement_amount = 10
    program.save()
    ent = enrollment_with_stats(enrollment.pk).entitlement
    assert ent.used == 3  # two completed + one no-show
    assert ent.expected == Decimal("5.0")  # 182 of 364 days
    assert ent.pace == "behind"  # 3 < 5 - 1.5

    program.coaching_entitlement_unit = "hours"
    program.coaching_entitlement_amount = 4
    program.save()
    ent = enrollment_with_stats(enrollment.pk).entitlement
    assert ent.used == Decimal("3.3")  # 195 minutes
    assert ent.remaining == Decimal("0.7")
    assert ent.pace == "running_low"


def test_entitlement_for_uses_the_program_settings(cast):
    cast.program.coaching_entitlement_unit = "hours"
    cast.program.coaching_entitlement_amount = Decimal("12")
    ent = entitlement_for(
        program=cast.program,
        cohort=cast.cohort,
        counting_sessions=2,
        counting_minutes=150,
        today=datetime.date(2026, 9, 1),
    )
    assert (ent.unit, ent.amount, ent.used, ent.expected) == ("hours", 12, Decimal("2.5"), 0)
    assert ent.unit_label == "hours"


@time_machine.travel("2027-03-02 15:00:00+00:00", tick=False)
def test_warning_is_shown_to_fellow_coach_and_staff(cast, client_for):
    enrollment = cast.enrollments["fellow"]
    for _ in range(9):
        CoachingSessionFactory(enrollment=enrollment, coach=cast.coach)
    url = reverse("coaching:enrollment_coaching", args=[enrollment.code])
    for role in ("fellow", "coach", "staff"):
        body = client_for(role).get(url).content.decode()
        assert "9</strong> of 10 sessions used" in body, role
        assert "Running out: 1 left." in body, role
    coach_home = client_for("coach").get(reverse("coaching:coach_home")).content.decode()
    assert "Running out: 1 left." in coach_home


def test_thresholds_are_the_entitlements_own():
    # Margin 30 % of 10 = 3: behind below 5 - 3 = 2.
    assert _ent(Decimal("1.9"), expected=Decimal(5), behind=30).pace == "behind"
    assert _ent(2, expected=Decimal(5), behind=30).pace == "on_pace"
    # Running low at 50 %: 5 left or fewer.
    assert _ent(4, low=50).pace == "on_pace"
    assert _ent(5, low=50).pace == "running_low"
    # At 0 % the one-unit floor still warns with one left.
    assert _ent(8, low=0).pace == "on_pace"
    assert _ent(9, low=0).pace == "running_low"


def _paces(cast):
    return {r.user.full_name: r.entitlement.pace for r in coverage_rows(cast.cohort)}


@time_machine.travel("2027-03-02 15:00:00+00:00", tick=False)
def test_changing_a_programs_thresholds_changes_who_is_flagged(cast):
    """Half-way through the year (182 of 364 days) the even pace is 5 of 10 sessions."""
    for _ in range(3):
        CoachingSessionFactory(enrollment=cast.enrollments["fellow"], coach=cast.coach)
    program = cast.program
    assert (program.coaching_behind_pace_percent, program.coaching_running_low_percent) == (15, 20)
    # Defaults: behind below 5 - 1.5 = 3.5. Fiona (3) and Clara (0) are behind.
    paces = _paces(cast)
    assert paces["Fiona Fellow"] == "behind"
    assert paces["Clara Classmate"] == "behind"

    # A looser margin, 25 %: behind below 5 - 2.5 = 2.5. Fiona (3) is on pace, Clara not.
    program.coaching_behind_pace_percent = 25
    program.save()
    paces = _paces(cast)
    assert paces["Fiona Fellow"] == "on_pace"
    assert paces["Clara Classmate"] == "behind"

    # Margin 50 %: behind below 0, nobody. Running low at 70 %: 7 left or fewer; Fiona has 7.
    program.coaching_behind_pace_percent = 50
    program.coaching_running_low_percent = 70
    program.save()
    paces = _paces(cast)
    assert paces["Fiona Fellow"] == "running_low"
    assert paces["Clara Classmate"] == "on_pace"


@time_machine.travel("2027-03-02 15:00:00+00:00", tick=False)
def test_coverage_page_follows_the_programs_margin(cast, client_for):
    for _ in range(3):
        CoachingSessionFactory(enrollment=cast.enrollments["fellow"], coach=cast.coach)
    client = client_for("staff")
    url = reverse("coaching:coverage", args=[cast.cohort.code])
    assert "Fiona Fellow" in client.get(url, {"pace": "behind"}).content.decode()
    cast.program.coaching_behind_pace_percent = 25
    cast.program.save()
    assert "Fiona Fellow" not in client.get(url, {"pace": "behind"}).content.decode()


def test_pace_is_counted_on_the_cohorts_calendar_whoever_looks(cast):
    """At 11 pm in New York it is already tomorrow in Guam; the expected pace (and so the
    badge) must not depend on the viewer's zone, or it would disagree with the burn-down."""
    from django.utils import timezone

    cast.cohort.time_zone = "America/New_York"
    cast.cohort.save()
    late_evening = datetime.datetime(2027, 3, 1, 4, 0, tzinfo=datetime.UTC)  # 23:00 in NY
    with time_machine.travel(late_evening, tick=False):
        with timezone.override("Pacific/Guam"):
            seen_from_guam = enrollment_with_stats(cast.enrollments["fellow"].pk).entitlement
        with timezone.override("America/New_York"):
            seen_from_ny = enrollment_with_stats(cast.enrollments["fellow"].pk).entitlement
    # 28 February 2027 in the cohort's zone: 180 of 364 days, 10 sessions.
    assert seen_from_guam.expected == seen_from_ny.expected
    assert seen_from_ny.expected == even_pace(Decimal(10), START, END, datetime.date(2027, 2, 28))

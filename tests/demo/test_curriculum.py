"""The demo's curriculum: the current cohort's midpoint window has passed by late November,
so the demo fellow's growth chart compares baseline with midpoint; the current cohort's year
was copied from the past cohort's, itself (a completed cohort) copied from the first year's;
seeding twice adds nothing."""

import datetime
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.timezones import format_span
from cohorts.models import Cohort, Invitation
from curriculum.models import AssessmentWindow, SelfAssessment, Session
from demo.accounts import DEMO_PASSWORD
from demo.cohorts import SLUG as INSTITUTE

from .conftest import AUTUMN

pytestmark = pytest.mark.django_db


def _reseed() -> None:
    call_command("seed_demo", stdout=StringIO())


@time_machine.travel(AUTUMN, tick=False)
def test_demo_fellow_sees_growth_from_baseline_to_midpoint(seeded_demo):
    output = seeded_demo(AUTUMN).output
    current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
    midpoint = AssessmentWindow.objects.get(cohort=current, phase="midpoint")
    assert midpoint.opens_on == datetime.date(2026, 11, 2)
    assert midpoint.closes_on == datetime.date(2026, 11, 13)
    past = Cohort.objects.filter(status="completed").latest("start_date")
    past_midpoint = AssessmentWindow.objects.get(cohort=past, phase="midpoint")
    assert past_midpoint.opens_on.month == 2

    email = next(
        line.split()[-1] for line in output.splitlines() if line.strip().startswith("fellow ")
    )
    mine = SelfAssessment.objects.filter(enrollment__user__email=email, enrollment__cohort=current)
    assert sorted(mine.values_list("window__phase", flat=True)) == ["baseline", "midpoint"]

    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD)
    enrollment = mine.first().enrollment
    body = client.get(reverse("curriculum:growth", args=[enrollment.code])).content.decode()
    assert "baseline" in body and "midpoint" in body.lower() and "Midpoint (solid)" in body

    # Seeding again adds nothing: test_seed_demo.py.
    assert AssessmentWindow.objects.filter(cohort=current).count() == 3


@time_machine.travel(AUTUMN, tick=False)
def test_an_unrated_window_of_an_earlier_seed_moves_to_the_planned_dates(seeded_demo):
    seeded_demo(AUTUMN)
    current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
    midpoint = AssessmentWindow.objects.get(cohort=current, phase="midpoint")
    SelfAssessment.objects.filter(window=midpoint).delete()
    AssessmentWindow.objects.filter(pk=midpoint.pk).update(
        opens_on=datetime.date(2027, 2, 1), closes_on=datetime.date(2027, 2, 28)
    )
    _reseed()
    midpoint.refresh_from_db()
    assert midpoint.opens_on == datetime.date(2026, 11, 2)
    assert midpoint.assessments.exists()


@time_machine.travel(AUTUMN, tick=False)
def test_the_demo_final_gathering_is_one_event_over_two_days(seeded_demo):
    output = seeded_demo(AUTUMN).output
    current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
    (gathering,) = Session.objects.filter(cohort=current, kind="final")
    assert gathering.title == "Final gathering"
    email = next(
        line.split()[-1] for line in output.splitlines() if line.strip().startswith("fellow ")
    )
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD)
    zone = User.objects.get(email=email).time_zone
    both_days = format_span(gathering.starts_at, gathering.ends_at, zone, style="full")
    assert both_days.count("July 2027") == 2  # 13 July, 9:00 AM – 14 July, 4:00 PM
    assert both_days in client.get(gathering.get_absolute_url()).content.decode()
    schedule = client.get(reverse("curriculum:schedule", args=[current.code])).content.decode()
    assert format_span(gathering.starts_at, gathering.ends_at, zone) in schedule


@time_machine.travel(AUTUMN, tick=False)
def test_next_years_cohort_is_started_from_this_years(seeded_demo):
    seeded_demo(AUTUMN)
    current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
    planned = Cohort.objects.get(status="planned", program=current.program)
    assert not planned.enrollments.exists()
    assert planned.start_date == current.start_date + datetime.timedelta(weeks=52)
    here = Session.objects.filter(cohort=current, cancelled_at__isnull=True).count()
    assert Session.objects.filter(cohort=planned).count() == here > 0


@time_machine.travel(AUTUMN, tick=False)
def test_the_current_cohort_was_set_up_by_copying_the_past_one(seeded_demo):
    seeded_demo(AUTUMN)
    current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
    past = current.program.cohorts.filter(status="completed").latest("start_date")
    zone = zoneinfo.ZoneInfo(current.time_zone)

    def year(cohort, shift=datetime.timedelta(0)):
        # Each session's title with its local weekday, date and time, moved by `shift`.
        return sorted(
            (
                s.title,
                s.starts_at.astimezone(zone).date() + shift,
                s.starts_at.astimezone(zone).time(),
                s.ends_at - s.starts_at,
            )
            for s in Session.objects.filter(cohort=cohort)
        )

    # Whole weeks later (not the same dates a year on): each keeps its weekday and local time,
    # the launch of 15 September 2025, a Monday, is the launch of Monday 14 September 2026.
    assert year(current) == year(past, shift=datetime.timedelta(weeks=52))
    launch = Session.objects.filter(cohort=current, kind="launch").earliest("starts_at")
    assert launch.starts_at.astimezone(zone).date() == datetime.date(2026, 9, 14)
    assert list(current.modules.values_list("title", flat=True)) == list(
        past.modules.values_list("title", flat=True)
    )
    facilitated = Session.objects.filter(cohort=current, facilitators__isnull=False)
    assert facilitated.distinct().count() == (
        Session.objects.filter(cohort=past, facilitators__isnull=False).distinct().count()
    )
    assert facilitated.exists()


@time_machine.travel(AUTUMN, tick=False)
def test_the_past_cohort_was_itself_copied_from_the_first_year(seeded_demo):
    seeded_demo(AUTUMN)
    first, past, current = Cohort.objects.order_by("start_date")[:3]
    assert [c.status for c in (first, past, current)] == ["completed", "completed", "active"]
    assert (first.name, past.name) == ("2024–2025 cohort", "2025–2026 cohort")
    zone = zoneinfo.ZoneInfo(past.time_zone)

    def year(cohort, shift=datetime.timedelta(0)):
        return sorted(
            (
                s.title,
                s.starts_at.astimezone(zone).date() + shift,
                s.starts_at.astimezone(zone).time(),
            )
            for s in Session.objects.filter(cohort=cohort)
        )

    assert year(past) == year(first, shift=datetime.timedelta(weeks=52)) != []
    assert list(past.modules.values_list("title", flat=True)) == list(
        first.modules.values_list("title", flat=True)
    )
    # The first year's people were loaded straight in as alumni: never invited.
    alumni = first.enrollments.all()
    assert alumni.count() == 8
    assert set(alumni.values_list("status", flat=True)) == {"completed"}
    assert not Invitation.objects.filter(enrollment__cohort=first).exists()
    # Seeding again adds no cohort, session or alumnus: test_seed_demo.py.

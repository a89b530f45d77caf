"""The demo's coaches take bookings: each has weekly hours in their own zone, and the demo
fellow finds open times with their coach."""

import zoneinfo

import pytest
import time_machine

from coaching.booking import selectors
from coaching.models import AvailabilityWindow, CoachAssignment, CoachProfile
from demo.accounts import DEMO_DOMAIN

from .conftest import AUTUMN


@pytest.mark.django_db
@time_machine.travel(AUTUMN, tick=False)
def test_demo_coaches_have_availability_and_the_demo_fellow_can_book(seeded_demo):
    seeded_demo(AUTUMN)  # seeding again (no second set of hours): test_seed_demo.py
    profiles = CoachProfile.objects.select_related("user", "availability")
    assert profiles.count() >= 5
    for profile in profiles:
        assert profile.availability.time_zone == profile.user.time_zone
        assert profile.availability.windows.exists()
    windows = AvailabilityWindow.objects.filter(
        availability__profile__user__email__startswith="coach@"
    )
    assert windows.count() == 2  # Mondays and Wednesdays, once
    coach = CoachProfile.objects.get(user__email=f"coach@{DEMO_DOMAIN}").user
    assignment = CoachAssignment.objects.active().filter(coach=coach).first()
    page = selectors.slot_page(
        enrollment=assignment.enrollment,
        coach=coach,
        viewer_zone=zoneinfo.ZoneInfo(assignment.enrollment.user.time_zone),
    )
    assert page.refusal == "" and page.slot_count > 0

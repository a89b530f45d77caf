"""Booking in Chromium: the coach sets their hours; the fellow books an open time, moves it
and cancels it, each page free of serious accessibility findings."""

import re
import zoneinfo

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from coaching.booking import selectors
from coaching.models import CoachingSession, SessionStatus

from ..factories.coaching import CoachAvailabilityFactory
from .conftest import screenshot


def assert_accessible(page):
    """No serious or critical axe-core finding in the page's own content."""
    results = Axe().run(page, context={"include": [["main"]]})
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


def test_the_coach_sets_their_hours(cast, login, page, live_server):
    login(cast.coach)
    page.goto(f"{live_server.url}/coaching/")
    page.get_by_role("link", name="Availability and booking").click()
    page.get_by_label("Monday").fill("9:00–12:00, 14:00–16:00")
    page.get_by_label("Thursday").fill("9-12")
    page.get_by_label("30 minutes").check()
    page.get_by_label("Default video link").fill("https://meet.example.org/cora")
    page.get_by_role("button", name="Save availability").click()
    expect(page.get_by_text("Your availability is saved.")).to_be_visible()
    expect(page.get_by_label("Monday")).to_have_value("09:00–12:00, 14:00–16:00")
    page.get_by_label("From").fill("2027-01-04")
    page.get_by_label("Until (included)").fill("2027-01-05")
    page.get_by_role("button", name="Add days off").click()
    expect(page.locator("#days-off")).to_contain_text("Mon 4 Jan 2027 – Tue 5 Jan 2027")
    assert_accessible(page)
    screenshot(page, "booking-coach-availability")


def test_the_fellow_books_moves_and_cancels_a_session(cast, login, page, live_server):
    CoachAvailabilityFactory(profile=cast.coach.coach_profile)
    cast.fellow.time_zone = "America/Chicago"
    cast.fellow.save()
    login(cast.fellow)
    page.goto(f"{live_server.url}/coaching/fellows/{cast.enrollments['fellow'].code}/")
    page.get_by_role("link", name="Book a session").click()
    expect(page.get_by_role("heading", name="Book a coaching session")).to_be_visible()
    expect(page.get_by_text("Times are shown in your time zone, America/Chicago")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "booking-open-times")

    # Book the first open time, shown in Chicago's time (the coach's hours are New York's;
    # which time comes first depends on the hour the test runs).
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    offered = selectors.slot_page(
        enrollment=cast.enrollments["fellow"], coach=cast.coach, viewer_zone=chicago
    )
    (first_slot, _), *_ = offered.days[0][1]
    first = page.locator("#slots button[name=starts_at]").first
    expect(first).to_have_text(first_slot.starts_at.astimezone(chicago).strftime("%-I:%M %p"))
    first.click()
    expect(page.get_by_text("Your session is booked.")).to_be_visible()
    session = CoachingSession.objects.get(enrollment=cast.enrollments["fellow"])
    assert session.status == SessionStatus.SCHEDULED
    assert session.video_url == "https://meet.example.org/coach"
    expect(page.get_by_role("link", name="Join the call")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "booking-booked-session")

    # Move it to the third time offered.
    page.get_by_role("link", name="Move this session").click()
    expect(page.get_by_role("heading", name=re.compile("Move my session"))).to_be_visible()
    page.locator("#slots button[name=starts_at]").nth(2).click()
    expect(page.get_by_text("Your session is moved.")).to_be_visible()
    moved = CoachingSession.objects.get(pk=session.pk)
    assert moved.starts_at > session.starts_at
    assert moved.sequence == 1

    # Cancel it, confirming the question.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel this session").click()
    expect(page.get_by_text("Your session is cancelled; your coach is told.")).to_be_visible()
    expect(page.get_by_text("Cancelled", exact=False).first).to_be_visible()
    assert CoachingSession.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    assert_accessible(page)
    screenshot(page, "booking-cancelled-session")

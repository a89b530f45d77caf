"""Notifications in Chromium: a fellow sees the unread badge, opens the list, opens one
(the badge drops by one), then asks for milestone nudges as a daily digest and saves."""

from playwright.sync_api import expect

from action_plans.notices import MILESTONES
from notifications.models import Delivery, NotificationPreference

from ..factories.notifications import NotificationFactory
from .conftest import screenshot


def _badge(page):
    return page.locator("nav a[href='/notifications/'] .badge")


def test_fellow_reads_a_notification_and_chooses_a_daily_digest(cast, login, page, live_server):
    home = cast.enrollments["fellow"].get_absolute_url()
    first = NotificationFactory(recipient=cast.fellow, title="Due today: Draft the brief", url=home)
    NotificationFactory(recipient=cast.fellow, title="Reminder: Monthly session")
    NotificationFactory(recipient=cast.peer, title="Not for Fiona")

    login(cast.fellow)
    page.goto(f"{live_server.url}/")
    assert _badge(page).inner_text() == "2"
    link = page.locator("nav a[href='/notifications/']")
    assert link.get_attribute("aria-label") == "Notifications, 2 unread"

    link.click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.get_by_text("2 unread.")).to_be_visible()
    assert page.get_by_text("Not for Fiona").count() == 0
    screenshot(page, "notifications-list")

    page.get_by_role("link", name="Due today: Draft the brief").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}{home}"
    assert _badge(page).inner_text() == "1"
    first.refresh_from_db()
    assert first.read_at is not None

    page.goto(f"{live_server.url}/notifications/preferences/")
    choice = page.locator(f"input[name='topic_{MILESTONES.key}'][value='{Delivery.DIGEST}']")
    choice.check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()
    assert page.locator(
        f"input[name='topic_{MILESTONES.key}'][value='{Delivery.DIGEST}']"
    ).is_checked()
    screenshot(page, "notifications-preferences")
    assert (
        NotificationPreference.objects.get(user=cast.fellow, topic=MILESTONES.key).delivery
        == Delivery.DIGEST
    )

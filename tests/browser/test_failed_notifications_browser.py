"""Staff find the notifications that could not be sent from the program dashboard, read why,
send one again with its row's button and two more with the check boxes."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from notifications.models import Notification, State

from ..factories.notifications import NotificationFactory
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


def _failed(recipient, title, last_error="Rejected: 550 5.1.1 No such user here"):
    return NotificationFactory(
        recipient=recipient,
        state=State.FAILED,
        sent_at=None,
        attempts=1,
        title=title,
        last_error=last_error,
    )


def test_staff_send_failed_notifications_again(cast, login, page, live_server):
    one = _failed(cast.fellow, "Due today: Draft the brief")
    two = _failed(cast.peer, "Reminder: Monthly session", "Stale after 7 tries: 451 Try later")
    three = _failed(cast.classmate, "Reminder: Coaching")

    login(cast.staff)
    page.goto(f"{live_server.url}/reports/programs/{cast.program.slug}/")
    page.get_by_role("link", name="Notifications that could not be sent").click()
    page.wait_for_selector("h1:has-text('Notifications that could not be sent')")
    assert page.locator("tbody tr").count() == 3
    row = page.locator(f"tr[data-notification='{two.code}']")
    assert "Gave up." in row.inner_text()
    screenshot(page, "failed-notifications")
    assert_accessible(page)

    page.locator(f"tr[data-notification='{one.code}']").get_by_role("button").click()
    page.wait_for_selector("text=1 notification will be sent again")
    assert page.locator("tbody tr").count() == 2

    page.get_by_role("checkbox", name="Choose the notification to", exact=False).nth(0).check()
    page.get_by_role("checkbox", name="Choose the notification to", exact=False).nth(1).check()
    page.get_by_role("button", name="Send the chosen ones again").click()
    page.wait_for_selector("text=2 notifications will be sent again")
    expect(page.get_by_text("Nothing to do")).to_be_visible()
    states = Notification.objects.filter(pk__in=[one.pk, two.pk, three.pk]).values_list(
        "state", flat=True
    )
    assert set(states) == {State.PENDING}

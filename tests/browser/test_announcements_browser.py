"""Staff send an announcement to the cohort in Chromium (Markdown, important, an attachment),
a fellow reads it from the navigation, and staff then see that one of the audience opened it.
Screenshots of the form, the fellow's page and the staff view; axe-core on each page."""

from playwright.sync_api import expect

from announcements.models import Announcement
from notifications.models import Notification

from .conftest import screenshot, sign_in
from .test_outcomes_browser import assert_accessible


def _watch(page):
    problems = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "favicon" not in (m.location or {}).get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_staff_send_an_announcement_and_a_fellow_reads_it(cast, login, page, live_server, tmp_path):
    problems = _watch(page)
    login(cast.staff)
    page.click("nav >> text=Announcements")
    page.wait_for_selector("h1:has-text('Announcements')")
    assert_accessible(page)
    page.click("text=New announcement")
    page.wait_for_selector("h1:has-text('New announcement')")
    assert "(your time zone)" in page.locator("#id_send_at").locator("..").text_content()

    # Nothing chosen: refused next to the fields, nothing saved.
    page.click("button:has-text('Send')")
    page.wait_for_selector("#id_title.is-invalid")
    assert not Announcement.objects.exists()
    assert_accessible(page)

    page.goto(f"{live_server.url}/announcements/new/")
    page.select_option("#id_audience", f"cohort:{cast.cohort.code}")
    page.fill("#id_title", "Seminar room changed")
    page.fill(
        "#id_body",
        "The seminar moves to **Room 4B**.\n\n- Badges at the front desk\n- Lunch in the atrium"
        "\n\n<script>alert('no')</script>",
    )
    page.check("#id_important")
    agenda = tmp_path / "agenda.pdf"
    agenda.write_bytes(b"%PDF-1.4 agenda")
    page.set_input_files("#id_attachment", str(agenda))
    screenshot(page, "announcement-form")
    page.click("button:has-text('Send')")
    page.wait_for_selector("text=The announcement is sent.")
    announcement = Announcement.objects.get()
    assert announcement.important and announcement.attachment_name == "agenda.pdf"
    assert (
        page.locator("[data-receipts]")
        .text_content()
        .strip()
        .startswith("Opened in Cohortwise by 0 of 3")
    )
    assert_accessible(page)
    # Each of the cohort is told through the ledger (emailed now or after their quiet hours).
    told = Notification.objects.filter(subject_id=announcement.pk, kind="announcement_important")
    assert sorted(told.values_list("recipient__email", flat=True)) == sorted(
        [cast.fellow.email, cast.peer.email, cast.classmate.email]
    )

    # The fellow, in a browser of their own, finds it in the navigation and reads it,
    # formatted and safe.
    staff_page = page
    fellow_context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    page = fellow_context.new_page()
    problems += _watch(page)
    sign_in(page, live_server, cast.fellow)
    page.click("nav >> text=Announcements")
    item = page.locator(f"[data-announcement='{announcement.code}']")
    item.locator("a:has-text('Seminar room changed')").click()
    page.wait_for_selector("h1:has-text('Seminar room changed')")
    body = page.locator("[data-body]")
    assert body.locator("strong").text_content() == "Room 4B"
    assert body.locator("li").count() == 2
    assert "<script>alert('no')</script>" in body.text_content()  # shown as text, not run
    expect(page.locator("a:has-text('Download agenda.pdf')")).to_be_visible()
    assert page.locator("[data-receipts]").count() == 0  # receipts are for staff
    screenshot(page, "announcement-fellow")
    assert_accessible(page)

    fellow_context.close()

    # Staff see that one of the three opened it.
    page = staff_page
    page.goto(f"{live_server.url}/announcements/cohorts/{cast.cohort.code}/")
    receipts = page.locator(f"[data-announcement='{announcement.code}'] [data-receipts]")
    assert receipts.text_content().strip() == "Opened by 1 of 3 in the audience"
    screenshot(page, "announcements-staff")
    assert_accessible(page)
    assert problems == []

"""Coaching in Chromium: a coach logs a completed session with a private note; the fellow
reads the shared summary and never the note."""

import datetime

from coaching.models import CoachingSession, PrivateNote

from .conftest import screenshot

NOTE = "Private: sounded exhausted; ask about workload next time."
SUMMARY = "We rehearsed the Medicaid testimony and cut it to one story."


def test_coach_logs_a_session_and_the_fellow_sees_only_the_summary(cast, login, page, live_server):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)

    # The coach starts from their page and logs yesterday's session.
    login(cast.coach)
    page.goto(f"{live_server.url}/coaching/")
    page.get_by_role("row", name="Fiona Fellow").get_by_role("link", name="Add session").click()
    page.get_by_label("Date and time").fill(f"{yesterday:%Y-%m-%d}T10:00")
    page.get_by_label("Duration (minutes)").fill("60")
    page.get_by_label("Mode").select_option("video")
    page.get_by_label("Status").select_option("completed")
    page.get_by_label("Topics").fill("Testimony")
    page.get_by_label("Shared summary").fill(SUMMARY)
    page.get_by_label("Agreed next steps").fill("Send the brief to committee staff.")
    page.get_by_label("Private notes").fill(NOTE)
    page.get_by_role("button", name="Save session").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("#shared-summary").inner_text().strip() == SUMMARY
    assert NOTE in page.locator("#private-note").inner_text()
    screenshot(page, "coaching-coach-logged-session")
    session = CoachingSession.objects.get()
    assert session.status == "completed"
    assert PrivateNote.objects.get(session=session).body == NOTE

    # The fellow finds it from their start page: the summary, never the note.
    page.context.clear_cookies()
    login(cast.fellow)
    page.goto(f"{live_server.url}/programs/my/")
    page.get_by_role("link", name="My sessions").click()
    page.get_by_role("link", name=f"{yesterday:%a %-d %b %Y}").click()
    page.wait_for_load_state("networkidle")
    assert SUMMARY in page.locator("#shared-summary").inner_text()
    content = page.content()
    assert NOTE not in content
    assert page.locator("#private-note").count() == 0
    screenshot(page, "coaching-fellow-sees-summary")

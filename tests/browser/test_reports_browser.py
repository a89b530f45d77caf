"""Staff open the cohort dashboard in Chromium: charts drawn, at-risk list, the data table
behind a chart, a drill-down to a fellow's page, and the funder report in print media."""

from ..reports.conftest import build_report_data
from .conftest import screenshot


def test_staff_open_the_dashboard(cast, login, page, live_server):
    build_report_data(cast)
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

    login(cast.staff)
    page.click("nav >> text=Dashboards")
    page.click(f"text={cast.cohort.name}")
    page.wait_for_selector("h1:has-text('Cohort dashboard')")

    assert page.locator("svg[role=img]").count() == 2
    assert page.locator("#attendance-chart-title").text_content() == "Attendance by session"
    at_risk = page.locator(".at-risk-table")
    assert "Pedro Peer" in at_risk.inner_text()
    assert "No coach assigned" in at_risk.inner_text()

    # The numbers behind a chart open in place.
    page.click("text=Attendance by session: the numbers as a table")
    assert page.locator("details[open] table").first.is_visible()
    screenshot(page, "cohort-dashboard")

    # Each at-risk fellow links to their page.
    at_risk.locator("a", has_text="Pedro Peer").click()
    page.wait_for_load_state("networkidle")
    assert f"/fellows/{cast.enrollments['peer'].code}/" in page.url

    # The funder report prints without navigation, with the chart tables open.
    page.goto(f"{live_server.url}/reports/cohorts/{cast.cohort.code}/report/")
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert not page.locator("[data-action=print]").is_visible()
    screenshot(page, "cohort-report-print")
    assert problems == []

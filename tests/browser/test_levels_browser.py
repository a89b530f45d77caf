"""Staff of two programs follow the program view to its focus levels year over year, then
the same figures across both programs: charts with their tables, no axe-core finding."""

from outcomes.models import Consent

from ..factories.cohorts import EnrollmentFactory, ProgramStaffFactory
from ..outcomes.test_levels import make_plan
from .conftest import screenshot
from .test_outcomes_browser import assert_accessible


def test_staff_read_focus_levels_for_a_program_and_across_programs(cast, login, page, live_server):
    ProgramStaffFactory(program=cast.other_program, user=cast.staff)
    make_plan(cast.enrollments["alumnus"], ["patient", "community"], done=2, open_=1)
    make_plan(
        cast.enrollments["fellow"],
        ["community", "societal"],
        done=1,
        open_=3,
        results=[(Consent.FUNDERS, ["community"])],
    )
    make_plan(EnrollmentFactory(cohort=cast.other_cohort), ["patient"], done=1, open_=1)
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))

    login(cast.staff)
    page.goto(f"{live_server.url}/reports/")
    page.click(f"#program-{cast.program.slug} + p >> text=Focus levels year over year")
    page.wait_for_selector("h1:has-text('Focus levels year over year')")
    table = page.locator("#levels-all")
    assert (
        table.locator(
            "tbody[data-year='2026'] tr[data-level=community] [data-figure=results]"
        ).text_content()
        == "1"
    )
    assert page.locator("svg[role=img]").count() == 2
    assert_accessible(page)
    screenshot(page, "focus-levels-program")

    page.goto(f"{live_server.url}/reports/")
    page.click("text=Focus levels year over year, across your programs")
    page.wait_for_selector(f"#levels-{cast.other_program.slug}")
    patient_2026 = page.locator("#levels-all tbody[data-year='2026'] tr[data-level=patient]")
    assert patient_2026.locator("[data-figure=plans]").text_content() == "1"
    assert_accessible(page)
    assert problems == []

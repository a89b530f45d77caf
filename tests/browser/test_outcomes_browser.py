"""Staff open the impact report in Chromium: figures, charts, the tile map with its table,
a breakdown by demographics, the CSV link; a fellow records a result through the form."""

import datetime
import itertools

from axe_playwright_python.sync_playwright import Axe

from outcomes.models import Consent, Result

from ..factories.action_plans import ActionPlanFactory
from ..factories.cohorts import EnrollmentFactory
from ..factories.outcomes import DemographicProfileFactory, ResultFactory
from .conftest import screenshot

STATES = ["HI", "PR", "GU", "TX", "NM", "WA", "NY", "CA", "MN", "GA", "VI", "AK"]
KINDS = itertools.cycle(["policy", "program", "practice", "funding", "partnership", "data"])
CONSENTS = itertools.cycle([Consent.PUBLIC, Consent.FUNDERS, Consent.FUNDERS, Consent.INTERNAL])
RACES = itertools.cycle([["hispanic"], ["black"], ["white"], ["asian", "nhpi"], ["hispanic"]])


def assert_accessible(page):
    """No serious or critical axe-core finding in the page's own content."""
    results = Axe().run(page, context={"include": [["main"]]})
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


def build_impact_data(cast):
    """Results on plans of both cohorts, in a dozen states and territories."""
    for i, state in enumerate(STATES):
        cohort = cast.past_cohort if i % 2 else cast.cohort
        status = "completed" if cohort == cast.past_cohort else "active"
        enrollment = EnrollmentFactory(cohort=cohort, state=state, status=status)
        DemographicProfileFactory(user=enrollment.user, race=next(RACES), gender="woman")
        plan = ActionPlanFactory(enrollment=enrollment)
        for n in range(1 + i % 3):
            ResultFactory(
                plan=plan,
                kind=next(KINDS),
                consent=next(CONSENTS),
                title=f"{state}: change number {n + 1}",
                achieved_on=cohort.start_date + datetime.timedelta(days=40 + 50 * n + 7 * i),
                jurisdiction="US" if i == 5 and n == 1 else state,
                levels=["community", "societal"] if n % 2 else ["organizational"],
                people_reached=1500 * (n + 1) if n != 1 else None,
                reach_source="State enrollment data" if n != 1 else "",
            )


def test_staff_read_the_impact_report(cast, login, page, live_server):
    build_impact_data(cast)
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
    page.click("nav >> text=Impact")
    page.wait_for_selector("h1:has-text('Impact report')")
    counted = Result.objects.for_funders().count()
    assert page.locator("[data-figure=results]").text_content() == str(counted)

    # The map: one tile per place, each with its count, and the same numbers in a table.
    assert page.locator("#place-map-title").text_content() == "Results by state or territory"
    assert page.locator("svg g[data-place]").count() == 56
    assert page.locator("table[data-table=places] tbody tr").count() >= 6
    assert page.locator("svg[role=img]").count() == 4  # kind, level, map, over time

    page.select_option("#equity-section-by", "race")
    page.click("#equity-section button[type=submit]")
    page.wait_for_selector("caption:has-text('Fellows and results by race and ethnicity')")
    assert page.locator("td[data-hidden]").count() > 0
    screenshot(page, "impact-report")
    assert_accessible(page)

    # The program report across the years, and its CSV export link.
    page.click(f"text={cast.program.name}")
    page.wait_for_selector("h2:has-text('By cohort')")
    assert (
        page.locator("a:has-text('Download results (CSV)')")
        .get_attribute("href")
        .endswith("results.csv")
    )
    assert_accessible(page)

    # The working list, to verify from.
    page.goto(f"{live_server.url}/outcomes/cohorts/{cast.cohort.code}/?unverified=1")
    assert_accessible(page)
    page.locator("button:has-text('Verify')").first.click()
    page.wait_for_selector("text=Marked verified.")
    assert Result.objects.filter(verified_by=cast.staff).count() == 1
    assert problems == []


def test_a_fellow_records_a_result(cast, login, page, live_server):
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"], title="CHWs in Medicaid")
    login(cast.fellow)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.click("text=Record a result")
    assert_accessible(page)
    page.select_option("#id_kind", "policy")
    page.fill("#id_title", "Medicaid pays community health workers")
    page.fill("#id_story", "CMS approved the state plan amendment.")
    page.fill("#id_achieved_on", "2026-10-01")
    page.check("input[name=focus_levels][value=community]")
    page.fill("#id_people_reached", "-3")
    page.check("input[name=consent][value=public]")
    page.click("button:has-text('Record result')")
    # Refused next to the field; nothing saved.
    assert (
        "cannot be a negative number"
        in page.locator(
            "#id_people_reached ~ .invalid-feedback, #error_1_id_people_reached"
        ).first.text_content()
    )
    assert not Result.objects.exists()
    page.fill("#id_people_reached", "4800")
    page.fill("#id_reach_source", "Medicaid enrollment data")
    page.click("button:has-text('Record result')")
    page.wait_for_selector("h1:has-text('Medicaid pays community health workers')")
    assert Result.objects.get().consent == Consent.PUBLIC
    screenshot(page, "result-detail")
    assert_accessible(page)


def test_a_fellow_answers_the_optional_questions_and_staff_see_the_breakdown(
    cast, login, page, live_server
):
    login(cast.fellow)
    page.click("text=About me (optional questions)")
    page.wait_for_selector("h1:has-text('About me')")
    assert_accessible(page)
    page.check("input[name=race_ethnicity][value=nhpi]")
    page.check("input[name=race_ethnicity][value=prefer_not]")
    page.click("button:has-text('Save my answers')")
    assert "cannot be chosen together" in page.locator("main").inner_text()
    page.uncheck("input[name=race_ethnicity][value=prefer_not]")
    page.check("input[name=gender][value=woman]")
    page.click("button:has-text('Save my answers')")
    page.wait_for_selector("text=Your answers are saved")

    page.context.clear_cookies()
    build_impact_data(cast)
    login(cast.staff)
    page.goto(f"{live_server.url}/reports/cohorts/{cast.cohort.code}/?by=gender#equity")
    page.wait_for_selector("caption:has-text('Fellows by gender')")
    assert_accessible(page)
    screenshot(page, "dashboard-by-gender")

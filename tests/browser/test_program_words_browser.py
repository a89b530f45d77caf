"""A scholars program in its own words, in Chromium: staff name its scholars, their Advocacy
Action Project, its sections and its peer-coaching pairs, and give the project a template; a
scholar starts their project and reads it in those words (screenshot). The settings pages and
the project page pass axe-core with no serious or critical finding."""

from django.urls import reverse
from playwright.sync_api import expect

from action_plans.models import ActionPlan

from .conftest import screenshot
from .test_outcomes_browser import assert_accessible


def test_staff_set_the_scholars_words_and_template_and_a_scholar_reads_them(
    cast, login, page, live_server
):
    slug = cast.program.slug
    enrollment = cast.enrollments["fellow"]
    login(cast.staff)

    # The program's words, with the preview first.
    page.goto(live_server.url + reverse("cohorts:program_terms", kwargs={"slug": slug}))
    assert_accessible(page)
    page.get_by_label("A participant is called").fill("scholar")
    page.get_by_label("Participants are called").fill("scholars")
    page.get_by_label("The plan is called").fill("Advocacy Action Project")
    page.get_by_label("The plan in short").fill("project")
    page.get_by_label("What the plan is for").fill(
        "Your project advances an advocacy aim you bring from your home institution."
    )
    page.get_by_label("A peer group is called").fill("peer-coaching pair")
    page.get_by_label("Peer groups are called").fill("peer-coaching pairs")
    page.get_by_label("Smallest group").fill("2")
    page.get_by_label("Largest group").fill("3")
    page.get_by_label("“Strategic initiative” is called").fill("Advocacy aim")
    page.get_by_label("Help text under “Strategic initiative”").fill(
        "The change you will advocate for at your home institution."
    )
    page.get_by_role("button", name="Preview without saving").click()
    preview = page.get_by_test_id("terms-preview")
    expect(preview).to_contain_text("12 scholars")
    expect(preview).to_contain_text("Advocacy aim")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label("A participant is called")).to_have_value("scholar")

    # The project's template: phases with days after the cohort starts; one section hidden.
    page.get_by_role("link", name="Project template").click()
    page.get_by_label("Policy levers").check()
    page.get_by_label("Goals and milestones every new plan starts with").fill(
        "Ground the project at home\n- Sponsor at the home institution agreed | 21\n"
        "Present at the gathering\n- Poster ready for the two-day gathering | 270"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_test_id("plan-skeleton")).to_contain_text(
        "Poster ready for the two-day gathering — 270 days after the cohort starts"
    )
    assert_accessible(page)

    # A scholar starts their project: the template's phases are in it, in the program's words.
    page.context.clear_cookies()
    login(cast.fellow)
    page.goto(live_server.url + reverse("action_plans:plan_start", args=[enrollment.code]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Advocacy Action Project")
    assert page.get_by_label("Policy levers").count() == 0
    page.get_by_label("Title").fill("Interpreter access in the county clinics")
    page.get_by_label("Advocacy aim").fill("Fund interpreters at the three county clinics.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("networkidle")
    plan = ActionPlan.objects.get(enrollment=enrollment)
    assert page.url.endswith(plan.get_absolute_url())
    body = page.locator("main").inner_text()
    assert "Advocacy Action Project" in body and "Advocacy aim" in body
    assert "Sponsor at the home institution agreed" in body
    assert "Leadership Action Plan" not in body and "Policy levers" not in body
    assert_accessible(page)
    screenshot(page, "scholar-advocacy-action-project")

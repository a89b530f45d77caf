"""A fellow opens their 360° report from their start page (chart, table, comments); a rater
answers through their link. Both pages pass axe-core with no serious or critical finding."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from curriculum.models import AssessmentPhase, Competency
from feedback360.models import RaterResponse, Relationship
from tests.factories.curriculum import AssessmentWindowFactory, SelfAssessmentFactory, rate
from tests.factories.feedback360 import answer, build_feedback

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _assert_accessible(page):
    """The page's own content (the shared navigation bar is the layout's to check)."""
    results = Axe().run(page, context={"include": [["main"]]})
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


def test_fellow_opens_their_360_report(cast, login, page, live_server):
    f360 = build_feedback(cast)
    # A final self-assessment (3, then 4) and three direct reports beside the peers.
    window = AssessmentWindowFactory(cohort=cast.cohort, phase=AssessmentPhase.FINAL)
    mine = SelfAssessmentFactory(window=window, enrollment=cast.enrollments["fellow"])
    competencies = Competency.objects.filter(domain__framework=f360.cur.framework)
    rate(mine, {c: 3 if c.domain.order == 1 else 4 for c in competencies})
    for value, text in ((4, "Gives credit to the team."), (5, ""), (4, "")):
        answer(f360.report, Relationship.DIRECT_REPORT, value, strengths=text)
    login(cast.fellow)
    page.goto(f"{live_server.url}/programs/my/")
    page.get_by_role("link", name="My final 360° report").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="My final 360° feedback")).to_be_visible()
    chart = page.get_by_role("img", name="Ratings by domain")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Average rating by domain and competency")
    # Peers 4, 3, 5 → 4.0; supervisor 2 and direct reports 4, 5, 4 merged → 15/4 = 3.8;
    # all seven → 27/7 = 3.9.
    header = table.locator("thead").inner_text()
    assert all(label in header for label in ("Self", "Peers", "Others combined", "All raters"))
    first_domain = table.locator("tbody tr").first.inner_text().split()
    assert first_domain[-4:] == ["3.0", "4.0", "3.8", "3.9"]
    expect(page.get_by_text("SECRET-SUPERVISOR-STRENGTH")).to_be_visible()
    screenshot(page, "feedback360-report")
    _assert_accessible(page)
    page.get_by_role("button", name="Share with my coach").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Your coach can now read this report.")).to_be_visible()
    f360.report.refresh_from_db()
    assert f360.report.is_shared_with_coach


def test_rater_answers_through_their_link(cast, page, live_server):
    f360 = build_feedback(cast)
    page.goto(f"{live_server.url}/360/r/{f360.token}/")
    expect(page.get_by_role("heading", name="Feedback for Fiona Fellow")).to_be_visible()
    _assert_accessible(page)
    for group in page.locator("fieldset").all():
        group.get_by_label("4 Advanced").check()
    page.get_by_label("What are this person's greatest strengths as a leader?").fill(
        "Listens before deciding."
    )
    screenshot(page, "feedback360-rater-form")
    page.get_by_role("button", name="Send my feedback").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert RaterResponse.objects.filter(circle=f360.circle).count() == 1
    page.goto(f"{live_server.url}/360/r/{f360.token}/")
    expect(page.get_by_role("heading", name="You have already answered")).to_be_visible()


def test_fellow_nominates_and_staff_approve(cast, login, page, live_server, browser):
    from feedback360.models import Nomination, NominationStatus

    f360 = build_feedback(cast)
    login(cast.fellow)
    page.goto(f"{live_server.url}/programs/my/")
    page.get_by_role("link", name="See my raters").click()
    page.get_by_role("button", name="Send 1 nomination for approval").click()
    expect(page.get_by_text("nominate 1 more supervisor").first).to_be_visible()
    page.get_by_label("Rater's name").fill("Sue Boss")
    page.get_by_label("Rater's email").fill("fellow@example.org")
    page.get_by_label("How they know you").select_option("supervisor")
    page.get_by_role("button", name="Add to my list").click()
    refusal = page.get_by_text("You cannot rate yourself here: nominate someone else.")
    expect(refusal.first).to_be_visible()  # next to the field, and in the error summary
    page.get_by_label("Rater's email").fill("sue@dhs.example.gov")
    page.get_by_role("button", name="Add to my list").click()
    _assert_accessible(page)
    screenshot(page, "feedback360-nominate")
    page.get_by_role("button", name="Send 2 nominations for approval").click()
    expect(page.get_by_text("2 raters sent for approval.")).to_be_visible()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(staff, live_server, cast.staff)
    staff.goto(f"{live_server.url}{f360.window.get_absolute_url()}")
    _assert_accessible(staff)
    staff.get_by_label("Sue Boss").check()
    staff.get_by_role("button", name="Save decision").click()
    expect(staff.get_by_text("Decision saved")).to_be_visible()
    assert Nomination.objects.get(email="sue@dhs.example.gov").status == NominationStatus.INVITED

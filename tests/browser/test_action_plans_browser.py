"""A week with a Leadership Action Plan, in Chromium: the fellow marks a milestone done
inline (no page reload) and posts an update, then submits the plan; their coach comments;
staff approve it."""

import datetime

from playwright.sync_api import expect

from action_plans.models import ActionPlan, MilestoneStatus, PlanStatus

from ..factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory
from .conftest import screenshot


def _plan(cast):
    plan = ActionPlanFactory(
        enrollment=cast.enrollments["fellow"], title="Community health workers in Medicaid"
    )
    goal = GoalFactory(plan=plan, title="Secure the payment pathway")
    today = datetime.date.today()
    due = min(
        max(today + datetime.timedelta(days=10), plan.cohort.start_date), plan.cohort.end_date
    )
    first = MilestoneFactory(
        goal=goal, title="Draft the state plan amendment", due_date=due, order=0
    )
    MilestoneFactory(goal=goal, title="Tribal consultation", due_date=due, order=1)
    return plan, first


def _switch_to(page, login, user):
    page.context.clear_cookies()
    return login(user)


def test_fellow_coach_and_staff_work_on_a_plan(cast, login, page, live_server):
    plan, milestone = _plan(cast)
    plan_url = f"{live_server.url}{plan.get_absolute_url()}"

    # The fellow marks a milestone done from the plan page, without a reload.
    login(cast.fellow)
    page.goto(plan_url)
    assert "0 of 2 milestones done" in page.locator("#plan-work").inner_text()
    page.evaluate("window.__stillHere = true")
    page.select_option(f"#status-{milestone.code}", MilestoneStatus.DONE)
    page.get_by_role("button", name=f"Save the status of {milestone.title}").click()
    page.wait_for_selector("#plan-work >> text=1 of 2 milestones done")
    assert page.evaluate("window.__stillHere") is True  # same document: htmx swapped a part
    assert page.locator(f"#milestone-{milestone.code}").get_attribute("data-status") == "done"
    milestone.refresh_from_db()
    assert milestone.completed_on is not None
    screenshot(page, "action-plan-inline-done")

    # …and posts a progress update, which shows on the timeline.
    page.get_by_role("link", name="Post an update").click()
    page.get_by_label("At risk").check()
    page.get_by_label("What happened").fill("The budget office paused hiring; re-sequencing.")
    page.get_by_role("button", name="Post update").click()
    page.wait_for_load_state("networkidle")
    timeline = page.locator("#timeline-heading + ol").inner_text()
    assert "The budget office paused hiring; re-sequencing." in timeline
    assert "At risk" in timeline
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("plan-status").inner_text() == "Submitted for review"

    # The coach comments on the plan.
    _switch_to(page, login, cast.coach)
    page.goto(plan_url)
    page.get_by_role("textbox", name="Comment").fill("Who at the budget office could sponsor this?")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state("networkidle")
    comments = page.get_by_role("region", name="Comments").inner_text()
    assert "Who at the budget office could sponsor this?" in comments
    assert plan.comments.get().author == cast.coach
    assert page.get_by_role("heading", name="Review this plan").count() == 0

    # Staff approve the submitted plan.
    _switch_to(page, login, cast.staff)
    page.goto(plan_url)
    page.get_by_label("Approve the plan").check()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state("networkidle")
    assert "The plan is approved." in page.locator("main").inner_text()
    assert page.get_by_test_id("plan-status").inner_text() == "Approved"
    screenshot(page, "action-plan-approved")
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.status == PlanStatus.APPROVED
    assert plan.status_changes.last().changed_by == cast.staff


def test_fellow_reorders_milestones_by_drag_and_drop(cast, login, page, live_server):
    plan, first = _plan(cast)
    goal = first.goal
    MilestoneFactory(goal=goal, title="Submit the SPA to CMS", due_date=first.due_date, order=2)
    login(cast.fellow)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.evaluate("window.__stillHere = true")
    rows = page.locator(f"#goal-{goal.code} tbody tr")
    assert rows.first.get_attribute("draggable") == "true"

    # Grab the row by its title (a drag that starts on the status <select> is the select's)
    # and drop it on the lower half of the last row: it goes last.
    target = page.locator(f"#goal-{goal.code} tbody tr").nth(2).locator("td").first
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    with page.expect_response(lambda r: "/reorder/" in r.url) as reorder:
        page.locator(f"#milestone-{first.code} td").first.drag_to(
            target, target_position={"x": 10, "y": box["height"] - 4}
        )
    assert reorder.value.status == 200
    # The server's work section is swapped in: the last row's ↑ is enabled, its ↓ not.
    last_row = page.locator("#plan-work tbody tr").last
    expect(last_row.locator("button[value=down]")).to_be_disabled()
    expect(last_row).to_contain_text("Draft the state plan amendment")
    saved = list(goal.milestones.order_by("order").values_list("title", flat=True))
    assert saved[-1] == "Draft the state plan amendment"
    shown = [t.strip() for t in rows.locator("td:first-child").all_inner_texts()]
    assert shown == saved
    assert page.evaluate("window.__stillHere") is True  # swapped in place, no reload

    # The keyboard path still works after the swap: ↑ on the last row moves it back up.
    page.get_by_role("button", name="Move Draft the state plan amendment up").click()
    page.wait_for_load_state("networkidle")
    assert goal.milestones.order_by("order")[1].title == "Draft the state plan amendment"
    screenshot(page, "action-plan-reordered")

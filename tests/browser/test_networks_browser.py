"""Peer groups in Chromium: staff build groups for a cohort, move a fellow and save; a fellow
opens the next meeting from their start page, records a check-in (prefilled with last
time's commitment) and starts the time box of a turn."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from networks.models import CheckIn, PeerGroup

from ..factories.accounts import UserFactory
from ..factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory
from ..factories.cohorts import EnrollmentFactory
from ..factories.networks import CheckInFactory, GroupMeetingFactory
from .conftest import screenshot

STATES = ["NY", "CA", "TX", "WA", "NM", "AK", "MN", "GA"]


def test_staff_build_groups_move_a_fellow_and_save(cast, login, page, live_server):
    for i, state in enumerate(STATES):
        EnrollmentFactory(
            cohort=cast.cohort,
            user=UserFactory(full_name=f"Fellow {i:02d}"),
            state=state,
            agency=f"{state} Department of Health",
        )
    login(cast.staff)
    page.goto(f"{live_server.url}{cast.cohort.get_absolute_url()}")
    page.click("text=Build groups")
    page.select_option("#id_size", "4")
    page.click("button:has-text('Propose groups')")
    page.wait_for_selector("#review-form")
    assert "11 fellows in 2 groups" in page.inner_text("#review-form")
    screenshot(page, "networks-build-proposal")

    # Move a fellow from the larger group (6) to the smaller (5) — the other way would make
    # a group of 7 — then name both groups and choose a facilitator.
    choices = page.locator("select[name^='fellow_']")
    placed = [choices.nth(i).input_value() for i in range(choices.count())]
    larger = max(set(placed), key=placed.count)
    moved_to = "1" if larger == "0" else "0"
    rows = page.locator("tr:has(select[name^='fellow_'])")
    row = next(
        rows.nth(i)
        for i in range(rows.count())
        if rows.nth(i).locator("th").inner_text().startswith("Fellow ")
        and rows.nth(i).locator("select").input_value() == larger
    )
    moved_name = row.locator("th").inner_text().strip()
    row.locator("select").select_option(moved_to)
    page.fill("#id_name_0", "Ceiba")
    page.fill("#id_name_1", "Kōkua")
    page.select_option("#id_facilitator_0", label=str(cast.coach))
    page.click("button:has-text('Save groups')")
    page.wait_for_selector("text=Saved 2 peer groups.")
    screenshot(page, "networks-groups-saved")

    groups = {g.name: g for g in PeerGroup.objects.filter(cohort=cast.cohort)}
    assert set(groups) == {"Ceiba", "Kōkua"}
    target = groups["Ceiba" if moved_to == "0" else "Kōkua"]
    assert target.memberships.filter(enrollment__user__full_name=moved_name).exists()
    assert groups["Ceiba"].facilitator == cast.coach
    assert sorted(g.memberships.count() for g in groups.values()) == [5, 6]


def test_fellow_records_a_check_in_and_runs_a_time_box(cast, login, page, live_server):
    group = cast.group
    soon = timezone.now() + datetime.timedelta(days=2)
    last_time = GroupMeetingFactory(group=group, starts_at=soon - datetime.timedelta(weeks=2))
    CheckInFactory(
        meeting=last_time,
        enrollment=cast.enrollments["fellow"],
        next_commitment="Brief the Medicaid director",
    )
    meeting = GroupMeetingFactory(group=group, starts_at=soon)
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"], title="Doula coverage")
    milestone = MilestoneFactory(
        goal=GoalFactory(plan=plan, title="Coverage"),
        title="State plan amendment drafted",
        due_date=cast.cohort.end_date,
    )

    login(cast.fellow)
    page.goto(live_server.url)  # the start page: "My peer group" with the next meeting
    page.click("text=check in")
    assert page.input_value("#id_committed") == "Brief the Medicaid director"
    page.fill("#id_done", "Briefed her; she wants a cost estimate.")
    page.fill("#id_ask", "Who has a doula cost model?")
    page.fill("#id_next_commitment", "Send the cost estimate")
    page.check(f"input[name=milestones][value='{milestone.pk}']")
    page.click("button:has-text('Save check-in')")
    page.wait_for_selector("text=Check-in saved.")

    check_in = CheckIn.objects.get(meeting=meeting)
    assert check_in.next_commitment == "Send the cost estimate"
    assert list(check_in.milestones.all()) == [milestone]
    assert "Send the cost estimate" in page.inner_text("#commitments")

    # The time box counts down once started (the page works without JS too: "8 min").
    box = page.locator("[data-timebox]").first
    display = box.locator("[data-timebox-display]")
    start = box.locator("[data-timebox-start]")
    # The page can be read before its script has run: the script shows the start button
    # once it has set the box up, so wait for that before reading the countdown.
    expect(start).to_be_visible()
    assert display.inner_text() == "8:00"
    start.click()
    expect(display).not_to_have_text("8:00", timeout=5_000)  # 7:59, 7:58, …
    assert start.inner_text() == "Pause"
    screenshot(page, "networks-meeting-protocol")

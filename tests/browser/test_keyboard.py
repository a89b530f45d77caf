"""Each role's main journey with the keyboard alone, in Chromium: the order focus moves in,
that the focused element shows a ring, where focus goes after a failed submit (the error
summary, whose links lead to the fields) and after an htmx update (where it was).

Fields are reached with Tab; values are typed into the focused field as a keyboard user
types them, date and time boxes included: Chromium's segments (month, day, year; hour,
minute, AM/PM in the US English the browser runs in) take digits and move on by
themselves, except from the year, which takes up to six digits, so Tab goes on to the
hour (`type_date`, `type_time`, `type_date_and_time`). In a date box alone, Tab from the
year stops once on Chromium's calendar button before it leaves the box."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from action_plans.models import MilestoneStatus
from coaching.models import CoachAssignment, CoachProfile
from curriculum.models import Attendance
from tests.factories.curriculum import build_curriculum
from tests.mfa import mark_mfa_done

from .test_action_plans_browser import _plan

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user):
    """A session as the login form (and a second factor, where the role needs one) leaves
    it; the login form itself is tested in test_smoke.py and tests/foundation."""
    client = Client()
    client.force_login(user)
    mark_mfa_done(client)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def focused(page) -> str:
    """What a screen reader would name the focused element (its text or label)."""
    return page.evaluate(
        r"""() => {
          const e = document.activeElement;
          if (!e || e === document.body) return "";
          const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
          const name = e.getAttribute("aria-label") || label || e.innerText || e.id || "";
          return name.replace(/\s+/g, " ").trim();
        }"""
    )


def assert_visible_focus(page):
    """The focused element draws a ring of at least 2 px (WCAG 2.4.7, 2.4.13)."""
    ring = page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return [style.outlineStyle, parseFloat(style.outlineWidth)];
        }"""
    )
    assert ring[0] != "none" and ring[1] >= 2, f"no visible focus on {focused(page)!r}: {ring}"


def tab_to(page, locator, limit=120) -> list[str]:
    """Presses Tab until `locator` has focus; returns the names passed on the way."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("e => e === document.activeElement"):
            assert_visible_focus(page)
            return passed
        passed.append(focused(page))
    raise AssertionError(f"Tab never reached {locator}; passed {passed}")


def tab_through(page, locator, limit=120) -> list[str]:
    """Like `tab_to`, but every control reached on the way must show its focus ring too."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_visible_focus(page)
        if locator.evaluate("e => e === document.activeElement"):
            return passed
        passed.append(focused(page))
    raise AssertionError(f"Tab never reached {locator}; passed {passed}")


def type_date(page, day: datetime.date):
    """Into the focused date box (or the date part of a date-and-time box)."""
    page.keyboard.type(f"{day:%m%d%Y}")


def type_time(page, at: datetime.time):
    """Into the focused time box (or, after Tab, the time part of a date-and-time box)."""
    page.keyboard.type(at.strftime("%I%M"))
    page.keyboard.type(at.strftime("%p")[0])  # A or P


def type_date_and_time(page, when: datetime.datetime):
    type_date(page, when.date())
    page.keyboard.press("Tab")  # from the year to the hour
    type_time(page, when.time())


def assert_error_summary_focused(page):
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    assert_visible_focus(page)
    return summary


def test_fellow_marks_a_milestone_done_and_posts_an_update(cast, page, live_server):
    plan, milestone = _plan(cast)
    sign_in(page, live_server, cast.fellow)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")

    # The page starts with the skip link, then the bar: name, then the fellow's links.
    page.keyboard.press("Tab")
    assert focused(page) == "Skip to main content"
    assert_visible_focus(page)
    page.keyboard.press("Tab")
    assert focused(page) == "Cohortwise"
    page.keyboard.press("Tab")
    assert focused(page) == "My fellowship"
    assert_visible_focus(page)

    # Arrow keys move through the statuses without saving any of them.
    posted = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    select = page.locator(f"#status-{milestone.code}")
    tab_to(page, select)
    for _ in range(5):
        if select.input_value() == MilestoneStatus.DONE:
            break
        page.keyboard.press("ArrowDown")
    assert select.input_value() == MilestoneStatus.DONE
    assert posted == []
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.NOT_STARTED

    # Its button saves; the section is swapped, focus stays on the select, the change is read.
    page.keyboard.press("Tab")
    assert focused(page) == f"Save the status of {milestone.title}"
    page.keyboard.press("Enter")
    expect(page.locator("#plan-work")).to_contain_text("1 of 2 milestones done")
    expect(page.locator(f"#status-{milestone.code}")).to_be_focused()
    expect(page.locator("#live-region")).to_have_text(f"“{milestone.title}” is now Done.")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE

    # An update sent empty comes back with the error summary focused; its link leads to the
    # field, and the update then goes through.
    tab_to(page, page.get_by_role("link", name="Post an update"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    body = page.get_by_label("What happened")
    order = tab_to(page, body)
    assert order.index("On track") < len(order)  # the signal comes before the text
    tab_to(page, page.get_by_role("button", name="Post update"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = assert_error_summary_focused(page)
    link = summary.get_by_role("link").first
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("What happened")).to_be_focused()
    page.keyboard.type("The budget office paused hiring; re-sequencing.")
    tab_to(page, page.get_by_role("button", name="Post update"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Error" not in page.title()
    expect(page.locator("#timeline-heading + ol")).to_contain_text("The budget office paused")


def test_staff_take_attendance(cast, page, live_server):
    cur = build_curriculum(cast)
    sign_in(page, live_server, cast.staff)
    page.goto(f"{live_server.url}/curriculum/sessions/{cur.session.code}/attendance/")

    # Saved with nobody marked: the summary takes focus and each group says it is invalid.
    tab_to(page, page.get_by_role("button", name="Save attendance"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = assert_error_summary_focused(page)
    groups = page.get_by_role("radiogroup")
    assert groups.count() == 3
    for i in range(3):
        group = groups.nth(i)
        assert group.get_attribute("aria-invalid") == "true"
        message = page.locator(f"#{group.get_attribute('aria-describedby')}")
        assert message.inner_text().strip() == "Mark this person."

    # The first link leads to the first group; Space marks, Tab goes to the next group.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(groups.nth(0).get_by_role("radio").first).to_be_focused()
    page.keyboard.press("Space")
    for i in (1, 2):
        page.keyboard.press("Tab")
        expect(groups.nth(i).get_by_role("radio").first).to_be_focused()
        assert_visible_focus(page)
        page.keyboard.press("ArrowRight" if i == 2 else "Space")
    tab_to(page, page.get_by_role("button", name="Save attendance"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Attendance saved for 3 people.")
    assert sorted(Attendance.objects.values_list("status", flat=True)) == [
        "late",
        "present",
        "present",
    ]


def test_coach_logs_a_session(cast, page, live_server):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    sign_in(page, live_server, cast.coach)
    page.goto(f"{live_server.url}/coaching/")
    row = page.get_by_role("row", name="Fiona Fellow")
    tab_to(page, row.get_by_role("link", name="Add session"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    save = page.get_by_role("button", name="Save session")
    tab_to(page, save)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = assert_error_summary_focused(page)
    page.keyboard.press("Tab")
    first = summary.get_by_role("link").first
    expect(first).to_be_focused()
    target = first.get_attribute("href").lstrip("#")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{target}")).to_be_focused()

    when = page.get_by_label("Date and time")
    if not when.evaluate("e => e === document.activeElement"):
        tab_to(page, when)
    type_date_and_time(page, datetime.datetime.combine(yesterday, datetime.time(10, 0)))
    expect(when).to_have_value(f"{yesterday:%Y-%m-%d}T10:00")
    tab_to(page, page.get_by_label("Duration (minutes)"))
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("60")
    tab_to(page, page.get_by_label("Shared summary"))
    page.keyboard.type("We rehearsed the testimony.")
    tab_to(page, save)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Error" not in page.title()
    expect(page.locator("#shared-summary")).to_have_text("We rehearsed the testimony.")


def test_staff_accept_a_coach_assignment(cast, login, page, live_server):
    peer = cast.enrollments["peer"]  # an active fellow with no coach yet
    login(cast.staff)  # through the real form, with the two-factor code
    page.goto(f"{live_server.url}/coaching/fellows/{peer.code}/assign/")

    # From the top of the page to the button, every stop shows its ring; the coaches come
    # before the reason, and Tab enters the group of radios once, on its first coach.
    assign = page.get_by_role("button", name="Assign", exact=True)
    order = tab_through(page, assign)
    assert order[0] == "Skip to main content"
    coaches = page.locator("input[name=coach]")
    assert coaches.count() == 2
    first_coach = coaches.first.evaluate("e => e.labels[0].innerText").strip()
    main = order[order.index("How coaches are ranked") :]
    assert main == ["How coaches are ranked", first_coach, "Reason for the change"]

    # Sent with no coach chosen: the summary takes focus, the group says it is invalid and
    # names its message, and the summary's link leads to the first coach.
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = assert_error_summary_focused(page)
    expect(summary).to_contain_text("Coach: This field is required.")
    group = page.get_by_role("radiogroup", name="Coaches, best match first")
    assert group.get_attribute("aria-invalid") == "true"
    message = page.locator(f"#{group.get_attribute('aria-describedby')}")
    assert message.inner_text().strip() == "This field is required."
    assert not CoachAssignment.objects.filter(enrollment=peer).exists()
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    assert_visible_focus(page)
    page.keyboard.press("Enter")
    expect(coaches.first).to_be_focused()
    assert_visible_focus(page)

    # Space chooses the focused coach; Tab leaves the group for the reason, then the button.
    page.keyboard.press("Space")
    expect(coaches.first).to_be_checked()
    chosen = coaches.first.get_attribute("value")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Reason for the change")).to_be_focused()
    assert_visible_focus(page)
    page.keyboard.press("Tab")
    expect(assign).to_be_focused()
    assert_visible_focus(page)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    assert "Error" not in page.title()
    expect(page.locator("main [role=alert]")).to_contain_text(
        f"{first_coach} now coaches Pedro Peer."
    )
    assignment = CoachAssignment.objects.active().get(enrollment=peer)
    assert str(assignment.coach.code) == chosen
    assert assignment.assigned_by == cast.staff


def test_staff_accept_the_cohort_proposal(cast, login, page, live_server):
    # Cora Coach has no place left: choosing her for Pedro Peer is refused on his row.
    CoachProfile.objects.filter(user=cast.coach).update(capacity=1)
    login(cast.staff)
    page.goto(f"{live_server.url}/coaching/cohorts/{cast.cohort.code}/assign-coaches/")

    select = page.get_by_label("Coach for Pedro Peer")
    proposed = select.input_value()
    assert proposed == str(cast.other_coach.code)
    tab_through(page, select)
    page.keyboard.press("Home")
    for _ in range(5):
        if select.input_value() == str(cast.coach.code):
            break
        page.keyboard.press("ArrowDown")
    assert select.input_value() == str(cast.coach.code)
    accept = page.get_by_role("button", name="Accept all and assign")
    page.keyboard.press("Tab")
    expect(accept).to_be_focused()
    assert_visible_focus(page)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # Refused: the summary has focus, the row's select is invalid and names its message.
    summary = assert_error_summary_focused(page)
    assert select.get_attribute("aria-invalid") == "true"
    message = page.locator(f"#{select.get_attribute('aria-describedby')}")
    expect(message).to_contain_text("Cora Coach")
    assert not cast.enrollments["peer"].coach_assignments.exists()
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(select).to_be_focused()
    assert_visible_focus(page)

    # Back to the proposed coach, then accept.
    for _ in range(5):
        if select.input_value() == proposed:
            break
        page.keyboard.press("ArrowUp")
    assert select.input_value() == proposed
    page.keyboard.press("Tab")
    expect(accept).to_be_focused()
    assert_visible_focus(page)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Error" not in page.title()
    expect(page.locator("main [role=alert]")).to_contain_text("1 fellow now has a coach.")
    assignment = CoachAssignment.objects.active().get(enrollment=cast.enrollments["peer"])
    assert assignment.coach == cast.other_coach


def test_staff_schedule_a_session_typing_its_dates_and_times(cast, page, live_server):
    """The split date and time boxes, typed: the summary's link leads to the date box of the
    first field in error, Tab goes from each date box to its time box, and what was typed
    is the cohort's local time."""
    from curriculum.models import Session

    sign_in(page, live_server, cast.staff)
    page.goto(f"{live_server.url}/curriculum/c/{cast.cohort.code}/sessions/new/")
    save = page.get_by_role("button", name="Save", exact=True)
    tab_to(page, save)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = assert_error_summary_focused(page)
    expect(summary).to_contain_text("Starts: This field is required.")

    tab_to(page, page.get_by_label("Title"))
    page.keyboard.type("Policy levers seminar")
    starts_link = summary.get_by_role("link", name="Starts: This field is required.")
    starts_link.focus()
    page.keyboard.press("Enter")
    starts_date = page.locator("#id_starts_at_0")
    expect(starts_date).to_be_focused()
    assert_visible_focus(page)
    type_date(page, datetime.date(2026, 10, 20))
    # Tab from the year stops once more inside the date box (Chromium's calendar button),
    # then reaches the time box; nothing of the page comes between.
    starts_time = page.locator("#id_starts_at_1")
    assert set(tab_to(page, starts_time)) <= {"Date"}
    type_time(page, datetime.time(13, 0))
    ends_date = page.locator("#id_ends_at_0")
    assert set(tab_to(page, ends_date)) <= {"Time"}
    type_date(page, datetime.date(2026, 10, 20))
    assert set(tab_to(page, page.locator("#id_ends_at_1"))) <= {"Date"}
    type_time(page, datetime.time(14, 30))
    expect(starts_date).to_have_value("2026-10-20")
    expect(starts_time).to_have_value("13:00")
    expect(page.locator("#id_ends_at_1")).to_have_value("14:30")
    tab_to(page, page.get_by_label("Online link"))
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("https://meet.example.org/levers")
    tab_to(page, save)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Session added to the schedule.")
    assert "Error" not in page.title()

    session = Session.objects.get(title="Policy levers seminar")
    local = session.starts_at.astimezone(zoneinfo.ZoneInfo(cast.cohort.time_zone))
    assert (local.date(), local.time()) == (datetime.date(2026, 10, 20), datetime.time(13, 0))
    assert session.ends_at - session.starts_at == datetime.timedelta(minutes=90)

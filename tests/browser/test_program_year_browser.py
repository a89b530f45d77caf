"""A program's year in Chromium: next year's cohort from last year's in a few clicks, and
coaches for 30 fellows in a few more. Both pages pass axe-core (no serious or critical)."""

import datetime
from zoneinfo import ZoneInfo

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from coaching.models import CoachAssignment
from cohorts.models import Cohort
from curriculum.models import Session
from tests.factories.accounts import UserFactory
from tests.factories.coaching import CoachProfileFactory
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.curriculum import ModuleFactory, SessionFactory, SpeakerFactory

from .conftest import screenshot

NY = ZoneInfo("America/New_York")


def _assert_accessible(page):
    results = Axe().run(page, context={"include": [["main"]]})
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


class Clicks:
    def __init__(self, page):
        self.page, self.count = page, 0

    def __call__(self, locator):
        self.count += 1
        locator.click()
        self.page.wait_for_load_state("networkidle")


def test_second_year_from_the_first_in_a_few_clicks(cast, login, page, live_server):
    page.set_default_timeout(60_000)  # a busy test machine; the steps still wait for states
    past = cast.past_cohort
    module = ModuleFactory(
        cohort=past,
        order=1,
        title="Leading self",
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2025, 12, 19),
    )
    for month in (9, 10, 11, 12):
        day = datetime.date(2025, month, 16)
        session = SessionFactory(
            cohort=past,
            module=module,
            title=f"Monthly session {month}",
            starts_at=datetime.datetime.combine(day, datetime.time(18), tzinfo=NY),
            ends_at=datetime.datetime.combine(day, datetime.time(20), tzinfo=NY),
        )
        SpeakerFactory(session=session)

    login(cast.staff)
    page.goto(f"{live_server.url}/programs/p/{cast.program.slug}/")
    screenshot(page, "program-year-program-page")
    click = Clicks(page)
    click(page.locator(f'a[href="/curriculum/c/{past.code}/copy/"]'))
    page.get_by_label("Name").fill("2027–2028 cohort")
    page.get_by_label("Start date").fill("2027-08-30")
    page.get_by_label("End date").fill("2028-08-28")
    click(page.get_by_role("button", name="Preview"))
    expect(page.get_by_role("heading", name="What will be created")).to_be_visible()
    _assert_accessible(page)
    screenshot(page, "program-year-copy-preview")
    click(page.get_by_role("button", name="Create 2027–2028 cohort"))
    expect(page.get_by_text("is created from 2025–2026 cohort")).to_be_visible()
    screenshot(page, "program-year-copy-created")
    assert click.count < 10
    new = Cohort.objects.get(program=cast.program, name="2027–2028 cohort")
    assert Session.objects.filter(cohort=new).count() == 4
    assert not new.enrollments.exists()


def test_coaches_for_30_fellows_in_a_few_clicks(cast, login, page, live_server):
    page.set_default_timeout(60_000)
    for n in range(3):
        CoachProfileFactory(
            user=UserFactory(full_name=f"Coach Number{n}"), programs=[cast.program], capacity=12
        )
    for n in range(29):
        EnrollmentFactory(cohort=cast.cohort, agency=f"Agency {n}")
    waiting = 30  # the 29 new fellows and the cast's peer, who has no coach either

    login(cast.staff)
    page.goto(f"{live_server.url}{cast.cohort.get_absolute_url()}")
    click = Clicks(page)
    click(page.get_by_role("link", name="propose coaches for all"))
    expect(page.get_by_role("heading", name="Assign coaches to the whole cohort")).to_be_visible()
    _assert_accessible(page)
    screenshot(page, "program-year-coach-proposal")
    click(page.get_by_role("button", name="Accept all and assign"))
    expect(page.get_by_text(f"{waiting} fellows now have a coach.")).to_be_visible()
    expect(page.get_by_text("Every active fellow has a coach.")).to_be_visible()
    screenshot(page, "program-year-coaches-assigned")
    assert click.count < 10
    assert (
        CoachAssignment.objects.active().filter(enrollment__cohort=cast.cohort).count()
        == cast.cohort.enrollments.filter(status="active").count()
    )

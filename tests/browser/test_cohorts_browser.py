"""A staff member starts a cohort in Chromium: creates it, downloads the roster template,
uploads a 30-row CSV with 3 bad rows, sees them refused with reasons, imports the 27 and
invites them; one of the 27 accepts from the emailed link and lands on their start page."""

from django.core import mail
from django.urls import reverse

from cohorts.models import Cohort

from ..cohorts.conftest import LINK, person_row, to_csv
from ..factories.cohorts import EnrollmentFactory
from .conftest import screenshot


def test_staff_import_a_roster_and_a_fellow_accepts(cast, login, page, live_server, tmp_path):
    login(cast.staff)
    page.goto(f"{live_server.url}{cast.program.get_absolute_url()}")
    page.get_by_role("link", name="New cohort").click()
    page.get_by_label("Name").fill("2027–2028 cohort")
    page.get_by_label("Start date").fill("2027-09-01")
    page.get_by_label("End date").fill("2028-08-31")
    page.get_by_role("button", name="Create the cohort").click()
    page.wait_for_load_state("networkidle")
    cohort = Cohort.objects.get(program=cast.program, name="2027–2028 cohort")
    assert page.url.endswith(cohort.get_absolute_url())

    page.get_by_role("link", name="Import CSV").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the CSV template").click()
    template = tmp_path / "template.csv"
    download.value.save_as(template)
    assert template.read_text().startswith("email,full_name")

    good = [person_row(n) for n in range(27)]
    rows = list(good)
    rows.insert(3, person_row(90, email="someone(at)agency.gov"))
    rows.insert(10, person_row(91, state="Narnia"))
    rows.insert(25, person_row(92, agency='=HYPERLINK("http://evil.example")'))
    roster = tmp_path / "roster.csv"
    roster.write_text(to_csv(rows), encoding="utf-8")
    page.set_input_files("input[name=file]", str(roster))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state("networkidle")

    refused = page.locator("#refused-rows").inner_text()
    assert "3 rows will not be imported" in refused
    assert "bad email address “someone(at)agency.gov”" in refused
    assert "unknown state or territory “Narnia”" in refused
    assert "“agency” starts with “=”" in refused
    assert cohort.enrollments.count() == 0
    screenshot(page, "cohorts-import-dry-run")

    page.get_by_role("button", name="Import the 27 valid rows").click()
    page.wait_for_load_state("networkidle")
    assert "27 fellows added, 0 updated" in page.content()
    assert cohort.enrollments.filter(status="invited").count() == 27

    page.get_by_role("button", name="Send 27 invitations").click()
    page.wait_for_load_state("networkidle")
    assert "27 invitations on the way" in page.content()
    assert {m.to[0] for m in mail.outbox} == {r["email"] for r in good}
    screenshot(page, "cohorts-roster-invited")

    # One of them opens the link from their email, in a browser nobody is logged in to.
    message = next(m for m in mail.outbox if m.to == [good[0]["email"]])
    (path,) = LINK.findall(message.body)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{path}")
    page.fill("input[name=new_password1]", "Aloha-and-equity-2027")
    page.fill("input[name=new_password2]", "Aloha-and-equity-2027")
    page.get_by_role("button", name="Set my password and join").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/programs/my/")
    assert "Welcome, Fellow Number0" in page.content()
    screenshot(page, "cohorts-fellow-start-page")


def test_a_bulk_change_keeps_the_roster_filtered(cast, login, page, live_server):
    for n in range(3):
        EnrollmentFactory(cohort=cast.cohort, status="invited", state="HI", agency=f"DOH {n}")
    EnrollmentFactory(cohort=cast.cohort, status="invited", state="GU")
    login(cast.staff)
    roster = f"{live_server.url}{reverse('cohorts:roster', kwargs={'code': cast.cohort.code})}"
    page.goto(f"{roster}?status=invited&state=HI")
    assert "3 fellows match the filter" in page.locator("#roster-count").inner_text()

    page.get_by_label("Select every fellow shown").check()
    page.get_by_label("Action").select_option("activate")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")

    assert page.url == f"{roster}?status=invited&state=HI"
    assert "3 fellows now active." in page.content()
    assert "0 fellows match the filter" in page.locator("#roster-count").inner_text()
    assert page.get_by_label("State or territory").input_value() == "HI"
    assert cast.cohort.enrollments.filter(state="GU", status="invited").count() == 1
    screenshot(page, "cohorts-roster-bulk-filtered")

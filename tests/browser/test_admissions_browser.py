"""A round end to end in Chromium: an applicant drafts, names a referee and submits; the
referee writes through their emailed link; staff assign the reviewer, who scores; the
committee accepts, and the applicant is an invited member of the cohort. Screenshots of
each step."""

from django.core import mail

from admissions.models import Application, ApplicationStatus
from cohorts.models import Enrollment, EnrollmentStatus
from tests.factories.accounts import UserFactory
from tests.factories.admissions import PDF, make_round, make_seat

from .conftest import screenshot, sign_in
from .test_outcomes_browser import assert_accessible


def _new_page(page):
    return page.context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()


def test_a_round_from_application_to_invited_enrollment(cast, page, live_server, tmp_path):
    round_ = make_round(cast.cohort, reviewers_per_application=1, title="Applications 2027")
    reviewer = UserFactory(email="outside.reviewer@example.org", full_name="Rae Reviewer")
    make_seat(round_, reviewer, agency="Colorado Health Institute", state="CO")
    applicant = UserFactory(email="nia@example.org", full_name="Nia")
    question = round_.questions.order_by("position", "pk").first()

    # The applicant drafts, comes back, names a referee.
    sign_in(page, live_server, applicant)
    page.goto(f"{live_server.url}/admissions/apply/{round_.code}/")
    screenshot(page, "admissions-public-page")
    assert_accessible(page)
    page.click("text=Start your application")
    page.fill("#id_full_name", "Nia Okonkwo")
    page.select_option("#id_state", "NM")
    page.fill("#id_agency", "New Mexico Human Services")
    page.fill(f"#id_q{question.pk}", "Tribal health partnerships for postpartum care.")
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF)
    page.set_input_files("#id_cv", str(cv))
    page.click("button[value=save]")
    page.wait_for_selector("text=Draft saved")
    page.fill("#id_name", "Dr. Rita Lee")
    page.fill("#id_email", "rita@university.example.edu")
    page.click("button:has-text('Ask this referee')")
    page.wait_for_selector("text=Referee added")
    screenshot(page, "admissions-draft")
    assert_accessible(page)
    page.click("button[value=submit]")
    page.wait_for_selector("text=Application submitted")
    application = Application.objects.get(applicant=applicant)
    assert application.status == ApplicationStatus.SUBMITTED

    # The referee, without an account, writes through the emailed link.
    (email,) = [m for m in mail.outbox if "rita@university.example.edu" in m.to]
    link = next(w for w in email.body.split() if "/admissions/letters/" in w)
    referee = _new_page(page)
    referee.goto(live_server.url + link[link.index("/admissions/letters/") :])
    referee.fill("#id_letter_text", "Nia brings partners along and follows through.")
    screenshot(referee, "admissions-referee-letter")
    assert_accessible(referee)
    referee.click("button:has-text('Send the letter')")
    referee.wait_for_selector("text=Your letter has arrived")
    page.reload()
    assert "Dr. Rita Lee: arrived" in page.text_content("main")
    assert "follows through" not in page.content()
    screenshot(page, "admissions-status")
    assert_accessible(page)

    # Staff assign the reviewer, who scores.
    staff = _new_page(page)
    sign_in(staff, live_server, cast.staff)
    staff.goto(f"{live_server.url}/admissions/rounds/{round_.code}/")
    staff.click("button:has-text('Assign reviewers')")
    staff.wait_for_selector("text=1 assignments made")
    screenshot(staff, "admissions-round")
    assert_accessible(staff)
    reviewing = _new_page(page)
    sign_in(reviewing, live_server, reviewer)
    reviewing.goto(f"{live_server.url}/admissions/rounds/{round_.code}/reviews/")
    reviewing.click("text=Nia Okonkwo")
    for criterion in round_.criteria.all():
        reviewing.check(f"#id_c{criterion.pk}_4")
    reviewing.fill("#id_comments", "Clear initiative.")
    screenshot(reviewing, "admissions-review")
    assert_accessible(reviewing)
    reviewing.click("button:has-text('Save scores')")
    reviewing.wait_for_selector("text=Scores saved")

    # The committee accepts: an invited enrollment with the application's details.
    staff.goto(f"{live_server.url}/admissions/rounds/{round_.code}/ranking/")
    assert "4.00" in staff.text_content("main")
    screenshot(staff, "admissions-ranking")
    assert_accessible(staff)
    staff.click("text=Nia Okonkwo")
    staff.check("input[name=outcome][value=accept]")
    staff.fill("#id_reason", "Strong initiative and support.")
    staff.click("button:has-text('Record the decision')")
    staff.wait_for_selector("text=Decision recorded")
    enrollment = Enrollment.objects.get(cohort=cast.cohort, user=applicant)
    assert enrollment.status == EnrollmentStatus.INVITED
    assert (enrollment.state, enrollment.agency) == ("NM", "New Mexico Human Services")
    page.reload()
    assert "Accepted" in page.text_content("main")
    screenshot(page, "admissions-accepted")
    assert_accessible(page)

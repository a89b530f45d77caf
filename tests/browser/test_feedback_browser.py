"""A fellow answers a session evaluation from the one-click link in the email the sweep sent
(the page it opens has the answer selected and one button to record it), then the rest of
the form; program staff open the session's results (screenshot). Every page passes axe-core
with no serious or critical finding."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from curriculum.models import SessionKind
from feedback import services
from feedback.models import Answer, Response
from feedback.reminders import scan as evaluation_scan
from notifications.delivery import deliver_batch
from notifications.models import Notification, NotificationSettings
from notifications.sweep import write_due
from tests.factories.curriculum import SessionFactory
from tests.factories.feedback import FormFactory
from tests.feedback.conftest import answer_as, many_fellows
from tests.mfa import mark_mfa_done

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _assert_accessible(page):
    results = Axe().run(page, context={"include": [["main"]]})
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


def test_fellow_answers_from_the_email_and_staff_read_the_results(cast, page, live_server):
    now = timezone.now()
    session = SessionFactory(
        cohort=cast.cohort,
        kind=SessionKind.SEMINAR,
        title="Seminar: structural racism and health policy",
        starts_at=now - datetime.timedelta(hours=3),
    )
    form = FormFactory(
        program=cast.program, title="After the seminar", kinds=["rating", "single", "long_text"]
    )
    services.evaluation_attach(
        form=form, cohort=cast.cohort, session_kind=SessionKind.SEMINAR, by=cast.staff
    )
    # No quiet hours, so the email goes out whatever the time of the run.
    NotificationSettings.objects.update_or_create(
        user=cast.fellow,
        defaults={"quiet_start": datetime.time(0, 0), "quiet_end": datetime.time(0, 0)},
    )
    write_due(now, scans=[evaluation_scan])
    deliver_batch(list(Notification.objects.values_list("pk", flat=True)), now=now)
    email = next(m for m in mail.outbox if m.to == [cast.fellow.email])
    links = {
        value: url
        for url, value in re.findall(
            r'href="([^"]+)" data-one-click="(\w+)"', email.alternatives[0][0]
        )
    }
    link = links["5"].replace(settings.SITE_URL, live_server.url)

    page.goto(link)  # no sign-in
    # Opening the link records nothing (mail scanners open links too): the answer clicked in
    # the email is selected, and one button records it.
    assert page.get_by_label("5 · Extremely").is_checked()
    assert Response.objects.filter(form=form).count() == 0
    _assert_accessible(page)
    page.get_by_role("button", name="Record my answer").click()
    page.wait_for_load_state("networkidle")
    recorded = page.locator("[data-recorded]")
    expect(recorded).to_be_visible()
    assert "your answer is recorded" in recorded.inner_text()
    _assert_accessible(page)
    page.get_by_label("About right").check()
    page.get_by_label("Your answer").fill("More time for questions, please.")
    page.get_by_role("button", name="Send the rest").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    response = Response.objects.get(form=form)
    assert response.respondent_id is None and response.complete
    assert Answer.objects.filter(response=response).count() == 3

    page.goto(link)  # the same link again records nothing
    expect(page.get_by_role("heading", name="Nothing more to record")).to_be_visible()
    assert Response.objects.filter(form=form).count() == 1

    for person in many_fellows(cast.cohort, 4):
        answer_as(
            person,
            form,
            key=f"session:{session.pk}",
            cohort=cast.cohort,
            session=session,
            rating=4,
            comment="Strong speakers.",
        )
    # Staff sign in with a second factor: the session of a client that did so.
    staff = Client()
    staff.force_login(cast.staff)
    mark_mfa_done(staff, cast.staff)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/feedback/results/sessions/{session.code}/")
    assert page.get_by_role(
        "heading", name="Evaluation results: Seminar: structural racism and health policy"
    ).is_visible()
    assert page.locator("[data-mean]").first.inner_text() == "4.2"
    expect(page.get_by_text("More time for questions, please.")).to_be_visible()
    screenshot(page, "feedback-session-results")
    _assert_accessible(page)
    # The staff's set-up pages: the forms of the program and the cohort's evaluations.
    FormFactory(program=cast.program, purpose="survey", title="Where you start", kinds=["rating"])
    for path in (
        f"/feedback/programs/{cast.program.slug}/forms/",
        f"/feedback/programs/{cast.program.slug}/questions/new/",
        f"/feedback/forms/{form.code}/edit/",  # answered: shown, to close or copy
        f"/feedback/cohorts/{cast.cohort.code}/setup/",
    ):
        page.goto(f"{live_server.url}{path}")
        _assert_accessible(page)
    page.get_by_role("button", name="Open survey window").click()
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Error:")


def test_staff_break_named_survey_answers_down_by_demographics(cast, page, live_server):
    from feedback.models import FormPurpose, SurveyPhase
    from tests.factories.outcomes import DemographicProfileFactory

    form = FormFactory(
        program=cast.program,
        purpose=FormPurpose.SURVEY,
        title="Start of the year",
        anonymous=False,
        kinds=["rating", "single"],
    )
    survey = services.survey_open(
        form=form,
        cohort=cast.cohort,
        phase=SurveyPhase.START,
        opens_on=cast.cohort.start_date,
        closes_on=cast.cohort.start_date + datetime.timedelta(days=20),
        by=cast.staff,
    )
    for race, gender, n, rating in (("hispanic", "woman", 6, 5), ("white", "man", 5, 4)):
        for person in many_fellows(cast.cohort, n):
            DemographicProfileFactory(user=person, race=[race], gender=gender)
            answer_as(
                person, form, key=survey.occasion, cohort=cast.cohort, survey=survey, rating=rating
            )
    staff = Client()
    staff.force_login(cast.staff)
    mark_mfa_done(staff, cast.staff)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/feedback/results/cohorts/{cast.cohort.code}/")
    page.get_by_role("link", name="By self-identified demographics").click()
    expect(page.get_by_text("Anonymous answers are never broken down.")).to_be_visible()
    page.get_by_label("Break down by").select_option("gender")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Named answers by gender")).to_be_visible()
    woman = page.locator("table").first.locator("tr", has=page.locator("th", has_text="Woman"))
    assert woman.locator("td").last.inner_text() == "6"
    screenshot(page, "feedback-by-demographics")
    _assert_accessible(page)

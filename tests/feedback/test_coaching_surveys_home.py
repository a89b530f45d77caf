"""Coaching feedback, program surveys in their windows, what the fellow has left to answer on
their start page, and the funder report's section."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from coaching.models import SessionStatus
from feedback import panels, services
from feedback.models import FormPurpose, Response, SurveyPhase
from feedback.reminders import scan as evaluation_scan
from notifications.sweep import write_due

from ..factories.coaching import CoachingSessionFactory
from ..factories.feedback import FormFactory
from ..queries import assert_stable_queries
from .conftest import answer_as, many_fellows

NOW = datetime.datetime(2026, 10, 14, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coaching_form(cast):
    return FormFactory(
        program=cast.program, purpose=FormPurpose.COACHING, title="Your coaching", kinds=["rating"]
    )


@pytest.fixture
def start_survey(cast):
    form = FormFactory(
        program=cast.program,
        purpose=FormPurpose.SURVEY,
        title="Where you start",
        anonymous=False,
        kinds=["rating", "long_text"],
    )
    return services.survey_open(
        form=form,
        cohort=cast.cohort,
        phase=SurveyPhase.START,
        opens_on=datetime.date(2026, 10, 1),
        closes_on=datetime.date(2026, 10, 20),
        by=cast.staff,
    )


def _answer_url(form, occasion):
    return reverse("feedback:answer", kwargs={"code": form.code, "occasion": occasion})


def _first(form):
    return f"q{form.items.order_by('position').first().question_id}"


def test_a_fellow_rates_a_completed_coaching_session_anonymously(cast, client_for, coaching_form):
    coaching = CoachingSessionFactory(enrollment=cast.enrollments["fellow"], coach=cast.coach)
    url = _answer_url(coaching_form, f"coaching:{coaching.pk}")
    assert client_for("fellow").post(url, {_first(coaching_form): "5"}).status_code == 200
    response = Response.objects.get(form=coaching_form)
    assert response.coach == cast.coach and response.respondent_id is None
    # The coach, a classmate or a second try records nothing.
    for role in ("coach", "classmate", "fellow"):
        assert client_for(role).post(url, {_first(coaching_form): "1"}).status_code in (404, 409)
    assert Response.objects.filter(form=coaching_form).count() == 1


def test_only_a_completed_recent_session_can_be_rated(cast, client_for, coaching_form):
    fellow = client_for("fellow")
    scheduled = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        status=SessionStatus.SCHEDULED,
        starts_at=NOW + datetime.timedelta(days=2),
    )
    old = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=NOW - datetime.timedelta(days=30),
    )
    for coaching in (scheduled, old):
        reply = fellow.get(_answer_url(coaching_form, f"coaching:{coaching.pk}"))
        assert reply.status_code == 404
    assert Response.objects.count() == 0


def test_a_survey_is_answered_within_its_window(cast, client_for, start_survey):
    form = start_survey.form
    url = _answer_url(form, start_survey.occasion)
    assert client_for("alumnus").get(url).status_code == 404
    assert client_for("other_cohort_fellow").get(url).status_code == 404
    assert client_for("fellow").post(url, {_first(form): "3"}).status_code == 200
    assert Response.objects.get(form=form).respondent == cast.fellow  # a named survey
    with time_machine.travel(datetime.datetime(2026, 10, 21, 15, 0, tzinfo=datetime.UTC)):
        late = client_for("peer").get(url)
    assert late.status_code == 404 and "not open" in late.content.decode()


def test_the_start_page_lists_what_is_left_to_answer(
    cast, client_for, coaching_form, start_survey, session, evaluation
):
    coaching = CoachingSessionFactory(enrollment=cast.enrollments["fellow"], coach=cast.coach)
    write_due(NOW, scans=[evaluation_scan])  # the evaluation of yesterday's session
    fellow = client_for("fellow")
    page = fellow.get(reverse("cohorts:fellow_home")).content.decode()
    assert "Left to answer" in page
    assert "Where you start (start survey)" in page
    assert f"Evaluation of “{session.title}”" in page
    assert "Rate your coaching session of" in page
    # Each list's query is compiled once and run again with the next visitor's values.
    for query, shape in (
        (panels._SURVEYS, "surveys"),
        (panels._EVALUATIONS, "evaluations"),
        (panels._COACHING, "coaching"),
    ):
        assert query.is_reused(shape), shape

    fellow.post(
        _answer_url(start_survey.form, start_survey.occasion), {_first(start_survey.form): "4"}
    )
    fellow.post(_answer_url(coaching_form, f"coaching:{coaching.pk}"), {_first(coaching_form): "4"})
    page = fellow.get(reverse("cohorts:fellow_home")).content.decode()
    assert "Where you start" not in page and "Rate your coaching session" not in page
    assert f"Evaluation of “{session.title}”" in page

    def grow(n):
        for i in range(n):
            CoachingSessionFactory(
                enrollment=cast.enrollments["fellow"],
                coach=cast.coach,
                starts_at=NOW - datetime.timedelta(days=1, hours=i),
            )

    assert_stable_queries(lambda: fellow.get(reverse("cohorts:fellow_home")), grow, factor=10)


def test_a_coaching_session_is_offered_to_rate_for_fourteen_days(cast, client_for, coaching_form):
    fellow = client_for("fellow")
    home = reverse("cohorts:fellow_home")
    assert "Left to answer" not in fellow.get(home).content.decode()
    CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=NOW - datetime.timedelta(days=14, hours=1),
    )
    assert "Left to answer" not in fellow.get(home).content.decode()
    CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=NOW - datetime.timedelta(days=13, hours=23),
    )
    page = fellow.get(home).content.decode()
    assert page.count("Rate your coaching session of") == 1


def test_the_funder_report_shows_figures_from_five_answers(cast, client_for, session, evaluation):
    url = reverse("reports:cohort_report", kwargs={"code": cast.cohort.code})
    people = many_fellows(cast.cohort, 5)
    for person in people[:4]:
        answer_as(
            person,
            evaluation.form,
            key=f"session:{session.pk}",
            cohort=cast.cohort,
            session=session,
            rating=4,
        )
    page = client_for("staff").get(url).content.decode()
    assert "What fellows said" in page and "too few answers to show" in page
    answer_as(
        people[4],
        evaluation.form,
        key=f"session:{session.pk}",
        cohort=cast.cohort,
        session=session,
        rating=5,
    )
    page = client_for("staff").get(url).content.decode()
    assert "4.2 (5)" in page
    coach_page = client_for("coach").get(url).content.decode()
    assert "4.2 (5)" not in coach_page and "program staff see them" in coach_page


def test_results_index_lists_the_programs_run(cast, client_for):
    page = client_for("staff").get(reverse("feedback:results_index")).content.decode()
    assert cast.program.name in page and cast.other_program.name not in page


def test_the_funder_report_shows_response_rates(
    cast, client_for, session, evaluation, start_survey
):
    from cohorts.models import Enrollment, EnrollmentStatus

    url = reverse("reports:cohort_report", kwargs={"code": cast.cohort.code})
    people = many_fellows(cast.cohort, 5)
    write_due(NOW, scans=[evaluation_scan])  # the evaluation goes to the 8 active fellows
    for person in people:
        answer_as(
            person,
            evaluation.form,
            key=f"session:{session.pk}",
            cohort=cast.cohort,
            session=session,
        )
    for person in people[:2]:
        answer_as(
            person,
            start_survey.form,
            key=start_survey.occasion,
            cohort=cast.cohort,
            survey=start_survey,
        )
    fellows = Enrollment.objects.filter(
        cohort=cast.cohort, status__in=EnrollmentStatus.with_cohort_access()
    ).count()
    page = client_for("staff").get(url).content.decode()
    section = page.split('data-figures="response-rates"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<th scope="row">([^<]+)</th><td class="text-end">(\d+)</td>'
        r'<td class="text-end">(\d+)</td><td class="text-end" data-rate>([^<]+)</td>',
        section,
    )
    assert rows == [
        ("Session evaluations", "8", "5", "62 %"),
        ("Start survey", str(fellows), "2", f"{round(200 / fellows)} %"),
    ]
    # Anyone but program staff sees no figures at all.
    assert 'data-figures="response-rates"' not in client_for("coach").get(url).content.decode()

"""Evaluation and survey answers broken down by self-identified demographics: the tables
worked out by hand (small cells and the cells that would give them away hidden), anonymous
answers and free text never broken down, staff only, and flat query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from feedback import services
from feedback.models import FormPurpose, FormQuestion, SurveyPhase
from reports.suppression import MASK

from ..factories.curriculum import SessionFactory
from ..factories.feedback import FormFactory, QuestionFactory
from ..factories.outcomes import DemographicProfileFactory
from ..queries import assert_stable_queries
from .conftest import answer_as, many_fellows

H = MASK
OTHER_RACES = [
    "American Indian or Alaska Native",
    "Asian",
    "Middle Eastern or North African",
    "Native Hawaiian or Pacific Islander",
    "More than one race or ethnicity",
    "Prefer not to say",
    "Not answered",
]


def _url(cohort, by=None):
    url = reverse("feedback:cohort_breakdown", kwargs={"code": cohort.code})
    return f"{url}?by={by}" if by else url


def _tables(page) -> dict[str, dict[str, list[str]]]:
    """caption → row label (and "Total" for the totals row) → the cells as shown."""
    tables = {}
    for caption, body in re.findall(r"<caption>(.*?)</caption>(.*?)</table>", page, re.S):
        rows = {}
        for label, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', body, re.S):
            rows[label] = re.findall(r"<td[^>]*>(.*?)</td>", cells)
        tables[caption] = rows
    return tables


@pytest.fixture
def start_survey(cast):
    form = FormFactory(
        program=cast.program,
        purpose=FormPurpose.SURVEY,
        title="Start of the year",
        anonymous=False,
        kinds=["rating", "single", "long_text"],
    )
    return services.survey_open(
        form=form,
        cohort=cast.cohort,
        phase=SurveyPhase.START,
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 9, 30),
        by=cast.staff,
    )


def _answer_survey(cast, survey, race, n, *, rating, choice, comment=""):
    for person in many_fellows(cast.cohort, n):
        DemographicProfileFactory(user=person, race=race)
        answer_as(
            person,
            survey.form,
            key=survey.occasion,
            cohort=cast.cohort,
            survey=survey,
            rating=rating,
            choice=choice,
            comment=comment,
        )


@pytest.fixture
def answered(cast, start_survey):
    """Worked by hand. Eleven Hispanic or Latino fellows rate 5; six of them find it too
    short, five about right. Six White fellows rate 4 and find it about right. Two Black
    fellows rate 3 and find it too long. 19 answers from 19 people."""
    _answer_survey(cast, start_survey, ["hispanic"], 6, rating=5, choice="Too short")
    _answer_survey(
        cast, start_survey, ["hispanic"], 5, rating=5, choice="About right", comment="Ana here"
    )
    _answer_survey(cast, start_survey, ["white"], 6, rating=4, choice="About right")
    _answer_survey(cast, start_survey, ["black"], 2, rating=3, choice="Too long")
    return start_survey


def _question(survey, kind):
    return survey.form.items.get(question__kind=kind).question.text


def test_choice_answers_by_race_with_secondary_suppression(cast, client_for, answered):
    page = client_for("staff").get(_url(cast.cohort, "race")).content.decode()
    table = _tables(page)[f"Start of the year (start survey): {_question(answered, 'single')}"]
    # Primary: every zero, and the 2 Black fellows (and their total), are hidden.
    # Secondary: the Hispanic row then hid only "Too long" (0): its 5 "About right" is
    # hidden too, or it would be 11 - 6. The totals row hid only "Too long" (2): its
    # smallest shown cell, "Too short" (6), is hidden too, or it would be 19 - 11 - 2.
    assert table["Hispanic or Latino"] == ["6", H, H, "11"]
    assert table["White"] == [H, "6", H, "6"]
    assert table["Black or African American"] == [H, H, H, H]
    for label in OTHER_RACES:
        assert table[label] == [H, H, H, H]
    assert table["All fellows"] == [H, "11", H, "19"]
    assert "groups of fewer than 5 people" in page


def test_ratings_by_race_show_only_groups_of_five_or_more(cast, client_for, answered):
    page = client_for("staff").get(_url(cast.cohort, "race")).content.decode()
    table = _tables(page)[f"Start of the year (start survey): {_question(answered, 'rating')}"]
    assert table["Hispanic or Latino"] == [H, H, H, H, "11", "11"]
    assert table["White"] == [H, H, H, "6", H, "6"]
    assert table["Black or African American"] == [H] * 6
    # 3 (Somewhat) is the 2 Black fellows' alone: hidden in the totals too.
    assert table["All fellows"] == [H, H, H, "6", "11", "19"]


def test_by_gender_nobody_answered_it(cast, client_for, answered):
    page = client_for("staff").get(_url(cast.cohort, "gender")).content.decode()
    table = _tables(page)[f"Start of the year (start survey): {_question(answered, 'single')}"]
    # Nobody gave a gender: all 19 are "Not answered", the same as the totals. "Too long"
    # (2) is hidden, so "Too short" (6, the smaller of the other two) is hidden with it.
    assert table["Not answered"] == [H, "11", H, "19"]
    assert table["Woman"] == [H, H, H, H]
    assert table["All fellows"] == [H, "11", H, "19"]


def test_free_text_and_anonymous_answers_are_never_broken_down(cast, client_for, answered, session):
    anonymous = FormFactory(
        program=cast.program, title="After the monthly session", kinds=["rating", "single"]
    )
    for person in many_fellows(cast.cohort, 6):
        DemographicProfileFactory(user=person, race=["white"])
        answer_as(
            person,
            anonymous,
            key=f"session:{session.pk}",
            cohort=cast.cohort,
            session=session,
            rating=1,
        )
    page = client_for("staff").get(_url(cast.cohort)).content.decode()
    tables = _tables(page)
    assert "Anonymous answers are never broken down" in page
    assert re.search(r"<span data-anonymous-form>After the monthly session</span>", page)
    assert not any(caption.startswith("After the monthly session") for caption in tables)
    assert _question(answered, "long_text") not in page and "Ana here" not in page
    # Race by default; the six anonymous White raters of 1 are nowhere.
    rating = tables[f"Start of the year (start survey): {_question(answered, 'rating')}"]
    assert rating["White"] == [H, H, H, "6", H, "6"]


def test_a_cell_counts_answers_but_is_hidden_under_five_people(cast, client_for, session):
    """A named evaluation of every monthly session: four fellows answering three sessions
    give 12 answers, still four people: hidden. Five fellows answering twice: 10, shown."""
    form = FormFactory(program=cast.program, title="Session check-in", anonymous=False)
    question = QuestionFactory(program=cast.program, kind="rating", text="Was it useful?")
    FormQuestion.objects.create(form=form, question=question, position=0, required=True)
    later = [
        SessionFactory(cohort=cast.cohort, kind=session.kind, starts_at=session.starts_at + d)
        for d in (datetime.timedelta(days=7), datetime.timedelta(days=14))
    ]
    groups = [(["asian"], 4, [session, *later]), (["white"], 5, [session, later[0]])]
    for race, n, sessions in groups:
        for person in many_fellows(cast.cohort, n):
            DemographicProfileFactory(user=person, race=race)
            for each in sessions:
                answer_as(
                    person,
                    form,
                    key=f"session:{each.pk}",
                    cohort=cast.cohort,
                    session=each,
                    rating=5,
                )
    page = client_for("staff").get(_url(cast.cohort)).content.decode()
    table = _tables(page)["Session check-in: Was it useful?"]
    assert table["Asian"] == [H] * 6
    assert table["White"] == [H, H, H, H, "10", "10"]
    assert table["All fellows"] == [H, H, H, H, "22", "22"]


def test_only_program_staff_see_the_breakdown(cast, client_for, answered):
    url = _url(cast.cohort)
    assert client_for("staff").get(url).status_code == 200
    for role in ("coach", "fellow", "peer", "alumnus", "other_staff", "other_coach"):
        response = client_for(role).get(url)
        assert response.status_code == 404, role
        assert b"Hispanic or Latino" not in response.content
    assert client_for("anonymous").get(url).status_code == 302


def test_an_unknown_breakdown_falls_back_to_race(cast, client_for, answered):
    response = client_for("staff").get(_url(cast.cohort, "shoe-size"))
    assert response.status_code == 200
    assert "Named answers by race and ethnicity" in response.content.decode()


def test_the_cohort_results_link_to_the_breakdown(cast, client_for):
    page = client_for("staff").get(
        reverse("feedback:cohort_results", kwargs={"code": cast.cohort.code})
    )
    assert _url(cast.cohort) in page.content.decode()


def test_queries_stay_flat(cast, client_for, answered):
    client = client_for("staff")
    sessions = []

    def grow(times):
        for _ in range(times):
            _answer_survey(cast, answered, ["asian"], 2, rating=2, choice="Too long")
            form = FormFactory(
                program=cast.program, anonymous=False, kinds=["rating", "single", "long_text"]
            )
            session = SessionFactory(cohort=cast.cohort)
            sessions.append(session)
            for person in many_fellows(cast.cohort, 2):
                DemographicProfileFactory(user=person, race=["white"], lived=["rural"])
                answer_as(
                    person, form, key=f"session:{session.pk}", cohort=cast.cohort, session=session
                )

    for by in ("race", "lived"):
        assert_stable_queries(lambda by=by: client.get(_url(cast.cohort, by)), grow)

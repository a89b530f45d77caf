"""Results pages: response rates, distributions with their tables, means with counts, free
text without names when anonymous, start against end, "too few answers to show" under 5,
the CSV export, and flat query counts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from feedback import services
from feedback.models import FormPurpose, FormQuestion, SurveyPhase

from ..factories.curriculum import SessionFactory
from ..factories.feedback import FormFactory, QuestionFactory
from ..queries import assert_stable_queries
from .conftest import answer_as, many_fellows


def _answer_session(session, form, people, ratings, comment="Good pace"):
    for person, rating in zip(people, ratings, strict=True):
        answer_as(
            person,
            form,
            key=f"session:{session.pk}",
            cohort=session.cohort,
            session=session,
            rating=rating,
            comment=comment,
        )


def _page(client, name, **kwargs):
    response = client.get(reverse(f"feedback:{name}", kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_session_results_show_figures_from_five_answers(cast, session, evaluation, client_for):
    people = many_fellows(cast.cohort, 5)
    _answer_session(session, evaluation.form, people[:4], [5, 4, 4, 2])
    staff = client_for("staff")
    page = _page(staff, "session_results", code=session.code)
    assert "Too few answers to show" in page
    assert "Good pace" not in page and "data-mean" not in page

    _answer_session(session, evaluation.form, people[4:], [5])
    page = _page(staff, "session_results", code=session.code)
    assert "Too few answers to show" not in page
    assert 'data-responses="5"' in page
    # Eight fellows were expected (three of the cast and five more): a response rate.
    assert "from 8 asked (response rate 62 %)" in page
    assert "<strong data-mean>4.0</strong> from 5 answers" in page
    assert "<svg" in page and "the numbers as a table" in page
    assert "2 (40 %)" in page  # two people rated it 4
    assert "Good pace" in page
    for person in people:
        assert person.full_name not in page  # anonymous: free text without names


def test_named_survey_answers_show_names_and_escape_text(cast, client_for):
    form = FormFactory(
        program=cast.program,
        purpose=FormPurpose.SURVEY,
        anonymous=False,
        kinds=["rating", "single", "long_text"],
    )
    survey = services.survey_open(
        form=form,
        cohort=cast.cohort,
        phase=SurveyPhase.START,
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 9, 30),
        by=cast.staff,
    )
    people = many_fellows(cast.cohort, 5)
    for person in people:
        answer_as(
            person,
            form,
            key=survey.occasion,
            cohort=cast.cohort,
            survey=survey,
            comment="<script>alert('x')</script>",
        )
    page = _page(client_for("staff"), "cohort_results", code=cast.cohort.code)
    assert "Start survey" in page
    assert people[0].full_name in page
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;" in page


def test_start_against_end_for_repeated_questions(cast, client_for):
    confidence = QuestionFactory(program=cast.program, text="How confident are you leading change?")
    only_start = QuestionFactory(program=cast.program, text="Only asked at the start")
    forms = {}
    for phase, questions, opens in (
        (SurveyPhase.START, [confidence, only_start], datetime.date(2026, 9, 1)),
        (SurveyPhase.END, [confidence], datetime.date(2027, 8, 1)),
    ):
        form = services.form_create(
            program=cast.program,
            purpose=FormPurpose.SURVEY,
            title=f"{phase.label} survey",
            questions=[(q, True) for q in questions],
            by=cast.staff,
        )
        forms[phase] = services.survey_open(
            form=form,
            cohort=cast.cohort,
            phase=phase,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=20),
            by=cast.staff,
        )
    people = many_fellows(cast.cohort, 6)
    for person in people:
        for phase, rating in ((SurveyPhase.START, 2), (SurveyPhase.END, 4)):
            survey = forms[phase]
            answer_as(
                person,
                survey.form,
                key=survey.occasion,
                cohort=cast.cohort,
                survey=survey,
                rating=rating,
            )
    page = _page(client_for("staff"), "cohort_results", code=cast.cohort.code)
    assert "Start of the year against its end" in page
    assert "How confident are you leading change?" in page
    assert "<td data-change>+2.0</td>" in page
    comparison = page.split("Start of the year against its end", 1)[1].split("</section>", 1)[0]
    assert "Only asked at the start" not in comparison and "Only asked at the start" in page


def test_coach_sees_own_averages_only_over_five_answers(cast, client_for):
    form = FormFactory(program=cast.program, purpose=FormPurpose.COACHING, kinds=["rating"])
    people = many_fellows(cast.cohort, 5)
    for i, person in enumerate(people[:4]):
        answer_as(person, form, key=f"coaching:{i}", cohort=cast.cohort, coach=cast.coach, rating=5)
    coach = client_for("coach")
    assert "Too few answers to show" in _page(coach, "own_coaching")
    staff_page = _page(client_for("staff"), "program_results", slug=cast.program.slug)
    assert "Cora Coach" in staff_page and "too few answers to show" in staff_page
    answer_as(people[4], form, key="coaching:9", cohort=cast.cohort, coach=cast.coach, rating=3)
    page = _page(coach, "own_coaching")
    assert "<strong data-mean>4.6</strong>" in page
    assert "5 answers" in page
    staff_page = _page(client_for("staff"), "program_results", slug=cast.program.slug)
    assert "<strong>4.6</strong>" in staff_page
    # Another coach sees nothing of it.
    assert "4.6" not in _page(client_for("other_coach"), "own_coaching")


def test_year_over_year_compares_the_same_bank_question(cast, client_for):
    question = QuestionFactory(program=cast.program, text="Would you recommend the seminars?")
    form = services.form_create(
        program=cast.program,
        purpose=FormPurpose.EVALUATION,
        title="Seminar evaluation",
        questions=[(question, True)],
        by=cast.staff,
    )
    for cohort, rating, count in ((cast.past_cohort, 3, 5), (cast.cohort, 5, 3)):
        session = SessionFactory(cohort=cohort)
        for person in many_fellows(cohort, count):
            answer_as(
                person,
                form,
                key=f"session:{session.pk}",
                cohort=cohort,
                session=session,
                rating=rating,
            )
    page = _page(client_for("staff"), "program_results", slug=cast.program.slug)
    assert "Would you recommend the seminars?" in page
    assert "3.0 <span" in page  # the past cohort, five answers
    assert "too few answers to show" in page  # this year's three


def test_csv_export_hides_small_groups(cast, session, evaluation, client_for):
    _answer_session(session, evaluation.form, many_fellows(cast.cohort, 5), [5, 5, 4, 3, 1])
    other = FormFactory(program=cast.program, title="Tiny form", kinds=["rating"])
    answer_as(cast.fellow, other, key=f"session:{session.pk}", cohort=cast.cohort, session=session)
    response = client_for("staff").get(
        reverse("feedback:cohort_export", kwargs={"code": cast.cohort.code})
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["form", "survey", "responses", "asked", "question"]
    tiny = [r for r in rows if r[0] == "Tiny form"]
    assert tiny and all(r[5] == "too few answers to show" for r in tiny)
    ratings = [r for r in rows if r[0] == evaluation.form.title and r[6] != ""]
    assert ["5 · Extremely", "2", "40", "3.6"] in [r[5:9] for r in ratings]
    assert not any("Good pace" in cell for r in rows for cell in r)


@pytest.mark.parametrize("page", ["session", "kind", "cohort", "program", "coaching"])
def test_results_pages_cost_the_same_queries_whatever_the_answers(
    cast, session, evaluation, client_for, page
):
    staff = client_for("coach" if page == "coaching" else "staff")
    coaching_form = FormFactory(
        program=cast.program, purpose=FormPurpose.COACHING, kinds=["rating"]
    )
    survey_form = FormFactory(
        program=cast.program,
        purpose=FormPurpose.SURVEY,
        anonymous=False,
        kinds=["rating", "multiple", "long_text"],
    )
    survey = services.survey_open(
        form=survey_form,
        cohort=cast.cohort,
        phase=SurveyPhase.START,
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 9, 30),
        by=cast.staff,
    )
    urls = {
        "session": reverse("feedback:session_results", kwargs={"code": session.code}),
        "kind": reverse(
            "feedback:kind_results", kwargs={"code": cast.cohort.code, "kind": session.kind}
        ),
        "cohort": reverse("feedback:cohort_results", kwargs={"code": cast.cohort.code}),
        "program": reverse("feedback:program_results", kwargs={"slug": cast.program.slug}),
        "coaching": reverse("feedback:own_coaching"),
    }
    rounds = [0]

    def grow(times):
        for _ in range(times):
            rounds[0] += 1
            extra = SessionFactory(cohort=cast.cohort, title=f"Extra {rounds[0]}")
            question = QuestionFactory(program=cast.program)
            FormQuestion.objects.create(form=survey_form, question=question, position=9 + rounds[0])
            for person in many_fellows(cast.cohort, 6):
                for target in (session, extra):
                    answer_as(
                        person,
                        evaluation.form,
                        key=f"session:{target.pk}",
                        cohort=cast.cohort,
                        session=target,
                        comment="Fine",
                    )
                answer_as(
                    person, coaching_form, key="coaching:1", cohort=cast.cohort, coach=cast.coach
                )
                answer_as(
                    person, survey_form, key=survey.occasion, cohort=cast.cohort, survey=survey
                )

    grow(1)
    count = assert_stable_queries(lambda: staff.get(urls[page]), grow, factor=10)
    assert count <= 12, count

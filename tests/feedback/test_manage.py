"""Staff set-up pages: the question bank, forms built from it (changed until someone
answers, then only closed or copied), evaluations attached to a kind of session or one
session, and survey windows at the start, midpoint and end of a cohort. Bad input saves
nothing and says why next to the field; the pages cost the same queries at 1x and 10x."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from curriculum.models import SessionKind
from feedback import services
from feedback.models import Evaluation, Form, FormPurpose, Question, Survey, SurveyPhase

from ..factories.curriculum import SessionFactory
from ..factories.feedback import FormFactory, QuestionFactory
from ..queries import assert_stable_queries
from .conftest import SESSION_END, answer_as

NOW = datetime.datetime(2026, 10, 1, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _forms_url(cast):
    return reverse("feedback:form_list", kwargs={"slug": cast.program.slug})


def _setup_url(cast, name="cohort_setup"):
    return reverse(f"feedback:{name}", kwargs={"code": cast.cohort.code})


def test_staff_add_a_question_to_the_bank_and_bad_input_saves_nothing(cast, client_for):
    client = client_for("staff")
    url = reverse("feedback:question_create", kwargs={"slug": cast.program.slug})
    one_option = client.post(url, {"kind": "single", "text": "Which part?", "choices": "Only"})
    assert one_option.status_code == 400
    assert "Give at least two options." in one_option.content.decode()
    four_labels = client.post(url, {"kind": "rating", "text": "Useful?", "labels": "a\nb\nc\nd"})
    assert "Give five labels, from 1 to 5." in four_labels.content.decode()
    assert Question.objects.count() == 0

    done = client.post(
        url, {"kind": "single", "text": "<b>Which part?</b>", "choices": "Talk\n\nQ&A\n"}
    )
    assert done.status_code == 302
    question = Question.objects.get()
    assert (question.program, question.choices) == (cast.program, ["Talk", "Q&A"])
    page = client.get(_forms_url(cast)).content.decode()
    assert "&lt;b&gt;Which part?&lt;/b&gt;" in page and "<b>Which part?</b>" not in page


def test_staff_build_a_form_from_the_bank(cast, client_for):
    rating, choice, comment = (
        QuestionFactory(program=cast.program, kind=kind)
        for kind in ("rating", "single", "long_text")
    )
    foreign = QuestionFactory(program=cast.other_program)
    client = client_for("staff")
    data = {
        "title": "After the seminar",
        "purpose": FormPurpose.EVALUATION,
        "anonymous": "on",
        "questions": [str(comment.pk), str(rating.pk), str(choice.pk)],
        "first": str(rating.pk),
        "optional": [str(comment.pk)],
    }
    # Bad input: nothing saved, each error next to its field.
    for bad, says in (
        ({"questions": []}, "Choose at least one question."),
        ({"first": str(rating.pk), "questions": [str(choice.pk)]}, "Choose one of the questions"),
        (
            {"optional": [str(rating.pk)], "questions": [str(choice.pk)], "first": ""},
            "Only questions ticked",
        ),
        ({"questions": [str(foreign.pk)]}, "Select a valid choice"),
        (
            {"purpose": FormPurpose.COACHING, "anonymous": ""},
            "Coaching feedback is always anonymous.",
        ),
    ):
        reply = client.post(_forms_url(cast), data | bad)
        assert reply.status_code == 400, bad
        assert says in reply.content.decode(), bad
    assert Form.objects.count() == 0

    assert client.post(_forms_url(cast), data).status_code == 302
    form = Form.objects.get()
    items = [(i.question_id, i.required) for i in form.items.order_by("position")]
    # The one asked first, then the bank's order; the comment optional.
    assert items[0] == (rating.pk, True)
    assert sorted(items[1:]) == sorted([(choice.pk, True), (comment.pk, False)])


def test_a_form_with_a_question_of_another_program_is_not_half_saved(cast):
    foreign = QuestionFactory(program=cast.other_program)
    own = QuestionFactory(program=cast.program)
    with pytest.raises(Exception, match="this program's bank"):
        services.form_create(
            program=cast.program,
            purpose=FormPurpose.SURVEY,
            title="Mixed",
            by=cast.staff,
            questions=[(own, True), (foreign, True)],
        )
    assert Form.objects.count() == 0


def test_an_unanswered_form_changes_an_answered_one_is_only_closed_or_copied(
    cast, client_for, session, evaluation
):
    client = client_for("staff")
    form = evaluation.form
    url = reverse("feedback:form_edit", kwargs={"code": form.code})
    items = list(form.items.order_by("position"))
    data = {
        "title": "After each monthly session",
        "anonymous": "on",
        "questions": [str(i.question_id) for i in items[:2]],
    }
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    form.refresh_from_db()
    assert form.title == "After each monthly session" and form.items.count() == 2

    answer_as(cast.fellow, form, key=f"session:{session.pk}", cohort=cast.cohort, session=session)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "can no longer change" in body and 'name="title"' not in body
    refused = client.post(url, data | {"title": "Changed after answers", "questions": []})
    assert refused.status_code == 409 and "can no longer change" in refused.content.decode()
    form.refresh_from_db()
    assert form.title == "After each monthly session" and form.items.count() == 2

    copied = client.post(reverse("feedback:form_copy", kwargs={"code": form.code}))
    copy = Form.objects.get(copied_from=form)
    assert copied["Location"] == reverse("feedback:form_edit", kwargs={"code": copy.code})
    assert list(copy.items.values_list("question_id", flat=True)) == list(
        form.items.values_list("question_id", flat=True)
    )
    assert 'name="title"' in client.get(copied["Location"]).content.decode()

    assert (
        client.post(reverse("feedback:form_close", kwargs={"code": form.code})).status_code == 302
    )
    form.refresh_from_db()
    assert form.is_closed


def test_staff_attach_an_evaluation_to_a_kind_or_one_session(cast, client_for, evaluation_form):
    client = client_for("staff")
    session = SessionFactory(cohort=cast.cohort, kind=SessionKind.SEMINAR, starts_at=SESSION_END)
    other_session = SessionFactory(cohort=cast.sibling_cohort, starts_at=SESSION_END)
    survey_form = FormFactory(program=cast.program, purpose=FormPurpose.SURVEY, kinds=["rating"])
    foreign = FormFactory(program=cast.other_program, kinds=["rating"])
    url = _setup_url(cast, "evaluation_attach")
    base = {"form": str(evaluation_form.pk), "open_days": "7", "remind_after_days": "2"}
    for bad, says in (
        ({}, "Choose a kind of session, or one session."),
        ({"session_kind": "monthly", "session": str(session.pk)}, "Choose a kind of session"),
        ({"session": str(other_session.pk)}, "Select a valid choice"),
        ({"session_kind": "monthly", "form": str(survey_form.pk)}, "Select a valid choice"),
        ({"session_kind": "monthly", "form": str(foreign.pk)}, "Select a valid choice"),
        ({"session_kind": "monthly", "remind_after_days": "7"}, "Remind before it closes."),
        ({"session_kind": "monthly", "open_days": "0"}, "greater than or equal to 1"),
    ):
        reply = client.post(url, base | bad)
        assert reply.status_code == 400, bad
        assert says in reply.content.decode(), bad
    assert Evaluation.objects.count() == 0

    assert client.post(url, base | {"session_kind": "monthly"}).status_code == 302
    assert client.post(url, base | {"session": str(session.pk)}).status_code == 302
    attached = {
        (e.session_id, e.session_kind) for e in Evaluation.objects.filter(cohort=cast.cohort)
    }
    assert attached == {(None, "monthly"), (session.pk, "")}
    page = client.get(_setup_url(cast)).content.decode()
    assert "every monthly online session" in page and session.title in page

    services.form_close(form=evaluation_form, by=cast.staff)
    closed = client.post(url, base | {"session_kind": "seminar"})
    assert closed.status_code == 400
    assert Evaluation.objects.count() == 2


def test_staff_open_survey_windows_at_start_midpoint_and_end(cast, client_for):
    client = client_for("staff")
    form = FormFactory(program=cast.program, purpose=FormPurpose.SURVEY, kinds=["rating"])
    url = _setup_url(cast, "survey_open")
    start = {
        "form": str(form.pk),
        "phase": SurveyPhase.START,
        "opens_on": "2026-09-01",
        "closes_on": "2026-09-20",
    }
    for bad, says in (
        ({"closes_on": "2026-08-20"}, "The window must close on or after it opens."),
        ({"opens_on": "2025-09-01"}, "Open the survey while the cohort runs."),
        ({"opens_on": "not a date"}, "Enter a valid date."),
        ({"phase": "whenever"}, "Select a valid choice"),
    ):
        reply = client.post(url, start | bad)
        assert reply.status_code == 400, bad
        assert says in reply.content.decode(), bad
    assert Survey.objects.count() == 0

    assert client.post(url, start).status_code == 302
    again = client.post(url, start | {"opens_on": "2026-09-05"})
    assert again.status_code == 400
    assert "already has a survey for that moment" in again.content.decode()
    middle = start | {"phase": "midpoint", "opens_on": "2027-02-01", "closes_on": "2027-02-14"}
    end = start | {"phase": "end", "opens_on": "2027-08-01", "closes_on": "2027-08-31"}
    assert client.post(url, middle).status_code == 302
    assert client.post(url, end).status_code == 302
    assert sorted(Survey.objects.values_list("phase", flat=True)) == ["end", "midpoint", "start"]


def test_set_up_pages_cost_the_same_queries_at_1x_and_10x(cast, client_for):
    client = client_for("staff")
    n = {"i": 0}

    def grow(times):
        for _ in range(times):
            n["i"] += 1
            form = FormFactory(program=cast.program, kinds=["rating", "single"])
            survey_form = FormFactory(program=cast.program, purpose=FormPurpose.SURVEY)
            session = SessionFactory(
                cohort=cast.cohort, starts_at=NOW + datetime.timedelta(days=n["i"])
            )
            services.evaluation_attach(
                form=form, cohort=cast.cohort, session=session, by=cast.staff
            )
            if n["i"] <= 2:
                services.survey_open(
                    form=survey_form,
                    cohort=cast.cohort,
                    phase=["midpoint", "end"][n["i"] - 1],
                    opens_on=datetime.date(2027, 1 + n["i"], 1),
                    closes_on=datetime.date(2027, 1 + n["i"], 10),
                    by=cast.staff,
                )

    grow(1)
    for url in (_forms_url(cast), _setup_url(cast)):
        count = assert_stable_queries(lambda url=url: client.get(url), grow)
        assert count <= 12, url

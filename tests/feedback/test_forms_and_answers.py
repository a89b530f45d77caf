"""Question types, forms, answers: the generic side of the app (step 1 of the issue)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from feedback import selectors, services
from feedback.models import (
    Answer,
    Form,
    FormPurpose,
    QuestionKind,
    Receipt,
    Response,
)
from feedback.occasions import Occasion

from ..factories.feedback import FormFactory, QuestionFactory
from .conftest import answers_for

NOW = datetime.datetime(2026, 10, 14, 15, 0, tzinfo=datetime.UTC)


def _occasion(form, cast, key="session:1"):
    return Occasion(form=form, key=key, cohort_id=cast.cohort.pk, title="A session")


def _submit(form, cast, person, **answers):
    items = list(form.items.select_related("question"))
    cleaned = selectors.clean_answers(items, answers_for(form, **answers), require=True)
    return services.response_submit(
        occasion=_occasion(form, cast), by=person, answers=cleaned, complete=True, now=NOW
    )


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        (QuestionKind.RATING, "5", {"number": 5}),
        (QuestionKind.NPS, "0", {"number": 0}),
        (QuestionKind.NPS, "10", {"number": 10}),
        (QuestionKind.SINGLE, "Too long", {"picked": ["Too long"]}),
        (QuestionKind.MULTIPLE, ["Too long", "Too short"], {"picked": ["Too short", "Too long"]}),
        (QuestionKind.SHORT_TEXT, "  Clear  ", {"text": "Clear"}),
        (QuestionKind.LONG_TEXT, "Line one", {"text": "Line one"}),
    ],
)
def test_each_question_kind_keeps_a_valid_answer(cast, kind, raw, stored):
    question = QuestionFactory(program=cast.program, kind=kind)
    assert selectors.clean_answer(question, raw) == stored


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (QuestionKind.RATING, "0"),
        (QuestionKind.RATING, "6"),
        (QuestionKind.NPS, "11"),
        (QuestionKind.NPS, "-1"),
        (QuestionKind.SINGLE, "Something else"),
        (QuestionKind.SINGLE, ["Too long", "Too short"]),
        (QuestionKind.MULTIPLE, ["Too long", "<script>"]),
        (QuestionKind.SHORT_TEXT, "x" * 201),
        (QuestionKind.LONG_TEXT, "x" * 2001),
    ],
)
def test_answers_outside_the_question_are_refused(cast, kind, raw):
    question = QuestionFactory(program=cast.program, kind=kind)
    with pytest.raises(ValidationError):
        selectors.clean_answer(question, raw)


def test_a_rating_has_five_labels_and_a_choice_two_options(cast):
    rating = services.question_create(
        program=cast.program, kind=QuestionKind.RATING, text="Pace", by=cast.staff
    )
    assert [label for _v, label in rating.scale] == [
        "Poor",
        "Fair",
        "Good",
        "Very good",
        "Excellent",
    ]
    with pytest.raises(ValidationError) as exc:
        services.question_create(
            program=cast.program,
            kind=QuestionKind.RATING,
            text="Pace",
            labels=["Low", "High"],
            by=cast.staff,
        )
    assert "labels" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.question_create(
            program=cast.program,
            kind=QuestionKind.SINGLE,
            text="Format",
            choices=["Online"],
            by=cast.staff,
        )
    assert "choices" in exc.value.message_dict
    nps = services.question_create(
        program=cast.program, kind=QuestionKind.NPS, text="Recommend?", by=cast.staff
    )
    assert [v for v, _label in nps.scale] == list(range(11))


def test_required_questions_must_be_answered_optional_ones_not(cast, evaluation_form):
    items = list(evaluation_form.items.select_related("question"))
    with pytest.raises(ValidationError) as exc:
        selectors.clean_answers(items, {}, require=True)
    required = {f"q{i.question_id}" for i in items if i.required}
    assert set(exc.value.message_dict) == required
    optional = [i for i in items if not i.required]
    assert optional and optional[0].question.kind == QuestionKind.LONG_TEXT


def test_a_form_uses_only_its_own_programs_bank(cast):
    foreign = QuestionFactory(program=cast.other_program)
    with pytest.raises(ValidationError):
        services.form_create(
            program=cast.program,
            purpose=FormPurpose.SURVEY,
            title="Start survey",
            questions=[(foreign, True)],
            by=cast.staff,
        )
    assert not Form.objects.filter(title="Start survey").exists()


def test_coaching_feedback_is_always_anonymous(cast):
    with pytest.raises(ValidationError):
        services.form_create(
            program=cast.program,
            purpose=FormPurpose.COACHING,
            title="Your coaching",
            anonymous=False,
            by=cast.staff,
        )


def test_an_anonymous_answer_has_no_link_to_the_person(cast, evaluation_form):
    _submit(evaluation_form, cast, cast.fellow, rating=2, comment="Too fast for me")
    response = Response.objects.get(form=evaluation_form)
    assert response.respondent_id is None
    # Looking at the table itself: no column holds the person, nor a time to match receipts.
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, Response._meta.db_table)
        ]
        cursor.execute("SELECT * FROM " + Response._meta.db_table)
        (stored,) = cursor.fetchall()
    assert set(columns) == {
        "id",
        "form_id",
        "respondent_id",
        "cohort_id",
        "session_id",
        "coach_id",
        "survey_id",
        "complete",
    }
    assert stored[columns.index("respondent_id")] is None
    # Keys are random: the order of answers says nothing of who answered when.
    assert isinstance(response.pk, type(Answer.objects.first().pk))
    assert not any(f.name in {"created_at", "updated_at"} for f in Response._meta.fields)
    assert not any(f.name in {"created_at", "updated_at"} for f in Answer._meta.fields)
    # Who answered is known (for reminders), not what they said.
    receipt = Receipt.objects.get(form=evaluation_form)
    assert receipt.person == cast.fellow
    assert {f.name for f in Receipt._meta.fields} == {
        "id",
        "form",
        "person",
        "occasion",
        "answered_on",
    }


def test_a_named_survey_keeps_the_person(cast):
    form = FormFactory(
        program=cast.program, purpose=FormPurpose.SURVEY, anonymous=False, kinds=["rating"]
    )
    item = form.items.get()
    services.response_submit(
        occasion=_occasion(form, cast, "survey:1"),
        by=cast.fellow,
        answers={item.question_id: {"number": 3}},
        complete=True,
        now=NOW,
    )
    assert Response.objects.get(form=form).respondent == cast.fellow


def test_a_second_submission_records_nothing(cast, evaluation_form):
    _submit(evaluation_form, cast, cast.fellow, rating=5)
    with pytest.raises(services.AlreadyAnswered):
        _submit(evaluation_form, cast, cast.fellow, rating=1)
    assert Response.objects.filter(form=evaluation_form).count() == 1
    numbers = Answer.objects.filter(response__form=evaluation_form, number__isnull=False)
    assert list(numbers.values_list("number", flat=True)) == [5]
    # Another person, or another occasion, still answers.
    _submit(evaluation_form, cast, cast.peer, rating=3)
    assert Response.objects.filter(form=evaluation_form).count() == 2


def test_an_answered_form_cannot_change_only_close_or_copy(cast, evaluation_form):
    services.form_update(form=evaluation_form, by=cast.staff, title="Renamed before answers")
    _submit(evaluation_form, cast, cast.fellow)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.form_update(form=evaluation_form, by=cast.staff, title="Renamed after")
    with pytest.raises(ValidationError):
        services.form_update(
            form=evaluation_form, by=cast.staff, title="Renamed before answers", questions=[]
        )
    evaluation_form.refresh_from_db()
    assert evaluation_form.title == "Renamed before answers"
    assert evaluation_form.items.count() == 3

    copy = services.form_copy(form=evaluation_form, by=cast.staff)
    assert list(copy.items.values_list("question_id", "required")) == list(
        evaluation_form.items.values_list("question_id", "required")
    )
    services.form_update(form=copy, by=cast.staff, title="Shorter", questions=[])
    assert copy.items.count() == 0

    services.form_close(form=evaluation_form, by=cast.staff, now=NOW)
    evaluation_form.refresh_from_db()
    assert evaluation_form.is_closed


def test_the_admin_shows_an_answered_form_read_only_and_never_the_answers(
    cast, evaluation_form, client_for
):
    from django.contrib.admin.sites import site

    from feedback.models import Answer, Receipt, Response

    assert not any(m in site._registry for m in (Answer, Receipt, Response))
    admin = client_for("admin")
    url = f"/admin/feedback/form/{evaluation_form.pk}/change/"
    assert 'name="title"' in admin.get(url).content.decode()
    _submit(evaluation_form, cast, cast.fellow)
    page = admin.get(url).content.decode()
    assert 'name="title"' not in page and evaluation_form.title in page

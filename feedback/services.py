"""Writes of the feedback app: the question bank, forms, evaluations and surveys, answers."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.updates import model_update
from audit.services import record
from cohorts.models import Cohort, Program
from curriculum.models import Session

from .models import (
    Answer,
    Evaluation,
    Form,
    FormPurpose,
    FormQuestion,
    Question,
    Receipt,
    Response,
    Survey,
)
from .occasions import Occasion
from .selectors import has_answers


class AlreadyAnswered(Exception):
    """A second answer to the same form on the same occasion: nothing recorded."""


# --- the question bank and forms ---------------------------------------------------------


@transaction.atomic
def question_create(
    *,
    program: Program,
    kind: str,
    text: str,
    by: User | None,
    help_text: str = "",
    choices: Iterable[str] = (),
    labels: Iterable[str] = (),
) -> Question:
    question = Question(
        program=program,
        kind=kind,
        text=text,
        help_text=help_text,
        choices=list(choices),
        labels=list(labels),
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def form_create(
    *,
    program: Program,
    purpose: str,
    title: str,
    by: User | None,
    questions: Sequence[tuple[Question, bool]] = (),
    anonymous: bool = True,
    intro: str = "",
) -> Form:
    form = Form(program=program, purpose=purpose, title=title, anonymous=anonymous, intro=intro)
    form.full_clean()
    form.save()
    _set_questions(form, questions)
    record(action="feedback.form_created", by=by, target=form, program=program.pk)
    return form


def _set_questions(form: Form, questions: Iterable[tuple[Question, bool]]) -> None:
    items = []
    for position, (question, required) in enumerate(questions):
        if question.program_id != form.program_id:
            raise ValidationError({"questions": "Use questions of this program's bank."})
        items.append(
            FormQuestion(form=form, question=question, position=position, required=required)
        )
    if len({item.question_id for item in items}) != len(items):
        raise ValidationError({"questions": "Each question may appear once."})
    FormQuestion.objects.bulk_create(items)


@transaction.atomic
def form_update(
    *,
    form: Form,
    by: User | None,
    title: str,
    intro: str = "",
    questions: Sequence[tuple[Question, bool]] | None = None,
    anonymous: bool | None = None,
) -> Form:
    """Changes a form nobody has answered yet; once answered it can only be closed or copied,
    so every answer keeps the question it was given to."""
    form = Form.objects.select_for_update().get(pk=form.pk)
    if has_answers(form):
        raise ValidationError(
            "People have answered this form, so it can no longer change. Close it, or copy it "
            "and change the copy."
        )
    changes: dict[str, object] = {"title": title, "intro": intro}
    if anonymous is not None:
        changes["anonymous"] = anonymous
    model_update(form, data=changes)
    if questions is not None:
        form.items.all().delete()
        _set_questions(form, questions)
    return form


@transaction.atomic
def form_close(*, form: Form, by: User | None, now: datetime.datetime | None = None) -> Form:
    if form.closed_at is None:
        form.closed_at = now or timezone.now()
        form.save(update_fields=["closed_at", "updated_at"])
        record(action="feedback.form_closed", by=by, target=form, program=form.program_id)
    return form


@transaction.atomic
def form_copy(*, form: Form, by: User | None, title: str = "") -> Form:
    """A new, unanswered form with the same questions (the bank's rows, so results still
    compare across the two)."""
    copy = Form.objects.create(
        program_id=form.program_id,
        purpose=form.purpose,
        title=title or f"{form.title} (copy)",
        intro=form.intro,
        anonymous=form.anonymous,
        copied_from=form,
    )
    FormQuestion.objects.bulk_create(
        FormQuestion(form=copy, question_id=i.question_id, position=i.position, required=i.required)
        for i in form.items.all()
    )
    record(action="feedback.form_copied", by=by, target=copy, program=form.program_id)
    return copy


@transaction.atomic
def evaluation_attach(
    *,
    form: Form,
    cohort: Cohort,
    by: User | None,
    session: Session | None = None,
    session_kind: str = "",
    open_days: int = 7,
    remind_after_days: int = 2,
) -> Evaluation:
    if form.purpose != FormPurpose.EVALUATION:
        raise ValidationError({"form": "Choose a session evaluation form."})
    if form.program_id != cohort.program_id:
        raise ValidationError({"form": "That form belongs to another program."})
    if form.is_closed:
        raise ValidationError({"form": "That form is closed: copy it to use it again."})
    evaluation = Evaluation(
        form=form,
        cohort=cohort,
        session=session,
        session_kind=session_kind,
        open_days=open_days,
        remind_after_days=remind_after_days,
        created_by=by,
    )
    evaluation.full_clean()
    evaluation.save()
    record(action="feedback.evaluation_attached", by=by, target=evaluation, program=form.program_id)
    return evaluation


@transaction.atomic
def survey_open(
    *,
    form: Form,
    cohort: Cohort,
    phase: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    by: User | None,
) -> Survey:
    if form.purpose != FormPurpose.SURVEY:
        raise ValidationError({"form": "Choose a program survey form."})
    if form.program_id != cohort.program_id:
        raise ValidationError({"form": "That form belongs to another program."})
    if form.is_closed:
        raise ValidationError({"form": "That form is closed: copy it to use it again."})
    # Locks the cohort's surveys so two staff opening the same phase cannot both succeed.
    taken = Survey.objects.select_for_update().filter(cohort=cohort, phase=phase)
    if taken.exists():
        raise ValidationError({"phase": "This cohort already has a survey for that moment."})
    if opens_on and (opens_on < cohort.start_date or opens_on > cohort.end_date):
        raise ValidationError({"opens_on": "Open the survey while the cohort runs."})
    survey = Survey(form=form, cohort=cohort, phase=phase, opens_on=opens_on, closes_on=closes_on)
    survey.full_clean()
    survey.save()
    record(action="feedback.survey_opened", by=by, target=survey, program=form.program_id)
    return survey


# --- answers --------------------------------------------------------------------------------


@transaction.atomic
def response_submit(
    *,
    occasion: Occasion,
    by: User,
    answers: dict[int, dict],
    complete: bool,
    now: datetime.datetime,
) -> Response:
    """Records the answers of `by`, the person answering, on one occasion, once: the
    receipt's unique key makes a second submission (two tabs, a double click, a reused
    link) record nothing."""
    form = occasion.form
    try:
        with transaction.atomic():
            Receipt.objects.create(
                form=form,
                person=by,
                occasion=occasion.key,
                answered_on=now.date(),
            )
    except IntegrityError:
        raise AlreadyAnswered("You have already answered. Thank you.") from None
    response = Response.objects.create(
        form=form,
        respondent=None if form.anonymous else by,
        cohort_id=occasion.cohort_id,
        session=occasion.session,
        coach_id=occasion.coach_id,
        survey=occasion.survey,
        complete=complete,
    )
    _save_answers(response, answers)
    return response


def _save_answers(response: Response, answers: dict[int, dict]) -> None:
    Answer.objects.bulk_create(
        Answer(response=response, question_id=question_id, **fields)
        for question_id, fields in answers.items()
    )


@transaction.atomic
def response_complete(*, response: Response, answers: dict[int, dict]) -> Response:
    """The rest of a form whose first answer came from a one-click link; once only."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.complete:
        raise AlreadyAnswered("You have already answered the rest of this form. Thank you.")
    given = set(response.answers.values_list("question_id", flat=True))
    _save_answers(response, {q: f for q, f in answers.items() if q not in given})
    response.complete = True
    response.save(update_fields=["complete"])
    return response

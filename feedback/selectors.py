"""Reads of the results pages, each with its queries decided here."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat

from accounts import questions
from accounts.models import User
from coaching.models import CoachingSession, SessionStatus
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program
from curriculum.models import Session

from . import results
from .models import (
    Evaluation,
    Form,
    FormPurpose,
    FormQuestion,
    Question,
    Receipt,
    Response,
    Survey,
)
from .occasions import session_recipients


def session_page(session: Session) -> dict:
    responses = results.responses_of_session(session)
    asked = session_recipients(session).count()
    blocks = results.form_results(responses)
    for block in blocks:
        block.asked = asked
    return {"session": session, "cohort": session.cohort, "blocks": blocks}


def kind_page(cohort: Cohort, kind: str) -> dict:
    responses = results.responses_of_kind(cohort, kind)
    sessions = list(
        Session.objects.filter(cohort=cohort, kind=kind)
        .annotate(answers=Count("feedback_responses"))
        .order_by("starts_at")
    )
    asked = results.asked_through_ledger(
        responses.values_list("form_id", flat=True), [f"session:{s.pk}" for s in sessions]
    )
    return {
        "cohort": cohort,
        "kind": kind,
        "sessions": sessions,
        "blocks": results.form_results(responses, asked=asked),
    }


def cohort_page(cohort: Cohort) -> dict:
    responses = results.responses_of_cohort(cohort)
    sessions = list(
        Session.objects.filter(cohort=cohort)
        .annotate(answers=Count("feedback_responses"))
        .filter(Q(answers__gt=0) | Q(feedback_evaluations__isnull=False))
        .distinct()
        .order_by("starts_at")
    )
    fellows = Enrollment.objects.filter(
        cohort=cohort, status__in=EnrollmentStatus.with_cohort_access()
    )
    asked = results.asked_through_ledger(
        responses.filter(survey=None, coach=None).values_list("form_id", flat=True),
        [f"session:{s.pk}" for s in sessions],
    )
    blocks = results.form_results(responses, asked=asked, names=True)
    surveyed = [b for b in blocks if b.phase]
    if surveyed:
        count = fellows.count()
        for block in surveyed:
            block.asked = count
    return {
        "cohort": cohort,
        "sessions": sessions,
        "blocks": blocks,
        "comparison": results.start_vs_end(blocks),
    }


def program_page(program: Program) -> dict:
    cohorts = list(program.cohorts.order_by("start_date"))
    coaching = Response.objects.filter(cohort__program=program).exclude(coach=None)
    return {
        "program": program,
        "cohorts": cohorts,
        "years": results.year_over_year(program, cohorts),
        "coaches": results.coach_figures(coaching),
    }


def own_coaching_page(coach: User) -> dict:
    rows = results.coach_figures(Response.objects.filter(coach=coach))
    sessions = CoachingSession.objects.filter(coach=coach, status=SessionStatus.COMPLETED).count()
    return {"row": rows[0] if rows else None, "sessions": sessions}


# --- staff set-up pages -----------------------------------------------------------------------


def bank_of(program: Program) -> list[Question]:
    return list(Question.objects.filter(program=program).order_by("text"))


def forms_of(program: Program) -> list[Form]:
    """The program's forms, each with its number of questions and whether anyone answered
    (one query)."""
    return list(
        Form.objects.filter(program=program)
        .annotate(
            n_questions=Count("items", distinct=True),
            answered=Exists(Receipt.objects.filter(form=OuterRef("pk"))),
        )
        .order_by("closed_at", "purpose", "title")
    )


def open_forms(program: Program, purpose: str) -> list[Form]:
    return list(
        Form.objects.filter(program=program, purpose=purpose, closed_at__isnull=True).order_by(
            "title"
        )
    )


def cohort_setup_page(cohort: Cohort) -> dict:
    """The cohort's evaluations and surveys, and the choices of the two forms (four
    queries whatever their number)."""
    evaluations = list(
        Evaluation.objects.filter(cohort=cohort)
        .select_related("form", "session")
        .order_by("session_kind", "session__starts_at", "pk")
    )
    surveys = list(
        Survey.objects.filter(cohort=cohort)
        .select_related("form")
        .annotate(answers=Count("form__receipts", filter=_survey_receipts(), distinct=True))
        .order_by("opens_on")
    )
    forms = list(
        Form.objects.filter(
            program_id=cohort.program_id,
            purpose__in=[FormPurpose.EVALUATION, FormPurpose.SURVEY],
            closed_at__isnull=True,
        ).order_by("title")
    )
    sessions = list(Session.objects.scheduled().filter(cohort=cohort).order_by("starts_at"))
    return {
        "cohort": cohort,
        "evaluations": evaluations,
        "surveys": surveys,
        "evaluation_forms": [f for f in forms if f.purpose == FormPurpose.EVALUATION],
        "survey_forms": [f for f in forms if f.purpose == FormPurpose.SURVEY],
        "sessions": sessions,
    }


def _survey_receipts() -> Q:
    # A survey's answers: receipts of its form whose occasion is "survey:<its id>".
    return Q(form__receipts__occasion=Concat(Value("survey:"), F("pk"), output_field=CharField()))


def breakdown_page(cohort: Cohort) -> dict:
    """The cohort's named answers, question by question, for the demographic breakdown the
    outcomes app draws on this page; and which anonymous forms are left out."""
    responses = results.responses_of_cohort(cohort)
    return {
        "cohort": cohort,
        "breakdowns": results.named_breakdowns(responses),
        "anonymous_forms": results.anonymous_forms(responses),
    }


def has_answers(form: Form) -> bool:
    return Receipt.objects.filter(form=form).exists() or form.responses.exists()


# --- answers as posted -------------------------------------------------------------------


def clean_answer(question: Question, raw: object) -> dict | None:
    """The stored fields of one answer from what was posted (a string, or a list for multiple
    choice); None when left empty. ValidationError names what is wrong. The rules are those
    of every question type (accounts.questions)."""
    return questions.clean_answer(question, raw)


def clean_answers(items: Iterable[FormQuestion], raw: dict, *, require: bool) -> dict[int, dict]:
    """{question id: stored fields} for the form items, or ValidationError keyed by the
    field name `q<question id>`."""
    cleaned, errors = {}, {}
    for item in items:
        name = f"q{item.question_id}"
        try:
            value = clean_answer(item.question, raw.get(name))
        except ValidationError as exc:
            errors[name] = exc.messages
            continue
        if value is None:
            if require and item.required:
                errors[name] = ["Please answer this question."]
            continue
        cleaned[item.question_id] = value
    if errors:
        raise ValidationError(errors)
    return cleaned

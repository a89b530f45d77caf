"""Reads of admissions: the pages' lists, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Greatest
from django.http import QueryDict

from accounts.models import User
from accounts.questions import AnswerInput, QuestionKind, answer_input
from cohorts.geography import StateOrTerritory
from cohorts.models import Program, Sector

from .models import (
    ANSWER_LENGTH,
    Application,
    ApplicationRound,
    ApplicationStatus,
    Outcome,
    ReferenceRequest,
    ReviewAssignment,
    ReviewerSeat,
    RoundQuestion,
    RubricCriterion,
)

# What an applicant's form holds about them besides the answers (services.application_save).
PROFILE_FIELDS = ["state", "agency", "title", "sector"]


def rounds_of_program(program: Program) -> QuerySet[ApplicationRound]:
    return (
        ApplicationRound.objects.filter(cohort__program=program)
        .select_related("cohort")
        .annotate(
            submitted=Count("applications", filter=~Q(applications__status=ApplicationStatus.DRAFT))
        )
        .order_by("-opens_at")
    )


def round_overview(round_: ApplicationRound) -> dict[str, Any]:
    counts = dict(
        Application.objects.filter(round=round_)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    seats = list(
        ReviewerSeat.objects.filter(round=round_)
        .select_related("user")
        .annotate(
            load=Count("assignments", distinct=True),
            done=Count(
                "assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True
            ),
            conflicted=Count("conflicts", distinct=True),
        )
    )
    unassigned = (
        Application.objects.filter(round=round_, status=ApplicationStatus.SUBMITTED)
        .annotate(n=Count("assignments"))
        .filter(n__lt=round_.reviewers_per_application)
        .count()
    )
    return {
        "drafts": counts.get(ApplicationStatus.DRAFT, 0),
        "submitted": counts.get(ApplicationStatus.SUBMITTED, 0),
        "decided": counts.get(ApplicationStatus.DECIDED, 0),
        "seats": seats,
        "short_of_reviewers": unassigned,
    }


def _spread(field: str) -> Func:
    """The population standard deviation of a column, NULLs (scores not given yet) left out.
    Not `StdDev`: on SQLite Django computes it in Python and fails on a NULL, which a LEFT
    JOIN gives for every application no reviewer has scored."""
    square = ExpressionWrapper(F(field) * F(field), output_field=FloatField())
    variance = Avg(square) - Avg(field, output_field=FloatField()) * Avg(
        field, output_field=FloatField()
    )
    # Rounding can leave a variance of zero a hair below it, where a square root has no answer.
    return Func(Greatest(variance, Value(0.0)), function="SQRT", output_field=FloatField())


def ranking(round_: ApplicationRound) -> list[Application]:
    """Submitted and decided applications, best weighted mean first; the spread (standard
    deviation between reviewers) shows where reviewers disagree."""
    return list(
        Application.objects.filter(round=round_)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("applicant", "decision")
        .annotate(
            mean=Avg("assignments__weighted_score"),
            spread=_spread("assignments__weighted_score"),
            reviews=Count("assignments", filter=Q(assignments__submitted_at__isnull=False)),
            letters=Count("references", filter=Q(references__received_at__isnull=False)),
        )
        .order_by(F("mean").desc(nulls_last=True), "submitted_at", "pk")
    )


def accepted_mix(round_: ApplicationRound) -> dict[str, Any]:
    """States, sectors and agencies of the accept list so far (one query)."""
    rows = Application.objects.filter(round=round_, decision__outcome=Outcome.ACCEPT).values_list(
        "state", "sector", "agency"
    )
    states: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    agencies: Counter[str] = Counter()
    for state, sector, agency in rows:
        states[StateOrTerritory(state).label] += 1
        sectors[Sector(sector).label] += 1
        agencies[agency] += 1
    return {
        "states": states.most_common(),
        "sectors": sectors.most_common(),
        "agencies": agencies.most_common(),
        "total": sum(states.values()),
    }


def assignments_of_seat(seat: ReviewerSeat) -> list[ReviewAssignment]:
    return list(
        ReviewAssignment.objects.filter(seat=seat)
        .select_related("application__applicant")
        .order_by("submitted_at", "application__submitted_at", "pk")
    )


def application_for_committee(application: Application) -> Application:
    return (
        Application.objects.filter(pk=application.pk)
        .select_related("round__cohort__program", "applicant", "decision")
        .prefetch_related(
            "references",
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related("seat__user").order_by("pk"),
            ),
            "conflicts__seat__user",
        )
        .get()
    )


def shown_answer(value: object) -> str:
    """An answer as text: the options picked are listed, a rating is its number."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def answered_questions(
    application: Application, questions: Iterable[RoundQuestion]
) -> list[tuple[RoundQuestion, str]]:
    return [(q, shown_answer(application.answers.get(str(q.pk)))) for q in questions]


# --- The applicant's form -------------------------------------------------------------------


def has_verified_email(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def own_application(round_: ApplicationRound, user: User) -> Application | None:
    return Application.objects.filter(round=round_, applicant=user).first()


def application_initial(user: User, application: Application | None) -> dict[str, object]:
    """What the applicant's form starts with: their name, and their draft's details."""
    initial: dict[str, object] = {"full_name": user.full_name}
    if application is not None:
        initial.update({name: getattr(application, name) for name in PROFILE_FIELDS})
    return initial


def posted_answers(questions: Iterable[RoundQuestion], data: QueryDict) -> dict[str, object]:
    """{`q<id>`: what was posted}: a list for multiple choice, else one string."""
    return {
        q.field_name: data.getlist(q.field_name)
        if q.kind == QuestionKind.MULTIPLE
        else data.get(q.field_name, "")
        for q in questions
    }


@dataclass(frozen=True)
class QuestionField:
    question: RoundQuestion
    input: AnswerInput
    errors: list[str]

    @property
    def name(self) -> str:
        return self.question.field_name


@dataclass(frozen=True)
class ApplyPage:
    """What the applicant's form shows: each question with its answer so far (or what was
    just posted) and its errors, whether the round takes changes now, whether the address
    is confirmed, and the referees named."""

    application: Application | None
    fields: list[QuestionField]
    is_open: bool
    verified: bool
    references: list[ReferenceRequest] = field(default_factory=list)


def apply_page(
    *,
    round_: ApplicationRound,
    user: User,
    application: Application | None,
    now: datetime.datetime,
    posted: Mapping[str, object] | None = None,
    errors: Mapping[str, list[str]] | None = None,
) -> ApplyPage:
    questions = list(round_.questions.all())
    saved = application.answers if application is not None else {}
    errors = errors or {}
    fields = [
        QuestionField(
            question=q,
            input=answer_input(
                q,
                posted.get(q.field_name) if posted is not None else saved.get(str(q.pk)),
                long_text=ANSWER_LENGTH,
            ),
            errors=list(errors.get(q.field_name, [])),
        )
        for q in questions
    ]
    return ApplyPage(
        application=application,
        fields=fields,
        is_open=round_.is_open_at(now),
        verified=has_verified_email(user),
        references=list(application.references.all()) if application is not None else [],
    )


# --- The round's questions and rubric -------------------------------------------------------


def answered_question_ids(round_: ApplicationRound) -> set[str]:
    """Ids (as text) of the round's questions some application answered (one query)."""
    ids: set[str] = set()
    rows = Application.objects.filter(round=round_).exclude(answers={}).values_list("answers")
    for (answers,) in rows.iterator(chunk_size=500):
        ids.update(answers)
    return ids


def scored_criterion_ids(round_: ApplicationRound) -> set[str]:
    """Ids (as text) of the round's criteria some reviewer scored on (one query)."""
    ids: set[str] = set()
    rows = ReviewAssignment.objects.filter(
        application__round=round_, submitted_at__isnull=False
    ).values_list("scores")
    for (scores,) in rows.iterator(chunk_size=500):
        ids.update(scores)
    return ids


@dataclass(frozen=True)
class RoundItem:
    """A question or criterion on the staff list, and whether answers or scores hold it."""

    item: RoundQuestion | RubricCriterion
    in_use: bool
    first: bool
    last: bool


def _items(items: list[Any], used: set[str]) -> list[RoundItem]:
    return [
        RoundItem(item=x, in_use=str(x.pk) in used, first=i == 0, last=i == len(items) - 1)
        for i, x in enumerate(items)
    ]


def round_questions(round_: ApplicationRound) -> list[RoundItem]:
    return _items(list(round_.questions.all()), answered_question_ids(round_))


def round_criteria(round_: ApplicationRound) -> list[RoundItem]:
    return _items(list(round_.criteria.all()), scored_criterion_ids(round_))


# --- Where people without another role start ------------------------------------------------


def seats_of_user(user: User) -> list[ReviewerSeat]:
    """The rounds this person reviews in, latest first."""
    return list(
        ReviewerSeat.objects.filter(user=user)
        .select_related("round__cohort")
        .annotate(load=Count("assignments"))
        .order_by("-round__opens_at")
    )


def applications_of_user(user: User) -> list[Application]:
    return list(
        Application.objects.filter(applicant=user)
        .select_related("round__cohort")
        .order_by("-round__opens_at")
    )

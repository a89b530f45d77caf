import datetime

import pytest

from curriculum.models import SessionKind
from feedback import selectors, services

from ..factories.curriculum import SessionFactory
from ..factories.feedback import FormFactory

UTC = datetime.UTC
# A monthly session of the current cohort (1 Sep 2026 – 31 Aug 2027, New York): it ends on
# Tuesday 13 October 2026 at 18:30 UTC (14:30 in New York).
SESSION_START = datetime.datetime(2026, 10, 13, 17, 0, tzinfo=UTC)
SESSION_END = SESSION_START + datetime.timedelta(minutes=90)


@pytest.fixture
def session(cast):
    return SessionFactory(
        cohort=cast.cohort,
        kind=SessionKind.MONTHLY,
        title="Monthly session: Systems thinking",
        starts_at=SESSION_START,
    )


@pytest.fixture
def evaluation_form(cast):
    """Anonymous: a 1–5 rating first (the one-click question), a choice, a comment."""
    return FormFactory(
        program=cast.program,
        title="After the monthly session",
        kinds=["rating", "single", "long_text"],
    )


@pytest.fixture
def evaluation(cast, evaluation_form):
    return services.evaluation_attach(
        form=evaluation_form,
        cohort=cast.cohort,
        session_kind=SessionKind.MONTHLY,
        by=cast.staff,
        open_days=7,
        remind_after_days=2,
    )


def answers_for(form, *, rating=4, choice="About right", comment=""):
    """Answers to every question of a FormFactory(kinds=["rating", "single", "long_text"])."""
    raw = {}
    for item in form.items.select_related("question"):
        kind = item.question.kind
        raw[f"q{item.question_id}"] = {
            "rating": str(rating),
            "nps": "9",
            "single": choice,
            "multiple": [choice],
            "short_text": comment,
            "long_text": comment,
        }.get(kind, "")
    return raw


def answer_as(person, form, *, key, cohort, session=None, survey=None, coach=None, **values):
    """Records `person`'s answers through the service (no occasion rules: tests set the scene)."""
    from feedback.occasions import Occasion

    items = list(form.items.select_related("question"))
    cleaned = selectors.clean_answers(items, answers_for(form, **values), require=True)
    return services.response_submit(
        occasion=Occasion(
            form=form,
            key=key,
            cohort_id=cohort.pk,
            title="",
            session=session,
            survey=survey,
            coach_id=coach.pk if coach else None,
        ),
        by=person,
        answers=cleaned,
        complete=True,
        now=SESSION_END,
    )


def many_fellows(cohort, n):
    from ..factories.cohorts import EnrollmentFactory

    return [EnrollmentFactory(cohort=cohort, status="active").user for _ in range(n)]

"""Permission matrix of the feedback URLs. Answering: a fellow the form is for (who attended
the session, or any active fellow when no attendance was taken); everyone else is told there
is nothing to answer (404). One-click and continue links need no sign-in: the signed link is
the key, whoever holds it. Results: program staff (and a coach for their own figures)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from curriculum.models import SessionKind
from feedback import links, services
from feedback.models import Form

from ..factories.curriculum import SessionFactory
from ..factories.feedback import FormFactory
from . import Case, all_roles

FELLOWS_OF_COHORT = {"fellow": 200, "peer": 200, "classmate": 200}


def _evaluated_session(cast):
    """A monthly session of the current cohort that ended an hour ago, with its evaluation."""
    form = Form.objects.filter(program=cast.program, title="Matrix evaluation").first()
    if form is None:
        form = FormFactory(
            program=cast.program, title="Matrix evaluation", kinds=["rating", "long_text"]
        )
        services.evaluation_attach(
            form=form, cohort=cast.cohort, session_kind=SessionKind.MONTHLY, by=cast.staff
        )
    now = timezone.now()
    session = SessionFactory(
        cohort=cast.cohort,
        kind=SessionKind.MONTHLY,
        starts_at=now - datetime.timedelta(hours=2, minutes=30),
    )
    return form, session


def _answer(cast):
    form, session = _evaluated_session(cast)
    return {"code": form.code, "occasion": f"session:{session.pk}"}


def _one_click(cast):
    form, session = _evaluated_session(cast)
    item = form.items.order_by("position").first()
    token = links.one_click_token(
        person_id=cast.fellow.pk,
        form_id=form.pk,
        occasion=f"session:{session.pk}",
        question_id=item.question_id,
        value=4,
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    return {"token": token}


def _continue(cast):
    form, session = _evaluated_session(cast)
    response = form.responses.create(cohort=cast.cohort, session=session)
    return {"token": links.continue_token(response.pk)}


STAFF = {"admin": 200, "staff": 200}


def _session(cast):
    _form, session = _evaluated_session(cast)
    return {"code": session.code}


CASES = [
    Case("feedback:answer", FELLOWS_OF_COHORT, kwargs=_answer),
    Case(
        "feedback:answer",
        {"fellow": 400, "peer": 400, "classmate": 400},
        kwargs=_answer,
        method="post",
        data=lambda cast: {},
        label="nothing answered",
    ),
    # Whoever follows the link records the answer of the person it was sent to.
    Case("feedback:one_click", all_roles(302), kwargs=_one_click),
    Case("feedback:continue", all_roles(200), kwargs=_continue),
    Case(
        "feedback:continue",
        all_roles(400),
        kwargs=_continue,
        method="post",
        data=lambda cast: {},
        label="a required question left empty",
    ),
    # Results: the program's staff (and site admins); a coach reads their own averages.
    Case("feedback:results_index", {"admin": 200, "staff": 200, "other_staff": 200}),
    Case("feedback:session_results", STAFF, kwargs=_session),
    Case("feedback:cohort_results", STAFF, kwargs=lambda cast: {"code": cast.cohort.code}),
    Case("feedback:cohort_export", STAFF, kwargs=lambda cast: {"code": cast.cohort.code}),
    Case("feedback:cohort_breakdown", STAFF, kwargs=lambda cast: {"code": cast.cohort.code}),
    Case(
        "feedback:kind_results",
        STAFF,
        kwargs=lambda cast: {"code": cast.cohort.code, "kind": "monthly"},
    ),
    Case(
        "feedback:kind_results",
        {},
        kwargs=lambda cast: {"code": cast.cohort.code, "kind": "no-such-kind"},
        label="unknown kind",
    ),
    Case("feedback:program_results", STAFF, kwargs=lambda cast: {"slug": cast.program.slug}),
    Case("feedback:own_coaching", {"coach": 200, "other_coach": 200}),
]

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
# A cohort's set-up: its program's staff; others who read the cohort are refused (403).
COHORT_READERS = ["admin", "staff", "coach", "other_coach", "fellow", "peer", "classmate"]


def cohort_staff(status=200):
    table = dict.fromkeys(COHORT_READERS, 403)
    table.update({"admin": status, "staff": status})
    return table


def _program(cast):
    return {"slug": cast.program.slug}


def _new_form(cast):
    return {"code": FormFactory(program=cast.program, kinds=["rating"]).code}


def _cohort(cast):
    return {"code": cast.cohort.code}


def _attach(cast):
    form = FormFactory(program=cast.program, kinds=["rating"])
    return {"form": str(form.pk), "session_kind": "seminar", "open_days": 7, "remind_after_days": 2}


def _survey(cast):
    """A survey form and a moment of the cohort not taken yet (each role opens one)."""
    from feedback.models import FormPurpose, Survey

    form = FormFactory(program=cast.program, purpose=FormPurpose.SURVEY, kinds=["rating"])
    taken = set(Survey.objects.filter(cohort=cast.cohort).values_list("phase", flat=True))
    phase = next(p for p in ("start", "midpoint", "end") if p not in taken)
    return {
        "form": str(form.pk),
        "phase": phase,
        "opens_on": "2026-09-01",
        "closes_on": "2026-09-20",
    }


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
    # Following the link shows the answer selected and records nothing (mail scanners open
    # links too); whoever presses the button records the answer of the person it was sent to.
    Case("feedback:one_click", all_roles(200), kwargs=_one_click),
    Case(
        "feedback:one_click",
        all_roles(302),
        kwargs=_one_click,
        method="post",
        data=lambda cast: {},
        label="the button",
    ),
    Case("feedback:continue", all_roles(200), kwargs=_continue),
    Case(
        "feedback:continue",
        all_roles(400),
        kwargs=_continue,
        method="post",
        data=lambda cast: {},
        label="a required question left empty",
    ),
    # Set-up: the program's staff (and site admins) keep the bank and build forms.
    Case("feedback:form_list", STAFF, kwargs=_program),
    Case(
        "feedback:form_list",
        {"admin": 400, "staff": 400},
        kwargs=_program,
        method="post",
        data=lambda cast: {"title": ""},
        label="no title, no question",
    ),
    Case("feedback:question_create", STAFF, kwargs=_program),
    Case(
        "feedback:question_create",
        {"admin": 400, "staff": 400},
        kwargs=_program,
        method="post",
        data=lambda cast: {"kind": "single", "text": "Which?", "choices": "Only one"},
        label="one option",
    ),
    Case("feedback:form_edit", STAFF, kwargs=_new_form),
    Case(
        "feedback:form_edit",
        {"admin": 400, "staff": 400},
        kwargs=_new_form,
        method="post",
        data=lambda cast: {"title": "No questions"},
        label="no question",
    ),
    Case("feedback:form_close", {"admin": 302, "staff": 302}, kwargs=_new_form, method="post"),
    Case("feedback:form_copy", {"admin": 302, "staff": 302}, kwargs=_new_form, method="post"),
    Case("feedback:cohort_setup", cohort_staff(), kwargs=_cohort),
    Case(
        "feedback:evaluation_attach",
        cohort_staff(302),
        kwargs=_cohort,
        method="post",
        data=_attach,
    ),
    Case(
        "feedback:evaluation_attach",
        cohort_staff(400),
        kwargs=_cohort,
        method="post",
        data=lambda cast: {"open_days": "7"},
        label="no form, no session",
    ),
    Case("feedback:survey_open", cohort_staff(302), kwargs=_cohort, method="post", data=_survey),
    Case(
        "feedback:survey_open",
        cohort_staff(400),
        kwargs=_cohort,
        method="post",
        data=lambda cast: {"phase": "start", "opens_on": "2026-09-20", "closes_on": "2026-09-01"},
        label="closes before it opens",
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

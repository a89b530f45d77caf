"""Reads of the results pages, each with its queries decided here."""

from __future__ import annotations

from django.db.models import Count, Q

from coaching.models import CoachingSession, SessionStatus
from cohorts.models import Enrollment, EnrollmentStatus
from curriculum.models import Session

from . import results
from .models import Response
from .occasions import session_recipients


def session_page(session) -> dict:
    responses = results.responses_of_session(session)
    asked = session_recipients(session).count()
    blocks = results.form_results(responses)
    for block in blocks:
        block.asked = asked
    return {"session": session, "cohort": session.cohort, "blocks": blocks}


def kind_page(cohort, kind) -> dict:
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


def cohort_page(cohort) -> dict:
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


def program_page(program) -> dict:
    cohorts = list(program.cohorts.order_by("start_date"))
    coaching = Response.objects.filter(cohort__program=program).exclude(coach=None)
    return {
        "program": program,
        "cohorts": cohorts,
        "years": results.year_over_year(program, cohorts),
        "coaches": results.coach_figures(coaching),
    }


def own_coaching_page(coach) -> dict:
    rows = results.coach_figures(Response.objects.filter(coach=coach))
    sessions = CoachingSession.objects.filter(coach=coach, status=SessionStatus.COMPLETED).count()
    return {"row": rows[0] if rows else None, "sessions": sessions}


def breakdown_page(cohort) -> dict:
    """The cohort's named answers, question by question, for the demographic breakdown the
    outcomes app draws on this page; and which anonymous forms are left out."""
    responses = results.responses_of_cohort(cohort)
    return {
        "cohort": cohort,
        "breakdowns": results.named_breakdowns(responses),
        "anonymous_forms": results.anonymous_forms(responses),
    }

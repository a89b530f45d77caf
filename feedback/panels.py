"""Selectors of the sections feedback shows on other apps' pages (the fellow's start page,
the funder report): each decides its queries here; templatetags/feedback_panels.py only
renders what they return."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import (
    Avg,
    CharField,
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse

from accounts.compiled import CompiledQuery
from coaching.models import CoachingSession, SessionStatus
from cohorts.home import Figure, HomePanel, HomeView
from cohorts.models import Cohort, Enrollment, EnrollmentStatus
from notifications.models import Notification

from .models import (
    MIN_ANSWERS,
    Answer,
    Form,
    FormPurpose,
    QuestionKind,
    Receipt,
    Response,
    Survey,
    SurveyPhase,
)
from .occasions import COACHING_OPEN_DAYS
from .reminders import ASK_KIND, COACHING_KIND


def fellow_home_panel(view: HomeView, figures: Mapping[str, Any]) -> dict[str, Any]:
    """What the fellow has left to answer: open surveys of their cohort, evaluations sent to
    them and still open, completed coaching sessions not yet rated (three queries, each
    compiled once: accounts/compiled.py)."""
    enrollment, now = view.enrollment, view.now
    values = {
        "user_id": view.user.pk,
        "cohort_id": enrollment.cohort_id,
        "today": view.today,
        "now": now,
    }
    todo = []
    phases = dict(SurveyPhase.choices)
    surveys = _SURVEYS.rows("surveys", values, _open_surveys) if figures["feedback_surveys"] else []
    for survey in surveys:
        phase = phases.get(survey["phase"], survey["phase"])
        todo.append(
            {
                "title": f"{survey['form__title']} ({phase.lower()} survey)",
                "until": survey["closes_on"],
                "url": reverse(
                    "feedback:answer",
                    kwargs={"code": survey["form__code"], "occasion": f"survey:{survey['pk']}"},
                ),
            }
        )
    evaluations = []
    if figures["feedback_evaluations"]:
        evaluations = _EVALUATIONS.rows("evaluations", values, _open_evaluations)
    for n in evaluations:
        todo.append(
            {
                "title": f"Evaluation of “{n['payload'].get('session', 'a session')}”",
                "until": n["expires_at"],
                "url": n["url"],
            }
        )
    if view.is_active and figures["feedback_coaching"]:
        coaching_values = {
            **values,
            "enrollment_id": enrollment.pk,
            "program_id": enrollment.cohort.program_id,
            # A value of its own: a compiled query cannot derive it from `now`.
            "since": now - datetime.timedelta(days=COACHING_OPEN_DAYS),
        }
        for coaching in _COACHING.rows("coaching", coaching_values, _unrated_coaching):
            ends_at = coaching["starts_at"] + datetime.timedelta(
                minutes=coaching["duration_minutes"]
            )
            todo.append(
                {
                    "title": f"Rate your coaching session of {coaching['starts_at']:%-d %B}",
                    "until": ends_at + datetime.timedelta(days=COACHING_OPEN_DAYS),
                    "url": reverse(
                        "feedback:answer",
                        kwargs={
                            "code": coaching["form_code"],
                            "occasion": f"coaching:{coaching['pk']}",
                        },
                    ),
                }
            )
    return {"enrollment": enrollment, "todo": todo}


_SURVEYS = CompiledQuery()
_EVALUATIONS = CompiledQuery()
_COACHING = CompiledQuery()


def _open_surveys(values: Mapping[str, Any]) -> QuerySet:
    """The cohort's surveys open today that the fellow has not answered."""
    answered = Receipt.objects.filter(person_id=values["user_id"])
    return (
        Survey.objects.filter(
            cohort_id=values["cohort_id"],
            opens_on__lte=values["today"],
            closes_on__gte=values["today"],
        )
        .annotate(done=_answered(answered, "survey:"))
        .filter(done=False, form__closed_at__isnull=True)
        .values("pk", "phase", "closes_on", "form__title", "form__code")
    )


def _answered(answered: QuerySet, occasion_prefix: str) -> Exists:
    """Whether the person answered the row's form for the row's occasion ("survey:<pk>")."""
    occasion = Concat(Value(occasion_prefix), OuterRef("pk"), output_field=CharField())
    return Exists(answered.filter(form_id=OuterRef("form_id"), occasion=occasion))


def _open_evaluations(values: Mapping[str, Any]) -> QuerySet:
    """Evaluations the fellow was asked for, still open and not answered."""
    answered = Receipt.objects.filter(person_id=values["user_id"])
    return (
        Notification.objects.filter(
            recipient_id=values["user_id"], kind=ASK_KIND, expires_at__gt=values["now"]
        )
        .annotate(
            done=Exists(
                answered.filter(form_id=OuterRef("subject_id"), occasion=OuterRef("occurrence"))
            )
        )
        .filter(done=False)
        .order_by("due_at")
        .values("payload", "expires_at", "url")
    )


def _unrated_coaching(values: Mapping[str, Any]) -> QuerySet:
    """The fellow's recently completed coaching sessions not yet rated, with the program's
    open coaching form (none without one)."""
    answered = Receipt.objects.filter(person_id=values["user_id"])
    coaching_form = Form.objects.filter(
        program_id=values["program_id"],
        purpose=FormPurpose.COACHING,
        closed_at__isnull=True,
    ).order_by("-created_at")
    return (
        CoachingSession.objects.filter(
            enrollment_id=values["enrollment_id"],
            status=SessionStatus.COMPLETED,
            starts_at__gt=values["since"],
            starts_at__lte=values["now"],
        )
        .annotate(
            form_id=Subquery(coaching_form.values("pk")[:1]),
            form_code=Subquery(coaching_form.values("code")[:1]),
        )
        .annotate(done=_answered(answered, "coaching:"))
        .filter(done=False, form_id__isnull=False)
        .order_by("starts_at")
        .values("pk", "starts_at", "duration_minutes", "form_code")
    )


def _fellow_home_annotations(view: HomeView) -> dict[str, Figure]:
    """Whether each list of the panel may have a row: a looser test than the list's own, read
    with the page's figures, so that the list's query is skipped when there is nothing to
    answer (most days)."""
    figures: dict[str, Figure] = {
        "feedback_surveys": Exists(
            Survey.objects.filter(
                cohort_id=OuterRef("cohort_id"), opens_on__lte=view.today, closes_on__gte=view.today
            )
        ),
        "feedback_evaluations": Exists(
            Notification.objects.filter(
                recipient_id=OuterRef("user_id"), kind=ASK_KIND, expires_at__gt=view.now
            )
        ),
    }
    if view.is_active:
        now = Value(view.now, output_field=DateTimeField())
        figures["feedback_coaching"] = Exists(
            CoachingSession.objects.filter(
                enrollment=OuterRef("pk"),
                status=SessionStatus.COMPLETED,
                # In SQL (the figures' query is compiled once and takes `now` alone), a day
                # wider than the list's window: days in SQL follow the database's time zone.
                starts_at__gt=now - datetime.timedelta(days=COACHING_OPEN_DAYS + 1),
                starts_at__lte=now,
            )
        )
    return figures


FELLOW_HOME_PANEL = HomePanel(
    name="feedback",
    template="feedback/partials/panel_fellow_home.html",
    order=70,
    annotations=_fellow_home_annotations,
    build=fellow_home_panel,
)


def funder_section(scope) -> dict:
    """The funder report's evaluation figures for the cohort (one query): means of each
    rating question of the session evaluations, with their counts, and start against end.
    Program staff only: anonymous answers cannot be narrowed to a coach's fellows."""
    if not scope.is_staff:
        return {"scope": scope, "show": False}
    cohort = scope.cohort
    # A numeric answer always has its number (selectors.clean_answer), so each mean is one.
    means: defaultdict[str, dict[str, tuple[int, float, str]]] = defaultdict(dict)
    # The response rates ride along on each row (the same on all), so that the section
    # costs one query; without any numeric answer they take a query of their own.
    rows = _MEANS.rows((), {"cohort_id": cohort.pk}, _means_query)
    rates = _rate_rows(rows[0]) if rows else response_rates(cohort)
    for row in rows:
        where = row["response__survey__phase"] or row["response__form__purpose"]
        means[row["question__text"]][where] = (row["n"], row["mean"], row["question__kind"])
    session_rows, change_rows = [], []
    for text, by in means.items():
        if FormPurpose.EVALUATION in by:
            n, mean, kind = by[FormPurpose.EVALUATION]
            session_rows.append(
                {
                    "question": text,
                    "n": n,
                    "mean": mean,
                    "hidden": n < MIN_ANSWERS,
                    "scale": "0–10" if kind == QuestionKind.NPS else "1–5",
                }
            )
        if "start" in by and "end" in by:
            (sn, smean, kind), (en, emean, _k) = by["start"], by["end"]
            change_rows.append(
                {
                    "question": text,
                    "start": smean,
                    "end": emean,
                    "start_n": sn,
                    "end_n": en,
                    "hidden": sn < MIN_ANSWERS or en < MIN_ANSWERS,
                    "change": f"{emean - smean:+.1f}",
                }
            )
    return {
        "scope": scope,
        "show": True,
        "rates": rates,
        "sessions": session_rows,
        "changes": change_rows,
        "min_answers": MIN_ANSWERS,
    }


# Fourteen correlated counts make this query slow to build: its SQL is kept (compiled.py).
_MEANS = CompiledQuery()


def _means_query(values: Mapping[str, Any]) -> QuerySet:
    cohort_id = values["cohort_id"]
    return (
        Answer.objects.filter(
            response__cohort_id=cohort_id, question__kind__in=QuestionKind.numeric()
        )
        .exclude(response__form__purpose=FormPurpose.COACHING)
        .values(
            "question__text", "question__kind", "response__form__purpose", "response__survey__phase"
        )
        .annotate(n=Count("pk"), mean=Avg("number"), **_rate_columns(cohort_id))
        .order_by("question__text")
    )


def _count(queryset):
    """A correlated COUNT(*) of `queryset` as a column (0 when it has no row)."""
    counted = (
        queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def response_rates(cohort) -> list[dict]:
    """Who was asked and who answered, per kind of form, in one query. Evaluations and
    coaching feedback count the people the ledger asked; a survey counts the cohort's
    fellows (each may answer it, asked or not)."""
    figures = Cohort.objects.filter(pk=cohort.pk).values(**_rate_columns(OuterRef("pk"))).get()
    return _rate_rows(figures)


def _rate_columns(cohort_id) -> dict:
    """The columns response_rates() reads; `cohort_id` is the cohort's id or a reference to
    it from the outer query."""
    answers = Response.objects.filter(cohort_id=cohort_id)
    columns = {
        "evaluation_asked": _count(
            Notification.objects.filter(kind=ASK_KIND, enrollment__cohort_id=cohort_id)
        ),
        "evaluation_answered": _count(answers.filter(form__purpose=FormPurpose.EVALUATION)),
        "coaching_asked": _count(
            Notification.objects.filter(kind=COACHING_KIND, enrollment__cohort_id=cohort_id)
        ),
        "coaching_answered": _count(answers.filter(form__purpose=FormPurpose.COACHING)),
        "fellows": _count(
            Enrollment.objects.filter(
                cohort_id=cohort_id, status__in=EnrollmentStatus.with_cohort_access()
            )
        ),
        "surveys": _count(Survey.objects.filter(cohort_id=cohort_id)),
    }
    for phase in SurveyPhase:
        columns[f"{phase}_open"] = _count(Survey.objects.filter(cohort_id=cohort_id, phase=phase))
        columns[f"{phase}_answered"] = _count(answers.filter(survey__phase=phase))
    return columns


def _rate_rows(figures: Mapping[str, Any]) -> list[dict]:
    """The rows of the rates table from the columns of _rate_columns()."""
    rows = [
        ("Session evaluations", figures["evaluation_asked"], figures["evaluation_answered"]),
        ("Coaching feedback", figures["coaching_asked"], figures["coaching_answered"]),
    ]
    for phase in SurveyPhase:
        if figures[f"{phase}_open"]:
            rows.append((f"{phase.label} survey", figures["fellows"], figures[f"{phase}_answered"]))
    return [
        {
            "what": what,
            "asked": asked,
            "answered": answered,
            "rate": min(100, round(100 * answered / asked)) if asked else None,
        }
        for what, asked, answered in rows
        if asked or answered
    ]

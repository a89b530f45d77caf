"""Demo: a question bank for the institute, an evaluation after every workshop, monthly
session and seminar of both cohorts with answers on the sessions already held, a start and an
end survey of the past cohort (with the same questions, so the start-against-end comparison
shows change) and the current cohort's start survey, and fellows' ratings of their completed
coaching sessions. Answers lean positive with a spread, and comments repeat a few themes.
Idempotent: a program that already has its evaluation form is left as it is."""

from __future__ import annotations

import datetime

from django.utils import timezone

from coaching.models import CoachingSession, SessionStatus
from curriculum.models import Attendance, AttendanceStatus, Session, SessionKind
from demo.accounts import DemoContext
from feedback import selectors, services
from feedback.models import Form, FormPurpose, QuestionKind, Survey, SurveyPhase
from feedback.occasions import Occasion

EVALUATION_TITLE = "After the session"
COMMENTS = [
    "The case study from the Medicaid waiver was the most useful part.",
    "More time in breakouts with people from other states, please.",
    "Clear and practical; I will use the stakeholder map next week.",
    "The pace was fast for the data section.",
    "",
    "",
]
HOPES = [
    "Build a coalition for our community health worker program.",
    "Learn to use data to make the case for equity to legislators.",
    "Meet peers facing the same budget fights.",
    "",
]


def seed(ctx: DemoContext) -> None:
    program = ctx.objects.get("program")
    if program is None or Form.objects.filter(program=program, title=EVALUATION_TITLE).exists():
        return
    by = ctx.objects.get("staff")

    def question(kind, text, **extra):
        return services.question_create(program=program, kind=kind, text=text, by=by, **extra)

    useful = question(
        QuestionKind.RATING,
        "Overall, how useful was this session?",
        labels=["Not useful", "Slightly useful", "Useful", "Very useful", "Extremely useful"],
    )
    recommend = question(
        QuestionKind.NPS, "How likely are you to recommend this session to a colleague?"
    )
    pace = question(QuestionKind.SINGLE, "The pace was…", choices=["Too slow", "Right", "Too fast"])
    use = question(QuestionKind.LONG_TEXT, "What will you use from it?")
    confidence = question(
        QuestionKind.RATING,
        "How confident are you leading change across agencies?",
        labels=["Not at all", "A little", "Somewhat", "Quite", "Very"],
    )
    connected = question(
        QuestionKind.RATING,
        "How connected do you feel to peers in other states?",
        labels=["Not at all", "A little", "Somewhat", "Quite", "Very"],
    )
    hope = question(QuestionKind.LONG_TEXT, "What do you most want from this year?")
    coach_helpful = question(
        QuestionKind.RATING,
        "How helpful was this coaching session?",
        labels=["Not helpful", "Slightly", "Helpful", "Very", "Extremely"],
    )
    coach_ready = question(
        QuestionKind.RATING,
        "I left with clear next steps.",
        labels=["Disagree", "Somewhat disagree", "Neutral", "Somewhat agree", "Agree"],
    )

    evaluation = services.form_create(
        program=program,
        purpose=FormPurpose.EVALUATION,
        title=EVALUATION_TITLE,
        questions=[(useful, True), (recommend, True), (pace, False), (use, False)],
        by=by,
    )
    survey_form = services.form_create(
        program=program,
        purpose=FormPurpose.SURVEY,
        title="Program survey",
        intro="A few questions at the start and the end of the year, to see what changes.",
        questions=[(confidence, True), (connected, True), (hope, False)],
        by=by,
    )
    coaching_form = services.form_create(
        program=program,
        purpose=FormPurpose.COACHING,
        title="Your coaching session",
        questions=[(coach_helpful, True), (coach_ready, True)],
        by=by,
    )
    now = timezone.now()
    for cohort in (ctx.objects.get("past_cohort"), ctx.objects.get("current_cohort")):
        if cohort is None:
            continue
        for kind in (
            SessionKind.LAUNCH,
            SessionKind.MONTHLY,
            SessionKind.SEMINAR,
            SessionKind.FINAL,
        ):
            services.evaluation_attach(form=evaluation, cohort=cohort, session_kind=kind, by=by)
        _session_answers(ctx, cohort, evaluation, now)
        _surveys(ctx, cohort, survey_form, by, now)
    _coaching_answers(ctx, coaching_form, now)


def _answer(form, person, occasion, values, now):
    items = list(form.items.select_related("question"))
    raw = {f"q{item.question_id}": values.get(item.question_id, "") for item in items}
    answers = selectors.clean_answers(items, raw, require=False)
    services.response_submit(occasion=occasion, by=person, answers=answers, complete=True, now=now)


def _session_answers(ctx, cohort, form, now):
    useful, recommend, pace, use = [i.question for i in form.items.order_by("position")]
    held = Session.objects.held_before(now).filter(
        cohort=cohort,
        kind__in=[SessionKind.LAUNCH, SessionKind.MONTHLY, SessionKind.SEMINAR, SessionKind.FINAL],
    )
    present = {}
    for row in Attendance.objects.filter(
        session__in=held, status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE]
    ).select_related("enrollment__user"):
        # A session over two days has a mark per day: each person answers once.
        present.setdefault(row.session_id, {})[row.enrollment.user_id] = row.enrollment.user
    for session in held:
        for person in present.get(session.pk, {}).values():
            if ctx.rng.random() > 0.7:  # about seven in ten answer
                continue
            rating = ctx.rng.choice([3, 4, 4, 4, 5, 5, 5, 2])
            _answer(
                form,
                person,
                Occasion(
                    form=form,
                    key=f"session:{session.pk}",
                    cohort_id=cohort.pk,
                    title=session.title,
                    session=session,
                ),
                {
                    useful.pk: str(rating),
                    recommend.pk: str(min(10, rating * 2 + ctx.rng.choice([-1, 0, 0, 1]))),
                    pace.pk: ctx.rng.choice(["Right", "Right", "Right", "Too fast", "Too slow"]),
                    use.pk: ctx.rng.choice(COMMENTS),
                },
                session.ends_at,
            )


def _surveys(ctx, cohort, form, by, now):
    today = cohort.local_date(now)
    confidence, connected, hope = [i.question for i in form.items.order_by("position")]
    windows = [
        (SurveyPhase.START, cohort.start_date, cohort.start_date + datetime.timedelta(days=30))
    ]
    if cohort.end_date < today:
        windows.append(
            (SurveyPhase.END, cohort.end_date - datetime.timedelta(days=30), cohort.end_date)
        )
    people = [e.user for e in cohort.enrollments.with_cohort_access().select_related("user")]
    for phase, opens, closes in windows:
        if Survey.objects.filter(cohort=cohort, phase=phase).exists():
            continue
        survey = services.survey_open(
            form=form, cohort=cohort, phase=phase, opens_on=opens, closes_on=closes, by=by
        )
        if opens > today:
            continue
        lift = 0 if phase == SurveyPhase.START else 1
        for person in people:
            if ctx.rng.random() > 0.85:
                continue
            _answer(
                form,
                person,
                Occasion(
                    form=form,
                    key=survey.occasion,
                    cohort_id=cohort.pk,
                    title="",
                    survey=survey,
                ),
                {
                    confidence.pk: str(min(5, ctx.rng.choice([2, 2, 3, 3, 4]) + lift)),
                    connected.pk: str(min(5, ctx.rng.choice([1, 2, 2, 3]) + 2 * lift)),
                    hope.pk: ctx.rng.choice(HOPES) if phase == SurveyPhase.START else "",
                },
                datetime.datetime.combine(opens, datetime.time(15), tzinfo=datetime.UTC),
            )


def _coaching_answers(ctx, form, now):
    helpful, ready = [i.question for i in form.items.order_by("position")]
    for coaching in CoachingSession.objects.filter(
        status=SessionStatus.COMPLETED, starts_at__lte=now, enrollment__cohort__program=form.program
    ).select_related("enrollment__user"):
        if ctx.rng.random() > 0.75:
            continue
        rating = ctx.rng.choice([4, 4, 5, 5, 5, 3])
        _answer(
            form,
            coaching.enrollment.user,
            Occasion(
                form=form,
                key=f"coaching:{coaching.pk}",
                cohort_id=coaching.enrollment.cohort_id,
                title="",
                coach_id=coaching.coach_id,
            ),
            {helpful.pk: str(rating), ready.pk: str(max(1, rating - ctx.rng.choice([0, 0, 1])))},
            coaching.ends_at,
        )
